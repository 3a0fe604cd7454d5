package io.msyspg.console.core.stats;

import java.util.Arrays;

/**
 * Bounded history of samples in primitive ring buffers: one {@code long[]} of server times, one
 * {@code double[]} per metric, one status byte per sample. NaN marks a gap. Memory is fixed at creation:
 * {@code capacity * (8 + 8 * metrics + 1)} bytes (24 h at 1 s ≈ 23 MB for every metric). Thread-safe; readers
 * copy a window out under the lock and work on the copy.
 */
public final class StatsHistory {
    private final int capacity;
    private final long[] times;
    private final double[][] values;
    private final byte[] status;
    private int head;   // index of the next write
    private int size;
    private long version;

    public StatsHistory(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be at least 2");
        this.capacity = capacity;
        this.times = new long[capacity];
        this.values = new double[Metric.count()][capacity];
        this.status = new byte[capacity];
    }

    public int capacity() { return capacity; }

    public synchronized int size() { return size; }

    /** Increases with every append (views use it to skip redraws when nothing changed). */
    public synchronized long version() { return version; }

    public synchronized void append(Sample s) {
        times[head] = s.serverTimeMillis();
        for (int m = 0; m < values.length; m++) values[m][head] = s.values()[m];
        status[head] = (byte) s.status().ordinal();
        head = (head + 1) % capacity;
        if (size < capacity) size++;
        version++;
    }

    /** Bytes held by the buffers (for the memory figure). */
    public long bytes() {
        return (long) capacity * (8L + 8L * values.length + 1L);
    }

    /** A copy of the samples at or after {@code fromMillis}, oldest first, for the chosen metrics. */
    public synchronized Window window(long fromMillis, Metric... metrics) {
        int start = 0;
        // binary search on the logical order (times are non-decreasing except across restarts: accept that)
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[physical(mid)] < fromMillis) lo = mid + 1; else hi = mid;
        }
        start = lo;
        int n = size - start;
        long[] t = new long[n];
        double[][] v = new double[metrics.length][n];
        byte[] st = new byte[n];
        copy(times, start, n, t);
        for (int k = 0; k < metrics.length; k++) copy(values[metrics[k].ordinal()], start, n, v[k]);
        copyBytes(start, n, st);
        return new Window(t, metrics, v, st);
    }

    /** The newest sample's time, or -1. */
    public synchronized long lastTime() { return size == 0 ? -1 : times[physical(size - 1)]; }

    /** The newest value of a metric that is not NaN, or NaN. */
    public synchronized double lastValue(Metric m) {
        for (int i = size - 1; i >= 0; i--) {
            double v = values[m.ordinal()][physical(i)];
            if (!Double.isNaN(v)) return v;
        }
        return Double.NaN;
    }

    private int physical(int logical) {
        int first = size < capacity ? 0 : head;
        return (first + logical) % capacity;
    }

    private void copy(long[] src, int start, int n, long[] dst) {
        int p = physical(start);
        int firstPart = Math.min(n, capacity - p);
        System.arraycopy(src, p, dst, 0, firstPart);
        if (firstPart < n) System.arraycopy(src, 0, dst, firstPart, n - firstPart);
    }

    private void copy(double[] src, int start, int n, double[] dst) {
        int p = physical(start);
        int firstPart = Math.min(n, capacity - p);
        System.arraycopy(src, p, dst, 0, firstPart);
        if (firstPart < n) System.arraycopy(src, 0, dst, firstPart, n - firstPart);
    }

    private void copyBytes(int start, int n, byte[] dst) {
        int p = physical(start);
        int firstPart = Math.min(n, capacity - p);
        System.arraycopy(status, p, dst, 0, firstPart);
        if (firstPart < n) System.arraycopy(status, 0, dst, firstPart, n - firstPart);
    }

    /** A copied window: times (server epoch ms) and one value array per requested metric. */
    public record Window(long[] times, Metric[] metrics, double[][] values, byte[] status) {
        public int size() { return times.length; }

        public double[] of(Metric m) {
            for (int k = 0; k < metrics.length; k++) if (metrics[k] == m) return values[k];
            double[] nan = new double[times.length];
            Arrays.fill(nan, Double.NaN);
            return nan;
        }
    }
}
