package io.msyspg.console.core.server;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Disk usage of a data directory and its file system.
 *
 * @param components   bytes per component, in display order: base, global, pg_wal, the log directory, tablespaces, other
 * @param fsType       the file system type (ext4, xfs, nfs4…)
 * @param warnings     NFS and similar warnings, unreadable folders
 * @param trend        the growth trend from recorded samples
 */
public record StorageReport(Path dataDir, Map<String, Long> components, long totalBytes, long fsTotalBytes,
                            long fsFreeBytes, String fsType, String mountPoint, List<String> warnings,
                            Trend trend, Instant measuredAt) {

    /**
     * @param samples       number of samples used
     * @param bytesPerDay   growth of the data directory per day (null: not enough history)
     * @param fullOn        the date the disk fills at that rate (null: not growing, or not enough history)
     * @param note          "not enough history (1 sample)", "shrinking", …
     */
    public record Trend(int samples, Double bytesPerDay, LocalDate fullOn, String note) {
        public String describe() {
            if (bytesPerDay == null) return note;
            String rate = (bytesPerDay >= 0 ? "+" : "-") + SettingUnits.bytes((long) Math.abs(bytesPerDay)) + "/day";
            return rate + " over " + samples + " samples" + (fullOn != null ? "; disk full around " + fullOn : "; " + note);
        }
    }
}
