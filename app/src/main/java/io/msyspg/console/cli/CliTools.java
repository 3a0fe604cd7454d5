package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.settings.ToolSettings;
import io.msyspg.console.core.tools.PgToolLocator;

/** Where every subcommand finds PostgreSQL tools: a given directory (--tools-dir, a profile's), else the configured one. */
final class CliTools {
    private CliTools() {}

    /** The tools directory set in the console's settings, or null. */
    static String configuredDir() {
        return SettingsStore.open(AppDirs.fromEnvironment()).get(ToolSettings.class).toolsDir;
    }

    /** The locator searching {@code override} first when given, else the configured directory, then the standard places. */
    static PgToolLocator locator(String override) {
        return PgToolLocator.standard(override != null && !override.isBlank() ? override : configuredDir());
    }
}
