package io.msyspg.console.core.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * What to chart from a discovered table. A series is the sum of one or more counter columns, optionally
 * divided by the sum of another (an average: delivery time = delivery_time_ms_sum / delivered).
 * The default preset recognises the Momentum demo layout BY COLUMN NAMES; any other layout gets one series
 * per numeric column.
 */
public final class RtLogPreset {
    private RtLogPreset() {}

    public record Series(String label, List<String> sumOf, String dividedBy, String unit) {
        public Series {
            if (sumOf == null || sumOf.isEmpty()) throw new IllegalArgumentException("a series needs at least one column");
            sumOf = List.copyOf(sumOf);
        }

        public static Series of(String column) { return new Series(column, List.of(column), null, "count"); }

        public boolean average() { return dividedBy != null; }
    }

    /** The series offered for a table (all of them; {@link #defaults} are pre-selected). */
    public static List<Series> offered(RtLogCatalog.Table t) {
        List<Series> out = new ArrayList<>();
        if (isMomentumLayout(t)) {
            add(out, t, new Series("deliveries", List.of("delivered"), null, "count"));
            add(out, t, new Series("received", List.of("received"), null, "count"));
            add(out, t, new Series("bounces", List.of("inband_bounces", "outofband_bounces"), null, "count"));
            add(out, t, new Series("in-band bounces", List.of("inband_bounces"), null, "count"));
            add(out, t, new Series("out-of-band bounces", List.of("outofband_bounces"), null, "count"));
            add(out, t, new Series("transient failures", List.of("transient_failures"), null, "count"));
            add(out, t, new Series("permanent failures", List.of("permanent_failures"), null, "count"));
            add(out, t, new Series("rejections", List.of("rejections"), null, "count"));
            if (t.hasColumn("delivery_time_ms_sum") && t.hasColumn("delivered"))
                out.add(new Series("avg delivery time (ms)", List.of("delivery_time_ms_sum"), "delivered", "ms"));
        }
        for (String c : t.counters()) {
            if (out.stream().noneMatch(s -> s.sumOf().size() == 1 && s.sumOf().get(0).equals(c) && !s.average()))
                out.add(Series.of(c));
        }
        return out;
    }

    /** The pre-selected series: the Momentum web console's report for the demo layout, else the first six columns. */
    public static List<Series> defaults(RtLogCatalog.Table t) {
        List<Series> all = offered(t);
        if (isMomentumLayout(t)) {
            return all.stream().filter(s -> List.of("deliveries", "bounces", "transient failures", "permanent failures",
                    "rejections", "avg delivery time (ms)").contains(s.label())).toList();
        }
        return all.subList(0, Math.min(6, all.size()));
    }

    /** The filter column pre-selected ("domain" when there is one). */
    public static String defaultFilter(RtLogCatalog.Table t) {
        return t.filters().contains("domain") ? "domain" : t.filters().isEmpty() ? null : t.filters().get(0);
    }

    public static boolean isMomentumLayout(RtLogCatalog.Table t) {
        return t.hasColumn("delivered") && t.hasColumn("received") && t.hasColumn("rejections");
    }

    /** Prefers the minute table for short windows and the hour table for long ones, when both exist. */
    public static RtLogCatalog.Table preferredTable(List<RtLogCatalog.Table> tables, RtLogQuery.Window w) {
        if (tables.isEmpty()) return null;
        String want = w.seconds() <= 86_400 ? "minute" : "hour";
        for (RtLogCatalog.Table t : tables) if (isMomentumLayout(t) && t.name().contains(want)) return t;
        for (RtLogCatalog.Table t : tables) if (isMomentumLayout(t)) return t;
        return tables.get(0);
    }

    private static void add(List<Series> out, RtLogCatalog.Table t, Series s) {
        if (s.sumOf().stream().allMatch(t::hasColumn)) out.add(s);
    }
}
