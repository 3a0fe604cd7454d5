package io.msyspg.console.core.server;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StorageServiceTest {
    @Test
    void measuresComponentsAndWarnsAboutNfsFromTheMountTable(@TempDir Path tmp) throws Exception {
        PgCluster c = TestPg.shared();
        Path data = c.dataDir().toRealPath();
        Path mounts = tmp.resolve("mounts");
        Files.writeString(mounts, """
                overlay / overlay rw,relatime 0 0
                proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
                filer01:/export/msyspg %s nfs4 rw,relatime,vers=4.1,soft,proto=tcp 0 0
                """.formatted(data.getParent().toString().replace(" ", "\\040")));
        StorageService svc = new StorageService(mounts, tmp.resolve("state"));
        StorageReport r = svc.measure(c.dataDir(), null, JobContext.none());
        assertThat(r.components().get("base")).isPositive();
        assertThat(r.components().get("pg_wal")).isGreaterThanOrEqualTo(16L * 1024 * 1024);
        assertThat(r.components().get("log (pg_log)")).isPositive();
        assertThat(r.totalBytes()).isEqualTo(r.components().values().stream().mapToLong(Long::longValue).sum());
        assertThat(r.fsType()).isEqualTo("nfs4");
        assertThat(r.mountPoint()).isEqualTo(data.getParent().toString());
        assertThat(r.warnings()).anyMatch(w -> w.contains("network file system") && w.contains("filer01:/export/msyspg") && w.contains("SOFT"));
        assertThat(r.fsFreeBytes()).isPositive();
        assertThat(r.trend().bytesPerDay()).isNull();
        assertThat(r.trend().describe()).startsWith("not enough history (1 sample");

        // a local mount: no warning
        Files.writeString(mounts, "/dev/sda1 / ext4 rw 0 0\n");
        StorageReport local = svc.measure(c.dataDir(), null, JobContext.none());
        assertThat(local.fsType()).isEqualTo("ext4");
        assertThat(local.warnings()).noneMatch(w -> w.contains("network"));
        assertThat(local.trend().samples()).isEqualTo(2);
    }

    @Test
    void trendGivesTheDateTheDiskFills() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        List<StorageService.Sample> s = new ArrayList<>();
        long gb = 1L << 30;
        for (int d = 10; d >= 0; d--) s.add(new StorageService.Sample(now.minusSeconds(d * 86400L), 100 * gb - d * gb, 0));
        StorageReport.Trend t = StorageService.trend(s, 20 * gb, now);
        assertThat(t.bytesPerDay()).isCloseTo((double) gb, org.assertj.core.data.Offset.offset(1e6));
        assertThat(t.fullOn()).isEqualTo(LocalDate.ofInstant(now, ZoneId.systemDefault()).plusDays(20));
        assertThat(t.describe()).contains("+1.0 GB/day", "disk full around");

        StorageReport.Trend flat = StorageService.trend(List.of(new StorageService.Sample(now.minusSeconds(86400), gb, 0),
                new StorageService.Sample(now, gb, 0)), gb, now);
        assertThat(flat.fullOn()).isNull();
        assertThat(flat.describe()).contains("not growing");
        assertThat(StorageService.trend(List.of(), gb, now).describe()).startsWith("not enough history (0 samples");
    }

    @Test
    void mountTableEscapes() {
        assertThat(MountTable.unescape("/mnt/my\\040disk")).isEqualTo("/mnt/my disk");
    }
}
