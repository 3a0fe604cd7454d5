package io.msyspg.console.core.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Database size trend and a linear projection against the free space of the data directory's file system
 * for Momentum's two-year retention. Free space is known only when the server runs on this host and its
 * data directory is visible here; otherwise the projection is hidden.
 */
public final class StorageProjection {
    public static final int RETENTION_DAYS = 730;

    private StorageProjection() {}

    /**
     * growthPerDay in bytes (Theil–Sen: the median of the slopes between pairs of readings, so one outlier —
     * a VACUUM FULL, a bulk load that was dropped — does not bend it); NaN with fewer than two readings or no
     * time span. bytesNeededForRetention = growth × {@link #RETENTION_DAYS} (what two more years add).
     */
    public record Projection(double currentBytes, double growthPerDay, double freeBytes, double daysUntilFull,
                             double bytesNeededForRetention, boolean fits) {
        /** The size after two more years at this rate. */
        public double sizeAfterRetention() { return currentBytes + bytesNeededForRetention; }
    }

    /** At most this many readings enter the pairwise slopes (evenly picked): 300² / 2 pairs stay cheap. */
    static final int MAX_FIT_POINTS = 300;

    public static Projection project(long[] timesMillis, double[] sizes, double freeBytes) {
        int n = 0;
        double last = Double.NaN;
        for (int i = 0; i < timesMillis.length; i++) if (!Double.isNaN(sizes[i])) { n++; last = sizes[i]; }
        double[] x = new double[n], y = new double[n];
        for (int i = 0, k = 0; i < timesMillis.length; i++) {
            if (Double.isNaN(sizes[i])) continue;
            x[k] = timesMillis[i] / 86_400_000.0;
            y[k++] = sizes[i];
        }
        double growth = theilSen(x, y);
        double needed = Double.isNaN(growth) ? Double.NaN : Math.max(0, growth) * RETENTION_DAYS;
        double days = Double.isNaN(growth) || growth <= 0 || Double.isNaN(freeBytes) ? Double.POSITIVE_INFINITY : freeBytes / growth;
        boolean fits = !Double.isNaN(freeBytes) && !Double.isNaN(needed) && needed <= freeBytes;
        return new Projection(last, growth, freeBytes, days, needed, fits);
    }

    /** Median of pairwise slopes (per unit of x); NaN when fewer than two points differ in x. */
    static double theilSen(double[] x, double[] y) {
        int n = x.length;
        int step = Math.max(1, (int) Math.ceil(n / (double) MAX_FIT_POINTS));
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int i = 0; i < n; i += step) idx.add(i);
        if (n > 0 && idx.get(idx.size() - 1) != n - 1) idx.add(n - 1);
        double[] slopes = new double[idx.size() * (idx.size() - 1) / 2];
        int m = 0;
        for (int a = 0; a < idx.size(); a++) {
            for (int b = a + 1; b < idx.size(); b++) {
                int i = idx.get(a), j = idx.get(b);
                double dx = x[j] - x[i];
                if (dx > 0) slopes[m++] = (y[j] - y[i]) / dx;
            }
        }
        if (m == 0) return Double.NaN;
        java.util.Arrays.sort(slopes, 0, m);
        return m % 2 == 1 ? slopes[m / 2] : (slopes[m / 2 - 1] + slopes[m / 2]) / 2;
    }

    /** Usable bytes on the file system holding {@code dir}, or NaN. */
    public static double freeBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return Double.NaN;
        }
    }
}
