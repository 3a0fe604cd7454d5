package io.msyspg.console.core.stats;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One raw reading of the server's cumulative counters and gauges, taken by ONE statement
 * ({@link SnapshotQuery}) so that every value, the server clock, the postmaster start time and every
 * {@code stats_reset} belong to the same instant.
 */
public final class Snapshot {
    /** The columns of the snapshot statement (counters are cumulative; the rest are gauges). */
    public enum Col {
        NOW_MS, PM_START_MS, MAX_CONNECTIONS,
        DB_COMMITS, DB_ROLLBACKS, DB_BLKS_READ, DB_BLKS_HIT, DB_TUP_IN, DB_TUP_OUT, DB_TEMP_FILES, DB_TEMP_BYTES, DB_DEADLOCKS,
        S_ACTIVE, S_IDLE, S_IDLE_TX, S_WAITING, S_TOTAL, XACT_AGE, QUERY_AGE, AV_WORKERS,
        CKPT_COUNT, CKPT_BUFFERS, WAL_BYTES, IO_READ, IO_WRITE,
        STANDBYS, REP_LAG_BYTES, REP_LAG_S, XID_AGE;

        String column() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Groups of counters that are reset together; a changed reset time invalidates the group's interval. */
    public enum ResetGroup { DATABASE, CHECKPOINTER, WAL, IO }

    private final double[] values = new double[Col.values().length];
    private final Map<ResetGroup, String> resets = new EnumMap<>(ResetGroup.class);
    private final String progressJson;
    /** Per database (by name): the cumulative counters of {@link DbCol}, in that order. */
    private final Map<String, double[]> perDb = new java.util.LinkedHashMap<>();
    private final String ownDb;
    /** The console's own statements on the monitoring connection up to this snapshot (they are excluded from TPS). */
    final long ownStatements;
    /**
     * The console's own statements not yet subtracted because the server had not published them yet (backends
     * publish their counters about once a second): carried to the next interval instead of being lost to a clamp
     * at zero, so an idle server (or database) integrates to ~0 instead of to a positive drift. Set by
     * {@link RateCalculator}, server-wide and for the monitoring connection's database.
     */
    double serverOwnDebt, dbOwnDebt;

    Snapshot(ResultSet rs, long ownStatements) throws SQLException {
        for (Col c : Col.values()) {
            double v = rs.getDouble(c.column());
            values[c.ordinal()] = rs.wasNull() ? Double.NaN : v;
        }
        resets.put(ResetGroup.DATABASE, rs.getString("db_reset"));
        resets.put(ResetGroup.CHECKPOINTER, rs.getString("ckpt_reset"));
        resets.put(ResetGroup.WAL, rs.getString("wal_reset"));
        resets.put(ResetGroup.IO, rs.getString("io_reset"));
        this.progressJson = rs.getString("progress");
        this.ownStatements = ownStatements;
        this.ownDb = rs.getString("own_db");
        parsePerDb(rs.getString("per_db"));
    }

    /** The per-database counters of {@code pg_stat_database}, in the order of the snapshot's JSON arrays. */
    public enum DbCol { COMMITS, ROLLBACKS, TUP_IN, TUP_OUT, BLKS_READ, BLKS_HIT, TEMP_FILES, TEMP_BYTES, DEADLOCKS }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private void parsePerDb(String json) throws SQLException {
        if (json == null) return;
        try {
            for (com.fasterxml.jackson.databind.JsonNode row : JSON.readTree(json)) {
                double[] v = new double[DbCol.values().length];
                for (int i = 0; i < v.length; i++) {
                    com.fasterxml.jackson.databind.JsonNode n = row.get(i + 1);
                    v[i] = n == null || n.isNull() ? Double.NaN : n.asDouble();
                }
                perDb.put(row.get(0).asText(), v);
            }
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable per-database statistics: " + e.getMessage(), e);
        }
    }

    /** For tests and the bench: a snapshot from explicit values. */
    Snapshot(double[] values, Map<ResetGroup, String> resets, long ownStatements) {
        System.arraycopy(values, 0, this.values, 0, this.values.length);
        this.resets.putAll(resets);
        this.progressJson = "[]";
        this.ownStatements = ownStatements;
        this.ownDb = null;
    }

    /** Per-database counters by database name (empty for snapshots built from explicit values). */
    public Map<String, double[]> perDatabase() { return perDb; }

    /** The database of the monitoring connection (its own statements are counted there). */
    public String ownDatabase() { return ownDb; }

    public double get(Col c) { return values[c.ordinal()]; }

    /** Server clock (epoch milliseconds) when the snapshot was taken. */
    public long serverTimeMillis() { return (long) get(Col.NOW_MS); }

    public long postmasterStartMillis() { return (long) get(Col.PM_START_MS); }

    public String reset(ResetGroup g) { return resets.get(g); }

    /**
     * True when the group was not reset between {@code this} (earlier) and {@code later}. For the database group
     * the signature lists {@code datid@stats_reset} per database: the set of databases must be the same, and a
     * reset time may only appear where there was none (before 15 the collector stamps a database's entry when it
     * first creates it, with counters that started at 0: not a reset).
     */
    public boolean sameReset(Snapshot later, ResetGroup g) {
        String a = reset(g), b = later.reset(g);
        if (Objects.equals(a, b)) return true;
        if (g != ResetGroup.DATABASE || a == null || b == null) return false;
        String[] x = a.split(","), y = b.split(",");
        if (x.length != y.length) return false;
        for (int i = 0; i < x.length; i++) {
            if (x[i].equals(y[i])) continue;
            int ax = x[i].indexOf('@'), by = y[i].indexOf('@');
            if (ax < 0 || by < 0 || !x[i].substring(0, ax).equals(y[i].substring(0, by))) return false;
            if (!x[i].substring(ax + 1).equals("-")) return false;
        }
        return true;
    }

    /** JSON array of running maintenance (vacuum, analyze, create index, cluster, basebackup, copy) with percentages. */
    public String progressJson() { return progressJson == null ? "[]" : progressJson; }
}
