package io.msyspg.console.core.server;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster.StopMode;
import io.msyspg.console.core.cluster.ServerAccount;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Status, start, stop, restart and reload of a PostgreSQL server on this host, through its service command
 * ({@code /etc/init.d/msyspg start}, {@code systemctl start UNIT}) or {@code pg_ctl -D}. Output lines are
 * handed to a consumer as they come; a failed start or stop ends with the tail of the server log. When the
 * console runs as root, pg_ctl runs as the data directory's owner ({@link ServerAccount#forDataDirectory});
 * a service command runs as given (init scripts switch user themselves).
 */
public final class ServerControl {
    private static final Logger log = LoggerFactory.getLogger(ServerControl.class);
    public static final int LOG_TAIL_LINES = 30;

    public enum Action { START, STOP, RESTART, RELOAD }

    private final ServerTarget target;
    private final PgToolLocator tools;
    private volatile long waitSeconds = 90;

    /** @param tools where to look for pg_ctl of the server's major (null: system and bundled binaries only) */
    public ServerControl(ServerTarget target, PgToolLocator tools) {
        this.target = target;
        this.tools = tools;
    }

    public ServerTarget target() { return target; }

    /** How long start and stop wait for the server (default 90 s). */
    public ServerControl waitSeconds(long s) { this.waitSeconds = s; return this; }

    // ---------------------------------------------------------------- status

    public ServerStatus status() {
        Path data = target.dataDir();
        if (!Files.isDirectory(data)) {
            throw new ConsoleException("The data directory " + data + " does not exist (or is not a directory).");
        }
        Optional<PostmasterPid> pf = PostmasterPid.read(data);
        Instant now = Instant.now();
        if (pf.isEmpty()) return new ServerStatus(ServerStatus.State.STOPPED, data, 0, null, null, null, null, null, now);
        PostmasterPid p = pf.get();
        ServerStatus.State state = isPostmaster(p.pid()) ? ServerStatus.State.RUNNING : ServerStatus.State.STALE;
        return new ServerStatus(state, data, p.pid(), p.startTime(), p.port(), p.socketDir(), p.listenAddress(), p.status(), now);
    }

    /** True when {@code pid} is alive and is a postgres process (not a PID reused by something else). */
    static boolean isPostmaster(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return false;
        Path comm = Path.of("/proc", Long.toString(pid), "comm");
        try {
            if (Files.isReadable(comm)) {
                String name = Files.readString(comm).strip();
                return name.equals("postgres") || name.equals("postmaster");
            }
        } catch (IOException ignored) {
            // fall back to the process info
        }
        return h.get().info().command().map(c -> {
            String n = Path.of(c).getFileName().toString();
            return n.equals("postgres") || n.equals("postmaster");
        }).orElse(true);   // cannot tell: trust the PID file
    }

    /** Connected client sessions other than the caller's (for the stop confirmation). */
    /** Client sessions other than the caller's, for the stop confirmation. */
    public static int clientSessions(io.msyspg.console.core.connect.DbSession db) throws SQLException {
        try (Connection c = db.borrow()) {
            return clientSessions(c);
        }
    }

    public static int clientSessions(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---------------------------------------------------------------- actions

    /** Runs {@code action}; {@code mode} applies to stop and restart (null: fast). Returns the status afterwards. */
    public ServerStatus perform(Action action, StopMode mode, JobContext ctx, Consumer<String> out) {
        return switch (action) {
            case START -> start(ctx, out);
            case STOP -> stop(mode, ctx, out);
            case RESTART -> restart(mode, ctx, out);
            case RELOAD -> reload(ctx, out);
        };
    }

    public ServerStatus start(JobContext ctx, Consumer<String> out) {
        ServerStatus before = status();
        if (before.running()) {
            out.accept("The server is already running (PID " + before.pid() + ").");
            return before;
        }
        if (before.state() == ServerStatus.State.STALE) {
            out.accept("Found a stale postmaster.pid from PID " + before.pid() + " (the server did not shut down cleanly); the server removes it at start.");
        }
        Instant t0 = Instant.now();
        Processes.Result r = target.usesService()
                ? run(serviceCommand("start"), false, ctx, out)
                : run(pgCtl("-D", target.dataDir().toString(), "-l", pgCtlLog().toString(), "-w", "-t", Long.toString(waitSeconds), "start"), true, ctx, out);
        ServerStatus after = target.usesService() && r.ok() ? awaitState(true, ctx) : status();   // a failed script: no long wait
        if (r.ok() && after.running()) {
            out.accept("Server started: " + after.describe());
            return after;
        }
        throw failure("PostgreSQL in " + target.dataDir() + " did not start" + exitNote(r), t0, out);
    }

    public ServerStatus stop(StopMode mode, JobContext ctx, Consumer<String> out) {
        ServerStatus before = status();
        if (!before.running()) {
            out.accept("The server is not running: " + before.describe() + ".");
            return before;
        }
        StopMode m = mode == null ? StopMode.FAST : mode;
        Instant t0 = Instant.now();
        Processes.Result r;
        if (target.usesService()) {
            if (mode != null && mode != StopMode.FAST) {
                out.accept("Note: the service command chooses its own shutdown mode; '" + m.name().toLowerCase()
                        + "' applies to pg_ctl only (leave out the service command to use it).");
            }
            r = run(serviceCommand("stop"), false, ctx, out);
        } else {
            r = run(pgCtl("-D", target.dataDir().toString(), "-m", m.name().toLowerCase(), "-w", "-t", Long.toString(waitSeconds), "stop"), true, ctx, out);
        }
        ServerStatus after = target.usesService() && r.ok() ? awaitState(false, ctx) : status();
        if (!after.running()) {
            out.accept("Server stopped.");
            return after;
        }
        throw failure("PostgreSQL in " + target.dataDir() + " did not stop" + exitNote(r)
                + (m == StopMode.SMART ? " (smart mode waits for every session to disconnect)" : ""), t0, out);
    }

    public ServerStatus restart(StopMode mode, JobContext ctx, Consumer<String> out) {
        StopMode m = mode == null ? StopMode.FAST : mode;
        Instant t0 = Instant.now();
        if (target.usesService()) {
            ServerStatus before = status();
            Processes.Result r = run(serviceCommand("restart"), false, ctx, out);
            // the new postmaster has another PID (or at least a later start time)
            ServerStatus after = r.ok() ? awaitRestarted(before, ctx) : status();
            if (r.ok() && after.running()) {
                out.accept("Server restarted: " + after.describe());
                return after;
            }
            throw failure("PostgreSQL in " + target.dataDir() + " did not restart" + exitNote(r), t0, out);
        }
        ServerStatus before = status();
        if (!before.running()) {
            out.accept("The server is not running; starting it.");
            return start(ctx, out);
        }
        Processes.Result r = run(pgCtl("-D", target.dataDir().toString(), "-l", pgCtlLog().toString(), "-m", m.name().toLowerCase(),
                "-w", "-t", Long.toString(waitSeconds), "restart"), true, ctx, out);
        ServerStatus after = status();
        if (r.ok() && after.running()) {
            out.accept("Server restarted: " + after.describe());
            return after;
        }
        throw failure("PostgreSQL in " + target.dataDir() + " did not restart" + exitNote(r), t0, out);
    }

    /** Makes the server re-read its configuration (pg_ctl reload: SIGHUP to the postmaster). */
    public ServerStatus reload(JobContext ctx, Consumer<String> out) {
        ServerStatus before = status();
        if (!before.running()) throw new ConsoleException("Cannot reload: the server in " + target.dataDir() + " is " + before.describe() + ".");
        Processes.Result r = run(pgCtl("-D", target.dataDir().toString(), "reload"), true, ctx, out);
        if (!r.ok()) throw new ConsoleException("pg_ctl reload failed for " + target.dataDir() + exitNote(r) + ".", r.output(), null);
        out.accept("Configuration reloaded (the server logs any invalid setting; see the Configuration tab for pg_file_settings errors).");
        return status();
    }

    private static String exitNote(Processes.Result r) {
        return r.ok() ? "" : " (exit code " + r.exitCode() + ")";
    }

    private ConsoleException failure(String message, Instant since, Consumer<String> out) {
        Optional<Path> logFile = ServerLogs.currentLogFile(target.dataDir(), pgCtlLog());
        StringBuilder detail = new StringBuilder();
        if (logFile.isPresent()) {
            out.accept("--- last lines of " + logFile.get() + " ---");
            for (String l : ServerLogs.tail(logFile.get(), LOG_TAIL_LINES)) {
                out.accept(l);
                detail.append(l).append('\n');
            }
            out.accept("---");
            return new ConsoleException(message + "; see the end of " + logFile.get() + ".", detail.toString(), null);
        }
        out.accept("(no server log found in " + target.dataDir() + ")");
        return new ConsoleException(message + "; no server log was found.");
    }

    private ServerStatus awaitState(boolean running, JobContext ctx) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        ServerStatus s = status();
        while (System.nanoTime() < deadline) {
            s = status();
            boolean ready = s.running() && (s.pmStatus() == null || s.pmStatus().equals("ready") || s.pmStatus().equals("standby"));
            if (running ? ready : !s.running()) return s;
            ctx.checkCancelled();
            sleep(200);
        }
        return s;
    }

    private ServerStatus awaitRestarted(ServerStatus before, JobContext ctx) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        ServerStatus s = status();
        while (System.nanoTime() < deadline) {
            s = status();
            boolean isNew = s.running() && (s.pid() != before.pid() || (s.startTime() != null && before.startTime() != null && s.startTime().isAfter(before.startTime())));
            boolean ready = s.pmStatus() == null || s.pmStatus().equals("ready") || s.pmStatus().equals("standby");
            if (isNew && ready) return s;
            ctx.checkCancelled();
            sleep(200);
        }
        return s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted while waiting for the server", e);
        }
    }

    private Processes.Result run(List<String> cmd, boolean asServerAccount, JobContext ctx, Consumer<String> out) {
        List<String> full = asServerAccount ? ServerAccount.forDataDirectory(target.dataDir()).wrap(cmd) : cmd;
        out.accept("$ " + Processes.display(full));
        log.info("server control: {}", Processes.display(full));
        try {
            return Processes.stream(full, target.dataDir(), null, waitSeconds + 30, out, p -> ctx.onCancel(p::destroy));
        } catch (IOException e) {
            throw new ConsoleException("Cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted while running " + full.get(0), e);
        }
    }

    /** The file pg_ctl writes the server's early output to ({@code -l}): {@code pg_ctl.log} in the data directory. */
    public Path pgCtlLog() {
        return target.dataDir().resolve("pg_ctl.log");
    }

    /** The service command for {@code action}: "{action}" in it is replaced, else the action is appended. */
    List<String> serviceCommand(String action) {
        List<String> words = splitCommand(target.serviceCommand());
        if (words.isEmpty()) throw new ConsoleException("The service command is empty.");
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String w : words) {
            if (w.contains("{action}")) {
                out.add(w.replace("{action}", action));
                placed = true;
            } else {
                out.add(w);
            }
        }
        if (!placed) out.add(action);
        return out;
    }

    /** Splits a command line on blanks; single and double quotes group words (no shell is involved). */
    public static List<String> splitCommand(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new ConsoleException("The service command has an unclosed quote: " + s);
        if (inWord) words.add(cur.toString());
        return words;
    }

    private List<String> pgCtl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(pgCtlPath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** pg_ctl of the data directory's major: the target's bin folder, else the tool search, else system/bundled binaries. */
    public Path pgCtlPath() {
        if (target.binDir() != null) {
            Path p = target.binDir().resolve("pg_ctl");
            if (!Files.isExecutable(p)) throw new ConsoleException("There is no executable pg_ctl in " + target.binDir() + ".");
            return p;
        }
        int major = dataDirMajor();
        if (tools != null) {
            for (PgTool t : tools.findAll("pg_ctl")) if (t.version().major() == major) return t.path();
        }
        return PgBinaries.forMajor(major).tool("pg_ctl");
    }

    /** The major version written in {@code PG_VERSION} of the data directory. */
    public int dataDirMajor() {
        Path f = target.dataDir().resolve("PG_VERSION");
        try {
            String v = Files.readString(f).strip();
            return Integer.parseInt(v.contains(".") ? v.substring(0, v.indexOf('.')) : v);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConsoleException(target.dataDir() + " is not a PostgreSQL data directory (no PG_VERSION file).");
        } catch (IOException | NumberFormatException e) {
            throw new ConsoleException("Cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
