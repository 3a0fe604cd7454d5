package io.msyspg.console.core.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded per-database history of the rates {@code pg_stat_database} has per database ({@link #METRICS}), kept
 * beside the server-wide {@link StatsHistory} and appended from the same samples. One shared ring of times and,
 * per database (created on first sight, at most {@link #MAX_DATABASES}), one {@code float[]} per metric: rates
 * need no more precision, and 24 h at 1 s costs about 2.4 MB per database. NaN marks a gap or a time the database
 * did not exist. Thread-safe; readers get copies.
 */
public final class DatabaseHistory {
    public static final Metric[] METRICS = {Metric.TPS, Metric.COMMITS, Metric.ROLLBACKS, Metric.TUPLES_IN, Metric.TUPLES_OUT,
            Metric.BLOCKS_READ, Metric.BLOCKS_HIT};
    public static final int MAX_DATABASES = 64;

    private final int capacity;
    private final long[] times;
    private final Map<String, float[][]> byDb = new LinkedHashMap<>();
    private int head, size;

    public DatabaseHistory(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be at least 2");
        this.capacity = capacity;
        this.times = new long[capacity];
    }

    public synchronized void append(Sample s) {
        times[head] = s.serverTimeMillis();
        for (var e : s.databases().entrySet()) {
            if (!byDb.containsKey(e.getKey()) && byDb.size() < MAX_DATABASES) {
                float[][] a = new float[METRICS.length][capacity];
                for (float[] x : a) Arrays.fill(x, Float.NaN);
                byDb.put(e.getKey(), a);
            }
        }
        for (var e : byDb.entrySet()) {
            double[] v = s.databases().get(e.getKey());
            float[][] a = e.getValue();
            for (int k = 0; k < METRICS.length; k++) a[k][head] = v == null ? Float.NaN : (float) v[METRICS[k].ordinal()];
        }
        head = (head + 1) % capacity;
        if (size < capacity) size++;
    }

    /** Databases seen so far, in order of first sight. */
    public synchronized List<String> databases() { return List.copyOf(byDb.keySet()); }

    /** The samples at or after {@code fromMillis} for one database (all NaN when it was never seen). */
    public synchronized StatsHistory.Window window(String database, long fromMillis) {
        int first = size < capacity ? 0 : head;
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[(first + mid) % capacity] < fromMillis) lo = mid + 1; else hi = mid;
        }
        int n = size - lo;
        long[] t = new long[n];
        double[][] v = new double[METRICS.length][n];
        float[][] a = byDb.get(database);
        for (int i = 0; i < n; i++) {
            int p = (first + lo + i) % capacity;
            t[i] = times[p];
            for (int k = 0; k < METRICS.length; k++) v[k][i] = a == null ? Double.NaN : a[k][p];
        }
        return new StatsHistory.Window(t, METRICS.clone(), v, new byte[n]);
    }
}
