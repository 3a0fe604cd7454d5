package io.msyspg.console.core.demo;

import io.msyspg.console.cli.ConsoleCommand;
import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo sandbox end to end on a real server: one SMALL sandbox built once, then inspected, compared with an
 * independent load of the same seed, used with psql, watched while traffic runs, stopped, restarted (reused),
 * and reset, partly through the {@code demo} command.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoSandboxTest {
    static final long SEED = 20261121L;
    static Path home;
    static DemoSandbox sandbox;
    static final List<String> messages = new CopyOnWriteArrayList<>();
    static double buildSeconds;

    @BeforeAll
    static void build() throws Exception {
        // java.io.tmpdir is reachable by the postgres account; the sandbox makes its folder traversable (711)
        home = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "msyspg-demo-test-");
        sandbox = new DemoSandbox(AppDirs.fromEnvironment(), home);
        System.setProperty(DemoTraffic.GIVE_UP_PROPERTY, "5");   // handed to the detached generator
        long t0 = System.nanoTime();
        sandbox.start(DemoSandbox.Size.SMALL, SEED, new JobControl(new JobControl.ProgressListener() {
            @Override public void progress(double done, double total) { }
            @Override public void message(String m) { messages.add(m); }
        }));
        buildSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("demo SMALL build: %.1f s%n", buildSeconds);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        System.clearProperty(DemoTraffic.GIVE_UP_PROPERTY);
        if (sandbox != null) sandbox.reset();
        deleteTree(home);
    }

    static PooledDbSession session() throws SQLException {
        return PooledDbSession.open(sandbox.target(), null);
    }

    static long one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    record Cli(int code, String out, String err) {
        String lastLine() {
            List<String> l = out.strip().lines().toList();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }
    }

    static Cli cli(String... args) {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    static void waitUntil(int seconds, BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(250);
        }
        assertThat(condition.getAsBoolean()).as(what + " within " + seconds + " s").isTrue();
    }

    @Test @Order(1)
    void startCreatesARunningSandboxWithProgress() {
        DemoSandbox.Status st = sandbox.status();
        assertThat(st.exists()).isTrue();
        assertThat(st.running()).isTrue();
        assertThat(st.host()).isEqualTo("127.0.0.1");
        assertThat(st.url()).isEqualTo("postgresql://msyspg@127.0.0.1:" + st.port() + "/ecelerity");
        assertThat(st.dataDir()).isEqualTo(home.resolve("pg/data"));
        assertThat(st.logDir()).isEqualTo(home.resolve("pg/data/pg_log"));
        assertThat(messages).anyMatch(m -> m.contains("creating the PostgreSQL cluster"))
                .anyMatch(m -> m.contains("partitions of rt_log.delivery_stats_hour"))
                .anyMatch(m -> m.contains("loading hourly statistics"));
        assertThat(sandbox.trafficRunning()).isTrue();
    }

    @Test @Order(2)
    void ecelerityHasTheMomentumLikeSchema() throws Exception {
        try (PooledDbSession db = session(); Connection c = db.borrow()) {
            assertThat(column(c, "SELECT nspname FROM pg_namespace ORDER BY 1"))
                    .contains("webconsole", "rt_log", "rt_log_bounce", "rt_log_archive");
            assertThat(one(c, "SELECT count(*) FROM pg_roles WHERE rolname = 'msyspg' AND rolsuper")).isEqualTo(1);
            assertThat(one(c, "SELECT count(*) FROM pg_roles WHERE rolname = 'ecuser' AND rolcanlogin AND NOT rolsuper")).isEqualTo(1);
            long partitions = one(c, "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
                    + " JOIN pg_class k ON k.oid = i.inhrelid WHERE p.relkind = 'p' AND k.relkind IN ('r', 'p')");
            assertThat(partitions).isGreaterThanOrEqualTo(700).isEqualTo(new DemoData(DemoSandbox.Size.SMALL, SEED, Instant.now()).partitionCount());
            // two years of daily partitions of the hourly table, named <table>_pYYYYMMDD
            List<String> hourParts = column(c, "SELECT k.relname FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'rt_log.delivery_stats_hour'::regclass ORDER BY 1");
            assertThat(hourParts).hasSizeGreaterThanOrEqualTo(731).allMatch(n -> n.matches("delivery_stats_hour_p\\d{8}"));
            assertThat(one(c, "SELECT (max(ts) - min(ts) >= interval '729 days')::int FROM rt_log.delivery_stats_hour")).isEqualTo(1);
            // the column contract other features rely on
            for (String t : List.of("rt_log.delivery_stats_hour", "rt_log.delivery_stats_minute")) {
                assertThat(column(c, "SELECT attname FROM pg_attribute WHERE attrelid = '" + t + "'::regclass AND attnum > 0"
                        + " AND NOT attisdropped ORDER BY attnum")).as(t).isEqualTo(DemoData.STAT_COLUMNS);
            }
            // odd-but-realistic objects
            assertThat(one(c, "SELECT count(*) FROM pg_class WHERE oid = 'rt_log.delivery_summary_daily'::regclass AND relkind = 'v'")).isEqualTo(1);
            assertThat(one(c, "SELECT count(*) FROM pg_class WHERE oid = 'rt_log.top_domains_30d'::regclass AND relkind = 'm'")).isEqualTo(1);
            assertThat(one(c, "SELECT count(*) FROM rt_log.top_domains_30d")).isEqualTo(5);
            assertThat(one(c, "SELECT count(*) FROM pg_class WHERE oid = 'webconsole.session_seq'::regclass AND relkind = 'S'")).isEqualTo(1);
            assertThat(one(c, "SELECT count(*) FROM pg_type WHERE typname = 'user_status' AND typtype = 'e'")).isEqualTo(1);
            assertThat(one(c, "SELECT count(*) FROM pg_proc WHERE proname IN ('avg_delivery_ms', 'totals', 'ensure_partitions', 'expire_sessions')")).isEqualTo(4);
            assertThat(text(c, "SELECT obj_description('rt_log.delivery_stats_hour'::regclass, 'pg_class')")).contains("per hour");
            // users carry crypt-style hashes, never a password
            assertThat(column(c, "SELECT password_hash FROM webconsole.users")).hasSize(40)
                    .allMatch(h -> h.startsWith("$2b$10$") && h.length() == 60 || h.startsWith("$5$rounds=5000$"));
            assertThat(one(c, "SELECT count(*) FROM webconsole.sessions")).isPositive();
        }
        // the application user reads the statistics and may not write the archive
        try (PooledDbSession app = PooledDbSession.open(sandbox.appTarget(), null); Connection c = app.borrow()) {
            assertThat(one(c, "SELECT count(*) FROM rt_log.delivery_stats_hour WHERE domain = 'gmail.com'")).isPositive();
            assertThat(one(c, "SELECT has_table_privilege('rt_log_archive.delivery_stats_day', 'DELETE')::int")).isZero();
        }
    }

    @Test @Order(3)
    void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() throws Exception {
        Instant until;
        long seed;
        String sums = "SELECT concat_ws(',', count(*), sum(received), sum(delivered), sum(transient_failures), sum(permanent_failures),"
                + " sum(inband_bounces), sum(outofband_bounces), sum(rejections), sum(delivery_time_ms_sum)) FROM %s WHERE ts < '%s'";
        String bounceSums = "SELECT concat_ws(',', count(*), sum(inband_bounces), sum(outofband_bounces)) FROM rt_log_bounce.bounce_stats_hour WHERE ts < '%s'";
        String users = "SELECT string_agg(login || ':' || password_hash, ',' ORDER BY login) FROM webconsole.users";
        List<String> inSandbox = new ArrayList<>();
        try (PooledDbSession db = session(); Connection c = db.borrow()) {
            until = Instant.parse(text(c, "SELECT value FROM public.demo_sandbox_info WHERE key = 'until'"));
            seed = Long.parseLong(text(c, "SELECT value FROM public.demo_sandbox_info WHERE key = 'seed'"));
            inSandbox.add(text(c, sums.formatted("rt_log.delivery_stats_hour", until)));
            inSandbox.add(text(c, sums.formatted("rt_log.delivery_stats_minute", until)));
            inSandbox.add(text(c, bounceSums.formatted(until)));
            inSandbox.add(text(c, users));
        }
        assertThat(seed).isEqualTo(SEED);
        // an independent load of the same size, seed and end on another server
        String db = TestPg.createDatabase("demo_same_seed");
        List<String> reloaded = new ArrayList<>();
        try (Connection c = TestPg.shared().connect(db)) {
            new DemoData(DemoSandbox.Size.SMALL, seed, until).load(c, io.msyspg.console.core.task.JobContext.none());
            reloaded.add(text(c, sums.formatted("rt_log.delivery_stats_hour", until)));
            reloaded.add(text(c, sums.formatted("rt_log.delivery_stats_minute", until)));
            reloaded.add(text(c, bounceSums.formatted(until)));
            reloaded.add(text(c, users));
        }
        assertThat(reloaded).isEqualTo(inSandbox);
        assertThat(inSandbox.get(0)).doesNotStartWith("0,");

        // another seed (a reduced spec keeps this quick): different counters, same shape
        DemoData.Spec tiny = new DemoData.Spec(3, 1, 1, 1, 1, 1, 3, 2, 1, 3);
        List<String> results = new ArrayList<>();
        for (long s : new long[] {seed, seed, seed + 1}) {
            String tdb = TestPg.createDatabase("demo_tiny");
            try (Connection c = TestPg.shared().connect(tdb)) {
                new DemoData(tiny, s, until).load(c, io.msyspg.console.core.task.JobContext.none());
                results.add(text(c, sums.formatted("rt_log.delivery_stats_hour", until)) + "|"
                        + text(c, sums.formatted("rt_log_archive.binding_mta01_hour", until)));
            }
        }
        assertThat(results.get(0)).isEqualTo(results.get(1));
        assertThat(results.get(2)).isNotEqualTo(results.get(0));
        assertThat(results.get(2).split(",")[0]).isEqualTo(results.get(0).split(",")[0]);   // same row count
    }

    @Test @Order(4)
    void theUrlWorksWithPsqlAsIs() throws Exception {
        Path psql = PgBinaries.system().binDir().resolve("psql");
        Processes.Result r = Processes.run(List.of(psql.toString(), "-X", "-At", sandbox.status().url(),
                "-c", "select current_user || '@' || current_database()"), 30);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("msyspg@ecelerity");
        Processes.Result one = Processes.run(List.of(psql.toString(), "-X", sandbox.status().url(), "-c", "select 1"), 30);
        assertThat(one.exitCode()).as(one.output()).isZero();
    }

    @Test @Order(5)
    void trafficMovesTheStatisticsAndWritesWarningsAndErrorsToTheLog() throws Exception {
        try (PooledDbSession db = session(); Connection c = db.borrow()) {
            String until = text(c, "SELECT value FROM public.demo_sandbox_info WHERE key = 'until'");
            String live = "SELECT coalesce(sum(received), 0) FROM rt_log.delivery_stats_minute WHERE ts >= '" + until + "'";
            long received0 = one(c, live);
            long audit0 = one(c, "SELECT count(*) FROM webconsole.audit_log");
            waitUntil(40, () -> {
                try {
                    return one(c, live) > received0 && one(c, "SELECT count(*) FROM webconsole.audit_log") > audit0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "live statistics and web console logins");
            assertThat(one(c, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ecuser' AND application_name = 'ecelerity rt_stats'"))
                    .isEqualTo(1);
        }
        Path logDir = sandbox.status().logDir();
        waitUntil(60, () -> logContains(logDir, " WARNING:  ") && logContains(logDir, " ERROR:  "), "a WARNING and an ERROR line in pg_log");
        assertThat(logContains(logDir, " LOG:  rt_stats: flushed")).isTrue();
        assertThat(Files.readString(sandbox.trafficLog())).contains("traffic generator started");
    }

    static boolean logContains(Path dir, String needle) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) if (Files.readString(f).contains(needle)) return true;
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Test @Order(6)
    void cliStatusPrintsTheUrlLastAndRejectsBadUsage() {
        Cli st = cli("demo", "status", "--dir", home.toString());
        assertThat(st.code()).as(st.err()).isZero();
        assertThat(st.lastLine()).isEqualTo(sandbox.status().url());
        assertThat(cli("demo", "start", "--size", "huge", "--dir", home.toString()).code()).isEqualTo(2);
        assertThat(cli("demo", "start", "--size", "huge", "--dir", home.toString()).err()).contains("'huge' is not a size");
        assertThat(cli("demo").code()).isEqualTo(2);
        assertThat(cli("demo", "start", "--seed", "x").code()).isEqualTo(2);
    }

    static long hourRows;
    static String untilBefore;

    @Test @Order(7)
    void stopKeepsTheData() throws Exception {
        try (PooledDbSession db = session(); Connection c = db.borrow()) {
            hourRows = one(c, "SELECT count(*) FROM rt_log.delivery_stats_hour");
            untilBefore = text(c, "SELECT value FROM public.demo_sandbox_info WHERE key = 'until'");
        }
        Cli stop = cli("demo", "stop", "--dir", home.toString());
        assertThat(stop.code()).as(stop.err()).isZero();
        DemoSandbox.Status st = sandbox.status();
        assertThat(st.running()).isFalse();
        assertThat(st.exists()).isTrue();
        assertThat(sandbox.trafficRunning()).isFalse();
        assertThat(home.resolve("pg/data/PG_VERSION")).exists();
        Cli status = cli("demo", "status", "--dir", home.toString());
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.err()).contains("stopped");
    }

    @Test @Order(8)
    void startAgainReusesTheSandbox() throws Exception {
        long t0 = System.nanoTime();
        Cli start = cli("demo", "start", "--dir", home.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.err()).doesNotContain("loading").doesNotContain("creating");
        DemoSandbox.Status st = sandbox.status();
        assertThat(start.lastLine()).isEqualTo(st.url());
        assertThat(st.running()).isTrue();
        assertThat(sandbox.trafficRunning()).isTrue();
        try (PooledDbSession db = session(); Connection c = db.borrow()) {
            assertThat(text(c, "SELECT value FROM public.demo_sandbox_info WHERE key = 'until'")).isEqualTo(untilBefore);
            assertThat(one(c, "SELECT count(*) FROM rt_log.delivery_stats_hour")).isGreaterThanOrEqualTo(hourRows);
        }
        System.out.printf("demo restart (reuse): %.1f s (build was %.1f s)%n", seconds, buildSeconds);
        // a second start while it runs changes nothing
        int port = st.port();
        assertThat(cli("demo", "start", "--dir", home.toString()).code()).isZero();
        assertThat(sandbox.status().port()).isEqualTo(port);
    }

    /** A job context that cancels itself when it is told a message containing {@code trigger}. */
    static JobControl cancelledAt(String trigger) {
        return cancelledAt(trigger, false);
    }

    /** The same; with {@code interrupt}, also interrupts the job's thread, as a GUI cancel does after the flag. */
    static JobControl cancelledAt(String trigger, boolean interrupt) {
        AtomicReference<JobControl> self = new AtomicReference<>();
        self.set(new JobControl(new JobControl.ProgressListener() {
            @Override public void progress(double done, double total) { }
            @Override public void message(String m) {
                if (!m.contains(trigger)) return;
                self.get().cancel();
                if (interrupt) Thread.currentThread().interrupt();
            }
        }));
        return self.get();
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test @Order(9)
    void aCancelAfterTheServerStartedStopsItAgainAndKeepsTheData() {
        sandbox.stop();
        assertThatThrownBy(() -> sandbox.start(DemoSandbox.Size.SMALL, cancelledAt("starting the traffic generator")))
                .isInstanceOf(JobCancelledException.class);
        DemoSandbox.Status st = sandbox.status();
        assertThat(st.running()).isFalse();
        assertThat(st.exists()).as("the loaded data stays").isTrue();
        assertThat(sandbox.trafficRunning()).isFalse();
    }

    @Test @Order(10)
    void aCancelWhileConnectingStopsWhatTheStartStarted() {
        assertThat(sandbox.status().running()).isFalse();
        assertThatThrownBy(() -> sandbox.startAndConnect(DemoSandbox.Size.SMALL, 10, cancelledAt("Connecting to")))
                .isInstanceOf(JobCancelledException.class);
        assertThat(sandbox.status().running()).isFalse();
        assertThat(sandbox.status().exists()).isTrue();
        assertThat(sandbox.trafficRunning()).isFalse();
    }

    @Test @Order(11)
    void aCancelledConnectLeavesASandboxThatWasRunningRunning() throws Exception {
        sandbox.start(DemoSandbox.Size.SMALL, JobContext.none());
        assertThatThrownBy(() -> sandbox.startAndConnect(DemoSandbox.Size.SMALL, 10, cancelledAt("Connecting to")))
                .isInstanceOf(JobCancelledException.class);
        assertThat(sandbox.status().running()).isTrue();
        assertThat(sandbox.trafficRunning()).isTrue();
        try (PooledDbSession s = sandbox.startAndConnect(DemoSandbox.Size.SMALL, 10, JobContext.none());
             Connection c = s.borrow()) {
            assertThat(one(c, "SELECT count(*) FROM rt_log.delivery_stats_hour")).isGreaterThanOrEqualTo(hourRows);
        }
    }

    @Test
    void aCancelThatInterruptsInitdbLeavesNothingBehind() throws Exception {
        Path other = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "msyspg-demo-initdb-");
        DemoSandbox half = new DemoSandbox(AppDirs.fromEnvironment(), other);
        // as a GUI cancel does: the flag, then the worker's interrupt, here just before initdb runs
        JobControl cancel = cancelledAt("creating the PostgreSQL cluster", true);
        try {
            assertThatThrownBy(() -> half.start(DemoSandbox.Size.SMALL, SEED, cancel)).isInstanceOf(JobCancelledException.class);
            assertThat(Thread.interrupted()).as("the caller still sees the interrupt").isTrue();
            assertThat(half.status().running()).isFalse();
            assertThat(half.status().dataDir()).isNull();
            assertThat(other.resolve("pg")).doesNotExist();
        } finally {
            Thread.interrupted();
            half.reset();
            deleteTree(other);
        }
    }

    @Test
    void aCancelDuringTheLoadDeletesTheHalfBuiltCluster() throws Exception {
        Path other = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "msyspg-demo-cancel-");
        DemoSandbox half = new DemoSandbox(AppDirs.fromEnvironment(), other);
        try {
            assertThatThrownBy(() -> half.start(DemoSandbox.Size.SMALL, SEED, cancelledAt("loading hourly statistics")))
                    .isInstanceOf(JobCancelledException.class);
            DemoSandbox.Status st = half.status();
            assertThat(st.running()).isFalse();
            assertThat(st.exists()).isFalse();
            assertThat(st.dataDir()).as("no cluster is left to be mistaken for a usable one").isNull();
            assertThat(other.resolve("pg")).doesNotExist();
        } finally {
            half.reset();
            deleteTree(other);
        }
    }

    @Test @Order(12)
    void trafficLeavesWhenTheServerIsGoneAndStartBringsBothBack() throws Exception {
        long pid = sandbox.trafficPid().orElseThrow();
        // stop the server behind the sandbox's back (as a crash or an admin would)
        io.msyspg.console.core.cluster.PgCluster.reopen(PgBinaries.system(), home.resolve("pg"), "msyspg", null)
                .stop(io.msyspg.console.core.cluster.PgCluster.StopMode.FAST);
        waitUntil(60, () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the generator leaves");
        assertThat(sandbox.trafficRunning()).isFalse();
        assertThat(Files.readString(sandbox.trafficLog())).contains("leaving");
        Cli start = cli("demo", "start", "--dir", home.toString());
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(sandbox.status().running()).isTrue();
        assertThat(sandbox.trafficPid()).isPresent().get().isNotEqualTo(pid);
    }

    @Test @Order(13)
    void resetDeletesEverything() throws Exception {
        long trafficPid = sandbox.trafficPid().orElseThrow();
        Cli reset = cli("demo", "reset", "--dir", home.toString());
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(home.resolve("pg")).doesNotExist();
        assertThat(home.resolve("sandbox.properties")).doesNotExist();
        DemoSandbox.Status st = sandbox.status();
        assertThat(st.exists()).isFalse();
        assertThat(st.running()).isFalse();
        assertThat(st.url()).isNull();
        assertThat(ProcessHandle.of(trafficPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Cli status = cli("demo", "status", "--dir", home.toString());
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.err()).contains("no demo sandbox");
    }

    @Test
    void theFolderIsOneThePostgresAccountCanReach(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        AppDirs dirs = new AppDirs(tmp.resolve("config"), tmp.resolve("state"), tmp.resolve("cache"));
        assertThat(DemoSandbox.resolveHome(dirs, "/x/demo", null)).isEqualTo(Path.of("/x/demo"));
        assertThat(DemoSandbox.resolveHome(dirs, null, "/y/demo")).isEqualTo(Path.of("/y/demo"));
        Files.createDirectories(dirs.state());
        io.msyspg.console.core.common.FilePermissions.set(dirs.state(), "rwx------");
        assertThat(DemoSandbox.traversableByOthers(dirs.state())).isFalse();
        assertThat(DemoSandbox.traversableByOthers(Path.of("/usr/lib"))).isTrue();
        Path expected = io.msyspg.console.core.cluster.ServerAccount.runningAsRoot() ? DemoSandbox.ROOT_FALLBACK : dirs.state().resolve("demo");
        assertThat(DemoSandbox.resolveHome(dirs, null, null)).isEqualTo(expected);
        if (io.msyspg.console.core.cluster.ServerAccount.runningAsRoot()) {
            // an explicit folder under a private parent: a clear message naming the folder, nothing started
            DemoSandbox hidden = new DemoSandbox(dirs, dirs.state().resolve("demo"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> hidden.start(DemoSandbox.Size.SMALL, io.msyspg.console.core.task.JobContext.none()))
                    .isInstanceOf(io.msyspg.console.core.common.ConsoleException.class)
                    .hasMessageContaining("postgres account cannot reach the demo sandbox folder " + dirs.state().resolve("demo"));
            assertThat(hidden.status().dataDir()).isNull();
        }
    }
}
