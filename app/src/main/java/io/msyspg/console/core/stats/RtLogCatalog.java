package io.msyspg.console.core.stats;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Discovers Momentum's statistics tables at run time: every table, partitioned parent, view or
 * materialised view in a schema whose name starts with {@code rt_log} that has a time column
 * (timestamptz, timestamp or date) and at least one numeric column is chartable. Partitions and
 * inheritance children are skipped on the server (their parent is charted), so tens of thousands of
 * daily partitions cost nothing. Text columns become filters. Nothing here knows a particular layout:
 * {@link RtLogPreset} only recognises one by column names.
 */
public final class RtLogCatalog {
    private RtLogCatalog() {}

    public record Column(String name, String type, Kind kind) {
        public enum Kind { TIME, NUMBER, TEXT, OTHER }
    }

    /** A chartable relation with its time column, numeric counters and text filter columns. */
    public record Table(String schema, String name, String relkind, List<Column> columns, String timeColumn,
                        List<String> counters, List<String> filters) {
        public String qualified() { return schema + "." + name; }
        public boolean partitioned() { return "p".equals(relkind); }
        @Override public String toString() { return qualified() + (partitioned() ? " (partitioned)" : ""); }
        public boolean hasColumn(String c) { return columns.stream().anyMatch(x -> x.name().equals(c)); }
    }

    static final String SQL = """
            SELECT n.nspname, c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
                   t.typname, t.typcategory
            FROM pg_namespace n
            JOIN pg_class c ON c.relnamespace = n.oid
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE n.nspname LIKE 'rt\\_log%' AND c.relkind IN ('r', 'p', 'v', 'm')
              AND NOT c.relispartition
              AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
              AND has_table_privilege(c.oid, 'SELECT')
            ORDER BY n.nspname, c.relname, a.attnum
            """;

    private static final Set<String> TIME_TYPES = Set.of("timestamptz", "timestamp", "date");
    private static final List<String> PREFERRED_TIME = List.of("ts", "time", "timestamp", "bucket", "period_start", "start_time");

    /** The chartable tables of every rt_log* schema (empty when there is none). */
    public static List<Table> discover(Connection c) throws SQLException {
        Map<String, List<Column>> cols = new LinkedHashMap<>();
        Map<String, String[]> rel = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
            while (rs.next()) {
                String key = rs.getString(1) + "\u0000" + rs.getString(2);
                rel.putIfAbsent(key, new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                String typname = rs.getString(6);
                String cat = rs.getString(7);
                Column.Kind kind;
                if (TIME_TYPES.contains(typname)) kind = Column.Kind.TIME;
                else if ("N".equals(cat) && !typname.startsWith("reg") && !typname.equals("oid")) kind = Column.Kind.NUMBER;
                else if ("S".equals(cat)) kind = Column.Kind.TEXT;
                else kind = Column.Kind.OTHER;
                cols.computeIfAbsent(key, k -> new ArrayList<>()).add(new Column(rs.getString(4), rs.getString(5), kind));
            }
        }
        List<Table> out = new ArrayList<>();
        for (var e : rel.entrySet()) {
            List<Column> cs = cols.get(e.getKey());
            List<String> times = cs.stream().filter(x -> x.kind() == Column.Kind.TIME).map(Column::name).toList();
            List<String> nums = cs.stream().filter(x -> x.kind() == Column.Kind.NUMBER).map(Column::name)
                    .filter(n -> !n.equalsIgnoreCase("id")).toList();
            if (times.isEmpty() || nums.isEmpty()) continue;
            String time = times.stream().filter(t -> PREFERRED_TIME.contains(t.toLowerCase(Locale.ROOT))).findFirst().orElse(times.get(0));
            List<String> texts = cs.stream().filter(x -> x.kind() == Column.Kind.TEXT).map(Column::name).toList();
            String[] r = e.getValue();
            out.add(new Table(r[0], r[1], r[2], List.copyOf(cs), time, nums, texts));
        }
        return out;
    }
}
