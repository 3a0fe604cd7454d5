package io.msyspg.console;

import io.msyspg.console.cli.ConsoleCommand;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.Diagnostics;

/**
 * The one entry point of {@code ./msyspg-console}: with no subcommand it opens the GUI, with one it runs
 * headless. Logging is pointed at the state directory before the first logger exists.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Diagnostics.configureLogging(AppDirs.fromEnvironment());
        int code = ConsoleCommand.execute(args);
        if (code != ConsoleCommand.OPEN_GUI) System.exit(code);
        if (!displayAvailable()) {
            System.err.println("msyspg-console: no display to open the console on (DISPLAY is not set);"
                    + " run it in a desktop session, or use a subcommand (see --help)");
            System.exit(1);
        }
        // JavaFX on the class path warns that it is "unsupported"; it is how this launcher runs it on purpose
        JAVAFX_LOGGER.setLevel(java.util.logging.Level.SEVERE);
        io.msyspg.console.ui.App.launchGui(args);
    }

    private static final java.util.logging.Logger JAVAFX_LOGGER = java.util.logging.Logger.getLogger("javafx");

    private static boolean displayAvailable() {
        return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null
                || "Monocle".equals(System.getProperty("glass.platform"));
    }
}
