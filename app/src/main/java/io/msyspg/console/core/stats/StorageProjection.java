package io.msyspg.console.core.stats;

import io.msyspg.console.core.connect.DbSession;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Database size trend and a linear projection against the free space of the data directory's file system
 * for Momentum's two-year retention. Free space is known only when the server runs on this host and its
 * data directory is visible here; otherwise the projection is hidden.
 */
public final class StorageProjection {
    public static final int RETENTION_DAYS = 730;

    private StorageProjection() {}

    /** growthPerDay in bytes (least squares over the readings); NaN with fewer than two readings or no time span. */
    public record Projection(double currentBytes, double growthPerDay, double freeBytes, double daysUntilFull,
                             double bytesNeededForRetention, boolean fits) {}

    public static Projection project(long[] timesMillis, double[] sizes, double freeBytes) {
        int n = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0, last = Double.NaN;
        double t0 = timesMillis.length > 0 ? timesMillis[0] : 0;
        for (int i = 0; i < timesMillis.length; i++) {
            if (Double.isNaN(sizes[i])) continue;
            double x = (timesMillis[i] - t0) / 86_400_000.0, y = sizes[i];
            n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
            last = y;
        }
        double growth = Double.NaN;
        double den = n * sxx - sx * sx;
        if (n >= 2 && den > 0) growth = (n * sxy - sx * sy) / den;
        double needed = Double.isNaN(growth) ? Double.NaN : Math.max(0, growth) * RETENTION_DAYS;
        double days = Double.isNaN(growth) || growth <= 0 || Double.isNaN(freeBytes) ? Double.POSITIVE_INFINITY : freeBytes / growth;
        boolean fits = !Double.isNaN(freeBytes) && !Double.isNaN(needed) && needed <= freeBytes;
        return new Projection(last, growth, freeBytes, days, needed, fits);
    }

    /**
     * The data directory when the server runs on this host and the path is visible here; empty otherwise
     * (remote server, or no privilege to read {@code data_directory}).
     */
    public static Optional<Path> localDataDirectory(DbSession db, String configuredPath) {
        if (configuredPath != null && !configuredPath.isBlank()) {
            Path p = Path.of(configuredPath);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        if (!isLocalHost(db.target().host())) return Optional.empty();
        try (Connection c = db.borrow(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            Path p = Path.of(rs.getString(1));
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Usable bytes on the file system holding {@code dir}, or NaN. */
    public static double freeBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return Double.NaN;
        }
    }

    static boolean isLocalHost(String host) {
        if (host.startsWith("/")) return true;
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
