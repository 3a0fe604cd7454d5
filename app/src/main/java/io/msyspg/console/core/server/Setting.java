package io.msyspg.console.core.server;

/**
 * One row of {@code pg_settings} with where its value comes from in the files ({@code pg_file_settings}).
 *
 * @param setting        the value in the setting's base unit ({@code pg_settings.setting})
 * @param display        the value as the server shows it ({@code current_setting(name)}, "128MB")
 * @param unit           the base unit ({@code 8kB}, {@code ms}…) or null
 * @param source         {@code default}, {@code configuration file}, {@code command line}…
 * @param sourceFile     the file that set the value (needs superuser or pg_read_all_settings) or null
 * @param sourceLine     its line, or 0
 * @param bootValue      the built-in default; {@code resetValue}: the value a RESET returns to
 * @param pendingRestart the file holds a new value that only a restart applies
 * @param fileValue      the last value the files hold for it ({@code pg_file_settings}), or null
 * @param fileError      an error pg_file_settings reports for that file entry, or null
 */
public record Setting(String name, String setting, String display, String unit, String category, String description,
                      String context, String vartype, String source, String sourceFile, int sourceLine,
                      String bootValue, String resetValue, boolean pendingRestart, String enumValues,
                      String minValue, String maxValue, String fileValue, String fileError) {

    /** Sources that mean "nobody configured this": built-in default, server-computed, or only this session. */
    public boolean changedFromDefault() {
        return switch (source) {
            case "default", "override", "client", "session" -> false;
            default -> true;
        };
    }

    /** A change takes effect only at server start ({@code context = postmaster}). */
    public boolean restartOnly() { return "postmaster".equals(context); }

    /** ALTER SYSTEM cannot change it (read-only, compile-time). */
    public boolean readOnly() { return "internal".equals(context); }

    /** In the logging group (Reporting and Logging, plus logging_collector and friends). */
    public boolean logging() {
        return (category != null && category.startsWith("Reporting and Logging"))
                || name.startsWith("log_") || name.equals("logging_collector") || name.startsWith("syslog_");
    }

    /** The default formatted like {@link #display}: boot value with the unit applied. */
    public String displayDefault() {
        return SettingUnits.format(bootValue, unit, vartype);
    }

    /** Where the value comes from, "file:line" when known. */
    public String where() {
        if (sourceFile != null && !sourceFile.isBlank()) return sourceFile + ":" + sourceLine;
        return source;
    }
}
