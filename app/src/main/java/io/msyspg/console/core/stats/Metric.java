package io.msyspg.console.core.stats;

/**
 * Every figure the sampler records, with its JSON name (the CLI prints these names) and unit. Rates are per
 * second of SERVER time; ratios come from the interval's deltas; gauges are read as they are.
 */
public enum Metric {
    SESSIONS_ACTIVE("sessions_active", "sessions", Kind.GAUGE, Since.ALL),
    SESSIONS_IDLE("sessions_idle", "sessions", Kind.GAUGE, Since.ALL),
    SESSIONS_IDLE_IN_TX("sessions_idle_in_transaction", "sessions", Kind.GAUGE, Since.ALL),
    SESSIONS_WAITING("sessions_waiting_on_lock", "sessions", Kind.GAUGE, Since.ALL),
    SESSIONS_TOTAL("sessions_total", "sessions", Kind.GAUGE, Since.ALL),
    MAX_CONNECTIONS("max_connections", "sessions", Kind.GAUGE, Since.ALL),
    TPS("tps", "tx/s", Kind.RATE, Since.ALL),
    COMMITS("commits_per_s", "tx/s", Kind.RATE, Since.ALL),
    ROLLBACKS("rollbacks_per_s", "tx/s", Kind.RATE, Since.ALL),
    ROLLBACK_RATIO("rollback_ratio", "%", Kind.RATIO, Since.ALL),
    TUPLES_IN("tuples_in_per_s", "rows/s", Kind.RATE, Since.ALL),
    TUPLES_OUT("tuples_out_per_s", "rows/s", Kind.RATE, Since.ALL),
    BLOCKS_READ("blocks_read_per_s", "blocks/s", Kind.RATE, Since.ALL),
    BLOCKS_HIT("blocks_hit_per_s", "blocks/s", Kind.RATE, Since.ALL),
    CACHE_HIT_RATIO("cache_hit_ratio", "%", Kind.RATIO, Since.ALL),
    TEMP_FILES("temp_files_per_s", "files/s", Kind.RATE, Since.ALL),
    TEMP_BYTES("temp_bytes_per_s", "B/s", Kind.RATE, Since.ALL),
    DEADLOCKS("deadlocks_per_s", "1/s", Kind.RATE, Since.ALL),
    LONGEST_XACT_AGE("longest_transaction_s", "s", Kind.GAUGE, Since.ALL),
    LONGEST_QUERY_AGE("longest_query_s", "s", Kind.GAUGE, Since.ALL),
    WAL_BYTES("wal_bytes_per_s", "B/s", Kind.RATE, Since.ALL),
    CHECKPOINTS("checkpoints_per_min", "1/min", Kind.RATE, Since.ALL),
    CHECKPOINT_BUFFERS("checkpoint_buffers_per_s", "blocks/s", Kind.RATE, Since.ALL),
    IO_READ_BYTES("io_read_bytes_per_s", "B/s", Kind.RATE, Since.PG16),
    IO_WRITE_BYTES("io_write_bytes_per_s", "B/s", Kind.RATE, Since.PG16),
    STANDBYS("standbys", "", Kind.GAUGE, Since.ALL),
    REPLICATION_LAG_BYTES("replication_lag_bytes", "B", Kind.GAUGE, Since.ALL),
    REPLICATION_LAG_S("replication_lag_s", "s", Kind.GAUGE, Since.ALL),
    AUTOVACUUM_WORKERS("autovacuum_workers", "", Kind.GAUGE, Since.ALL),
    XID_AGE("oldest_xid_age", "xids", Kind.GAUGE, Since.ALL),
    DB_SIZE("database_size_bytes", "B", Kind.GAUGE, Since.ALL),
    CLUSTER_SIZE("cluster_size_bytes", "B", Kind.GAUGE, Since.ALL);

    public enum Kind { GAUGE, RATE, RATIO }

    /** The first major a metric exists on (others derive it differently per version, which the SQL handles). */
    public enum Since {
        ALL(0), PG16(16);
        final int major;
        Since(int m) { major = m; }
    }

    private final String key;
    private final String unit;
    private final Kind kind;
    private final Since since;

    Metric(String key, String unit, Kind kind, Since since) {
        this.key = key;
        this.unit = unit;
        this.kind = kind;
        this.since = since;
    }

    public String key() { return key; }
    public String unit() { return unit; }
    public Kind kind() { return kind; }

    /** True for the figures {@code pg_stat_database} has per database (the dashboard's and CLI's database filter). */
    public boolean perDatabase() {
        return switch (this) {
            case TPS, COMMITS, ROLLBACKS, ROLLBACK_RATIO, TUPLES_IN, TUPLES_OUT, BLOCKS_READ, BLOCKS_HIT, CACHE_HIT_RATIO,
                 TEMP_FILES, TEMP_BYTES, DEADLOCKS -> true;
            default -> false;
        };
    }

    /** False when the server's version has no source for this metric: the UI hides it, the CLI omits it. */
    public boolean availableOn(int major) { return major >= since.major; }

    private static final Metric[] VALUES = values();
    public static int count() { return VALUES.length; }
    public static Metric at(int ordinal) { return VALUES[ordinal]; }
}
