package io.msyspg.console.core.common;

/**
 * Diagnostics: where the rolling log file goes. Logback reads {@code msyspg.log.dir} from
 * {@code logback.xml}; the file never contains secrets (nothing logs a password, and the log pattern
 * masks {@code password=} values as a second line of defence).
 */
public final class Diagnostics {
    private Diagnostics() {}

    public static void configureLogging(AppDirs dirs) {
        if (System.getProperty("msyspg.log.dir") == null) {
            System.setProperty("msyspg.log.dir", dirs.logs().toString());
        }
    }
}
