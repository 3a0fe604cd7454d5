package io.msyspg.console.core.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Aggregates a discovered rt_log table on the server, bucketed by time ({@code date_bin} on 14+, epoch
 * arithmetic before): one row per bucket, one column per series. Identifiers are quoted and checked
 * against the discovered catalog, values are bound. Buckets without rows are absent (the chart shows a gap).
 */
public final class RtLogQuery {
    private RtLogQuery() {}

    /** The windows the user picks from, each with a bucket size that keeps a few hundred points. */
    public enum Window {
        LAST_HOUR("last hour", 3_600, 60),
        LAST_DAY("last day", 86_400, 300),
        LAST_WEEK("last week", 7 * 86_400L, 3_600),
        LAST_MONTH("last month", 30 * 86_400L, 6 * 3_600),
        TWO_YEARS("two years", 730 * 86_400L, 86_400);

        private final String label;
        private final long seconds;
        private final long bucketSeconds;

        Window(String label, long seconds, long bucketSeconds) {
            this.label = label;
            this.seconds = seconds;
            this.bucketSeconds = bucketSeconds;
        }

        public long seconds() { return seconds; }
        public long bucketSeconds() { return bucketSeconds; }
        @Override public String toString() { return label; }
    }

    public record Spec(RtLogCatalog.Table table, List<RtLogPreset.Series> series, Map<String, String> filters,
                       Instant from, Instant to, long bucketSeconds) {
        public Spec {
            filters = filters == null ? Map.of() : Map.copyOf(filters);
            series = List.copyOf(series);
        }
    }

    /** Buckets (start, epoch ms) and one value per series (NaN when an average has no denominator). */
    public record Result(Spec spec, long[] buckets, double[][] values) {
        public int rows() { return buckets.length; }

        public double total(int series) {
            double t = 0;
            for (double v : values[series]) if (!Double.isNaN(v)) t += v;
            return t;
        }

        /** CSV of what is shown: bucket start (ISO-8601 UTC), then one column per series. */
        public void writeCsv(Writer w) throws IOException {
            w.write("bucket_start");
            for (RtLogPreset.Series s : spec.series()) w.write("," + csv(s.label()));
            w.write("\n");
            for (int i = 0; i < buckets.length; i++) {
                w.write(Instant.ofEpochMilli(buckets[i]).toString());
                for (double[] col : values) {
                    w.write(",");
                    double v = col[i];
                    if (!Double.isNaN(v)) w.write(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v));
                }
                w.write("\n");
            }
        }

        private static String csv(String s) {
            return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }

    public static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    /** The SQL for a spec on a server of the given major (exposed for tests and docs). */
    public static String sql(Spec spec, int major) {
        RtLogCatalog.Table t = spec.table();
        for (RtLogPreset.Series s : spec.series()) {
            for (String c : s.sumOf()) requireColumn(t, c);
            if (s.dividedBy() != null) requireColumn(t, s.dividedBy());
        }
        for (String f : spec.filters().keySet()) requireColumn(t, f);
        String time = quote(t.timeColumn()) + "::timestamptz";
        String bucket = major >= 14
                ? "date_bin(make_interval(secs => ?), " + time + ", TIMESTAMPTZ '2000-01-01 00:00:00+00')"
                : "to_timestamp(floor(extract(epoch FROM " + time + ") / ?) * ?)";
        StringBuilder sb = new StringBuilder("SELECT ").append(bucket).append(" AS bucket");
        for (RtLogPreset.Series s : spec.series()) {
            StringBuilder sum = new StringBuilder();
            for (String c : s.sumOf()) {
                if (!sum.isEmpty()) sum.append(" + ");
                sum.append("coalesce(sum(").append(quote(c)).append("), 0)");
            }
            if (s.dividedBy() != null) sb.append(", (").append(sum).append(")::float8 / nullif(sum(").append(quote(s.dividedBy())).append("), 0)");
            else sb.append(", (").append(sum).append(")::float8");
        }
        sb.append(" FROM ").append(quote(t.schema())).append('.').append(quote(t.name()))
                .append(" WHERE ").append(quote(t.timeColumn())).append(" >= ? AND ").append(quote(t.timeColumn())).append(" < ?");
        for (String f : spec.filters().keySet()) sb.append(" AND ").append(quote(f)).append(" = ?");
        sb.append(" GROUP BY 1 ORDER BY 1");
        return sb.toString();
    }

    public static Result run(Connection c, Spec spec, int major, JobContext ctx) throws SQLException {
        String sql = sql(spec, major);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (ctx != null) ctx.onCancel(() -> { try { ps.cancel(); } catch (SQLException ignored) { /* done already */ } });
            int i = 1;
            ps.setDouble(i++, spec.bucketSeconds());
            if (major < 14) ps.setDouble(i++, spec.bucketSeconds());
            ps.setTimestamp(i++, Timestamp.from(spec.from()));
            ps.setTimestamp(i++, Timestamp.from(spec.to()));
            for (String v : spec.filters().values()) ps.setString(i++, v);
            List<Long> b = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            int n = spec.series().size();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.add(rs.getTimestamp(1).getTime());
                    double[] r = new double[n];
                    for (int k = 0; k < n; k++) {
                        double v = rs.getDouble(k + 2);
                        r[k] = rs.wasNull() ? Double.NaN : v;
                    }
                    rows.add(r);
                }
            }
            long[] buckets = b.stream().mapToLong(Long::longValue).toArray();
            double[][] values = new double[n][buckets.length];
            for (int r = 0; r < rows.size(); r++) for (int k = 0; k < n; k++) values[k][r] = rows.get(r)[k];
            return new Result(spec, buckets, values);
        }
    }

    /** The server's clock (windows end "now" on the server, not on this machine). */
    public static Instant serverNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** Up to 200 distinct values of a text column seen in the last day (for the filter's drop-down). */
    public static List<String> recentValues(Connection c, RtLogCatalog.Table t, String column) throws SQLException {
        requireColumn(t, column);
        String sql = "SELECT DISTINCT " + quote(column) + " FROM " + quote(t.schema()) + "." + quote(t.name())
                + " WHERE " + quote(t.timeColumn()) + " >= now() - interval '1 day' AND " + quote(column)
                + " IS NOT NULL ORDER BY 1 LIMIT 200";
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void requireColumn(RtLogCatalog.Table t, String c) {
        if (!t.hasColumn(c)) throw new ConsoleException("Table " + t.qualified() + " has no column '" + c + "'.");
    }
}
