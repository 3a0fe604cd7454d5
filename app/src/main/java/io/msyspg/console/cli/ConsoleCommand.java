package io.msyspg.console.cli;

import io.msyspg.console.core.common.ConsoleException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The top-level command. Subcommands run headless and return an exit code; no subcommand opens the GUI.
 * Each feature adds its subcommand class to {@link #SUBCOMMANDS}. Exit codes: 0 success, 1 failure, 2 bad
 * usage, 3 "completed with errors" (restore).
 */
@Command(name = "msyspg-console", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Admin console for the PostgreSQL database behind Momentum (msyspg) and any PostgreSQL 12-17.",
                "Without a subcommand, opens the desktop console."},
        footer = {"", "Exit codes: 0 success, 1 failure, 2 bad usage, 3 completed with errors."})
public final class ConsoleCommand implements Callable<Integer> {
    /** Returned by {@link #execute} when the GUI should open. */
    public static final int OPEN_GUI = -1;

    static final Class<?>[] SUBCOMMANDS = {
            DoctorCommand.class,
            ConnectCommand.class,
            ProfileCommand.class,
            UpgradeCommand.class,
            ServerCommand.class,
            LogsCommand.class,
            BrowseCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            StatsCommand.class,
            DemoCommand.class,
    };

    @Option(names = "--demo", description = "Open the console on the demo sandbox (started when needed).")
    boolean demo;

    @Override public Integer call() {
        return OPEN_GUI;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ConsoleCommand());
        for (Class<?> c : SUBCOMMANDS) cl.addSubcommand(c);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("msyspg-console: " + ConsoleException.userMessage(ex).lines().findFirst().orElse("failed"));
            org.slf4j.LoggerFactory.getLogger(ConsoleCommand.class).error("command failed", ex);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("msyspg-console: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cl;
    }

    /** Runs the command line; returns an exit code, or {@link #OPEN_GUI}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** True when the arguments ask for the GUI on the demo sandbox. */
    public static boolean demoRequested(String... args) {
        for (String a : args) if ("--demo".equals(a)) return true;
        return false;
    }
}
