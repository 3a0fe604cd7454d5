package io.msyspg.console.core.stats;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rates on a real server against a known workload; gaps after a stats reset and after a restart. */
class StatsSamplerTest {

    /** Σ rate·Δt over the samples after {@code from} up to and including {@code to}: what the console counted. */
    private static double integrate(List<Sample> samples, int from, int to, Metric m) {
        double sum = 0;
        for (int i = from + 1; i <= to; i++) {
            Sample s = samples.get(i);
            assertThat(s.status()).as("sample %d: %s", i, s.reason()).isEqualTo(Sample.Status.OK);
            double v = s.get(m);
            assertThat(v).as("%s at sample %d", m, i).isNotNaN().isGreaterThanOrEqualTo(0);
            sum += v * (s.serverTimeMillis() - samples.get(i - 1).serverTimeMillis()) / 1000.0;
        }
        return sum;
    }

    private static void assertWithin10Percent(double measured, double truth, String what) {
        assertThat(measured).as(what + " (truth %.1f)", truth).isCloseTo(truth, within(truth * 0.10));
    }

    @Test
    void backgroundSamplerMeasuresAKnownWorkloadWithin10Percent() throws Exception {
        // a private cluster: TPS is server-wide, and the shared cluster carries other tests' background work
        try (var cluster = TestPg.privateCluster()) {
            String db = "postgres";
            String url = cluster.jdbcUrl(db);
            Workload.prepare(url);
            try (PooledDbSession session = PooledDbSession.open(TestPg.target(cluster, db), TestPg.PASSWORD);
                 StatsSampler sampler = new StatsSampler(session)) {
                List<Sample> samples = new CopyOnWriteArrayList<>();
                List<String> threads = new CopyOnWriteArrayList<>();
                sampler.addListener(s -> { samples.add(s); threads.add(Thread.currentThread().getName()); });
                sampler.start();
                waitFor(() -> samples.size() >= 3, 15);
                assertThat(samples.get(0).status()).isEqualTo(Sample.Status.COLLECTING);
                assertThat(samples.get(0).get(Metric.TPS)).isNaN();
                assertThat(samples.get(0).display(Metric.TPS, v -> "" + v)).isEqualTo("collecting");
                assertThat(threads.get(0)).startsWith("msyspg-stats-");

                int before = samples.size() - 1;
                int n = 300, rate = 50;
                double wall = Workload.run(url, n, rate);   // closes its connection: last counters published
                assertThat(wall).isBetween(n / (double) rate * 0.95, n / (double) rate * 1.5);
                int target = samples.size() + 2;
                waitFor(() -> samples.size() >= target, 15);
                int after = samples.size() - 1;

                // what the console counted over the window equals what was done (own monitoring queries excluded)
                double commits = integrate(samples, before, after, Metric.TPS);
                assertWithin10Percent(commits, n, "transactions counted");
                assertWithin10Percent(integrate(samples, before, after, Metric.TUPLES_IN), n * Workload.ROWS_IN, "tuples in counted");
                assertWithin10Percent(integrate(samples, before, after, Metric.TUPLES_OUT), n * Workload.ROWS_OUT, "tuples out counted");

                // the steady rate: the mean per-second TPS over the workload's whole seconds is 50/s
                long windowMs = samples.get(after).serverTimeMillis() - samples.get(before).serverTimeMillis();
                double meanTps = commits / (windowMs / 1000.0);
                assertWithin10Percent(meanTps * (windowMs / 1000.0) / wall, rate, "mean TPS while the workload ran");
                // the background thread keeps the history
                assertThat(sampler.history().size()).isEqualTo(samples.size());
                assertThat(sampler.history().window(0, Metric.TPS).size()).isEqualTo(samples.size());
                // quiet after the workload: no fake activity from the sampler itself
                // (median of 5 quiet samples: autovacuum may commit now and then, that is real activity)
                waitFor(() -> samples.size() >= target + 6, 15);
                double[] quiet = samples.subList(samples.size() - 5, samples.size()).stream().mapToDouble(x -> x.get(Metric.TPS)).sorted().toArray();
                assertThat(quiet[2]).as("median TPS of an idle server (own polling excluded)").isLessThan(1.0);
            }
        }
    }

    @Test
    void statsResetGivesAGapThenCorrectRates() throws Exception {
        String db = TestPg.createDatabase("stats_reset");
        String url = TestPg.shared().jdbcUrl(db);
        Workload.prepare(url);
        try (PooledDbSession session = TestPg.session(db); StatsSampler sampler = new StatsSampler(session)) {
            List<Sample> samples = new ArrayList<>();
            samples.add(sampler.sampleNow());
            Workload.run(url, 50, 100);
            sleep(600);
            samples.add(sampler.sampleNow());
            assertThat(samples.get(1).status()).isEqualTo(Sample.Status.OK);
            try (Connection c = Workload.connect(url); Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_reset()");
            }
            sleep(1100);
            Sample gap = sampler.sampleNow();
            assertThat(gap.status()).isEqualTo(Sample.Status.GAP);
            assertThat(gap.reason()).contains("database statistics");
            assertThat(gap.get(Metric.TPS)).isNaN();
            assertThat(gap.get(Metric.TUPLES_IN)).isNaN();
            assertThat(gap.get(Metric.CACHE_HIT_RATIO)).isNaN();
            assertThat(gap.display(Metric.TPS, v -> "" + v)).isEqualTo("gap");
            assertThat(gap.get(Metric.SESSIONS_TOTAL)).as("gauges survive a gap").isNotNaN();
            samples.add(gap);
            int before = samples.size() - 1;
            Workload.run(url, 100, 100);
            sleep(600);
            samples.add(sampler.sampleNow());
            assertWithin10Percent(integrate(samples, before, samples.size() - 1, Metric.TPS), 100, "transactions after the reset");
            assertWithin10Percent(integrate(samples, before, samples.size() - 1, Metric.TUPLES_IN), 100 * Workload.ROWS_IN, "tuples in after the reset");
            // the history holds the gap as NaN, never a negative value
            StatsHistory.Window w = sampler.history().window(0, Metric.TPS);
            assertThat(java.util.Arrays.stream(w.of(Metric.TPS)).anyMatch(Double::isNaN)).isTrue();
            assertThat(java.util.Arrays.stream(w.of(Metric.TPS)).noneMatch(v -> v < 0)).isTrue();
        }
    }

    @Test
    void serverRestartGivesAGapThenCorrectRates() throws Exception {
        try (PgCluster c = TestPg.privateCluster();
             PooledDbSession session = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD);
             StatsSampler sampler = new StatsSampler(session)) {
            String url = c.jdbcUrl("postgres");
            Workload.prepare(url);
            List<Sample> samples = new ArrayList<>();
            samples.add(sampler.sampleNow());
            sleep(300);
            samples.add(sampler.sampleNow());
            assertThat(samples.get(1).status()).isEqualTo(Sample.Status.OK);
            c.stop(PgCluster.StopMode.FAST);
            Sample down = sampler.sampleNow();
            assertThat(down.status()).isEqualTo(Sample.Status.ERROR);
            assertThat(down.get(Metric.TPS)).isNaN();
            assertThat(down.get(Metric.SESSIONS_TOTAL)).isNaN();
            c.start();
            Sample gap = sampler.sampleNow();
            assertThat(gap.status()).as(gap.reason()).isEqualTo(Sample.Status.GAP);
            assertThat(gap.reason()).contains("server restarted");
            assertThat(gap.get(Metric.TPS)).isNaN();
            samples.add(gap);
            int before = samples.size() - 1;
            Workload.run(url, 100, 100);
            sleep(600);
            samples.add(sampler.sampleNow());
            assertWithin10Percent(integrate(samples, before, samples.size() - 1, Metric.TPS), 100, "transactions after the restart");
            assertWithin10Percent(integrate(samples, before, samples.size() - 1, Metric.TUPLES_IN), 100 * Workload.ROWS_IN, "tuples in after the restart");
            StatsHistory.Window w = sampler.history().window(0, Metric.TPS);
            assertThat(java.util.Arrays.stream(w.of(Metric.TPS)).noneMatch(v -> v < 0)).isTrue();
        }
    }

    @Test
    void versionAwareOn13And17() throws Exception {
        for (int major : new int[]{13, 17}) {
            PgCluster c = TestPg.major(major);
            try (PooledDbSession session = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD);
                 StatsSampler sampler = new StatsSampler(session)) {
                sampler.sampleNow();
                sleep(200);
                Sample s = sampler.sampleNow();
                assertThat(s.status()).as("PG %d: %s", major, s.reason()).isEqualTo(Sample.Status.OK);
                assertThat(s.get(Metric.TPS)).isNotNaN();
                assertThat(s.get(Metric.CHECKPOINTS)).as("checkpoints on %d", major).isNotNaN();
                assertThat(s.get(Metric.WAL_BYTES)).as("WAL on %d", major).isNotNaN();
                assertThat(Double.isNaN(s.get(Metric.IO_READ_BYTES))).as("pg_stat_io on %d", major).isEqualTo(major < 16);
                assertThat(Metric.IO_READ_BYTES.availableOn(major)).isEqualTo(major >= 16);
            }
        }
    }

    static void sleep(long ms) throws InterruptedException { Thread.sleep(ms); }

    static void waitFor(java.util.function.BooleanSupplier cond, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + seconds + " s");
            Thread.sleep(50);
        }
    }
}
