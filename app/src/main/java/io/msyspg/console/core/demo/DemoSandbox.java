package io.msyspg.console.core.demo;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.cluster.ServerAccount;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.common.Interrupts;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.Connector;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The demo sandbox: a real PostgreSQL with a Momentum-like {@code ecelerity} database and live traffic, kept in
 * the state directory. API used by the Connections screen and the {@code demo} command.
 *
 * <p>Layout of {@link #home()}: {@code pg/} (the cluster: {@code data/}, {@code sock/}, {@code data/pg_log/}),
 * {@code sandbox.properties} (size, seed, state), {@code traffic.pid} and {@code traffic.log} (the detached
 * traffic generator), {@code .lock} (serialises start/stop/reset between the GUI and the CLI).
 *
 * <p>Where: {@code <state>/demo}. When the console runs as root the server runs as {@code postgres}, which
 * cannot traverse a private state directory such as {@code /root/.local/state}: then the sandbox lives in
 * {@code /var/lib/msyspg-console/demo}. {@code -Dmsyspg.demo.dir} or {@code MSYSPG_CONSOLE_DEMO_DIR} choose
 * the folder explicitly. Authentication is {@code trust} for the Unix socket and 127.0.0.1 (the server
 * listens on nothing else), so {@code postgresql://msyspg@127.0.0.1:PORT/ecelerity} works with psql as is.
 */
public final class DemoSandbox {
    private static final Logger log = LoggerFactory.getLogger(DemoSandbox.class);

    public enum Size { SMALL, LARGE }

    /** What {@link #status()} reports. {@code url} is a libpq URL psql can use as is. */
    public record Status(boolean exists, boolean running, String host, int port, String database,
                         String superuser, String appUser, String url, Path dataDir, Path logDir) {}

    public static final String DIR_PROPERTY = "msyspg.demo.dir";
    public static final String DIR_ENV = "MSYSPG_CONSOLE_DEMO_DIR";
    public static final Path ROOT_FALLBACK = Path.of("/var/lib/msyspg-console/demo");
    public static final String SUPERUSER = "msyspg";
    public static final String HOST = "127.0.0.1";
    public static final long DEFAULT_SEED = 42;
    /**
     * {@code -Dmsyspg.demo.resetOnExit=true} (test JVMs): every sandbox this JVM starts is reset when the JVM exits,
     * so tests that click "Start demo server" leave no server or traffic generator behind.
     */
    public static final String RESET_ON_EXIT_PROPERTY = "msyspg.demo.resetOnExit";
    private static final java.util.Set<Path> RESET_ON_EXIT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final AppDirs dirs;
    private final Path home;

    public DemoSandbox(AppDirs dirs) {
        this(dirs, resolveHome(dirs, System.getProperty(DIR_PROPERTY), System.getenv(DIR_ENV)));
    }

    /** A sandbox in an explicit folder (tests; the folder must be reachable by the server account). */
    public DemoSandbox(AppDirs dirs, Path home) {
        this.dirs = dirs;
        this.home = home.toAbsolutePath().normalize();
    }

    /** The sandbox folder (see the class comment for how it is chosen). */
    public Path home() { return home; }

    static Path resolveHome(AppDirs dirs, String property, String env) {
        if (property != null && !property.isBlank()) return Path.of(property);
        if (env != null && !env.isBlank()) return Path.of(env);
        Path preferred = dirs.state().resolve("demo");
        if (ServerAccount.runningAsRoot() && !traversableByOthers(dirs.state())) return ROOT_FALLBACK;
        return preferred;
    }

    /** True when every folder from / down to {@code dir} exists and others may traverse it. */
    static boolean traversableByOthers(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        for (Path cur = p; cur != null; cur = cur.getParent()) {
            try {
                if (!Files.isDirectory(cur)) return false;
                if (!Files.getPosixFilePermissions(cur).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    Path clusterDir() { return home.resolve("pg"); }
    /** The sandbox cluster's data directory (its log is {@code pg_log/} inside). */
    public Path dataDir() { return clusterDir().resolve("data"); }
    Path propsFile() { return home.resolve("sandbox.properties"); }
    Path trafficPidFile() { return home.resolve("traffic.pid"); }
    public Path trafficLog() { return home.resolve("traffic.log"); }

    /** Cheap: reads files and checks the postmaster; never starts anything. */
    public Status status() {
        Properties p = readProps();
        Path conf = dataDir().resolve("postgresql.conf");
        boolean clusterThere = Files.isRegularFile(conf);
        boolean ready = clusterThere && "ready".equals(p.getProperty("state"));
        int port = clusterThere ? readPort(conf) : 0;
        boolean running = clusterThere && postmasterAlive();
        String url = clusterThere ? url(port) : null;
        return new Status(ready, running, clusterThere ? HOST : null, port, DemoData.DATABASE, SUPERUSER, DemoData.APP_USER,
                url, clusterThere ? dataDir() : null, clusterThere ? dataDir().resolve("pg_log") : null);
    }

    static String url(int port) {
        return "postgresql://" + SUPERUSER + "@" + HOST + ":" + port + "/" + DemoData.DATABASE;
    }

    /** Size, seed and history end of the loaded sandbox, when there is one. */
    public Optional<String> describe() {
        Properties p = readProps();
        if (!"ready".equals(p.getProperty("state"))) return Optional.empty();
        return Optional.of(p.getProperty("size", "?").toLowerCase() + ", seed " + p.getProperty("seed", "?")
                + ", " + p.getProperty("partitions", "?") + " partitions, history until " + p.getProperty("until", "?"));
    }

    /** The size of the loaded sandbox, if any. */
    public Optional<Size> loadedSize() {
        Properties p = readProps();
        if (!"ready".equals(p.getProperty("state"))) return Optional.empty();
        try {
            return Optional.of(Size.valueOf(p.getProperty("size")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Creates (first time) or reuses the sandbox, starts server and traffic; idempotent. */
    public Status start(Size size, JobContext ctx) {
        return start(size, DEFAULT_SEED, ctx);
    }

    /**
     * Creates (first time, with this size and seed) or reuses the sandbox whatever its size, starts the server and
     * the traffic generator. A load that was cancelled or failed is redone from scratch.
     */
    public Status start(Size size, long seed, JobContext ctx) {
        if (Boolean.getBoolean(RESET_ON_EXIT_PROPERTY) && RESET_ON_EXIT.add(home)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    reset();
                } catch (RuntimeException e) {
                    log.warn("could not reset the demo sandbox {} at exit: {}", home, e.getMessage());
                }
            }, "demo-sandbox-reset"));
        }
        try (FileLock ignored = lock()) {
            Properties p = readProps();
            PgCluster cluster = openCluster(p);
            boolean created = false;
            boolean startedHere = false;
            try {
                if (cluster == null) {
                    ctx.message("creating the PostgreSQL cluster in " + clusterDir());
                    created = true;
                    cluster = createCluster();
                    startedHere = true;
                } else if (!cluster.isRunning()) {
                    ctx.message("starting PostgreSQL in " + dataDir());
                    cluster.start();
                    startedHere = true;
                }
            } catch (IOException | RuntimeException e) {
                // a cancel's interrupt ends initdb or pg_ctl start half-way: nothing half-made stays behind
                if (!ctx.isCancelled()) throw e;
                PgCluster there = openCluster(readProps());
                if (created) discardHalfLoaded(there);
                else if (postmasterAlive()) stopQuietly(there);
                throw new JobCancelledException();
            }
            PgCluster running = cluster;
            try {
                if (created || !"ready".equals(p.getProperty("state"))) {
                    try {
                        load(running, size, seed, ctx);
                    } catch (JobCancelledException e) {
                        discardHalfLoaded(running);
                        throw e;
                    } catch (RuntimeException | Error e) {
                        if (ctx.isCancelled()) discardHalfLoaded(running);
                        else stopQuietly(running);
                        throw e;
                    }
                }
                ctx.checkCancelled();
                ctx.message("starting the traffic generator");
                try {
                    ensureTraffic();
                } catch (ConsoleException | IOException e) {
                    // the database is usable without live traffic: say so, do not fail the start
                    log.warn("demo traffic generator: {}", e.getMessage());
                    ctx.message("the traffic generator did not start; see " + trafficLog());
                }
                ctx.checkCancelled();
                return status();
            } catch (JobCancelledException e) {
                // cancelled after the load (or while the traffic generator started): what this start started, stops
                if (startedHere && postmasterAlive()) {
                    Interrupts.setAside(() -> {
                        stopTraffic();
                        stopQuietly(running);
                    });
                }
                throw e;
            }
        } catch (IOException e) {
            throw new ConsoleException("Cannot use the demo sandbox folder " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #start(Size, JobContext)}, then a pooled session as the superuser. A cancel while connecting (or a
     * failed connection after a cancel) stops the server and traffic again when this call started them; a sandbox
     * that was already running is left as it was.
     */
    public PooledDbSession startAndConnect(Size size, int connectTimeoutSeconds, JobContext ctx) {
        boolean wasRunning = status().running();
        start(size, ctx);
        try {
            ctx.checkCancelled();
            PooledDbSession s = Connector.open(target(), null, connectTimeoutSeconds, ctx);
            if (ctx.isCancelled()) {
                s.close();
                throw new JobCancelledException();
            }
            return s;
        } catch (RuntimeException e) {
            if (ctx.isCancelled() && !wasRunning) {
                try {
                    Interrupts.setAside(this::stop);
                } catch (RuntimeException stopFailed) {
                    log.warn("could not stop the demo sandbox after a cancelled start: {}", stopFailed.getMessage());
                }
            }
            throw e;
        }
    }

    /**
     * Undoes a cancelled load: the half-built cluster is worth nothing (the next start loads from scratch), so the
     * server stops at once, without the shutdown checkpoint of the data just written, which can take minutes on a
     * slow disk, and its directory is deleted. The interrupt of a GUI cancel is set aside meanwhile.
     */
    private void discardHalfLoaded(PgCluster c) {
        try {
            Interrupts.setAside(() -> {
                if (c != null && postmasterAlive()) c.stop(PgCluster.StopMode.IMMEDIATE);
                if (postmasterAlive()) {
                    log.warn("the half-loaded demo server in {} did not stop; it is kept", dataDir());
                    return;
                }
                deleteTree(clusterDir());
                log.info("cancelled demo load: the half-built cluster in {} was deleted", clusterDir());
            });
        } catch (IOException | RuntimeException e) {
            log.warn("could not discard the half-loaded demo cluster in {}: {}", clusterDir(), e.getMessage());
        }
    }

    /** Stops server and traffic; keeps the data. A no-op when nothing runs. */
    public void stop() {
        try (FileLock ignored = lock()) {
            stopTraffic();
            PgCluster c = openCluster(readProps());
            if (c != null && postmasterAlive()) c.stop(PgCluster.StopMode.FAST);
        } catch (IOException e) {
            throw new ConsoleException("Cannot use the demo sandbox folder " + home + ": " + e.getMessage(), e);
        }
    }

    /** Stops and deletes the sandbox. */
    public void reset() {
        try (FileLock ignored = lock()) {
            stopTraffic();
            PgCluster c = openCluster(readProps());
            if (c != null && postmasterAlive()) c.stop(PgCluster.StopMode.IMMEDIATE);
            if (postmasterAlive()) throw new ConsoleException("The demo server in " + dataDir() + " is still running; it was not deleted.");
            deleteTree(clusterDir());
            Files.deleteIfExists(propsFile());
            Files.deleteIfExists(trafficPidFile());
            Files.deleteIfExists(trafficLog());
        } catch (IOException e) {
            throw new ConsoleException("Cannot delete the demo sandbox in " + home + ": " + e.getMessage(), e);
        }
    }

    /** How to connect to the running sandbox as the superuser {@code msyspg} (no password needed from this host). */
    public ConnectionTarget target() {
        Status s = status();
        if (s.port() <= 0) throw new ConsoleException("There is no demo sandbox in " + home + " (start it with: msyspg-console demo start).");
        return new ConnectionTarget(s.host(), s.port(), s.database(), s.superuser(), "disable", null, null);
    }

    /** The same, as the application user {@code ecuser}. */
    public ConnectionTarget appTarget() {
        ConnectionTarget t = target();
        return new ConnectionTarget(t.host(), t.port(), t.database(), DemoData.APP_USER, "disable", null, "ecelerity rt_stats");
    }

    /** True while the detached traffic generator of this sandbox runs. */
    public boolean trafficRunning() {
        return trafficPid().isPresent();
    }

    // ---------------------------------------------------------------------------------------------------------

    private PgCluster openCluster(Properties p) {
        if (!Files.isRegularFile(dataDir().resolve("postgresql.conf"))) return null;
        int major = Integer.parseInt(p.getProperty("major", Integer.toString(PgBinaries.system().version().major())));
        return PgCluster.reopen(PgBinaries.forMajor(major), clusterDir(), SUPERUSER, null);
    }

    private PgCluster createCluster() throws IOException {
        prepareHome();
        if (Files.exists(clusterDir())) deleteTree(clusterDir());   // leftovers of a failed initdb
        PgBinaries bin = PgBinaries.system();
        PgCluster.Builder b = PgCluster.builder(bin).baseDir(clusterDir()).durable(true).superuser(SUPERUSER)
                .setting("timezone", "'UTC'")
                .setting("log_timezone", "'UTC'")
                .setting("log_line_prefix", "'%m [%p] %q%u@%d '")
                .setting("log_min_duration_statement", "250")
                .setting("log_connections", "on")
                .setting("log_checkpoints", "on")
                .setting("log_autovacuum_min_duration", "0")
                .setting("log_lock_waits", "on")
                .setting("track_io_timing", "on")
                .setting("max_locks_per_transaction", "512");
        if (Files.exists(bin.binDir().resolve("../lib/pg_stat_statements.so").normalize())) {
            b.setting("shared_preload_libraries", "'pg_stat_statements'");
        }
        PgCluster c = b.start();
        Properties p = readProps();
        p.setProperty("major", Integer.toString(bin.version().major()));
        p.setProperty("state", "created");
        writeProps(p);
        return c;
    }

    private void prepareHome() throws IOException {
        Files.createDirectories(home);
        if (ServerAccount.forNewCluster().switchesUser()) {
            // the server account must traverse home to reach pg/ (pg/ itself is the account's, mode 700)
            if (home.startsWith(ROOT_FALLBACK.getParent()) && Files.isDirectory(ROOT_FALLBACK.getParent())) {
                FilePermissions.set(ROOT_FALLBACK.getParent(), "rwxr-xr-x");
            }
            FilePermissions.set(home, "rwx--x--x");
            if (!traversableByOthers(home)) {
                throw new ConsoleException("The " + ServerAccount.forNewCluster().name() + " account cannot reach the demo sandbox folder "
                        + home + " (a parent folder is private); choose another folder with -D" + DIR_PROPERTY + " or " + DIR_ENV + ".");
            }
        } else {
            FilePermissions.ownerOnly(home);
        }
    }

    private void load(PgCluster cluster, Size size, long seed, JobContext ctx) {
        DemoData data = new DemoData(size, seed, Instant.now());
        Properties p = readProps();
        p.setProperty("state", "loading");
        writeProps(p);
        long t0 = System.nanoTime();
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            ctx.message("creating database " + DemoData.DATABASE);
            s.execute("DROP DATABASE IF EXISTS " + DemoData.DATABASE);
            s.execute("CREATE DATABASE " + DemoData.DATABASE + " OWNER " + SUPERUSER);
            s.execute("COMMENT ON DATABASE " + DemoData.DATABASE + " IS 'Momentum-like demo database (msyspg-console demo sandbox)'");
        } catch (SQLException e) {
            throw new ConsoleException("Cannot create the demo database on " + cluster + ": " + e.getMessage(), e);
        }
        try (Connection c = cluster.connect(DemoData.DATABASE)) {
            try (Statement s = c.createStatement()) {
                s.execute("DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_stat_statements; "
                        + "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_stat_statements unavailable'; END $$");
            }
            data.load(c, ctx);
        } catch (SQLException e) {
            if (ctx.isCancelled()) throw new JobCancelledException();
            throw new ConsoleException("Loading the demo database failed: " + e.getMessage(), e);
        }
        p.setProperty("state", "ready");
        p.setProperty("size", size.name());
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("until", data.until().toString());
        p.setProperty("partitions", Integer.toString(data.partitionCount()));
        p.setProperty("loadSeconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        writeProps(p);
        log.info("demo sandbox loaded: {} seed {} ({} partitions) in {} s", size, seed, data.partitionCount(), p.getProperty("loadSeconds"));
    }

    /**
     * Stops the half-loaded server after a failed or cancelled load. A cancel interrupts the worker thread, and
     * pg_ctl's wait would then fail at once and leave the server running: the interrupt is set aside for the
     * stop and restored afterwards.
     */
    private static void stopQuietly(PgCluster c) {
        if (c == null) return;
        try {
            Interrupts.setAside(() -> c.stop(PgCluster.StopMode.FAST));
        } catch (RuntimeException e) {
            log.warn("could not stop the demo server after a failed load: {}", e.getMessage());
        }
    }

    // --- traffic generator ----------------------------------------------------------------------------------

    /** Starts the detached traffic generator unless it runs already. */
    void ensureTraffic() throws IOException {
        if (trafficPid().isPresent()) return;
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        for (String prop : List.of("msyspg.home", "msyspg.log.dir", "msyspg.pgdist.dir", DemoTraffic.GIVE_UP_PROPERTY)) {
            String v = System.getProperty(prop);
            if (v != null && !v.isBlank()) cmd.add("-D" + prop + "=" + v);
        }
        cmd.addAll(List.of("-cp", absoluteClassPath(), "io.msyspg.console.Main",
                "demo", "traffic", "--dir", home.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(home.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(trafficLog().toFile()));
        Files.deleteIfExists(trafficPidFile());
        Process proc = pb.start();
        // the generator writes its own pid (setsid may fork); wait for it so that status() is right at once
        long deadline = System.nanoTime() + TRAFFIC_START_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = trafficPid();
            if (pid.isPresent()) {
                log.info("demo traffic generator started, pid {}", pid.get());
                return;
            }
            if (!proc.isAlive() && proc.exitValue() != 0) {
                throw new ConsoleException("The demo traffic generator did not start (exit code " + proc.exitValue()
                        + "); see " + trafficLog());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobCancelledException();
            }
        }
        log.warn("the demo traffic generator has not reported within {} s; see {}", TRAFFIC_START_SECONDS, trafficLog());
    }

    private static final int TRAFFIC_START_SECONDS = 30;

    /** This JVM's class path with absolute entries (the generator runs in the sandbox folder). */
    static String absoluteClassPath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) out.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /**
     * The generator's pid when it runs. The pid file holds the pid and the process's start time, so a recycled pid
     * does not count (command lines are not used: the JDK truncates long ones).
     */
    Optional<Long> trafficPid() {
        try {
            if (!Files.isRegularFile(trafficPidFile())) return Optional.empty();
            List<String> lines = Files.readAllLines(trafficPidFile());
            if (lines.isEmpty()) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (h.isEmpty()) return Optional.empty();
            if (lines.size() > 1 && !lines.get(1).isBlank()) {
                String started = h.get().info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse(lines.get(1).trim());
                if (!started.equals(lines.get(1).trim())) return Optional.empty();
            }
            return Optional.of(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void stopTraffic() throws IOException {
        Optional<Long> pid = trafficPid();
        Files.deleteIfExists(trafficPidFile());   // the generator also leaves when its pid file is gone
        if (pid.isEmpty()) return;
        Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
        if (h.isEmpty()) return;
        h.get().destroy();
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
    }

    /** Called by the generator itself: its own pid goes into the pid file. */
    void claimTraffic(long pid) throws IOException {
        String started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(i -> Long.toString(i.toEpochMilli())).orElse("");
        writeAtomically(trafficPidFile(), pid + "\n" + started + "\n");
    }

    /** True while {@code pid} is the generator this sandbox wants running. */
    boolean trafficWanted(long pid) {
        try {
            return Files.isRegularFile(trafficPidFile())
                    && Long.parseLong(Files.readAllLines(trafficPidFile()).get(0).trim()) == pid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // --- files ---------------------------------------------------------------------------------------------

    private boolean postmasterAlive() {
        Path pidFile = dataDir().resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) return false;
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) return false;
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static int readPort(Path conf) {
        int port = 5432;
        try {
            for (String l : Files.readAllLines(conf)) {
                if (l.startsWith("port = ")) port = Integer.parseInt(l.substring(7).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return port;
    }

    private Properties readProps() {
        Properties p = new Properties();
        if (Files.isRegularFile(propsFile())) {
            try (InputStream in = Files.newInputStream(propsFile())) {
                p.load(in);
            } catch (IOException e) {
                log.warn("cannot read {}: {}", propsFile(), e.getMessage());
            }
        }
        return p;
    }

    private void writeProps(Properties p) {
        try {
            Files.createDirectories(home);
            Path tmp = home.resolve("sandbox.properties.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "msyspg-console demo sandbox");
            }
            Files.move(tmp, propsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConsoleException("Cannot write " + propsFile() + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Threads of this JVM queue here first: a file lock cannot be taken twice by one JVM. */
    private static final java.util.concurrent.locks.ReentrantLock JVM_LOCK = new java.util.concurrent.locks.ReentrantLock();

    /** Serialises start/stop/reset with other threads and other processes (GUI and CLI). */
    private FileLock lock() throws IOException {
        JVM_LOCK.lock();
        FileChannel ch = null;
        try {
            prepareHome();
            ch = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                log.info("waiting for another start/stop of the demo sandbox in {}", home);
                l = ch.lock();
            }
            return new ClosingLock(ch, l);
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            JVM_LOCK.unlock();
            throw e;
        }
    }

    /** A lock that also closes its channel and lets the next thread of this JVM in. */
    private static final class ClosingLock extends FileLock {
        private final FileLock inner;

        ClosingLock(FileChannel ch, FileLock inner) {
            super(ch, inner.position(), inner.size(), inner.isShared());
            this.inner = inner;
        }

        @Override public boolean isValid() { return inner.isValid(); }

        @Override public void release() throws IOException {
            try {
                inner.release();
            } finally {
                try {
                    channel().close();
                } finally {
                    if (JVM_LOCK.isHeldByCurrentThread()) JVM_LOCK.unlock();
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
