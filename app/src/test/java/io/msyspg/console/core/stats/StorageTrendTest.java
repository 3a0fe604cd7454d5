package io.msyspg.console.core.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.LocalServer;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static io.msyspg.console.core.stats.StatsSamplerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StorageTrendTest {
    @TempDir Path state;

    private StorageService storage() { return new StorageService(MountTable.PROC_MOUNTS, state.resolve("server")); }

    @Test
    void survivesARestartOfTheConsole() {
        try (StorageTrend t = StorageTrend.load(state, "postgres@db1:5432/ecelerity", storage())) {
            t.addDatabaseSizes(1_000, 100, 1000);
            t.addDataDirectory(2_000, 5000);
            t.addDatabaseSizes(3_000, 110, 1010);
        }
        try (StorageTrend t = StorageTrend.load(state, "postgres@db1:5432/ecelerity", storage())) {
            assertThat(t.problem()).isEmpty();
            StorageTrend.Series s = t.series();
            assertThat(s.times()).containsExactly(1_000, 2_000, 3_000);
            assertThat(s.database()[2]).isEqualTo(110);
            assertThat(s.dataDir()[1]).isEqualTo(5000);
            assertThat(s.dataDir()[0]).isNaN();
        }
        // another server has its own file
        try (StorageTrend other = StorageTrend.load(state, "postgres@db2:5432/ecelerity", storage())) {
            assertThat(other.size()).isZero();
        }
    }

    @Test
    void aMalformedFileIsSetAsideAndReported() throws Exception {
        Path f = StorageTrend.fileFor(state, "s1");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"points\": [[1, 2, \"x\", null]]}");
        try (StorageTrend t = StorageTrend.load(state, "s1", storage())) {
            assertThat(t.problem()).contains(f.toString()).contains("unreadable").contains("set aside");
            assertThat(t.size()).isZero();
            t.addDatabaseSizes(5, 1, 2);
        }
        try (var ds = Files.list(f.getParent())) {
            assertThat(ds.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".malformed-"));
        }
        try (StorageTrend t = StorageTrend.load(state, "s1", storage())) {
            assertThat(t.problem()).isEmpty();
            assertThat(t.size()).isEqualTo(1);
        }
        Files.writeString(f, "not json at all");
        try (StorageTrend t = StorageTrend.load(state, "s1", storage())) {
            assertThat(t.problem()).contains("unreadable");
        }
    }

    @Test
    void staysBoundedAndKeepsTheWholeSpan() {
        try (StorageTrend t = StorageTrend.load(state, "big", storage())) {
            for (int i = 0; i < 6000; i++) {
                if (i % 3 == 0) t.addDataDirectory(i * 300_000L, 1e9 + i);
                else t.addDatabaseSizes(i * 300_000L, 1e6 + i, 1e7 + i);
            }
            StorageTrend.Series s = t.series();
            assertThat(s.size()).isLessThanOrEqualTo(StorageTrend.MAX_POINTS);
            assertThat(s.times()[0]).isLessThan(300_000L * 10);
            assertThat(s.times()[s.size() - 1]).isEqualTo(5999 * 300_000L);
            assertThat(java.util.Arrays.stream(s.dataDir()).filter(v -> !Double.isNaN(v)).count()).isGreaterThan(100);
        }
    }

    @Test
    void growthIsRobustToOneOutlier() {
        long day = 86_400_000L;
        long[] t = new long[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) { t[i] = i * day; y[i] = 1e9 + i * 1e7; }
        y[15] = 5e10;   // one absurd reading (a temporary bulk load)
        StorageProjection.Projection p = StorageProjection.project(t, y, 1e10);
        assertThat(p.growthPerDay()).isCloseTo(1e7, within(1e5));
        assertThat(p.daysUntilFull()).isCloseTo(1000, within(10.0));
        assertThat(p.bytesNeededForRetention()).isCloseTo(730e7, within(1e8));
        assertThat(p.fits()).isTrue();
        assertThat(StorageProjection.project(new long[]{0}, new double[]{1}, 1).growthPerDay()).isNaN();
    }

    @Test
    void validatesADataDirectory() throws Exception {
        assertThatThrownBy(() -> StorageTrend.validateDataDirectory(" ")).isInstanceOf(ConsoleException.class).hasMessageContaining("Enter");
        assertThatThrownBy(() -> StorageTrend.validateDataDirectory("relative/dir")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> StorageTrend.validateDataDirectory(state.resolve("nope").toString())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> StorageTrend.validateDataDirectory(state.toString())).hasMessageContaining("PG_VERSION");
        Path f = Files.writeString(state.resolve("file"), "x");
        assertThatThrownBy(() -> StorageTrend.validateDataDirectory(f.toString())).hasMessageContaining("not a directory");
        assertThat(StorageTrend.validateDataDirectory(TestPg.shared().dataDir().toString())).isEqualTo(TestPg.shared().dataDir().toAbsolutePath().normalize());
    }

    @Test
    void theSamplerFeedsDatabaseSizesAndDataDirectoryWalks() throws Exception {
        var cluster = TestPg.shared();
        String db = TestPg.createDatabase("trend");
        try (PooledDbSession session = TestPg.session(db);
             StatsSampler sampler = new StatsSampler(session);
             StorageTrend trend = StorageTrend.load(state, session.target().display(), storage())) {
            sampler.setInterval(Duration.ofMillis(200));
            sampler.setSizeInterval(Duration.ofMillis(400));
            trend.setDirInterval(Duration.ofMillis(400));
            trend.setDataDirectory(LocalServer.dataDirectory(session, null));
            assertThat(trend.dataDirectory()).contains(cluster.dataDir().toRealPath());
            sampler.setStorageTrend(trend);
            sampler.start();
            waitFor(() -> count(trend.series().database()) >= 3 && count(trend.series().dataDir()) >= 2, 30);
            StorageTrend.Series s = trend.series();
            double dbSize = s.database()[lastIndex(s.database())];
            double dir = s.dataDir()[lastIndex(s.dataDir())];
            assertThat(dbSize).isGreaterThan(1_000_000);
            assertThat(dir).isGreaterThan(s.cluster()[lastIndex(s.cluster())] * 0.9);
            assertThat(trend.freeBytes()).isGreaterThan(0);
            assertThat(trend.dataDirectoryProblem()).isEmpty();
        }
        // and it is on disk for the next start
        try (StorageTrend again = StorageTrend.load(state, TestPg.target(cluster, db).display(), storage())) {
            assertThat(count(again.series().database())).isGreaterThanOrEqualTo(3);
        }
    }

    private static long count(double[] v) { return java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x)).count(); }

    private static int lastIndex(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) if (!Double.isNaN(v[i])) return i;
        return -1;
    }
}
