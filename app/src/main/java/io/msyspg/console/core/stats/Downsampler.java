package io.msyspg.console.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reduces a time series to what a chart can show (no more points than pixels) while keeping spikes, and
 * splits it at gaps (NaN) so a chart breaks the line instead of drawing across missing intervals.
 * {@link #minMax}: per pixel-column bucket keep the minimum and the maximum, in time order (M4 without the
 * redundant first/last): every extreme survives exactly. {@link #lttb}: Largest-Triangle-Three-Buckets,
 * visually faithful, fixed point count.
 */
public final class Downsampler {
    private Downsampler() {}

    /** A contiguous run of points (no NaN inside). */
    public record Segment(double[] x, double[] y) {
        public int size() { return x.length; }
    }

    /** The segments of (x, y) split at NaN values, each reduced by min/max to at most {@code maxPoints} in total. */
    public static List<Segment> minMax(double[] x, double[] y, int maxPoints) {
        int n = x.length;
        List<Segment> out = new ArrayList<>();
        if (n == 0) return out;
        int buckets = Math.max(1, maxPoints / 2);
        double x0 = x[0], x1 = x[n - 1];
        double width = (x1 - x0) / buckets;
        Buf buf = new Buf(Math.min(n, maxPoints + 2));
        int i = 0;
        while (i < n) {
            if (Double.isNaN(y[i])) {
                if (buf.n > 0) { out.add(buf.take()); }
                i++;
                continue;
            }
            // bucket of i
            int b = width <= 0 ? 0 : (int) Math.min(buckets - 1, (x[i] - x0) / width);
            int minI = i, maxI = i;
            int j = i;
            while (j < n && !Double.isNaN(y[j]) && (width <= 0 ? 0 : (int) Math.min(buckets - 1, (x[j] - x0) / width)) == b) {
                if (y[j] < y[minI]) minI = j;
                if (y[j] > y[maxI]) maxI = j;
                j++;
            }
            if (minI == maxI) buf.add(x[minI], y[minI]);
            else if (minI < maxI) { buf.add(x[minI], y[minI]); buf.add(x[maxI], y[maxI]); }
            else { buf.add(x[maxI], y[maxI]); buf.add(x[minI], y[minI]); }
            i = j;
        }
        if (buf.n > 0) out.add(buf.take());
        return out;
    }

    /** LTTB over each gap-free segment; the segments share {@code threshold} in proportion to their length. */
    public static List<Segment> lttb(double[] x, double[] y, int threshold) {
        List<Segment> raw = split(x, y);
        int total = raw.stream().mapToInt(Segment::size).sum();
        List<Segment> out = new ArrayList<>();
        for (Segment s : raw) {
            int share = total <= threshold ? s.size() : Math.max(3, (int) ((long) threshold * s.size() / total));
            out.add(lttbSegment(s, share));
        }
        return out;
    }

    /** Splits at NaN without reducing. */
    public static List<Segment> split(double[] x, double[] y) {
        List<Segment> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= x.length; i++) {
            boolean gap = i == x.length || Double.isNaN(y[i]);
            if (!gap && start < 0) start = i;
            if (gap && start >= 0) {
                out.add(new Segment(Arrays.copyOfRange(x, start, i), Arrays.copyOfRange(y, start, i)));
                start = -1;
            }
        }
        return out;
    }

    static Segment lttbSegment(Segment s, int threshold) {
        int n = s.size();
        if (threshold >= n || threshold < 3) return s;
        double[] x = s.x(), y = s.y();
        double[] ox = new double[threshold], oy = new double[threshold];
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0, k = 0;
        ox[k] = x[0]; oy[k++] = y[0];
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0, avgY = 0;
            int len = avgEnd - avgStart;
            for (int j = avgStart; j < avgEnd; j++) { avgX += x[j]; avgY += y[j]; }
            if (len > 0) { avgX /= len; avgY /= len; } else { avgX = x[n - 1]; avgY = y[n - 1]; }
            int rangeStart = (int) Math.floor(i * every) + 1;
            int rangeEnd = (int) Math.floor((i + 1) * every) + 1;
            double maxArea = -1;
            int next = rangeStart;
            for (int j = rangeStart; j < rangeEnd; j++) {
                double area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
                if (area > maxArea) { maxArea = area; next = j; }
            }
            ox[k] = x[next]; oy[k++] = y[next];
            a = next;
        }
        ox[k] = x[n - 1]; oy[k++] = y[n - 1];
        return new Segment(ox, oy);
    }

    private static final class Buf {
        double[] x, y;
        int n;

        Buf(int cap) { x = new double[Math.max(cap, 4)]; y = new double[Math.max(cap, 4)]; }

        void add(double px, double py) {
            if (n == x.length) { x = Arrays.copyOf(x, n * 2); y = Arrays.copyOf(y, n * 2); }
            x[n] = px; y[n++] = py;
        }

        Segment take() {
            Segment s = new Segment(Arrays.copyOf(x, n), Arrays.copyOf(y, n));
            n = 0;
            return s;
        }
    }
}
