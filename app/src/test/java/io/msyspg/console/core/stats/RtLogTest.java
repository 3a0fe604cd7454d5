package io.msyspg.console.core.stats;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Discovery of two different layouts and server-side aggregation whose totals equal a direct SQL sum. */
public class RtLogTest {
    public static void createFixtures(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            // the demo layout: partitioned by day
            s.execute("CREATE SCHEMA rt_log");
            s.execute("""
                    CREATE TABLE rt_log.delivery_stats_hour (ts timestamptz NOT NULL, domain text NOT NULL, binding text NOT NULL,
                      received bigint, delivered bigint, transient_failures bigint, permanent_failures bigint,
                      inband_bounces bigint, outofband_bounces bigint, rejections bigint, delivery_time_ms_sum bigint)
                    PARTITION BY RANGE (ts)""");
            for (int d = -10; d <= 1; d++) {
                s.execute("CREATE TABLE rt_log.delivery_stats_hour_p" + (d + 10) + " PARTITION OF rt_log.delivery_stats_hour"
                        + " FOR VALUES FROM (date_trunc('day', now()) + interval '" + d + " day') TO (date_trunc('day', now()) + interval '" + (d + 1) + " day')");
            }
            s.execute("""
                    INSERT INTO rt_log.delivery_stats_hour
                    SELECT date_trunc('hour', now()) - h * interval '1 hour', dom, 'default',
                           100 + h, 90 + (h % 7), h % 5, h % 3, h % 4, h % 2, h % 6, (90 + (h % 7)) * (200 + h)
                    FROM generate_series(0, 239) h, unnest(ARRAY['a.example', 'b.example', 'c.example']) dom""");
            // a plain table without a time column: not chartable
            s.execute("CREATE TABLE rt_log.bindings (name text, weight int)");
            // a DIFFERENT layout in another rt_log* schema: other names, timestamp without time zone, inheritance child
            s.execute("CREATE SCHEMA rt_log_v2");
            s.execute("CREATE TABLE rt_log_v2.traffic_5m (period_start timestamp NOT NULL, mta text, msgs_in integer, msgs_out numeric(12,0), failed smallint)");
            s.execute("CREATE TABLE rt_log_v2.traffic_5m_old () INHERITS (rt_log_v2.traffic_5m)");
            s.execute("""
                    INSERT INTO rt_log_v2.traffic_5m
                    SELECT (now() AT TIME ZONE current_setting('TimeZone')) - m * interval '5 minutes', 'mta' || (m % 2), m, m * 2, m % 3
                    FROM generate_series(0, 500) m""");
            s.execute("CREATE SCHEMA other");
            s.execute("CREATE TABLE other.stats (ts timestamptz, n int)");
        }
    }

    @Test
    void discoversBothLayoutsAndSkipsPartitionsChildrenAndNonChartables() throws Exception {
        String db = TestPg.createDatabase("rtlog_disc");
        try (Connection c = TestPg.shared().connect(db)) {
            createFixtures(c);
            List<RtLogCatalog.Table> tables = RtLogCatalog.discover(c);
            assertThat(tables).extracting(RtLogCatalog.Table::qualified)
                    .containsExactly("rt_log.delivery_stats_hour", "rt_log_v2.traffic_5m");
            RtLogCatalog.Table demo = tables.get(0);
            assertThat(demo.partitioned()).isTrue();
            assertThat(demo.timeColumn()).isEqualTo("ts");
            assertThat(demo.filters()).containsExactly("domain", "binding");
            assertThat(demo.counters()).contains("received", "delivered", "delivery_time_ms_sum");
            assertThat(RtLogPreset.isMomentumLayout(demo)).isTrue();
            assertThat(RtLogPreset.defaults(demo)).extracting(RtLogPreset.Series::label).containsExactly(
                    "deliveries", "bounces", "transient failures", "permanent failures", "rejections", "avg delivery time (ms)");
            assertThat(RtLogPreset.defaultFilter(demo)).isEqualTo("domain");

            RtLogCatalog.Table v2 = tables.get(1);
            assertThat(v2.timeColumn()).isEqualTo("period_start");
            assertThat(v2.counters()).containsExactly("msgs_in", "msgs_out", "failed");
            assertThat(v2.filters()).containsExactly("mta");
            assertThat(RtLogPreset.isMomentumLayout(v2)).isFalse();
            assertThat(RtLogPreset.defaults(v2)).extracting(RtLogPreset.Series::label).containsExactly("msgs_in", "msgs_out", "failed");
        }
    }

    @Test
    void chartTotalsEqualADirectSumOn15And13() throws Exception {
        for (int major : new int[]{TestPg.shared().version().major(), 13}) {
            PgCluster cluster = TestPg.major(major);
            String name = "rtlog_sum_" + Long.toHexString(System.nanoTime());
            try (Connection pc = cluster.connect("postgres"); Statement s = pc.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            try (Connection c = cluster.connect(name)) {
                createFixtures(c);
                List<RtLogCatalog.Table> tables = RtLogCatalog.discover(c);
                RtLogCatalog.Table demo = tables.get(0);
                Instant to = RtLogQuery.serverNow(c);
                Instant from = to.minus(3, ChronoUnit.DAYS);
                var series = RtLogPreset.defaults(demo);
                var spec = new RtLogQuery.Spec(demo, series, Map.of("domain", "b.example"), from, to, 3_600);
                RtLogQuery.Result r = RtLogQuery.run(c, spec, major, null);
                assertThat(r.rows()).as("hourly buckets over 3 days").isBetween(70, 74);
                assertThat(r.total(0)).isEqualTo(directSum(c, "delivered", "rt_log.delivery_stats_hour", "ts", from, to, "domain", "b.example"));
                assertThat(r.total(1)).isEqualTo(directSum(c, "inband_bounces + outofband_bounces", "rt_log.delivery_stats_hour", "ts", from, to, "domain", "b.example"));
                assertThat(r.total(4)).isEqualTo(directSum(c, "rejections", "rt_log.delivery_stats_hour", "ts", from, to, "domain", "b.example"));
                // the average is sum/sum per bucket, not an average of averages
                int last = r.rows() - 1;
                assertThat(r.values()[5][last]).isCloseTo(200.0, within(0.001));   // newest hour: h = 0 → 200 ms
                // daily buckets over two years, no filter: the grand total is still exact
                var all = new RtLogQuery.Spec(demo, series.subList(0, 1), Map.of(), to.minus(730, ChronoUnit.DAYS), to, 86_400);
                RtLogQuery.Result daily = RtLogQuery.run(c, all, major, null);
                assertThat(daily.total(0)).isEqualTo(directSum(c, "delivered", "rt_log.delivery_stats_hour", "ts", all.from(), to, null, null));
                assertThat(daily.rows()).isBetween(10, 12);

                // the other layout, timestamp without time zone, 5-minute buckets
                RtLogCatalog.Table v2 = tables.get(1);
                var v2spec = new RtLogQuery.Spec(v2, RtLogPreset.defaults(v2), Map.of("mta", "mta1"), to.minus(1, ChronoUnit.DAYS), to, 300);
                RtLogQuery.Result rv = RtLogQuery.run(c, v2spec, major, null);
                double direct;
                try (PreparedStatement ps = c.prepareStatement("SELECT sum(msgs_out) FROM rt_log_v2.traffic_5m WHERE period_start >= ? AND period_start < ? AND mta = 'mta1'")) {
                    ps.setTimestamp(1, Timestamp.from(v2spec.from()));
                    ps.setTimestamp(2, Timestamp.from(to));
                    try (ResultSet rs = ps.executeQuery()) { rs.next(); direct = rs.getDouble(1); }
                }
                assertThat(rv.total(1)).isEqualTo(direct).isGreaterThan(0);

                StringWriter csv = new StringWriter();
                r.writeCsv(csv);
                String[] lines = csv.toString().split("\n");
                assertThat(lines[0]).isEqualTo("bucket_start,deliveries,bounces,transient failures,permanent failures,rejections,avg delivery time (ms)");
                assertThat(lines).hasSize(r.rows() + 1);
                assertThat(RtLogQuery.recentValues(c, demo, "domain")).containsExactly("a.example", "b.example", "c.example");
            }
        }
    }

    @Test
    void unknownColumnsAreRefusedNotInterpolated() throws Exception {
        String db = TestPg.createDatabase("rtlog_bad");
        try (Connection c = TestPg.shared().connect(db)) {
            createFixtures(c);
            RtLogCatalog.Table demo = RtLogCatalog.discover(c).get(0);
            var evil = new RtLogQuery.Spec(demo, List.of(RtLogPreset.Series.of("delivered\"); DROP TABLE x; --")), Map.of(),
                    Instant.now().minusSeconds(60), Instant.now(), 60);
            assertThatThrownBy(() -> RtLogQuery.sql(evil, 15)).isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("rt_log.delivery_stats_hour has no column");
            // filter values are bound: a quote in a domain is just a value
            var q = new RtLogQuery.Spec(demo, RtLogPreset.defaults(demo), Map.of("domain", "x' OR '1'='1"), Instant.now().minusSeconds(86_400), Instant.now(), 3600);
            assertThat(RtLogQuery.run(c, q, 15, null).rows()).isZero();
        }
    }

    private static double directSum(Connection c, String expr, String table, String time, Instant from, Instant to, String col, String val) throws Exception {
        String sql = "SELECT coalesce(sum(" + expr + "), 0) FROM " + table + " WHERE " + time + " >= ? AND " + time + " < ?"
                + (col == null ? "" : " AND " + col + " = ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            if (col != null) ps.setString(3, val);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }
}
