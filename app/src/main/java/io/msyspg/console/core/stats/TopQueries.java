package io.msyspg.console.core.stats;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Top statements from {@code pg_stat_statements}, as RATES over a window, not totals since the last reset.
 * Each reading runs {@code pg_stat_statements(showtext := false)} (cheap: no query texts) and keeps, per
 * interval, only the deltas of the entries that were called; the texts are fetched once per new queryid and
 * cached. Version-aware by the extension's own columns ({@code total_time} before 1.8 / PostgreSQL 13,
 * {@code total_exec_time} after; {@code toplevel} from 14; {@code stats_since} from 17) and by
 * {@code pg_stat_statements_info} (14+: a changed {@code stats_reset} drops the whole interval).
 * An entry whose counters went down (a reset of that entry, or an eviction and re-creation) is dropped for the
 * interval: a gap, never a negative rate. An entry that is new since the previous reading counts from zero (it
 * was created inside the interval). Not thread-safe: the sampler thread owns it.
 */
public final class TopQueries {
    /** Whether the extension can be read, and when not, exactly what to do. */
    public record Availability(boolean available, String title, String hint) {
        static Availability ok() { return new Availability(true, "", ""); }
    }

    /** One statement's rates over the window (time in milliseconds). */
    public record Row(long queryId, String database, String user, boolean toplevel, String query,
                      double calls, double callsPerSec, double timeMsPerSec, double meanMs, double rowsPerSec,
                      double sharedHitPerSec, double sharedReadPerSec) {}

    /** The window's top statements; {@code coveredSeconds} is the time the rates are over, gaps excluded. */
    public record Result(Availability availability, List<Row> rows, double coveredSeconds, int gaps) {}

    private record Key(long userId, long dbId, long queryId, boolean toplevel) {}

    /** Cumulative counters of one entry: calls, total time (ms), rows, shared hit, shared read. */
    private record Entry(double[] c, String statsSince, String database, String user) {}

    private record Interval(long t0, long t1, boolean gap, Map<Key, double[]> deltas, Map<Key, String[]> names) {}

    private static final int CALLS = 0, TIME = 1, ROWS = 2, HIT = 3, READ = 4;
    static final int MAX_TEXT = 4000;
    static final int MAX_TEXTS = 20_000;
    private static final long MAX_DELTA_ENTRIES = 400_000;

    private final int maxIntervals;
    private final ArrayDeque<Interval> intervals = new ArrayDeque<>();
    private long deltaEntries;
    private final Map<Long, String> texts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Long, String> e) { return size() > MAX_TEXTS; }
    };
    private volatile Availability availability = new Availability(false, "Checking for pg_stat_statements…", "");
    private String schema;
    private String timeColumn;
    private boolean hasToplevel, hasStatsSince, hasInfo;
    private Map<Key, Entry> prev;
    private long prevTime;
    private String prevReset;
    private long textsFetched;
    private long statements;
    private final Map<Long, String> dbNames = new HashMap<>(), userNames = new HashMap<>();
    private PreparedStatement prepared;
    private Connection preparedOn;
    private String preparedSql;

    public TopQueries(int maxIntervals) {
        this.maxIntervals = Math.max(2, maxIntervals);
    }

    public Availability availability() { return availability; }

    /** Server time of the last reading (epoch ms), or Long.MIN_VALUE before the first. */
    public synchronized long lastReadingMillis() { return prev == null ? Long.MIN_VALUE : prevTime; }

    /** How many query texts were fetched so far (tests: each queryid once). */
    public long textsFetched() { return textsFetched; }

    /** Statements run so far (each is a transaction of the console's own, subtracted from the TPS). */
    public synchronized long statements() { return statements; }

    /**
     * Looks for the extension in the connected database and reads its columns. Call again to re-check (the admin
     * may install it while the console runs).
     */
    public synchronized Availability detect(Connection c) throws SQLException {
        String nsp, preload, db;
        statements++;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                        + " WHERE e.extname = 'pg_stat_statements') AS nsp,"
                        + " current_setting('shared_preload_libraries') AS preload, current_database() AS db")) {
            rs.next();
            nsp = rs.getString(1);
            preload = rs.getString(2);
            db = rs.getString(3);
        }
        boolean preloaded = preload != null && preload.toLowerCase(Locale.ROOT).contains("pg_stat_statements");
        if (!preloaded) {
            schema = null;
            prev = null;
            return availability = new Availability(false, "pg_stat_statements is not loaded on this server",
                    "Add it to shared_preload_libraries (in postgresql.conf, or ALTER SYSTEM SET shared_preload_libraries = "
                            + "'pg_stat_statements' — keep any libraries already listed: " + (preload == null || preload.isBlank() ? "none now" : preload)
                            + "), RESTART the server, then run CREATE EXTENSION pg_stat_statements; in database \"" + db
                            + "\" as a superuser. Top queries appear here a few seconds later.");
        }
        if (nsp == null) {
            schema = null;
            prev = null;
            return availability = new Availability(false, "pg_stat_statements is loaded but not installed in \"" + db + "\"",
                    "Run CREATE EXTENSION pg_stat_statements; in database \"" + db + "\" as a superuser (no restart needed)."
                            + " Top queries appear here a few seconds later.");
        }
        Set<String> cols = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = "
                + "(quote_ident(?) || '.pg_stat_statements')::regclass AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, nsp);
            statements++;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) cols.add(rs.getString(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(quote_ident(?) || '.pg_stat_statements_info') IS NOT NULL")) {
            ps.setString(1, nsp);
            statements++;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                hasInfo = rs.getBoolean(1);
            }
        }
        timeColumn = cols.contains("total_exec_time") ? "total_exec_time" : cols.contains("total_time") ? "total_time" : null;
        if (timeColumn == null || !cols.contains("queryid")) {
            schema = null;
            return availability = new Availability(false, "This pg_stat_statements version is not supported",
                    "Update it: ALTER EXTENSION pg_stat_statements UPDATE; in database \"" + db + "\".");
        }
        hasToplevel = cols.contains("toplevel");
        hasStatsSince = cols.contains("stats_since");
        if (!nsp.equals(schema)) prev = null;
        schema = nsp;
        return availability = Availability.ok();
    }

    private String q(String ident) { return "\"" + ident.replace("\"", "\"\"") + "\""; }

    /** One reading: appends an interval of deltas (or a gap) against the previous reading. */
    public synchronized void sample(Connection c) throws SQLException {
        if (schema == null) return;
        long now;
        String reset = null;
        statements++;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8"
                + (hasInfo ? ", (SELECT stats_reset::text FROM " + q(schema) + ".pg_stat_statements_info)" : ", NULL::text"))) {
            rs.next();
            now = rs.getLong(1);
            reset = rs.getString(2);
        }
        Map<Key, Entry> cur = new HashMap<>();
        String sql = "SELECT s.userid::int8, s.dbid::int8, s.queryid, " + (hasToplevel ? "s.toplevel" : "true")
                + ", s.calls::float8, s." + timeColumn + "::float8, s.rows::float8, s.shared_blks_hit::float8, s.shared_blks_read::float8, "
                + (hasStatsSince ? "s.stats_since::text" : "NULL::text")
                + " FROM " + q(schema) + ".pg_stat_statements(false) s WHERE s.queryid IS NOT NULL";
        if (c != preparedOn || !sql.equals(preparedSql)) {
            // prepared on the server once per connection: the reading is parsed and planned once
            if (prepared != null) try { prepared.close(); } catch (SQLException ignored) { /* old connection */ }
            prepared = c.prepareStatement(sql);
            if (prepared.isWrapperFor(org.postgresql.PGStatement.class)) prepared.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
            preparedOn = c;
            preparedSql = sql;
        }
        statements++;
        boolean unknownNames = false;
        try (ResultSet rs = prepared.executeQuery()) {
            while (rs.next()) {
                Key k = new Key(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4));
                double[] v = {rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9)};
                String dbName = dbNames.get(k.dbId()), user = userNames.get(k.userId());
                if (dbName == null || user == null) unknownNames = true;
                cur.put(k, new Entry(v, rs.getString(10), dbName, user));
            }
        }
        if (unknownNames) {
            // database and role names by oid, read again only when an oid is new (not joined into every reading)
            readNames(c);
            Map<Key, Entry> named = new HashMap<>(cur.size() * 2);
            for (var e : cur.entrySet()) {
                Entry x = e.getValue();
                named.put(e.getKey(), new Entry(x.c(), x.statsSince(), dbNames.getOrDefault(e.getKey().dbId(), "oid " + e.getKey().dbId()),
                        userNames.getOrDefault(e.getKey().userId(), "oid " + e.getKey().userId())));
            }
            cur = named;
        }
        if (prev != null && now > prevTime) {
            boolean gap = hasInfo && prevReset != null && !prevReset.equals(reset);
            Map<Key, double[]> deltas = new HashMap<>();
            Map<Key, String[]> names = new HashMap<>();
            if (!gap) {
                for (var e : cur.entrySet()) {
                    Entry was = prev.get(e.getKey());
                    double[] b = e.getValue().c();
                    double[] d = new double[5];
                    if (was == null) {
                        System.arraycopy(b, 0, d, 0, 5);   // created inside the interval: everything it counted is new
                    } else {
                        if (hasStatsSince && !java.util.Objects.equals(was.statsSince(), e.getValue().statsSince())) continue;
                        boolean down = false;
                        for (int i = 0; i < 5; i++) {
                            d[i] = b[i] - was.c()[i];
                            if (d[i] < 0) down = true;
                        }
                        if (down) continue;   // reset or re-created: drop this entry's interval
                    }
                    if (d[CALLS] <= 0) continue;
                    deltas.put(e.getKey(), d);
                    names.put(e.getKey(), new String[]{e.getValue().database(), e.getValue().user()});
                }
            }
            add(new Interval(prevTime, now, gap, deltas, names));
            fetchTexts(c, deltas.keySet());
        }
        prev = cur;
        prevTime = now;
        prevReset = reset;
    }

    private void readNames(Connection c) throws SQLException {
        statements++;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT 'd', oid::int8, datname FROM pg_database UNION ALL SELECT 'r', oid::int8, rolname FROM pg_roles")) {
            while (rs.next()) (rs.getString(1).equals("d") ? dbNames : userNames).put(rs.getLong(2), rs.getString(3));
        }
    }

    private void add(Interval iv) {
        intervals.addLast(iv);
        deltaEntries += iv.deltas().size();
        while (intervals.size() > maxIntervals || deltaEntries > MAX_DELTA_ENTRIES && intervals.size() > 1) {
            deltaEntries -= intervals.removeFirst().deltas().size();
        }
    }

    private void fetchTexts(Connection c, Set<Key> keys) throws SQLException {
        List<Long> missing = new ArrayList<>();
        for (Key k : keys) if (!texts.containsKey(k.queryId()) && !missing.contains(k.queryId())) missing.add(k.queryId());
        if (missing.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (queryid) queryid, left(query, " + MAX_TEXT + ") FROM "
                + q(schema) + ".pg_stat_statements(true) WHERE queryid = ANY(?)")) {
            Array a = c.createArrayOf("int8", missing.toArray());
            ps.setArray(1, a);
            statements++;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) texts.put(rs.getLong(1), rs.getString(2));
            }
        }
        textsFetched += missing.size();
        for (Long id : missing) texts.putIfAbsent(id, "(text not available: evicted, or no privilege — grant pg_read_all_stats)");
    }

    /** Top {@code n} statements by total time over the intervals ending after {@code fromMillis}; {@code database} null = all. */
    public synchronized Result top(long fromMillis, int n, String database) {
        Availability a = availability;
        if (!a.available()) return new Result(a, List.of(), 0, 0);
        Map<Key, double[]> sum = new HashMap<>();
        Map<Key, String[]> names = new HashMap<>();
        double covered = 0;
        int gaps = 0;
        for (Interval iv : intervals) {
            if (iv.t1() <= fromMillis) continue;
            if (iv.gap()) { gaps++; continue; }
            covered += (iv.t1() - iv.t0()) / 1000.0;
            for (var e : iv.deltas().entrySet()) {
                String[] nm = iv.names().get(e.getKey());
                if (database != null && !database.equals(nm[0])) continue;
                double[] s = sum.computeIfAbsent(e.getKey(), k -> new double[5]);
                for (int i = 0; i < 5; i++) s[i] += e.getValue()[i];
                names.put(e.getKey(), nm);
            }
        }
        if (covered <= 0) return new Result(a, List.of(), 0, gaps);
        final double secs = covered;
        List<Row> rows = new ArrayList<>();
        sum.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<Key, double[]> e) -> -e.getValue()[TIME])).limit(n).forEach(e -> {
            double[] s = e.getValue();
            Key k = e.getKey();
            String[] nm = names.get(k);
            rows.add(new Row(k.queryId(), nm[0], nm[1], k.toplevel(), texts.getOrDefault(k.queryId(), ""),
                    s[CALLS], s[CALLS] / secs, s[TIME] / secs, s[CALLS] > 0 ? s[TIME] / s[CALLS] : Double.NaN,
                    s[ROWS] / secs, s[HIT] / secs, s[READ] / secs));
        });
        return new Result(a, rows, secs, gaps);
    }
}
