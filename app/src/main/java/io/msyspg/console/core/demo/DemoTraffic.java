package io.msyspg.console.core.demo;

import io.msyspg.console.core.connect.ConnectionTarget;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import java.util.Random;

/**
 * The demo sandbox's live traffic, run by {@code msyspg-console demo traffic --dir DIR} as a detached process:
 * about two or three statements per second as {@code ecuser}, so that charts move and the server log gets
 * ordinary lines ({@code RAISE LOG}, connections, slow statements) plus an occasional WARNING and ERROR.
 * It leaves when its pid file is gone or names another process ({@code demo stop}), on SIGTERM, or when the
 * server has been unreachable for {@link #GIVE_UP_SECONDS}.
 */
public final class DemoTraffic {
    /** How long the server may be unreachable before the generator leaves ({@code -Dmsyspg.demo.traffic.giveup=S}). */
    public static final String GIVE_UP_PROPERTY = "msyspg.demo.traffic.giveup";
    public static final int GIVE_UP_SECONDS = Integer.getInteger(GIVE_UP_PROPERTY, 30);
    private static final long TICK_MILLIS = 1000;

    private final DemoSandbox sandbox;
    private final PrintStream out;
    private final Random random = new Random();
    private final long pid = ProcessHandle.current().pid();
    private long tick;

    public DemoTraffic(DemoSandbox sandbox, PrintStream out) {
        this.sandbox = sandbox;
        this.out = out;
    }

    /** Runs until told to stop; returns the exit code. */
    public int run() throws IOException, InterruptedException {
        sandbox.claimTraffic(pid);
        say("traffic generator started (pid " + pid + ") for " + sandbox.home());
        long unreachableSince = 0;
        while (sandbox.trafficWanted(pid)) {
            DemoSandbox.Status st = sandbox.status();
            if (!st.running()) {
                if (unreachableSince == 0) unreachableSince = System.nanoTime();
                if (System.nanoTime() - unreachableSince > GIVE_UP_SECONDS * 1_000_000_000L) {
                    say("the demo server is not running; leaving");
                    return 0;
                }
                Thread.sleep(TICK_MILLIS);
                continue;
            }
            try (Connection c = connect(sandbox.appTarget())) {
                unreachableSince = 0;
                say("connected to " + st.url() + " as " + DemoData.APP_USER);
                loop(c);
            } catch (SQLException e) {
                say("database error: " + e.getMessage().lines().findFirst().orElse(""));
                if (unreachableSince == 0) unreachableSince = System.nanoTime();
                if (System.nanoTime() - unreachableSince > GIVE_UP_SECONDS * 1_000_000_000L) {
                    say("the demo server is unreachable; leaving");
                    return 0;
                }
                Thread.sleep(2 * TICK_MILLIS);
            }
        }
        say("no longer wanted (pid file gone or taken over); leaving");
        return 0;
    }

    private static Connection connect(ConnectionTarget t) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", t.user());
        p.setProperty("ApplicationName", t.applicationName());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection(t.jdbcUrl(), p);
    }

    private void loop(Connection c) throws SQLException, InterruptedException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SELECT rt_log.ensure_partitions(current_date), rt_log.ensure_partitions(current_date + 1),"
                    + " rt_log.ensure_partitions(current_date + 2)");
        }
        String upsert = """
                INSERT INTO rt_log.%s AS t (ts, domain, binding, received, delivered, transient_failures, permanent_failures,
                    inband_bounces, outofband_bounces, rejections, delivery_time_ms_sum)
                VALUES (date_trunc('%s', now()), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ts, domain, binding) DO UPDATE SET
                  received = t.received + excluded.received, delivered = t.delivered + excluded.delivered,
                  transient_failures = t.transient_failures + excluded.transient_failures,
                  permanent_failures = t.permanent_failures + excluded.permanent_failures,
                  inband_bounces = t.inband_bounces + excluded.inband_bounces,
                  outofband_bounces = t.outofband_bounces + excluded.outofband_bounces,
                  rejections = t.rejections + excluded.rejections,
                  delivery_time_ms_sum = t.delivery_time_ms_sum + excluded.delivery_time_ms_sum""";
        try (PreparedStatement minute = c.prepareStatement(upsert.formatted("delivery_stats_minute", "minute"));
             PreparedStatement hour = c.prepareStatement(upsert.formatted("delivery_stats_hour", "hour"));
             Statement s = c.createStatement()) {
            while (sandbox.trafficWanted(pid)) {
                long started = System.nanoTime();
                tick++;
                for (int i = 0; i < 3; i++) {
                    String[] d = DemoData.DOMAINS[random.nextInt(5)];
                    String binding = random.nextInt(4) == 0 ? "transactional" : "default";
                    long received = 1 + random.nextInt(Math.max(2, Integer.parseInt(d[1]) / 20));
                    long rejections = random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0;
                    long permanent = random.nextInt(8) == 0 ? 1 : 0;
                    long transientF = random.nextInt(5) == 0 ? 1 + random.nextInt(4) : 0;
                    long delivered = Math.max(0, received - rejections - permanent);
                    long[] v = {received, delivered, transientF, permanent, permanent, random.nextInt(20) == 0 ? 1 : 0,
                            rejections, delivered * (150 + random.nextInt(1500))};
                    for (PreparedStatement ps : new PreparedStatement[] {minute, hour}) {
                        ps.setString(1, d[0]);
                        ps.setString(2, binding);
                        for (int k = 0; k < v.length; k++) ps.setLong(3 + k, v[k]);
                        ps.addBatch();
                    }
                }
                minute.executeBatch();
                hour.executeBatch();
                if (tick % 5 == 0) {
                    s.execute("INSERT INTO rt_log_bounce.bounce_stats_hour AS t (ts, domain, binding, bounce_class, inband_bounces, outofband_bounces)"
                            + " VALUES (date_trunc('hour', now()), 'gmail.com', 'default', " + new int[] {10, 21, 22, 51}[random.nextInt(4)]
                            + ", 1, " + random.nextInt(2) + ") ON CONFLICT (ts, domain, binding, bounce_class) DO UPDATE SET"
                            + " inband_bounces = t.inband_bounces + 1, outofband_bounces = t.outofband_bounces + excluded.outofband_bounces");
                }
                if (tick % 7 == 0) login(s);
                if (tick % 11 == 0) {
                    s.execute("DO $$ BEGIN RAISE LOG 'rt_stats: flushed % domain counters for binding default', "
                            + (3 + random.nextInt(5)) + "; END $$");
                }
                if (tick % 23 == 0) {
                    s.execute("DO $$ BEGIN RAISE WARNING 'rt_stats: binding % queue backlog is % messages (threshold 5000)', 'mta"
                            + (1 + random.nextInt(4)) + "', " + (5000 + random.nextInt(20000)) + "; END $$");
                }
                if (tick % 31 == 0) failOnPurpose(s);
                if (tick % 37 == 0) {
                    s.executeQuery("SELECT pg_sleep(0.3), count(*) FROM rt_log.delivery_stats_minute WHERE ts > now() - interval '1 hour'").close();
                }
                if (tick % 60 == 0) s.executeQuery("SELECT webconsole.expire_sessions()").close();
                if (tick % 600 == 0) {
                    s.executeQuery("SELECT rt_log.ensure_partitions(current_date + 1), rt_log.ensure_partitions(current_date + 2)").close();
                }
                long sleep = TICK_MILLIS - (System.nanoTime() - started) / 1_000_000;
                if (sleep > 0) Thread.sleep(sleep);
            }
        }
    }

    private void login(Statement s) throws SQLException {
        int user = 1 + random.nextInt(40);
        s.execute("INSERT INTO webconsole.sessions (token, user_id, remote_addr, user_agent, expires) VALUES (md5(random()::text || clock_timestamp()), "
                + user + ", '10.0." + random.nextInt(8) + "." + (10 + random.nextInt(200)) + "', 'Mozilla/5.0 (demo traffic)', now() + interval '"
                + (2 + random.nextInt(20)) + " minutes')");
    }

    /** Errors an operator would see in a real log: a duplicate key, a missing privilege, a bad cast. */
    private void failOnPurpose(Statement s) {
        String[] failing = {
                "INSERT INTO webconsole.roles (name, description) VALUES ('admin', 'duplicate on purpose (demo traffic)')",
                "DELETE FROM rt_log_archive.delivery_stats_day WHERE day < DATE '2000-01-01'",
                "SELECT 'not-a-number'::integer AS demo_bad_cast"};
        try {
            s.execute(failing[(int) (tick / 31 % failing.length)]);
        } catch (SQLException expected) {
            say("error on purpose: " + expected.getMessage().lines().findFirst().orElse(""));
        }
    }

    private void say(String line) {
        out.println(Instant.now() + " " + line);
        out.flush();
    }
}
