package io.msyspg.console.core.stats;

import java.util.Arrays;

/**
 * One computed tick: every {@link Metric} as a double (NaN = no value), with why values may be missing.
 * {@link Status#COLLECTING}: first tick, rates need a second one. {@link Status#GAP}: the interval was
 * dropped (a counter went down, a reset time or the postmaster start changed) — rates are NaN, never a
 * negative spike or a fake zero. {@link Status#ERROR}: the server could not be read (all NaN).
 * With {@link Status#OK} a NaN ratio means "n/a" (its denominator did not move).
 */
public record Sample(long serverTimeMillis, Status status, String reason, double[] values, String progressJson,
                     java.util.Map<String, double[]> databases) {
    public enum Status { COLLECTING, OK, GAP, ERROR }

    public Sample(long serverTimeMillis, Status status, String reason, double[] values, String progressJson) {
        this(serverTimeMillis, status, reason, values, progressJson, java.util.Map.of());
    }

    /**
     * The same figures for one database (only the {@link Metric#perDatabase()} metrics are filled; the others are
     * NaN), or null when the server has no such database. Rates follow the same gap rules as the server-wide ones.
     */
    public double[] database(String name) { return databases.get(name); }

    public double get(Metric m) { return values[m.ordinal()]; }

    public static Sample error(long timeMillis, String reason) {
        double[] v = new double[Metric.count()];
        Arrays.fill(v, Double.NaN);
        return new Sample(timeMillis, Status.ERROR, reason, v, "[]");
    }

    /** What a label shows for a metric: the value, "collecting", "gap", "n/a" or "error". */
    public String display(Metric m, java.util.function.DoubleFunction<String> format) {
        double v = get(m);
        if (!Double.isNaN(v)) return format.apply(v);
        if (status == Status.ERROR) return "error";
        if (m.kind() == Metric.Kind.GAUGE) return "n/a";
        return switch (status) {
            case COLLECTING -> "collecting";
            case GAP -> "gap";
            default -> "n/a";
        };
    }
}
