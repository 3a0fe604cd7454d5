package io.msyspg.console.core.stats;

import io.msyspg.console.core.settings.SettingsStore;

/** Dashboard settings: sampling interval, the visible window, and an optional local data directory per server. */
@SettingsStore.Section("stats")
public class StatsSettings {
    /** Seconds between samples (0.5 .. 60). */
    public double intervalSeconds = 1.0;
    /** The charts' time window in minutes. */
    public int windowMinutes = 15;
    /**
     * Data directory of the server, when it runs on this host and the console cannot read
     * {@code data_directory} (keyed by "user@host:port/db"); used only for the free-space projection.
     */
    public java.util.Map<String, String> dataDirectories = new java.util.HashMap<>();
    /** Seconds between database size readings (pg_database_size is expensive). */
    public double sizeIntervalSeconds = 300;
    /** Seconds between walks of a local data directory (a file walk: throttled, low priority). */
    public double dataDirIntervalSeconds = 900;
    /** Seconds between pg_stat_statements readings. */
    public double topQueriesIntervalSeconds = 10;
}
