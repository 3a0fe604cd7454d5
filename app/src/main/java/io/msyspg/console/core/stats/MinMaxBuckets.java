package io.msyspg.console.core.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental min/max downsampling of a {@link StatsHistory} for a sliding window: per series, one bucket per
 * {@code bucketMillis} of time (aligned to multiples of it, so buckets never shift as the window slides) holding
 * the minimum and the maximum (with their times, so they are emitted in time order). Each frame appends only the
 * samples that arrived since the previous one and drops the buckets that left the window, instead of copying and
 * reducing 86,400 x N values every second. The result equals {@link Downsampler#minMax} on aligned buckets:
 * every extreme survives, a NaN (gap) breaks the line.
 * <p>Not thread-safe: one owner thread (the sampler's) calls {@link #update}.
 */
public final class MinMaxBuckets {
    private final Metric[] metrics;
    private final long bucketMillis;
    private final int capacity;
    // ring of buckets: start time, then per series: min/max value and time, gap flag, and the run after a gap
    private final long[] start;
    private final double[][] preMin, preMax, postMin, postMax;
    private final long[][] preMinT, preMaxT, postMinT, postMaxT;
    private final boolean[][] gap;
    private int head, size;
    private long lastTime = Long.MIN_VALUE;
    private long lastVersion = -1;

    /** @param maxBuckets at least window / bucketMillis + 2 */
    public MinMaxBuckets(Metric[] metrics, long bucketMillis, int maxBuckets) {
        if (bucketMillis <= 0) throw new IllegalArgumentException("bucketMillis must be positive");
        this.metrics = metrics.clone();
        this.bucketMillis = bucketMillis;
        this.capacity = Math.max(4, maxBuckets);
        int m = metrics.length;
        start = new long[capacity];
        preMin = new double[m][capacity];
        preMax = new double[m][capacity];
        postMin = new double[m][capacity];
        postMax = new double[m][capacity];
        preMinT = new long[m][capacity];
        preMaxT = new long[m][capacity];
        postMinT = new long[m][capacity];
        postMaxT = new long[m][capacity];
        gap = new boolean[m][capacity];
    }

    /** Bucket width for a window drawn into {@code buckets} columns (rounded to whole milliseconds, at least 1). */
    public static long bucketMillis(long windowMillis, int buckets) {
        return Math.max(1, windowMillis / Math.max(1, buckets));
    }

    public long bucketMillis() { return bucketMillis; }
    public Metric[] metrics() { return metrics.clone(); }
    public int buckets() { return size; }

    /**
     * Appends the samples newer than the last one seen and drops buckets that end before {@code fromMillis}.
     * Returns the number of samples read (the incremental cost). A history whose time went backwards (or that
     * was replaced) is re-read from {@code fromMillis}.
     */
    public int update(StatsHistory h, long fromMillis) {
        long newest = h.lastTime();
        if (newest < lastTime) reset();
        long version = h.version();
        int read = 0;
        if (version != lastVersion) {
            // whole buckets: the first one starts at its aligned start, as it would after incremental updates
            long aligned = Math.floorDiv(fromMillis, bucketMillis) * bucketMillis;
            long since = lastTime == Long.MIN_VALUE ? aligned : Math.max(aligned, lastTime + 1);
            StatsHistory.Window w = h.window(since, metrics);
            long[] t = w.times();
            for (int i = 0; i < t.length; i++) {
                if (t[i] < lastTime) continue;
                add(t[i], w.values(), i);
            }
            read = t.length;
            if (t.length > 0) lastTime = Math.max(lastTime, t[t.length - 1]);
            lastVersion = version;
        }
        // drop buckets that ended before the window
        while (size > 0 && start[first()] + bucketMillis <= fromMillis) {
            size--;
        }
        return read;
    }

    private void reset() {
        size = 0;
        head = 0;
        lastTime = Long.MIN_VALUE;
        lastVersion = -1;
    }

    private int first() { return Math.floorMod(head - size, capacity); }
    private int last() { return Math.floorMod(head - 1, capacity); }

    private void add(long t, double[][] values, int i) {
        long b = Math.floorDiv(t, bucketMillis) * bucketMillis;
        int slot;
        if (size == 0 || start[last()] != b) {
            if (size == capacity) size--;   // the oldest bucket falls off
            slot = head;
            head = (head + 1) % capacity;
            size++;
            start[slot] = b;
            for (int k = 0; k < metrics.length; k++) {
                preMin[k][slot] = preMax[k][slot] = postMin[k][slot] = postMax[k][slot] = Double.NaN;
                gap[k][slot] = false;
            }
        } else {
            slot = last();
        }
        for (int k = 0; k < metrics.length; k++) {
            double v = values[k][i];
            if (Double.isNaN(v)) { gap[k][slot] = true; continue; }
            if (!gap[k][slot]) {
                if (Double.isNaN(preMin[k][slot]) || v < preMin[k][slot]) { preMin[k][slot] = v; preMinT[k][slot] = t; }
                if (Double.isNaN(preMax[k][slot]) || v > preMax[k][slot]) { preMax[k][slot] = v; preMaxT[k][slot] = t; }
            } else {
                // values after a gap inside this bucket (runs between two gaps of one bucket are merged: < 1 column)
                if (Double.isNaN(postMin[k][slot]) || v < postMin[k][slot]) { postMin[k][slot] = v; postMinT[k][slot] = t; }
                if (Double.isNaN(postMax[k][slot]) || v > postMax[k][slot]) { postMax[k][slot] = v; postMaxT[k][slot] = t; }
            }
        }
    }

    /** The segments of series {@code k} (x = epoch seconds), split at gaps; at most two points per bucket and run. */
    public List<Downsampler.Segment> segments(int k) {
        List<Downsampler.Segment> out = new ArrayList<>();
        Buf buf = new Buf(2 * size + 4);
        int s0 = first();
        for (int j = 0; j < size; j++) {
            int b = (s0 + j) % capacity;
            emit(buf, preMin[k][b], preMinT[k][b], preMax[k][b], preMaxT[k][b]);
            if (gap[k][b]) {
                if (buf.n > 0) out.add(buf.take());
                emit(buf, postMin[k][b], postMinT[k][b], postMax[k][b], postMaxT[k][b]);
            }
        }
        if (buf.n > 0) out.add(buf.take());
        return out;
    }

    /** Index of a metric among those tracked, or -1. */
    public int indexOf(Metric m) {
        for (int k = 0; k < metrics.length; k++) if (metrics[k] == m) return k;
        return -1;
    }

    private static void emit(Buf buf, double min, long minT, double max, long maxT) {
        if (Double.isNaN(min)) return;
        if (minT == maxT) buf.add(minT / 1000.0, min);
        else if (minT < maxT) { buf.add(minT / 1000.0, min); buf.add(maxT / 1000.0, max); }
        else { buf.add(maxT / 1000.0, max); buf.add(minT / 1000.0, min); }
    }

    private static final class Buf {
        double[] x, y;
        int n;

        Buf(int cap) { x = new double[cap]; y = new double[cap]; }

        void add(double px, double py) {
            if (n == x.length) { x = java.util.Arrays.copyOf(x, n * 2 + 4); y = java.util.Arrays.copyOf(y, n * 2 + 4); }
            x[n] = px;
            y[n++] = py;
        }

        Downsampler.Segment take() {
            Downsampler.Segment s = new Downsampler.Segment(java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
            n = 0;
            return s;
        }
    }
}
