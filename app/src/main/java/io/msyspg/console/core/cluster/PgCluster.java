package io.msyspg.console.core.cluster;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.tools.PgVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PostgreSQL cluster this console creates and runs with chosen binaries: the test harness, the demo
 * sandbox and server-control tests all use it. It listens on 127.0.0.1 on a free port and on a Unix socket
 * in its own folder, and logs the way Momentum's {@code msyspg} does ({@code logging_collector=on},
 * {@code log_directory=pg_log}, {@code log_filename=postgresql-%Y-%m-%d-%M.log}, {@code log_rotation_size=100MB}).
 *
 * <p>An ephemeral cluster lives in a temporary folder and is stopped and deleted when the JVM exits (a
 * shutdown hook) or, when the JVM died without running hooks, by the next harness start (the folder
 * records the owning process). When the JVM runs as root the server programs run as {@code postgres}.
 */
public final class PgCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgCluster.class);
    private static final String TEMP_PREFIX = "msyspg-pg-";
    private static final Set<PgCluster> EPHEMERAL = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (PgCluster c : EPHEMERAL) c.destroyQuietly();
        }, "pg-cluster-cleanup"));
    }

    public enum StopMode { SMART, FAST, IMMEDIATE }

    private final PgBinaries binaries;
    private final Path baseDir;
    private final Path dataDir;
    private final Path socketDir;
    private final ServerAccount account;
    private final String superuser;
    private final char[] password;
    private final boolean ephemeral;
    private volatile int port;

    private PgCluster(PgBinaries binaries, Path baseDir, ServerAccount account, String superuser, char[] password,
                      int port, boolean ephemeral) {
        this.binaries = binaries;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.socketDir = baseDir.resolve("sock");
        this.account = account;
        this.superuser = superuser;
        this.password = password;
        this.port = port;
        this.ephemeral = ephemeral;
    }

    public static Builder builder(PgBinaries binaries) {
        return new Builder(binaries);
    }

    /**
     * A cluster this console created earlier in {@code baseDir} (the demo sandbox), or null when there is none.
     * The port is read from its configuration.
     */
    public static PgCluster reopen(PgBinaries binaries, Path baseDir, String superuser, char[] password) {
        Path conf = baseDir.resolve("data/postgresql.conf");
        if (!Files.isRegularFile(conf)) return null;
        int port = readPort(conf);
        return new PgCluster(binaries, baseDir, ServerAccount.forDataDirectory(baseDir.resolve("data")), superuser, password, port, false);
    }

    public static final class Builder {
        private final PgBinaries binaries;
        private Path baseDir;
        private String superuser = "postgres";
        private char[] password;
        private int port;
        private boolean momentumLogging = true;
        private boolean durable = false;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder(PgBinaries binaries) {
            this.binaries = binaries;
        }

        /** A permanent folder (kept after exit); default: an ephemeral temporary folder. */
        public Builder baseDir(Path dir) { this.baseDir = dir; return this; }

        public Builder superuser(String name) { this.superuser = name; return this; }

        /** Password of the superuser; with one, TCP connections need it (scram-sha-256), the socket trusts. */
        public Builder password(char[] pw) { this.password = pw == null ? null : pw.clone(); return this; }

        public Builder port(int port) { this.port = port; return this; }

        public Builder momentumLogging(boolean on) { this.momentumLogging = on; return this; }

        /** fsync and full-page writes stay on (demo sandbox); default off, for throwaway test clusters. */
        public Builder durable(boolean on) { this.durable = on; return this; }

        public Builder setting(String name, String value) { settings.put(name, value); return this; }

        /** Runs initdb, writes the configuration and starts the server. */
        public PgCluster start() {
            reapStale();
            try {
                boolean ephemeral = baseDir == null;
                Path base = ephemeral
                        ? Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), TEMP_PREFIX)
                        : Files.createDirectories(baseDir);
                ServerAccount account = ServerAccount.forNewCluster();
                PgCluster c = new PgCluster(binaries, base, account, superuser, password, port, ephemeral);
                if (ephemeral) {
                    Files.writeString(base.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
                    EPHEMERAL.add(c);
                }
                c.initdb(momentumLogging, durable, settings);
                c.start();
                return c;
            } catch (IOException e) {
                throw new ConsoleException("Cannot create a PostgreSQL cluster: " + e.getMessage(), e);
            }
        }
    }

    private void initdb(boolean momentumLogging, boolean durable, Map<String, String> settings) throws IOException {
        FilePermissions.set(baseDir, "rwx------");
        account.giveOwnership(baseDir);
        Files.createDirectories(socketDir);
        account.giveOwnership(socketDir);
        List<String> cmd = new ArrayList<>(List.of(binaries.tool("initdb").toString(), "-D", dataDir.toString(),
                "-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync"));
        Path pwfile = null;
        if (password != null) {
            pwfile = baseDir.resolve("pwfile");
            Files.write(pwfile, new String(password).getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
            FilePermissions.ownerOnly(pwfile);
            account.giveOwnership(pwfile);
            cmd.addAll(List.of("--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256"));
        } else {
            cmd.add("--auth=trust");
        }
        try {
            Processes.Result r = Processes.run(account.wrap(cmd), baseDir, null, 180);
            if (!r.ok()) throw new ConsoleException("initdb failed for " + dataDir + ": " + lastLines(r.output(), 8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted during initdb", e);
        } finally {
            if (pwfile != null) Files.deleteIfExists(pwfile);
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listen_addresses", "'127.0.0.1'");
        conf.put("unix_socket_directories", "'" + socketDir + "'");
        conf.put("max_connections", "60");
        if (momentumLogging) {
            conf.put("logging_collector", "on");
            conf.put("log_directory", "'pg_log'");
            conf.put("log_filename", "'postgresql-%Y-%m-%d-%M.log'");
            conf.put("log_rotation_size", "100MB");
            conf.put("log_rotation_age", "0");
        }
        if (!durable) {
            conf.put("fsync", "off");
            conf.put("full_page_writes", "off");
            conf.put("synchronous_commit", "off");
        }
        settings.forEach(conf::put);
        StringBuilder sb = new StringBuilder("\n# written by msyspg-console\n");
        conf.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(dataDir.resolve("postgresql.conf"), sb.toString(), StandardOpenOption.APPEND);
    }

    /** Starts the server (a no-op when it runs); picks a free port first when none is fixed. */
    public synchronized void start() {
        if (isRunning()) return;
        ConsoleException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int p = port > 0 && attempt == 0 ? port : freePort();
            try {
                writePort(p);
                port = p;
                Processes.Result r = Processes.run(account.wrap(List.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(),
                        "-l", baseDir.resolve("startup.log").toString(), "-w", "-t", "90", "start")), baseDir, null, 120);
                if (r.ok()) return;
                last = new ConsoleException("PostgreSQL in " + dataDir + " did not start on port " + p + ": "
                        + lastLines(r.output() + "\n" + readQuietly(baseDir.resolve("startup.log")), 10));
            } catch (IOException e) {
                last = new ConsoleException("Cannot start PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsoleException("interrupted while starting PostgreSQL", e);
            }
            log.warn("start attempt {} failed: {}", attempt + 1, last.getMessage());
        }
        throw last;
    }

    public synchronized void stop(StopMode mode) {
        if (!Files.isDirectory(dataDir)) return;
        try {
            Processes.Result r = Processes.run(account.wrap(List.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", mode.name().toLowerCase(), "-w", "-t", "60", "stop")), baseDir, null, 90);
            if (!r.ok() && isRunning()) {
                throw new ConsoleException("PostgreSQL in " + dataDir + " did not stop: " + lastLines(r.output(), 5));
            }
        } catch (IOException e) {
            throw new ConsoleException("Cannot stop PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted while stopping PostgreSQL", e);
        }
    }

    public boolean isRunning() {
        if (!Files.isDirectory(dataDir)) return false;
        try {
            return Processes.run(account.wrap(List.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(), "status")),
                    baseDir, null, 30).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the server; an ephemeral cluster's folder is also deleted. */
    @Override public void close() {
        try {
            stop(StopMode.FAST);
        } finally {
            if (ephemeral) {
                deleteQuietly();
                EPHEMERAL.remove(this);
            }
        }
    }

    private void destroyQuietly() {
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) stop(StopMode.IMMEDIATE);
        } catch (RuntimeException e) {
            log.warn("could not stop cluster {}: {}", dataDir, e.getMessage());
        }
        deleteQuietly();
    }

    private void deleteQuietly() {
        try {
            PgBinaries.deleteTree(baseDir);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", baseDir, e.getMessage());
        }
    }

    /** Stops and deletes ephemeral clusters whose JVM is gone (killed without running its hooks). */
    static void reapStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, TEMP_PREFIX + "*")) {
            for (Path dir : ds) {
                Path owner = dir.resolve("owner");
                if (!Files.isRegularFile(owner)) continue;
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner).trim());
                } catch (IOException | NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                log.info("removing stale test cluster {} (owner process {} is gone)", dir, pid);
                Path data = dir.resolve("data");
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    killPostmaster(data);
                }
                PgBinaries.deleteTree(dir);
            }
        } catch (IOException e) {
            log.debug("stale cluster scan failed: {}", e.toString());
        }
    }

    private static void killPostmaster(Path data) {
        try {
            String first = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
            ProcessHandle.of(Long.parseLong(first)).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(x -> null).join();
            });
        } catch (IOException | RuntimeException e) {
            log.debug("could not kill stale postmaster in {}: {}", data, e.toString());
        }
    }

    private void writePort(int p) throws IOException {
        Path conf = dataDir.resolve("postgresql.conf");
        List<String> lines = new ArrayList<>(Files.readAllLines(conf));
        lines.removeIf(l -> l.startsWith("port = "));
        lines.add("port = " + p);
        Files.write(conf, lines);
    }

    private static int readPort(Path conf) {
        try {
            int port = 5432;
            for (String l : Files.readAllLines(conf)) {
                if (l.startsWith("port = ")) port = Integer.parseInt(l.substring(7).trim());
            }
            return port;
        } catch (IOException | NumberFormatException e) {
            throw new ConsoleException("Cannot read the port from " + conf + ": " + e.getMessage(), e);
        }
    }

    /** A TCP port on 127.0.0.1 that is free now (the harness's, the benchmarks' clusters). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ConsoleException("No free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public PgBinaries binaries() { return binaries; }
    public PgVersion version() { return binaries.version(); }
    public Path baseDir() { return baseDir; }
    public Path dataDir() { return dataDir; }
    public Path socketDir() { return socketDir; }
    /** The server log folder ({@code data/pg_log}). */
    public Path logDir() { return dataDir.resolve("pg_log"); }
    public ServerAccount account() { return account; }
    public String host() { return "127.0.0.1"; }
    public int port() { return port; }
    public String superuser() { return superuser; }
    /** The superuser's password (a copy), or null when the cluster trusts local TCP connections. */
    public char[] password() { return password == null ? null : password.clone(); }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    /** A plain JDBC connection as the superuser (for harness set-up; features use the connect layer's pools). */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", superuser);
        if (password != null) p.setProperty("password", new String(password));
        p.setProperty("ApplicationName", "msyspg-console-harness");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    @Override public String toString() {
        return "PostgreSQL " + version() + " at " + host() + ":" + port + " (" + dataDir + ")";
    }
}
