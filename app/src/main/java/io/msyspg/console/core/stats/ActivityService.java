package io.msyspg.console.core.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.stats.ActivityReport.LockRow;
import io.msyspg.console.core.stats.ActivityReport.SessionRow;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions (pg_stat_activity without the console's own monitoring backend), the blocking tree and the lock
 * summary, plus Cancel and Terminate. Locks are aggregated by the server (GROUP BY, top 200 groups): the
 * console never ships every pg_locks row.
 */
public final class ActivityService {
    private ActivityService() {}

    /** Query text is cut on the server to this many characters. */
    public static final int QUERY_CHARS = 2000;

    static final String SESSIONS_SQL = """
            SELECT pid, usename, datname, application_name, coalesce(client_addr::text, CASE WHEN client_port = -1 THEN 'local' END) AS client,
                   state, wait_event_type, wait_event,
                   extract(epoch FROM clock_timestamp() - xact_start)::float8 AS xact_age,
                   extract(epoch FROM clock_timestamp() - query_start)::float8 AS query_age,
                   backend_type, left(query, %d) AS query,
                   CASE WHEN ? AND wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END AS blocked_by
            FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND backend_type IN ('client backend', 'autovacuum worker', 'walsender')
            ORDER BY xact_start NULLS LAST, pid
            """.formatted(QUERY_CHARS);

    static final String LOCKS_SQL = """
            SELECT l.locktype, l.mode,
                   CASE WHEN l.relation IS NULL THEN NULL
                        WHEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) THEN l.relation::regclass::text
                        ELSE 'oid ' || l.relation::text END AS relation,
                   l.granted, count(*) AS n
            FROM pg_locks l
            WHERE l.pid IS DISTINCT FROM pg_backend_pid()
            GROUP BY 1, 2, 3, 4
            ORDER BY l.granted, n DESC
            LIMIT 200
            """;

    /** Reads sessions and locks; {@code lockWaits} tells whether to compute the blocking tree at all. */
    public static ActivityReport read(Connection c, boolean lockWaits) throws SQLException {
        List<SessionRow> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SESSIONS_SQL)) {
            ps.setBoolean(1, lockWaits);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Integer> blockers = List.of();
                    Array a = rs.getArray("blocked_by");
                    if (a != null) {
                        List<Integer> b = new ArrayList<>();
                        for (Object o : (Object[]) a.getArray()) b.add(((Number) o).intValue());
                        blockers = List.copyOf(b);
                    }
                    raw.add(new SessionRow(rs.getInt("pid"), rs.getString("usename"), rs.getString("datname"),
                            rs.getString("application_name"), rs.getString("client"), rs.getString("state"),
                            rs.getString("wait_event_type"), rs.getString("wait_event"), nanIfNull(rs, "xact_age"),
                            nanIfNull(rs, "query_age"), rs.getString("backend_type"), rs.getString("query"), blockers, 0));
                }
            }
        }
        List<LockRow> locks = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LOCKS_SQL)) {
            while (rs.next()) {
                locks.add(new LockRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5)));
            }
        }
        return new ActivityReport(System.currentTimeMillis(), treeOrder(raw), locks, lockWaits);
    }

    /** Reads sessions and locks on a pooled connection (for one-off use outside a sampler). */
    public static ActivityReport read(DbSession db) {
        try (Connection c = db.borrow()) {
            boolean waits;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                rs.next();
                waits = rs.getBoolean(1);
            }
            return read(c, waits);
        } catch (SQLException e) {
            throw new ConsoleException("Cannot read the sessions of " + db.target().display() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Orders sessions as a tree: each blocking session (not blocked itself) followed by the sessions it blocks,
     * depth-first; a blocked session goes under its first blocker. Sessions in a cycle are placed at the top.
     */
    public static List<SessionRow> treeOrder(List<SessionRow> rows) {
        Map<Integer, SessionRow> byPid = new LinkedHashMap<>();
        for (SessionRow r : rows) byPid.put(r.pid(), r);
        Map<Integer, List<SessionRow>> children = new HashMap<>();
        List<SessionRow> roots = new ArrayList<>();
        for (SessionRow r : rows) {
            Integer parent = r.blockedBy().stream().filter(byPid::containsKey).findFirst().orElse(null);
            if (parent == null) roots.add(r);
            else children.computeIfAbsent(parent, k -> new ArrayList<>()).add(r);
        }
        // blockers first, so the tree is at the top of the table
        roots.sort((a, b) -> Boolean.compare(!children.containsKey(a.pid()), !children.containsKey(b.pid())));
        List<SessionRow> out = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (SessionRow r : roots) walk(r, 0, children, out, seen);
        for (SessionRow r : rows) if (!seen.contains(r.pid())) walk(r, 0, children, out, seen);   // cycles
        return out;
    }

    private static void walk(SessionRow r, int depth, Map<Integer, List<SessionRow>> children, List<SessionRow> out, java.util.Set<Integer> seen) {
        if (!seen.add(r.pid())) return;
        out.add(new SessionRow(r.pid(), r.user(), r.database(), r.application(), r.client(), r.state(), r.waitEventType(),
                r.waitEvent(), r.xactAgeSeconds(), r.queryAgeSeconds(), r.backendType(), r.query(), r.blockedBy(), depth));
        for (SessionRow c : children.getOrDefault(r.pid(), List.of())) walk(c, depth + 1, children, out, seen);
    }

    /** pg_cancel_backend: stops the backend's current query. True when the signal was sent. */
    public static boolean cancel(DbSession db, int pid) {
        return signal(db, pid, "pg_cancel_backend", "cancel the query of");
    }

    /** pg_terminate_backend: ends the backend's session. True when the signal was sent. */
    public static boolean terminate(DbSession db, int pid) {
        return signal(db, pid, "pg_terminate_backend", "terminate");
    }

    private static boolean signal(DbSession db, int pid, String fn, String what) {
        try (Connection c = db.borrow(); PreparedStatement ps = c.prepareStatement("SELECT " + fn + "(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean ok = rs.getBoolean(1);
                if (!ok) throw new ConsoleException("Could not " + what + " backend " + pid + ": it no longer exists.");
                return true;
            }
        } catch (SQLException e) {
            throw new ConsoleException("Could not " + what + " backend " + pid + " on " + db.target().display() + ": " + e.getMessage(), e);
        }
    }

    private static double nanIfNull(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? Double.NaN : v;
    }
}
