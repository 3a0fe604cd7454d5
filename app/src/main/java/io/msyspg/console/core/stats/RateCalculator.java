package io.msyspg.console.core.stats;

import io.msyspg.console.core.stats.Snapshot.Col;
import io.msyspg.console.core.stats.Snapshot.ResetGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns two consecutive snapshots into a {@link Sample}. Rate = delta / elapsed SERVER time. An interval is
 * dropped (NaN: a gap) per reset group when any of its counters went down or its {@code stats_reset}
 * changed, and entirely when the postmaster start time changed (a restart) or the server clock did not move.
 * Ratios come from the interval's deltas and are NaN ("n/a") when the denominator delta is 0. The console's
 * own statements on the monitoring connection are subtracted from the commit count.
 */
public final class RateCalculator {
    private RateCalculator() {}

    public static Sample compute(Snapshot prev, Snapshot cur) {
        double[] v = new double[Metric.count()];
        Arrays.fill(v, Double.NaN);
        gauges(cur, v);
        java.util.Map<String, double[]> dbs = new java.util.LinkedHashMap<>();
        for (String name : cur.perDatabase().keySet()) {
            double[] d = new double[Metric.count()];
            Arrays.fill(d, Double.NaN);
            dbs.put(name, d);
        }
        if (prev == null) return new Sample(cur.serverTimeMillis(), Sample.Status.COLLECTING, "collecting", v, cur.progressJson(), dbs);

        double secs = (cur.get(Col.NOW_MS) - prev.get(Col.NOW_MS)) / 1000.0;
        List<String> reasons = new ArrayList<>();
        if (cur.postmasterStartMillis() != prev.postmasterStartMillis()) {
            reasons.add("server restarted");
        } else if (!(secs > 0)) {
            reasons.add("server clock did not advance");
        } else {
            if (usable(prev, cur, ResetGroup.DATABASE, reasons, "database statistics (reset, or a database was created or dropped)",
                    Col.DB_COMMITS, Col.DB_ROLLBACKS, Col.DB_BLKS_READ, Col.DB_BLKS_HIT, Col.DB_TUP_IN, Col.DB_TUP_OUT,
                    Col.DB_TEMP_FILES, Col.DB_TEMP_BYTES, Col.DB_DEADLOCKS)) {
                double own = Math.max(0, cur.ownStatements - prev.ownStatements);
                double rawCommits = delta(prev, cur, Col.DB_COMMITS);
                double commits = Math.max(0, rawCommits - own - prev.serverOwnDebt);
                cur.serverOwnDebt = Math.max(0, own + prev.serverOwnDebt - rawCommits);
                double rollbacks = delta(prev, cur, Col.DB_ROLLBACKS);
                v[Metric.COMMITS.ordinal()] = commits / secs;
                v[Metric.ROLLBACKS.ordinal()] = rollbacks / secs;
                v[Metric.TPS.ordinal()] = (commits + rollbacks) / secs;
                v[Metric.ROLLBACK_RATIO.ordinal()] = ratio(rollbacks, commits + rollbacks);
                v[Metric.TUPLES_IN.ordinal()] = delta(prev, cur, Col.DB_TUP_IN) / secs;
                v[Metric.TUPLES_OUT.ordinal()] = delta(prev, cur, Col.DB_TUP_OUT) / secs;
                double reads = delta(prev, cur, Col.DB_BLKS_READ), hits = delta(prev, cur, Col.DB_BLKS_HIT);
                v[Metric.BLOCKS_READ.ordinal()] = reads / secs;
                v[Metric.BLOCKS_HIT.ordinal()] = hits / secs;
                v[Metric.CACHE_HIT_RATIO.ordinal()] = ratio(hits, hits + reads);
                v[Metric.TEMP_FILES.ordinal()] = delta(prev, cur, Col.DB_TEMP_FILES) / secs;
                v[Metric.TEMP_BYTES.ordinal()] = delta(prev, cur, Col.DB_TEMP_BYTES) / secs;
                v[Metric.DEADLOCKS.ordinal()] = delta(prev, cur, Col.DB_DEADLOCKS) / secs;
                perDatabase(prev, cur, secs, own, dbs);
            }
            if (usable(prev, cur, ResetGroup.CHECKPOINTER, reasons, "checkpointer statistics", Col.CKPT_COUNT, Col.CKPT_BUFFERS)) {
                v[Metric.CHECKPOINTS.ordinal()] = delta(prev, cur, Col.CKPT_COUNT) / secs * 60.0;
                v[Metric.CHECKPOINT_BUFFERS.ordinal()] = delta(prev, cur, Col.CKPT_BUFFERS) / secs;
            }
            if (usable(prev, cur, ResetGroup.WAL, reasons, "WAL statistics", Col.WAL_BYTES)) {
                v[Metric.WAL_BYTES.ordinal()] = delta(prev, cur, Col.WAL_BYTES) / secs;
            }
            if (usable(prev, cur, ResetGroup.IO, reasons, "I/O statistics", Col.IO_READ, Col.IO_WRITE)) {
                v[Metric.IO_READ_BYTES.ordinal()] = delta(prev, cur, Col.IO_READ) / secs;
                v[Metric.IO_WRITE_BYTES.ordinal()] = delta(prev, cur, Col.IO_WRITE) / secs;
            }
        }
        Sample.Status st = reasons.isEmpty() ? Sample.Status.OK : Sample.Status.GAP;
        return new Sample(cur.serverTimeMillis(), st, String.join("; ", reasons), v, cur.progressJson(), dbs);
    }

    /**
     * Per-database rates from the same two snapshots (the database reset group was already checked). A database
     * whose counters went down, or that is new, stays NaN for this interval (a gap). The console's own statements
     * are subtracted from the monitoring connection's database only.
     */
    private static void perDatabase(Snapshot prev, Snapshot cur, double secs, double own, java.util.Map<String, double[]> out) {
        for (var e : cur.perDatabase().entrySet()) {
            double[] b = e.getValue(), a = prev.perDatabase().get(e.getKey());
            if (a == null) continue;
            boolean ok = true;
            for (int i = 0; i < b.length; i++) if (Double.isNaN(a[i]) || Double.isNaN(b[i]) || b[i] < a[i]) { ok = false; break; }
            if (!ok) continue;
            double[] v = out.get(e.getKey());
            double commits = b[Snapshot.DbCol.COMMITS.ordinal()] - a[Snapshot.DbCol.COMMITS.ordinal()];
            if (e.getKey().equals(cur.ownDatabase())) {
                double raw = commits;
                commits = Math.max(0, raw - own - prev.dbOwnDebt);
                cur.dbOwnDebt = Math.max(0, own + prev.dbOwnDebt - raw);
            }
            double rollbacks = b[Snapshot.DbCol.ROLLBACKS.ordinal()] - a[Snapshot.DbCol.ROLLBACKS.ordinal()];
            double reads = b[Snapshot.DbCol.BLKS_READ.ordinal()] - a[Snapshot.DbCol.BLKS_READ.ordinal()];
            double hits = b[Snapshot.DbCol.BLKS_HIT.ordinal()] - a[Snapshot.DbCol.BLKS_HIT.ordinal()];
            v[Metric.COMMITS.ordinal()] = commits / secs;
            v[Metric.ROLLBACKS.ordinal()] = rollbacks / secs;
            v[Metric.TPS.ordinal()] = (commits + rollbacks) / secs;
            v[Metric.ROLLBACK_RATIO.ordinal()] = ratio(rollbacks, commits + rollbacks);
            v[Metric.TUPLES_IN.ordinal()] = (b[Snapshot.DbCol.TUP_IN.ordinal()] - a[Snapshot.DbCol.TUP_IN.ordinal()]) / secs;
            v[Metric.TUPLES_OUT.ordinal()] = (b[Snapshot.DbCol.TUP_OUT.ordinal()] - a[Snapshot.DbCol.TUP_OUT.ordinal()]) / secs;
            v[Metric.BLOCKS_READ.ordinal()] = reads / secs;
            v[Metric.BLOCKS_HIT.ordinal()] = hits / secs;
            v[Metric.CACHE_HIT_RATIO.ordinal()] = ratio(hits, hits + reads);
            v[Metric.TEMP_FILES.ordinal()] = (b[Snapshot.DbCol.TEMP_FILES.ordinal()] - a[Snapshot.DbCol.TEMP_FILES.ordinal()]) / secs;
            v[Metric.TEMP_BYTES.ordinal()] = (b[Snapshot.DbCol.TEMP_BYTES.ordinal()] - a[Snapshot.DbCol.TEMP_BYTES.ordinal()]) / secs;
            v[Metric.DEADLOCKS.ordinal()] = (b[Snapshot.DbCol.DEADLOCKS.ordinal()] - a[Snapshot.DbCol.DEADLOCKS.ordinal()]) / secs;
        }
    }

    private static void gauges(Snapshot s, double[] v) {
        v[Metric.SESSIONS_ACTIVE.ordinal()] = s.get(Col.S_ACTIVE);
        v[Metric.SESSIONS_IDLE.ordinal()] = s.get(Col.S_IDLE);
        v[Metric.SESSIONS_IDLE_IN_TX.ordinal()] = s.get(Col.S_IDLE_TX);
        v[Metric.SESSIONS_WAITING.ordinal()] = s.get(Col.S_WAITING);
        v[Metric.SESSIONS_TOTAL.ordinal()] = s.get(Col.S_TOTAL);
        v[Metric.MAX_CONNECTIONS.ordinal()] = s.get(Col.MAX_CONNECTIONS);
        v[Metric.LONGEST_XACT_AGE.ordinal()] = s.get(Col.XACT_AGE);
        v[Metric.LONGEST_QUERY_AGE.ordinal()] = s.get(Col.QUERY_AGE);
        v[Metric.AUTOVACUUM_WORKERS.ordinal()] = s.get(Col.AV_WORKERS);
        v[Metric.STANDBYS.ordinal()] = s.get(Col.STANDBYS);
        boolean standbys = s.get(Col.STANDBYS) > 0;
        v[Metric.REPLICATION_LAG_BYTES.ordinal()] = standbys ? s.get(Col.REP_LAG_BYTES) : Double.NaN;
        v[Metric.REPLICATION_LAG_S.ordinal()] = standbys ? s.get(Col.REP_LAG_S) : Double.NaN;
        v[Metric.XID_AGE.ordinal()] = s.get(Col.XID_AGE);
    }

    /** True when the group's counters exist in both snapshots, none went down and its reset time is unchanged. */
    private static boolean usable(Snapshot a, Snapshot b, ResetGroup g, List<String> reasons, String what, Col... cols) {
        for (Col c : cols) if (Double.isNaN(a.get(c)) || Double.isNaN(b.get(c))) return false;   // the server lacks it: hidden, not a gap
        if (!a.sameReset(b, g)) {
            reasons.add(what.contains("(") ? what.substring(0, what.indexOf(" (")) + " were reset or changed" : what + " were reset");
            return false;
        }
        for (Col c : cols) {
            if (b.get(c) < a.get(c)) {
                reasons.add(what + " went backwards");
                return false;
            }
        }
        return true;
    }

    private static double delta(Snapshot a, Snapshot b, Col c) { return b.get(c) - a.get(c); }

    private static double ratio(double part, double whole) { return whole > 0 ? 100.0 * part / whole : Double.NaN; }
}
