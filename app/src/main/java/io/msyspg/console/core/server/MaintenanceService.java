package io.msyspg.console.core.server;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * VACUUM, ANALYZE and REINDEX of chosen tables as cancellable background jobs, with progress read from
 * {@code pg_stat_progress_vacuum}, {@code pg_stat_progress_analyze} (13+) and
 * {@code pg_stat_progress_create_index} on a second connection; and the "needs vacuum" list.
 */
public final class MaintenanceService {
    private final DbSession session;

    public MaintenanceService(DbSession session) {
        this.session = session;
    }

    public enum Kind { VACUUM, VACUUM_ANALYZE, VACUUM_FULL, ANALYZE, REINDEX, REINDEX_CONCURRENTLY }

    /** A table, schema-qualified. */
    public record TableRef(String schema, String name) {
        public String sql() { return ident(schema) + "." + ident(name); }
        @Override public String toString() { return schema + "." + name; }
    }

    static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** What a progress view shows for the running statement. */
    public record Progress(TableRef table, int index, int count, String phase, double fraction, String detail) {}

    /**
     * @param costDelayMs vacuum_cost_delay for the worker session (throttles I/O on a busy production server); 0: none
     */
    public record Options(int costDelayMs) {
        public static final Options NONE = new Options(0);
    }

    /** One "needs vacuum" row. */
    public record TableHealth(TableRef table, long liveTuples, long deadTuples, double deadRatio, long sizeBytes,
                              OffsetDateTime lastVacuum, OffsetDateTime lastAutovacuum, OffsetDateTime lastAnalyze,
                              OffsetDateTime lastAutoanalyze, long xidAge, boolean overThreshold, boolean nearFreeze) {}

    /**
     * One query: tables by dead tuples and transaction-ID age, with the autovacuum threshold each has (the
     * table's reloptions are ignored; the server-wide settings are used) and whether its xid age passes 80 % of
     * autovacuum_freeze_max_age. The biggest {@code limit} offenders first (a Momentum database has tens of
     * thousands of partitions).
     */
    public List<TableHealth> needsVacuum(int limit) throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, coalesce(s.n_live_tup, 0), coalesce(s.n_dead_tup, 0),
                       pg_table_size(c.oid), s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
                       age(c.relfrozenxid),
                       coalesce(s.n_dead_tup, 0) > current_setting('autovacuum_vacuum_threshold')::float8
                           + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0) AS over_threshold,
                       age(c.relfrozenxid) > 0.8 * current_setting('autovacuum_freeze_max_age')::float8 AS near_freeze
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
                 WHERE c.relkind IN ('r', 'm', 't') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'
                 ORDER BY (age(c.relfrozenxid) > 0.8 * current_setting('autovacuum_freeze_max_age')::float8) DESC,
                          coalesce(s.n_dead_tup, 0) DESC, age(c.relfrozenxid) DESC
                 LIMIT ?""";
        List<TableHealth> out = new ArrayList<>();
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long live = rs.getLong(3), dead = rs.getLong(4);
                    out.add(new TableHealth(new TableRef(rs.getString(1), rs.getString(2)), live, dead,
                            live + dead == 0 ? 0 : (double) dead / (live + dead), rs.getLong(5),
                            rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                            rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                            rs.getLong(10), rs.getBoolean(11), rs.getBoolean(12)));
                }
            }
        }
        return out;
    }

    static String statement(Kind kind, TableRef t) {
        return switch (kind) {
            case VACUUM -> "VACUUM " + t.sql();
            case VACUUM_ANALYZE -> "VACUUM (ANALYZE) " + t.sql();
            case VACUUM_FULL -> "VACUUM (FULL) " + t.sql();
            case ANALYZE -> "ANALYZE " + t.sql();
            case REINDEX -> "REINDEX TABLE " + t.sql();
            case REINDEX_CONCURRENTLY -> "REINDEX TABLE CONCURRENTLY " + t.sql();
        };
    }

    /**
     * Runs {@code kind} on each table in turn on a pooled connection; a second connection samples the progress
     * view for that backend every {@code pollMillis}. Cancelling the job cancels the running statement
     * (a cancel request to the server: the same as pg_cancel_backend of the worker).
     *
     * @return the statements that completed
     */
    public List<String> run(Kind kind, List<TableRef> tables, Options options, JobContext ctx, Consumer<Progress> progress,
                            long pollMillis) throws SQLException {
        if (tables.isEmpty()) throw new ConsoleException("No table selected for " + kind.name().replace('_', ' ') + ".");
        List<String> done = new ArrayList<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "maintenance-progress");
            t.setDaemon(true);
            return t;
        });
        try (Connection worker = session.borrow(); Connection watcher = session.borrow()) {
            worker.setAutoCommit(true);
            int pid;
            try (Statement st = worker.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            if (options.costDelayMs() > 0) {
                try (Statement st = worker.createStatement()) {
                    st.execute("SET vacuum_cost_delay = " + options.costDelayMs());
                }
            }
            for (int i = 0; i < tables.size(); i++) {
                ctx.checkCancelled();
                TableRef t = tables.get(i);
                String sql = statement(kind, t);
                final int index = i;
                ctx.message(sql);
                ctx.progress(i, tables.size());
                var poll = poller.scheduleWithFixedDelay(() -> {
                    Progress p = sample(watcher, kind, pid, t, index, tables.size());
                    if (p != null) {
                        ctx.progress(index + p.fraction(), tables.size());
                        ctx.message(sql + ": " + p.phase() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")"));
                        progress.accept(p);
                    }
                }, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
                try (Statement st = worker.createStatement()) {
                    ctx.onCancel(() -> {
                        try {
                            st.cancel();
                        } catch (SQLException ignored) {
                            // the statement ended meanwhile
                        }
                    });
                    st.execute(sql);
                    done.add(sql);
                } catch (PSQLException e) {
                    if (ctx.isCancelled() || "57014".equals(e.getSQLState())) throw new JobCancelledException();
                    String msg = e.getServerErrorMessage() != null ? e.getServerErrorMessage().getMessage() : e.getMessage();
                    throw new ConsoleException(sql + " failed: " + msg, e);
                } finally {
                    poll.cancel(false);
                }
                progress.accept(new Progress(t, i, tables.size(), "done", 1, ""));
            }
            ctx.progress(tables.size(), tables.size());
        } finally {
            poller.shutdownNow();
        }
        return done;
    }

    /** One sample of the progress view for {@code pid}, or null when it shows nothing (yet). */
    static Progress sample(Connection c, Kind kind, int pid, TableRef t, int index, int count) {
        String sql = switch (kind) {
            case VACUUM, VACUUM_ANALYZE -> "SELECT phase, heap_blks_total, heap_blks_scanned, heap_blks_vacuumed, index_vacuum_count FROM pg_stat_progress_vacuum WHERE pid = ?";
            case VACUUM_FULL -> "SELECT phase, heap_blks_total, heap_blks_scanned, heap_blks_scanned, 0 FROM pg_stat_progress_cluster WHERE pid = ?";
            case ANALYZE -> "SELECT phase, sample_blks_total, sample_blks_scanned, sample_blks_scanned, 0 FROM pg_stat_progress_analyze WHERE pid = ?";
            case REINDEX, REINDEX_CONCURRENTLY -> "SELECT phase, blocks_total, blocks_done, blocks_done, tuples_done FROM pg_stat_progress_create_index WHERE pid = ?";
        };
        try {
            synchronized (c) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, pid);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            if (kind == Kind.VACUUM_ANALYZE) return sample(c, Kind.ANALYZE, pid, t, index, count);
                            return null;
                        }
                        String phase = rs.getString(1);
                        long total = rs.getLong(2), scanned = rs.getLong(3), vacuumed = rs.getLong(4);
                        double f = total <= 0 ? 0 : (phase.contains("vacuuming heap") ? vacuumed : scanned) / (double) total;
                        String detail = total > 0 ? (phase.contains("vacuuming heap") ? vacuumed : scanned) + " of " + total + " blocks" : "";
                        return new Progress(t, index, count, phase, Math.min(1, f), detail);
                    }
                }
            }
        } catch (SQLException e) {
            return null;   // pg_stat_progress_analyze is 13+; a failed sample is not the job's failure
        }
    }
}
