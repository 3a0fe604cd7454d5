package io.msyspg.console.core.stats;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.msyspg.console.core.stats.StatsSamplerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** pg_stat_statements rates on real servers with the library preloaded (15 from the system, 12 from zonky). */
class TopQueriesTest {

    static PgCluster preloaded(PgBinaries bin) {
        return PgCluster.builder(bin).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD)
                .setting("shared_preload_libraries", "pg_stat_statements").start();
    }

    /** n calls of one distinctive statement from its own connection (autocommit). */
    static void workload(PgCluster c, String db, int n) throws Exception {
        try (Connection conn = Workload.connect(c.jdbcUrl(db));
             PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM topq_marker WHERE v <= ?")) {
            for (int i = 0; i < n; i++) {
                ps.setInt(1, i % 10);
                try (var rs = ps.executeQuery()) { rs.next(); }
            }
        }
    }

    static TopQueries.Row marker(List<TopQueries.Row> rows) {
        return rows.stream().filter(r -> r.query().contains("topq_marker")).findFirst().orElse(null);
    }

    @Test
    void countsAKnownWorkloadWithin10PercentFetchesTheTextOnceAndSurvivesAReset() throws Exception {
        try (PgCluster c = preloaded(PgBinaries.system())) {
            run(c, true);
        }
    }

    @Test
    void postgres12UsesTotalTime() throws Exception {
        try (PgCluster c = preloaded(PgBinaries.forMajor(12))) {
            assertThat(c.version().major()).isEqualTo(12);
            run(c, false);
        }
    }

    private void run(PgCluster c, boolean withReset) throws Exception {
        try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
            s.execute("CREATE TABLE topq_marker (v int)");
            s.execute("INSERT INTO topq_marker SELECT g FROM generate_series(1, 100) g");
        }
        try (PooledDbSession session = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD);
             StatsSampler sampler = new StatsSampler(session)) {
            sampler.setInterval(Duration.ofMillis(200));
            sampler.setTopInterval(Duration.ofMillis(300));
            TopQueries tq = sampler.topQueries();
            sampler.start();
            waitFor(() -> tq.lastReadingMillis() != Long.MIN_VALUE, 20);
            assertThat(tq.availability().available()).as(tq.availability().hint()).isTrue();
            long start = tq.lastReadingMillis();

            int n = 400;
            long wallStart = System.nanoTime();
            workload(c, "postgres", n);
            double wall = (System.nanoTime() - wallStart) / 1e9;
            waitUntilReadings(tq, 3);
            TopQueries.Result r = tq.top(start, 10, null);
            TopQueries.Row row = marker(r.rows());
            assertThat(row).as("rows: %s", r.rows()).isNotNull();
            assertThat(row.calls()).as("calls counted").isCloseTo(n, within(n * 0.10));
            assertThat(row.database()).isEqualTo("postgres");
            assertThat(row.meanMs()).isGreaterThan(0);
            assertThat(row.rowsPerSec()).isGreaterThan(0);
            assertThat(row.callsPerSec()).isCloseTo(row.calls() / r.coveredSeconds(), within(0.01 * row.calls()));
            assertThat(r.coveredSeconds()).isGreaterThanOrEqualTo(wall * 0.9);
            assertThat(tq.top(start, 10, "template1").rows()).noneMatch(x -> x.query().contains("topq_marker"));

            // the text is fetched once per queryid: more calls of the same statement fetch nothing new
            long fetched = tq.textsFetched();
            long mark = tq.lastReadingMillis();
            workload(c, "postgres", 100);
            waitUntilReadings(tq, 3);
            TopQueries.Row again = marker(tq.top(mark, 10, null).rows());
            assertThat(again.calls()).isCloseTo(100, within(10.0));
            assertThat(tq.textsFetched()).isEqualTo(fetched);

            if (withReset) {
                try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement()) {
                    s.execute("SELECT pg_stat_statements_reset()");
                }
                waitUntilReadings(tq, 2);
                long afterReset = tq.lastReadingMillis();
                workload(c, "postgres", 200);
                waitUntilReadings(tq, 3);
                TopQueries.Result all = tq.top(mark, 50, null);
                assertThat(all.gaps()).as("the reset interval is a gap").isGreaterThanOrEqualTo(1);
                for (TopQueries.Row x : all.rows()) {
                    assertThat(x.calls()).isNotNegative();
                    assertThat(x.timeMsPerSec()).isNotNegative();
                    assertThat(x.sharedHitPerSec()).isNotNegative();
                }
                assertThat(marker(tq.top(afterReset, 10, null).rows()).calls()).isCloseTo(200, within(20.0));
            }
        }
    }

    private static void waitUntilReadings(TopQueries tq, int k) throws InterruptedException {
        long[] seen = {tq.lastReadingMillis()};
        int[] count = {0};
        waitFor(() -> {
            long now = tq.lastReadingMillis();
            if (now != seen[0]) { seen[0] = now; count[0]++; }
            return count[0] >= k;
        }, 30);
    }

    @Test
    void explainsWhatToDoWhenTheExtensionIsMissing() throws Exception {
        // the shared cluster does not preload the library
        try (PooledDbSession session = TestPg.session("postgres"); Connection conn = session.borrow()) {
            TopQueries.Availability a = new TopQueries(10).detect(conn);
            assertThat(a.available()).isFalse();
            assertThat(a.title()).contains("not loaded");
            assertThat(a.hint()).contains("shared_preload_libraries").contains("RESTART").contains("CREATE EXTENSION pg_stat_statements")
                    .contains("\"postgres\"");
        }
    }

    @Test
    void preloadedButNotInstalledNeedsNoRestart() throws Exception {
        try (PgCluster c = preloaded(PgBinaries.system());
             PooledDbSession session = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD);
             Connection conn = session.borrow()) {
            TopQueries tq = new TopQueries(10);
            TopQueries.Availability a = tq.detect(conn);
            assertThat(a.available()).isFalse();
            assertThat(a.hint()).contains("CREATE EXTENSION pg_stat_statements").contains("no restart");
            assertThat(tq.top(0, 10, null).rows()).isEmpty();
            try (Statement s = conn.createStatement()) { s.execute("CREATE EXTENSION pg_stat_statements"); }
            assertThat(tq.detect(conn).available()).isTrue();
        }
    }
}
