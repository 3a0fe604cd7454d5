package io.msyspg.console.core.stats;

import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.msyspg.console.core.stats.StatsSamplerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A known workload in one of two databases shows up in that database's rates only (within 10%). */
class PerDatabaseRatesTest {

    @Test
    void workloadInOneDatabaseIsCountedThereOnly() throws Exception {
        try (var cluster = TestPg.privateCluster()) {
            try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE busy");
                s.execute("CREATE DATABASE quiet");
            }
            String url = cluster.jdbcUrl("busy");
            Workload.prepare(url);
            // the monitoring connection sits in "quiet": its own statements are subtracted there
            try (PooledDbSession session = PooledDbSession.open(TestPg.target(cluster, "quiet"), TestPg.PASSWORD);
                 StatsSampler sampler = new StatsSampler(session)) {
                sampler.setInterval(Duration.ofMillis(500));
                List<Sample> samples = new CopyOnWriteArrayList<>();
                sampler.addListener(samples::add);
                sampler.start();
                waitFor(() -> samples.size() >= 3, 15);
                assertThat(samples.get(0).database("busy")).as("collecting: per-database rates NaN").isNotNull();
                assertThat(samples.get(0).database("busy")[Metric.TPS.ordinal()]).isNaN();
                int before = samples.size() - 1;
                int n = 200;
                Workload.run(url, n, 50);
                int target = samples.size() + 3;
                waitFor(() -> samples.size() >= target, 15);
                int after = samples.size() - 1;

                double busy = integrate(samples, before, after, "busy", Metric.TPS);
                double quiet = integrate(samples, before, after, "quiet", Metric.TPS);
                double busyTuplesIn = integrate(samples, before, after, "busy", Metric.TUPLES_IN);
                assertThat(busy).as("busy transactions").isCloseTo(n, within(n * 0.10));
                assertThat(busyTuplesIn).as("busy tuples in").isCloseTo(n * Workload.ROWS_IN, within(n * Workload.ROWS_IN * 0.10));
                assertThat(quiet).as("quiet transactions (the console's own are excluded)").isLessThan(n * 0.05);
                // server-wide = sum of the databases (same interval, same rules)
                Sample last = samples.get(after);
                double sum = last.databases().values().stream().mapToDouble(v -> Double.isNaN(v[Metric.TPS.ordinal()]) ? 0 : v[Metric.TPS.ordinal()]).sum();
                assertThat(sum).isCloseTo(last.get(Metric.TPS), within(0.01 + last.get(Metric.TPS) * 0.01));

                // the per-database history holds the same numbers
                StatsHistory.Window w = sampler.databases().window("busy", samples.get(before).serverTimeMillis() + 1);
                double hist = 0;
                long[] t = w.times();
                double[] tps = w.of(Metric.TPS);
                for (int i = 0; i < t.length && t[i] <= last.serverTimeMillis(); i++) {
                    long prev = i == 0 ? samples.get(before).serverTimeMillis() : t[i - 1];
                    hist += tps[i] * (t[i] - prev) / 1000.0;
                }
                assertThat(hist).isCloseTo(busy, within(busy * 0.01));
                assertThat(sampler.databases().databases()).contains("busy", "quiet", "postgres");
            }
        }
    }

    private static double integrate(List<Sample> samples, int from, int to, String db, Metric m) {
        double sum = 0;
        for (int i = from + 1; i <= to; i++) {
            Sample s = samples.get(i);
            assertThat(s.status()).as("sample %d: %s", i, s.reason()).isEqualTo(Sample.Status.OK);
            double v = s.database(db)[m.ordinal()];
            assertThat(v).as("%s of %s at sample %d", m, db, i).isNotNaN().isGreaterThanOrEqualTo(0);
            sum += v * (s.serverTimeMillis() - samples.get(i - 1).serverTimeMillis()) / 1000.0;
        }
        return sum;
    }
}
