package io.msyspg.console.core.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.core.backup.ArchiveInfo;
import io.msyspg.console.core.backup.ArchiveInspector;
import io.msyspg.console.core.backup.BackupFormat;
import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.backup.BackupOptions;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.RestoreError;
import io.msyspg.console.core.backup.RestoreOptions;
import io.msyspg.console.core.backup.RestoreReport;
import io.msyspg.console.core.backup.RestoreService;
import io.msyspg.console.core.backup.ToolProcess;
import io.msyspg.console.core.cluster.ServerAccount;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.common.JsonFiles;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.server.PostmasterPid;
import io.msyspg.console.core.server.ServerControl;
import io.msyspg.console.core.server.ServerTarget;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;
import io.msyspg.console.core.upgrade.UpgradeReport.CheckLine;
import io.msyspg.console.core.upgrade.UpgradeReport.Result;
import io.msyspg.console.core.upgrade.UpgradeReport.TableCheck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.LongUnaryOperator;

/**
 * Carries out a major upgrade (wizard steps 3–6), step by step, recording each in an {@link UpgradeReport}:
 * <ol>
 *   <li>pre-flight: {@link UpgradePreflight}'s checks with facts measured here (size of the data directory, free
 *       space at the new data directory, the mount table, the backup history, the tools) plus a real
 *       {@code pg_upgrade --check} for the pg_upgrade methods (run as the data directory's owner: pg_upgrade
 *       refuses root). Any BLOCK stops the run with what to do;</li>
 *   <li>backup first: a verified backup younger than N hours from the history, or one taken now;</li>
 *   <li>the upgrade: initdb of the new cluster with the old one's encoding, locale, checksums and WAL segment size,
 *       then pg_upgrade --copy/--link/--clone (in several hops when the plan or {@link UpgradeRequest#hopBinDirs} asks:
 *       each intermediate cluster is the next hop's old cluster and is removed once that hop succeeded), or dump/restore
 *       (globals first, then each database with its settings and its per-role settings);</li>
 *   <li>verification table by table: row counts (and an md5 of the rows for small tables) source vs target;</li>
 *   <li>deferred steps queued as ONE {@link DeferredJob}: vacuumdb --all --analyze-in-stages, pg_upgrade's
 *       update_extensions.sql, the migration script;</li>
 *   <li>the report (text + JSON), written after every step.</li>
 * </ol>
 * Runs as a {@link Job} (progress, cancellation: the running tool is stopped). No JavaFX here.
 */
public final class UpgradeExecutor {
    /**
     * What a caller sees while a run goes on (the GUI's log pane, the CLI's output). Called from the job's threads:
     * step events on the job's own thread, {@link #line} also from a tool's output reader. A GUI hands them to the FX
     * thread itself (e.g. {@code Platform.runLater}, batched); the job's {@code JobContext} carries progress and the
     * current phase as usual.
     */
    public interface Listener {
        /** A step begins ({@code index} from 1; {@code total} steps planned). */
        default void stepStarted(String name, int index, int total) {}
        /** A step ended (also written to the report). */
        default void stepFinished(UpgradeReport.Step step) {}
        /** One line of output (a tool's, or the executor's own). */
        default void line(String line) {}

        Listener NONE = new Listener() {};
    }

    /**
     * The pre-flight as the wizard shows it before anything changes: every check (with pg_upgrade --check's
     * result for the pg_upgrade methods), and the dry run (each step and command, in order). Nothing is changed.
     */
    public record Preview(UpgradePlanner.Plan plan, List<CheckLine> checks, List<String> dryRun,
                          String pgUpgradeCheckOutput, Path pgUpgradeLogDir) {
        public boolean blocked() { return checks.stream().anyMatch(c -> "BLOCK".equals(c.verdict())); }
    }

    static final int TAIL_LINES = 30;
    private static final long LONG_TIMEOUT = Duration.ofDays(7).toSeconds();
    private static final ObjectMapper JSON = SettingsStore.mapper();

    private final AppDirs dirs;
    private final PgToolLocator tools;
    private final BackupHistory history;
    private final MountTable mounts;
    private final Clock clock;
    private LongUnaryOperator freeSpace = b -> b;

    public UpgradeExecutor(AppDirs dirs, PgToolLocator tools, BackupHistory history, MountTable mounts, Clock clock) {
        this.dirs = dirs;
        this.tools = tools;
        this.history = history;
        this.mounts = mounts;
        this.clock = clock;
    }

    /** For tests: replaces the measured free space at the new data directory (e.g. {@code b -> 1024}) to inject a shortage. */
    public UpgradeExecutor freeSpaceOverride(LongUnaryOperator measuredToReported) {
        this.freeSpace = measuredToReported;
        return this;
    }

    /** The folder reports go to by default: {@code <state>/upgrade/reports}. */
    public Path reportsDir() { return dirs.state().resolve("upgrade").resolve("reports"); }

    /** The deferred-jobs folder the post-upgrade job is queued in ({@code <state>/jobs}). */
    public Path jobsDir() { return JobJournal.jobsDir(dirs); }

    /**
     * Pre-flight and dry run, with real facts and (for pg_upgrade methods) a real {@code pg_upgrade --check}
     * against the running old server. Changes nothing but a scratch folder for pg_upgrade's check (removed).
     *
     * @param password the source superuser's password, or null (pgpass / trust)
     */
    public Preview preflight(UpgradeRequest request, char[] password, JobContext ctx) throws Exception {
        validate(request);
        Run run = new Run(request, password, ctx, Listener.NONE, true);
        try {
            return run.preview();
        } finally {
            run.closeSessions();
            if (run.password != null) java.util.Arrays.fill(run.password, '\0');
        }
    }

    /** The whole run as a job for {@code ctx.tasks().task(...)} (GUI) or {@code JobRunner.runInForeground} (CLI). */
    public Job<UpgradeResult> job(UpgradeRequest request, char[] password, Listener listener) {
        char[] pw = password == null ? null : password.clone();
        return ctx -> {
            try {
                return run(request, pw, ctx, listener);
            } finally {
                if (pw != null) java.util.Arrays.fill(pw, '\0');   // a job runs once
            }
        };
    }

    /**
     * Runs every step. A blocked pre-flight, a failed step or a cancellation ends the run with a report saying
     * which step and why (the result's report is FAILED/BLOCKED/CANCELLED); this method throws only when the
     * request is incomplete or the report itself cannot be written.
     */
    public UpgradeResult run(UpgradeRequest request, char[] password, JobContext ctx, Listener listener) throws Exception {
        validate(request);
        Run run = new Run(request, password, ctx, listener == null ? Listener.NONE : listener, false);
        return run.execute();
    }

    /** Throws a {@link ConsoleException} naming the first missing or wrong input. */
    static void validate(UpgradeRequest r) {
        if (r.source == null) throw new ConsoleException("No source server was given (host, port and superuser of the running old server).");
        if (r.method == null) throw new ConsoleException("No upgrade method was chosen.");
        // dump/restore reads the source over the network: its data directory and binaries may be on another machine
        if (r.method.usesPgUpgrade() && r.oldDataDir == null) {
            throw new ConsoleException("No old data directory was given (-D): pg_upgrade needs the old cluster's data directory on this host"
                    + " (dump and restore works without it).");
        }
        if (r.method.usesPgUpgrade() && r.oldBinDir == null) {
            throw new ConsoleException("No folder of the old server's binaries was given (--old-bindir): pg_upgrade needs them on this host"
                    + " (dump and restore works without them).");
        }
        if (r.newBinDir == null) throw new ConsoleException("No folder of the new server's binaries was given (--new-bindir).");
        if (r.newDataDir == null) throw new ConsoleException("No data directory for the new cluster was given (--new-data-dir).");
        if (r.newPort < 1 || r.newPort > 65535) throw new ConsoleException("The new server's port " + r.newPort + " is not a TCP port (1-65535).");
        if (r.backup == null) throw new ConsoleException("No backup choice was made (use a recent verified backup, or take one now).");
        if (r.backup == UpgradeRequest.BackupChoice.USE_RECENT && (r.maxBackupAge == null || r.maxBackupAge.isNegative())) {
            throw new ConsoleException("The maximum backup age must be given and positive.");
        }
        if (r.oldDataDir != null && r.newDataDir.toAbsolutePath().normalize().equals(r.oldDataDir.toAbsolutePath().normalize())) {
            throw new ConsoleException("The new data directory must differ from the old one (" + r.oldDataDir + ").");
        }
    }

    // ======================================================================================== one run

    /** The facts read from the running source server. */
    record SourceInfo(PgVersion version, String installUser, String encoding, String collate, String ctype, String icuLocale,
                      boolean checksums, int walSegmentMb, List<DbInfo> databases, List<RoleDbSetting> roleSettings) {}

    /**
     * One {@code ALTER ROLE role IN DATABASE database SET name = value} of the source (a {@code pg_db_role_setting} row with
     * both a role and a database; {@code setting} is one {@code name=value} entry of its {@code setconfig}). pg_dumpall
     * --globals-only of 11+ leaves them to {@code pg_dump --create}, which dump/restore does not use: the executor carries them.
     */
    record RoleDbSetting(String role, String database, String setting) {
        String sql() { return "ALTER ROLE " + ident(role) + " IN DATABASE " + ident(database) + " " + setClause(setting); }
        String display() { return role + " in " + database + ": " + setting; }
    }

    record DbInfo(String name, String encoding, String collate, String ctype, String owner, List<String> settings) {}

    /** A step's working record while it runs. */
    static final class StepRec {
        final String name;
        final Listener listener;
        String command = "";
        Result result = Result.OK;
        String detail = "";
        final Deque<String> tail = new ArrayDeque<>();

        StepRec(String name, Listener listener) {
            this.name = name;
            this.listener = listener;
        }

        void line(String l) {
            synchronized (tail) {
                tail.addLast(l);
                while (tail.size() > TAIL_LINES) tail.removeFirst();
            }
            listener.line(l);
        }

        void command(String c) {
            command = command.isEmpty() ? c : command + "\n" + c;
            listener.line("$ " + c);
        }

        String tailText() {
            synchronized (tail) { return String.join("\n", tail); }
        }
    }

    @FunctionalInterface
    interface Body { void run(StepRec s) throws Exception; }

    /** A step still to run: its name and body. */
    record Named(String name, Body body) {}

    /**
     * One pg_upgrade hop of a run: into an intermediate cluster ({@code <new data dir>.hop<major>}, a free port, the hop's
     * binaries) or, for the last hop, into the requested new data directory. The next hop takes an intermediate as its old
     * cluster; it is removed once that hop succeeded.
     */
    static final class Hop {
        final int index;          // from 1
        final Path binDir;
        final PgVersion version;
        final Path dataDir;
        final int port;
        final boolean last;
        boolean created;          // this run created its data directory
        boolean initdbDone;
        boolean upgradedInto;     // pg_upgrade has written into it
        boolean running;          // this run started it
        boolean removed;

        Hop(int index, Path binDir, PgVersion version, Path dataDir, int port, boolean last) {
            this.index = index;
            this.binDir = binDir;
            this.version = version;
            this.dataDir = dataDir;
            this.port = port;
            this.last = last;
        }
    }

    /**
     * Where the intermediate cluster of a multi-hop pg_upgrade goes: beside the new data directory,
     * {@code <new data dir>.hop<major>} (the wizard shows it on its plan page).
     */
    public static Path intermediateDataDir(Path newDataDir, int major) {
        Path n = newDataDir.toAbsolutePath().normalize();
        return n.resolveSibling(n.getFileName() + ".hop" + major);
    }

    private final class Run {
        final UpgradeRequest req;
        final char[] password;
        final JobContext ctx;
        final Listener listener;
        final boolean previewOnly;
        final UpgradeReport report = new UpgradeReport();
        final Path newData;
        /** The old data directory as given (null: not given, the source is read over the network — dump/restore only). */
        final Path oldData;
        /** Whether the old data directory is a folder on this host. */
        final boolean oldDataHere;
        final Path workDir;
        ServerAccount account;
        Path reportDir;
        PooledDbSession source;
        PooledDbSession target;
        SourceInfo info;
        PgVersion targetVersion;
        UpgradePlanner.Plan plan;
        PgToolLocator dumpTools;
        final PgToolLocator newTools;
        boolean createdNewData;
        boolean initdbDone;
        boolean newServerStarted;
        boolean oldServerStoppedByUs;
        boolean upgradeStarted;
        final Map<String, Path> archives = new LinkedHashMap<>();
        boolean archivesFresh;
        final Map<String, TableCheck> sourceCounts = new LinkedHashMap<>();
        /** Tables whose rows the source side checksummed (by size and budget): the target checksums exactly these. */
        final java.util.Set<String> md5Keys = new java.util.HashSet<>();
        long md5Budget = -1;
        int stepIndex;
        int totalSteps = 8;
        Path lastKeptLogs;
        /** The pg_upgrade hops in order (pg_upgrade methods; the last one is the new cluster); set by the pre-flight. */
        List<Hop> hops = List.of();

        Run(UpgradeRequest req, char[] password, JobContext ctx, Listener listener, boolean previewOnly) {
            this.req = req.copy();
            this.password = password == null ? null : password.clone();
            this.ctx = ctx;
            this.listener = listener;
            this.previewOnly = previewOnly;
            this.newData = req.newDataDir.toAbsolutePath().normalize();
            this.oldData = req.oldDataDir == null ? null : req.oldDataDir.toAbsolutePath().normalize();
            this.oldDataHere = oldData != null && Files.isDirectory(oldData);
            this.workDir = newData.resolveSibling(newData.getFileName() + ".upgrade");
            this.newTools = new PgToolLocator(List.of(req.newBinDir));
        }

        // ------------------------------------------------------------------ the run

        UpgradeResult execute() throws Exception {
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
            report.runId = stamp + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
            report.startedAt = clock.instant();
            report.method = req.method.label;
            report.oldDataDir = oldData == null ? null : oldData.toString();
            report.sourceServer = req.source.display();
            report.sourceLocation = oldDataHere ? "on this host (" + oldData + ")"
                    : "read over the network from " + req.source.host() + ":" + req.source.port()
                      + (oldData == null ? " (its data directory is not on this host)" : " (" + oldData + " is not on this host)");
            report.newDataDir = newData.toString();
            report.newPort = req.newPort;
            report.checklist = new ArrayList<>(req.checklist);
            reportDir = req.reportDir != null ? req.reportDir : reportsDir().resolve(report.runId);
            Files.createDirectories(reportDir);
            FilePermissions.ownerOnly(reportDir);
            writeReport();
            boolean pgUpgrade = req.method.usesPgUpgrade();
            totalSteps = pgUpgrade ? 9 : 8;
            try {
                boolean ok = step("pre-flight", this::preflightStep);
                if (ok) {
                    List<Named> rest = remainingSteps();
                    totalSteps = 1 + rest.size();
                    for (Named n : rest) {
                        if (!step(n.name(), n.body())) {
                            ok = false;
                            break;
                        }
                    }
                }
                if (ok) {
                    if (hops.size() > 1) {
                        report.notes.add("pg_upgrade ran in " + hops.size() + " hops: " + hopsLine() + "; the intermediate cluster"
                                + (hops.size() > 2 ? "s were" : " was") + " removed once the next hop succeeded"
                                + (req.method == Method.PG_UPGRADE_LINK ? " (with --link they shared their files with the next cluster)" : "") + ".");
                    }
                    // pre-flight warnings (NFS, --link) were known before the run: the result warns only for what happened in it
                    boolean warned = report.steps.stream().anyMatch(s -> s.result() == Result.WARN && !s.name().equals("pre-flight"));
                    report.result = warned ? Result.WARN : Result.OK;
                    report.message = "PostgreSQL " + info.version().majorLabel() + " upgraded to " + targetVersion + " in " + newData
                            + " (port " + req.newPort + ", running)" + (warned ? "; see the warnings" : "");
                    report.notes.add("The new server runs on port " + req.newPort + "; stop it with: " + Processes.display(
                            List.of(req.newBinDir.resolve("pg_ctl").toString(), "-D", newData.toString(), "-m", "fast", "stop")));
                    report.notes.add("Configuration is not carried over: compare " + (oldDataHere
                            ? oldData.resolve("postgresql.conf") + " and " + oldData.resolve("pg_hba.conf")
                            : "the old server's postgresql.conf and pg_hba.conf (on " + req.source.host() + ")") + " with the new cluster's (the new pg_hba.conf trusts local socket connections, "
                            + "TCP needs a password).");
                }
            } finally {
                if (report.result == null || !report.succeeded()) cleanupAfterFailure();
                closeSessions();
                report.finishedAt = clock.instant();
                writeReport();
                if (password != null) java.util.Arrays.fill(password, '\0');
            }
            ctx.progress(1, 1);
            return new UpgradeResult(report, report.textFile, report.jsonFile, report.deferredJobId);
        }

        /** The steps after the pre-flight, in order: the same names as always for one hop; "hop k/n: …" for each hop of several. */
        List<Named> remainingSteps() {
            List<Named> r = new ArrayList<>();
            if (!req.method.usesPgUpgrade()) {
                r.add(new Named("initdb of the new cluster", this::initdbStep));
                r.add(new Named("backup first", this::backupStep));
                r.add(new Named("source row counts", this::sourceCountsStep));
                r.add(new Named("start the new server", this::startNewStep));
                r.add(new Named("dump and restore", this::dumpRestoreStep));
            } else if (hops.size() <= 1) {
                r.add(new Named("initdb of the new cluster", this::initdbStep));
                r.add(new Named("pg_upgrade --check", s -> pgUpgradeCheck(s, false)));
                r.add(new Named("backup first", this::backupStep));
                r.add(new Named("source row counts", this::sourceCountsStep));
                r.add(new Named("stop the old server", this::stopOldStep));
                r.add(new Named("pg_upgrade " + req.method.flag, s -> pgUpgradeStep(s, hops.isEmpty() ? null : hops.get(0))));
                r.add(new Named("start the new server", this::startNewStep));
            } else {
                // every cluster is created first (an initdb problem shows before the old server is touched)
                for (Hop h : hops) {
                    r.add(new Named(hopName(h, h.last ? "initdb of the new cluster" : "initdb of the intermediate cluster (PostgreSQL "
                            + h.version.majorLabel() + ", port " + h.port + ")"), h.last ? this::initdbStep : s -> initdbHopStep(s, h)));
                }
                Hop first = hops.get(0);
                r.add(new Named(hopName(first, "pg_upgrade --check"), s -> pgUpgradeCheckHop(s, first)));
                r.add(new Named("backup first", this::backupStep));
                r.add(new Named("source row counts", this::sourceCountsStep));
                r.add(new Named("stop the old server", this::stopOldStep));
                for (Hop h : hops) {
                    Hop prev = h.index > 1 ? hops.get(h.index - 2) : null;
                    if (prev != null) {
                        r.add(new Named(hopName(h, "pg_upgrade --check"), s -> pgUpgradeCheckHop(s, h)));
                        r.add(new Named(hopName(h, "stop the intermediate server (port " + prev.port + ")"), s -> stopHopStep(s, prev)));
                    }
                    r.add(new Named(hopName(h, "pg_upgrade " + req.method.flag), s -> pgUpgradeStep(s, h)));
                    if (prev != null) r.add(new Named(hopName(h, "remove the intermediate cluster " + prev.dataDir.getFileName()), s -> removeHopStep(s, prev, h)));
                    if (!h.last) r.add(new Named(hopName(h, "start the intermediate server (port " + h.port + ")"), s -> startHopStep(s, h)));
                }
                r.add(new Named("start the new server", this::startNewStep));
            }
            r.add(new Named("verify table by table", this::verifyStep));
            r.add(new Named("queue the deferred steps", this::deferredStep));
            return r;
        }

        String hopName(Hop h, String what) { return "hop " + h.index + "/" + hops.size() + ": " + what; }

        /** "13.x → 15 (…hop15, port N) → 15 (new data dir)". */
        String hopsLine() {
            StringBuilder b = new StringBuilder(info != null ? info.version().toString() : "old");
            for (Hop h : hops) b.append(" → ").append(h.version).append(" (").append(h.dataDir).append(h.last ? "" : ", port " + h.port).append(')');
            return b.toString();
        }

        /** A context for an engine (backup, restore) run inside the current step: its progress maps into the step's share. */
        JobContext sub(double from, double to) {
            double base = stepIndex - 1;
            return new JobContext() {
                @Override public void progress(double done, double total) {
                    if (total > 0) ctx.progress(base + from + (to - from) * Math.min(1, done / total), totalSteps);
                }
                @Override public void message(String m) { ctx.message(m); }
                @Override public boolean isCancelled() { return ctx.isCancelled(); }
                @Override public void onCancel(Runnable hook) { ctx.onCancel(hook); }
            };
        }

        /** Runs one step, records it; false when the run must end. */
        boolean step(String name, Body body) {
            StepRec s = new StepRec(name, listener);
            stepIndex++;
            listener.stepStarted(name, stepIndex, totalSteps);
            ctx.message(name);
            ctx.progress(stepIndex - 1, totalSteps);
            Instant started = clock.instant();
            long t0 = System.nanoTime();
            try {
                if (ctx.isCancelled()) throw new JobCancelledException();
                body.run(s);
            } catch (JobCancelledException | InterruptedException e) {
                s.result = Result.CANCELLED;
                s.detail = (s.detail.isEmpty() ? "" : s.detail + "; ") + "cancelled";
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            } catch (ConsoleException e) {
                s.result = s.result == Result.BLOCKED ? Result.BLOCKED : Result.FAILED;
                s.detail = e.getMessage() + (e.detail() != null && !e.detail().isBlank() ? "\n" + e.detail() : "");
            } catch (Exception e) {
                s.result = Result.FAILED;
                s.detail = ConsoleException.userMessage(e);
            }
            if (ctx.isCancelled() && s.result == Result.OK) s.result = Result.CANCELLED;
            UpgradeReport.Step rec = new UpgradeReport.Step(name, s.command, started, (System.nanoTime() - t0) / 1_000_000,
                    s.result, s.detail, s.tailText());
            report.steps.add(rec);
            boolean go = s.result == Result.OK || s.result == Result.WARN || s.result == Result.SKIPPED;
            if (!go) {
                report.result = s.result;
                report.message = "step '" + name + "' " + s.result.name().toLowerCase(Locale.ROOT) + ": " + firstLine(s.detail);
            }
            try {
                writeReport();
            } catch (IOException e) {
                listener.line("cannot write the report: " + e.getMessage());
            }
            listener.stepFinished(rec);
            return go;
        }

        // ------------------------------------------------------------------ pre-flight

        Preview preview() throws Exception {
            List<CheckLine> checks = new ArrayList<>();
            checks(checks);
            List<String> dry = dryRun();
            String checkOut = null;
            Path logDir = null;
            if (req.method.usesPgUpgrade() && checks.stream().noneMatch(c -> "BLOCK".equals(c.verdict()))) {
                // a scratch new cluster for pg_upgrade --check, removed afterwards
                Path scratch = workDir.resolve("check-cluster");
                boolean createdWork = !Files.exists(workDir);
                try {
                    prepareDir(workDir);
                    StepRec s = new StepRec("pg_upgrade --check", listener);
                    Hop first = hops.isEmpty() ? null : hops.get(0);
                    initdb(newBinOf(first), scratch, s);
                    ConsoleException fail = null;
                    try {
                        pgUpgradeCheckAt(first, scratch, s);
                    } catch (ConsoleException e) {
                        fail = e;
                    }
                    checkOut = s.tailText();
                    logDir = fail != null ? lastKeptLogs : null;
                    String hop = hops.size() > 1 ? " (hop 1/" + hops.size() + ", " + info.version().majorLabel() + " → " + first.version + ")" : "";
                    checks.add(fail == null
                            ? new CheckLine("pg_upgrade", "PASS", "pg_upgrade --check" + hop + ": Clusters are compatible")
                            : new CheckLine("pg_upgrade", "BLOCK", fail.getMessage() + hop));
                    if (fail == null && hops.size() > 1) {
                        checks.add(new CheckLine("pg_upgrade", "INFO", "the pg_upgrade --check of hops 2 to " + hops.size()
                                + " runs during the run, once the intermediate cluster it reads exists"));
                    }
                } catch (ConsoleException e) {
                    checks.add(new CheckLine("pg_upgrade", "BLOCK", "pg_upgrade --check could not run: " + e.getMessage()));
                } finally {
                    deleteTree(scratch);
                    if (createdWork) deleteTree(workDir);
                }
            }
            return new Preview(plan, List.copyOf(checks), dry, checkOut, logDir);
        }

        void preflightStep(StepRec s) throws Exception {
            List<CheckLine> checks = new ArrayList<>();
            checks(checks);
            report.checks = checks;
            StringBuilder d = new StringBuilder();
            for (CheckLine c : checks) {
                s.line(String.format("%-5s %-16s %s", c.verdict(), c.name(), c.detail()));
                if ("BLOCK".equals(c.verdict())) d.append(d.isEmpty() ? "" : "\n").append(c.name()).append(": ").append(c.detail());
            }
            if (!d.isEmpty()) {
                s.result = Result.BLOCKED;
                s.detail = d.toString();
                return;
            }
            if (checks.stream().anyMatch(c -> "WARN".equals(c.verdict()))) {
                s.result = Result.WARN;
                s.detail = String.join("\n", checks.stream().filter(c -> "WARN".equals(c.verdict())).map(c -> c.name() + ": " + c.detail()).toList());
            } else {
                s.detail = checks.size() + " checks passed";
            }
        }

        /** Every check, with measured facts. */
        void checks(List<CheckLine> checks) throws Exception {
            try {
                account = oldDataHere ? ServerAccount.forDataDirectory(oldData)
                        : oldData != null && oldData.getParent() != null && Files.isDirectory(oldData.getParent())
                          ? ServerAccount.forDataDirectory(oldData.getParent()) : ServerAccount.forNewCluster();
            } catch (ConsoleException e) {
                checks.add(new CheckLine("old cluster", req.method.usesPgUpgrade() ? "BLOCK" : "WARN", e.getMessage()));
                account = ServerAccount.forNewCluster();
            }
            // the binaries
            targetVersion = binVersion(req.newBinDir, checks, "new");
            PgVersion oldBin = req.oldBinDir == null ? null : binVersion(req.oldBinDir, checks, "old");
            List<String> needOld = new ArrayList<>(List.of("postgres", "pg_ctl"));
            List<String> needNew = new ArrayList<>(List.of("initdb", "pg_ctl", "postgres", "psql", "vacuumdb"));
            if (req.method.usesPgUpgrade()) {
                needOld.addAll(List.of("pg_controldata", oldBin != null && oldBin.major() < 10 ? "pg_resetxlog" : "pg_resetwal"));
                needNew.addAll(List.of("pg_upgrade", "pg_controldata", "pg_resetwal", "pg_dump", "pg_dumpall", "pg_restore"));
            } else {
                needNew.add("pg_restore");
            }
            if (req.oldBinDir != null) {
                missing(checks, req.oldBinDir, needOld, "old", req.method.usesPgUpgrade()
                        ? " (pg_upgrade needs pg_controldata and pg_resetwal of the OLD version; install its server package)" : "");
            } else {
                checks.add(new CheckLine("binaries", "INFO", "old: not needed for dump and restore (pg_dump and pg_dumpall of a major"
                        + " that can read the source are used)"));
            }
            missing(checks, req.newBinDir, needNew, "new", "");
            if (!req.method.usesPgUpgrade() && !req.hopBinDirs.isEmpty()) {
                checks.add(new CheckLine("plan", "INFO", "the hop binaries " + req.hopBinDirs + " are not used by dump and restore"));
            }
            // the old data directory
            PgVersion dataVersion = null;
            if (!oldDataHere) {
                if (req.method.usesPgUpgrade()) {
                    checks.add(new CheckLine("old cluster", "BLOCK", "the old data directory " + oldData + " does not exist on this host:"
                            + " pg_upgrade needs both clusters here; run the console on the old server's host, or choose dump and restore"));
                } else {
                    checks.add(new CheckLine("old cluster", "INFO", "the old data directory is not on this host"
                            + (oldData == null ? "" : " (" + oldData + ")") + ": dump and restore reads the server over the network"
                            + " (version from SQL, sizes from pg_database_size)"));
                }
            } else if (!Files.isReadable(oldData.resolve("PG_VERSION"))) {
                Path pv = oldData.resolve("PG_VERSION");
                checks.add(new CheckLine("old cluster", Files.exists(pv) ? "WARN" : "BLOCK", oldData + (Files.exists(pv)
                        ? ": PG_VERSION is not readable here (run as root or as the data directory's owner)"
                        : " is not a PostgreSQL data directory (no PG_VERSION file)")));
            } else {
                dataVersion = PgVersion.parse(Files.readString(oldData.resolve("PG_VERSION")).strip());
                if (oldBin != null && oldBin.major() != dataVersion.major()) {
                    checks.add(new CheckLine("old cluster", "BLOCK", oldData + " is PostgreSQL " + dataVersion.majorLabel()
                            + " but the old binaries in " + req.oldBinDir + " are " + oldBin));
                }
            }
            // the source server
            boolean running = false;
            try {
                running = oldDataHere && PostmasterPid.read(oldData).isPresent();
            } catch (ConsoleException e) {
                checks.add(new CheckLine("old server", "WARN", e.getMessage()));
            }
            try {
                if (source == null) source = PooledDbSession.open(req.source, password);
                info = sourceInfo();
                checks.add(new CheckLine("old server", "PASS", "PostgreSQL " + info.version() + " at " + req.source.display() + ": "
                        + info.databases().size() + " database(s) " + info.databases().stream().map(DbInfo::name).toList()
                        + ", install user " + info.installUser() + ", " + info.encoding() + " " + info.collate()
                        + (info.checksums() ? ", data checksums" : "")));
                if (dataVersion != null && dataVersion.major() != info.version().major()) {
                    checks.add(new CheckLine("old server", "BLOCK", "the server at " + req.source.display() + " is PostgreSQL "
                            + info.version() + ", but " + oldData + " is " + dataVersion.majorLabel() + ": is it the right data directory?"));
                }
                if (req.method.usesPgUpgrade()) {
                    checks.add(new CheckLine("old server", req.stopOldServer ? "INFO" : "BLOCK", req.stopOldServer
                            ? "running; it is stopped (pg_ctl -m fast, as " + account.name() + ") right before pg_upgrade, after the backup"
                            : "running: pg_upgrade needs it stopped; stop it (" + Processes.display(List.of(req.oldBinDir.resolve("pg_ctl").toString(),
                                    "-D", oldData.toString(), "-m", "fast", "stop")) + ") or allow the console to stop it"));
                }
            } catch (SQLException | ConsoleException e) {
                checks.add(new CheckLine("old server", "BLOCK", "cannot connect to the old server at " + req.source.display()
                        + (running || !oldDataHere ? "" : " (no postmaster.pid in " + oldData + ": it looks stopped; start it for the backup and the row counts)")
                        + ": " + firstLine(ConsoleException.userMessage(e))));
            }
            // the new data directory and port
            if (Files.exists(newData) && !isEmptyDir(newData)) {
                checks.add(new CheckLine("new cluster", "BLOCK", "the new data directory " + newData + " exists and is not empty: choose another or remove it"));
            } else {
                checks.add(new CheckLine("new cluster", "PASS", newData + " (initdb with the old cluster's encoding, locale"
                        + (info != null && info.checksums() ? ", data checksums" : "") + "); port " + req.newPort));
            }
            if (!portFree(req.newPort)) {
                checks.add(new CheckLine("new cluster", "BLOCK", "port " + req.newPort + " on 127.0.0.1 is in use: choose another --new-port"));
            }
            // plan, disk, NFS, tools via UpgradePreflight
            if (info != null && targetVersion != null) {
                long dataBytes = dataDirBytes(checks);
                Path existing = newData;
                while (existing != null && !Files.exists(existing)) existing = existing.getParent();
                long free = existing == null ? 0 : freeSpace.applyAsLong(Files.getFileStore(existing).getUsableSpace());
                List<Integer> majors = new ArrayList<>(io.msyspg.console.core.cluster.PgBinaries.systemMajors().stream().map(b -> b.version().major()).toList());
                if (!majors.contains(targetVersion.major())) majors.add(targetVersion.major());
                if (oldBin != null && !majors.contains(oldBin.major())) majors.add(oldBin.major());
                List<Path> dirsList = new ArrayList<>(List.of(req.newBinDir));
                if (req.oldBinDir != null) dirsList.add(req.oldBinDir);
                dirsList.addAll(tools.searchDirs());
                UpgradePreflight pre = new UpgradePreflight(mounts, history, new PgToolLocator(dirsList), clock);
                UpgradePreflight.Report r = pre.run(new UpgradePreflight.Request(oldDataHere ? oldData : null, info.version(), targetVersion, req.method,
                        newData, null, req.maxBackupAge == null ? Duration.ofHours(24) : req.maxBackupAge, req.migrationScript),
                        new UpgradePreflight.Facts(dataBytes, free, majors));
                plan = r.plan();
                for (UpgradePreflight.Check c : r.checks()) {
                    if (c.name().equals("backup")) continue;   // judged per database below
                    checks.add(new CheckLine(c.name(), c.verdict().name(), c.detail()));
                }
                if (plan != null && req.method.usesPgUpgrade()) hops(checks, dataBytes, free);
                if (plan != null) dumpTools = dumpTools(checks);
                backupChecks(checks);
            }
        }

        PgVersion binVersion(Path bin, List<CheckLine> checks, String which) {
            Path pgCtl = bin.resolve("pg_ctl");
            if (!Files.isExecutable(pgCtl)) {
                checks.add(new CheckLine("binaries", "BLOCK", "no executable pg_ctl in " + bin + " (the " + which + " server's binaries)"));
                return null;
            }
            try {
                Processes.Result r = Processes.run(List.of(pgCtl.toString(), "--version"), 20);
                return PgVersion.fromToolOutput(r.stdout());
            } catch (Exception e) {
                checks.add(new CheckLine("binaries", "BLOCK", pgCtl + " --version failed: " + ConsoleException.userMessage(e)));
                return null;
            }
        }

        /**
         * The pg_upgrade hops: the request's hop binaries when given (each an intermediate cluster, in order), else the
         * planner's intermediate majors found among the installed servers ({@link io.msyspg.console.core.cluster.PgBinaries#systemMajors},
         * then the tool locator); then the target. Checks each hop's binaries, that its pg_upgrade reads the cluster before it,
         * that its data directory is free, and the disk space while it runs.
         */
        void hops(List<CheckLine> checks, long dataBytes, long free) {
            List<Path> mids = new ArrayList<>();
            if (!req.hopBinDirs.isEmpty()) {
                mids.addAll(req.hopBinDirs);
            } else if (plan.hops().size() > 1) {
                for (UpgradePlanner.Hop h : plan.hops().subList(0, plan.hops().size() - 1)) {
                    int major = h.toolMajor();
                    Optional<Path> bin = io.msyspg.console.core.cluster.PgBinaries.systemMajors().stream().filter(b -> b.version().major() == major)
                            .map(io.msyspg.console.core.cluster.PgBinaries::binDir).findFirst()
                            .or(() -> tools.findAll("pg_upgrade").stream().filter(t -> t.version().major() == major).map(PgTool::binDir).findFirst());
                    if (bin.isEmpty()) {
                        checks.add(new CheckLine("plan", "BLOCK", "no PostgreSQL " + major + " server binaries for the hop " + h.from().majorLabel()
                                + " → " + major + " (" + h.why() + "): install the PostgreSQL " + major + " server package, give its bin folder"
                                + " (--hop-bindir), or choose dump and restore"));
                        hops = List.of();
                        return;
                    }
                    mids.add(bin.get());
                }
            }
            List<Hop> out = new ArrayList<>();
            PgVersion prev = info.version();
            java.util.Set<Integer> ports = new java.util.HashSet<>(List.of(req.newPort, req.source.port()));
            boolean ok = true;
            for (int i = 0; i < mids.size(); i++) {
                Path bin = mids.get(i).toAbsolutePath().normalize();
                String which = "hop " + (i + 1) + "/" + (mids.size() + 1);
                PgVersion v = binVersion(bin, checks, which);
                if (v == null) {
                    ok = false;
                    continue;
                }
                missing(checks, bin, List.of("initdb", "pg_ctl", "postgres", "pg_upgrade", "pg_controldata", v.major() < 10 ? "pg_resetxlog" : "pg_resetwal"),
                        which, " (an intermediate hop runs its own cluster: install the PostgreSQL " + v.majorLabel() + " server package)");
                if (v.major() < prev.major() || v.major() > targetVersion.major()) {
                    checks.add(new CheckLine("plan", "BLOCK", which + ": PostgreSQL " + v + " in " + bin + " is not between " + prev.majorLabel()
                            + " and the target " + targetVersion.majorLabel() + ": hops go up, one version after another"));
                    ok = false;
                } else if (prev.compareTo(UpgradePlanner.oldestSource(v.major())) < 0) {
                    checks.add(new CheckLine("plan", "BLOCK", which + ": pg_upgrade " + v.majorLabel() + " in " + bin + " cannot read PostgreSQL "
                            + prev.majorLabel() + " (it accepts " + UpgradePlanner.oldestSource(v.major()).majorLabel() + " and later)"));
                    ok = false;
                }
                Path data = intermediateDataDir(newData, v.major());
                for (Hop h : out) if (h.dataDir.equals(data)) data = data.resolveSibling(data.getFileName() + "-" + (i + 1));
                int port = freePortExcept(ports);
                ports.add(port);
                out.add(new Hop(i + 1, bin, v, data, port, false));
                prev = v;
            }
            if (!mids.isEmpty() && prev.compareTo(UpgradePlanner.oldestSource(targetVersion.major())) < 0) {
                checks.add(new CheckLine("plan", "BLOCK", "the last hop: pg_upgrade " + targetVersion.majorLabel() + " cannot read PostgreSQL "
                        + prev.majorLabel() + " (it accepts " + UpgradePlanner.oldestSource(targetVersion.major()).majorLabel() + " and later)"));
                ok = false;
            }
            out.add(new Hop(out.size() + 1, req.newBinDir, targetVersion, newData, req.newPort, true));
            hops = List.copyOf(out);
            if (!ok || hops.size() == 1) return;
            checks.add(new CheckLine("plan", "PASS", "pg_upgrade in " + hops.size() + " hops" + (req.hopBinDirs.isEmpty() ? "" : " (as given)")
                    + ": " + hopsLine() + "; each intermediate cluster is removed once the next hop succeeded"
                    + (req.method == Method.PG_UPGRADE_LINK ? " (with --link it shares its files with the next one: removed only after that hop's success)" : "")));
            long need = plan.requiredFreeBytes();
            for (Hop h : hops) {
                if (!h.last && Files.exists(h.dataDir) && !isEmptyDirQuietly(h.dataDir)) {
                    checks.add(new CheckLine("new cluster", "BLOCK", "the intermediate data directory " + h.dataDir + " (hop " + h.index
                            + ") exists and is not empty: remove it"));
                }
                // while hop k (k > 1) runs, the intermediate cluster it reads is still there: two clusters' worth
                long peak = h.index == 1 ? need : 2 * need;
                String what = "hop " + h.index + "/" + hops.size() + " into " + h.dataDir + ": " + UpgradePlanner.bytes(need)
                        + (h.index == 1 ? "" : " + " + UpgradePlanner.bytes(need) + " of the intermediate cluster kept until this hop succeeded");
                checks.add(free >= peak
                        ? new CheckLine("disk space", "PASS", what + "; " + UpgradePlanner.bytes(free) + " free")
                        : new CheckLine("disk space", "BLOCK", what + "; only " + UpgradePlanner.bytes(free) + " free beside " + newData
                                + " (" + UpgradePlanner.bytes(peak) + " needed)"));
            }
        }

        void missing(List<CheckLine> checks, Path bin, List<String> names, String which, String hint) {
            List<String> miss = names.stream().filter(n -> !Files.isExecutable(bin.resolve(n))).toList();
            checks.add(miss.isEmpty()
                    ? new CheckLine("binaries", "PASS", which + ": " + bin + " has " + String.join(", ", names))
                    : new CheckLine("binaries", "BLOCK", which + ": " + bin + " lacks " + String.join(", ", miss) + hint));
        }

        long dataDirBytes(List<CheckLine> checks) {
            if (!oldDataHere) {
                long b = databasesBytes();
                checks.add(new CheckLine("disk space", "INFO", "the source's size is the sum of pg_database_size over its databases ("
                        + UpgradePlanner.bytes(b) + "), read over SQL: its data directory is not on this host"));
                return b;
            }
            try {
                return new StorageService(MountTable.PROC_MOUNTS, dirs.state().resolve("storage")).measure(oldData, null, ctx).totalBytes();
            } catch (RuntimeException e) {
                checks.add(new CheckLine("disk space", "WARN", "cannot measure " + oldData + " (" + firstLine(e.getMessage())
                        + "): the databases' sizes are used instead"));
                return databasesBytes();
            }
        }

        /** The sum of pg_database_size over the source's databases (0 when it cannot be read). */
        long databasesBytes() {
            try (Connection c = source.borrow(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT coalesce(sum(pg_database_size(oid)), 0)::bigint FROM pg_database")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException x) {
                return 0;
            }
        }

        /** pg_dump/pg_dumpall for the backup and the dump: the hop's tool major, the target's own tools first. */
        PgToolLocator dumpTools(List<CheckLine> checks) {
            int major = plan.method() == Method.DUMP_RESTORE ? plan.hops().get(0).toolMajor()
                    : info.version().compareTo(UpgradePlanner.oldestSource(targetVersion.major())) >= 0 ? targetVersion.major() : 14;
            if (major == targetVersion.major() && Files.isExecutable(req.newBinDir.resolve("pg_dump"))) return newTools;
            Optional<PgTool> t = tools.findAll("pg_dump").stream().filter(x -> x.version().major() == major).findFirst()
                    .or(() -> tools.forServer("pg_dump", info.version()).filter(x -> x.version().major() <= targetVersion.major()));
            if (t.isEmpty()) {
                checks.add(new CheckLine("tools", "BLOCK", "no pg_dump " + major + " for the dump of PostgreSQL " + info.version()
                        + ": install the PostgreSQL " + major + " client tools"));
                return null;
            }
            return new PgToolLocator(List.of(t.get().binDir()));
        }

        void backupChecks(List<CheckLine> checks) {
            if (req.backup == UpgradeRequest.BackupChoice.TAKE_NOW) {
                checks.add(new CheckLine("backup", "INFO", "a backup of every database (pg_dump -Fc -Z 9, verified) and of the roles is taken now into "
                        + backupDir()));
                return;
            }
            for (DbInfo db : info.databases()) {
                Optional<BackupHistory.Entry> e = recentBackup(db.name());
                checks.add(e.map(x -> new CheckLine("backup", "PASS", "verified backup of " + db.name() + " from " + x.startedAt + ": " + x.path))
                        .orElseGet(() -> new CheckLine("backup", "BLOCK", "no verified backup of " + db.name() + " younger than "
                                + req.maxBackupAge.toHours() + " h in " + history.file() + ": take one now (--backup-dir) or with 'msyspg-console backup'")));
            }
        }

        Optional<BackupHistory.Entry> recentBackup(String db) {
            Instant limit = clock.instant().minus(req.maxBackupAge);
            return history.list().stream()
                    .filter(e -> e.verified && "succeeded".equals(e.status) && e.startedAt != null && !e.startedAt.isBefore(limit))
                    .filter(e -> db.equals(e.database) && e.path != null && Files.exists(Path.of(e.path)))
                    .max(Comparator.comparing(e -> e.startedAt));
        }

        Path backupDir() {
            return req.backupDir != null ? req.backupDir.toAbsolutePath().normalize() : workDir.resolve("backup");
        }

        SourceInfo sourceInfo() throws SQLException {
            try (Connection c = source.borrow(); Statement st = c.createStatement()) {
                PgVersion v = source.serverVersion();
                String install = one(st, "SELECT rolname FROM pg_roles WHERE oid = 10");
                String enc, coll, ctype, icu = null;
                try (ResultSet rs = st.executeQuery("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = 'template0'")) {
                    rs.next();
                    enc = rs.getString(1); coll = rs.getString(2); ctype = rs.getString(3);
                }
                if (v.major() >= 15) {
                    String col = v.major() >= 17 ? "datlocale" : "daticulocale";
                    try (ResultSet rs = st.executeQuery("SELECT datlocprovider, " + col + " FROM pg_database WHERE datname = 'template0'")) {
                        if (rs.next() && "i".equals(rs.getString(1))) icu = rs.getString(2);
                    }
                }
                // data_checksums exists from 9.3; wal_segment_size is shown in MB from 11 (in 8 kB blocks before): be lenient
                boolean checksums = v.compareTo(new PgVersion(9, 3, "9.3")) >= 0 && "on".equals(setting(c, "data_checksums", "off"));
                String seg = v.major() >= 11 ? setting(c, "wal_segment_size", "16MB") : "16MB";
                int segMb = seg.endsWith("MB") ? Integer.parseInt(seg.replace("MB", "").strip()) : seg.endsWith("GB") ? 1024 * Integer.parseInt(seg.replace("GB", "").strip()) : 16;
                List<DbInfo> dbs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT d.oid, d.datname, pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, pg_get_userbyid(d.datdba)"
                        + " FROM pg_database d WHERE d.datallowconn AND NOT d.datistemplate ORDER BY d.datname")) {
                    while (rs.next()) dbs.add(new DbInfo(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            dbSettings(c, rs.getLong(1))));
                }
                // per-database role settings; generate_subscripts keeps each row's order (9.0 has no WITH ORDINALITY)
                List<RoleDbSetting> roleSettings = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT rolname, datname, cfg[i] FROM (SELECT r.rolname, d.datname, s.setconfig AS cfg,"
                        + " generate_subscripts(s.setconfig, 1) AS i FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                        + " JOIN pg_database d ON d.oid = s.setdatabase WHERE s.setrole <> 0 AND s.setdatabase <> 0) x ORDER BY 2, 1, i")) {
                    while (rs.next()) roleSettings.add(new RoleDbSetting(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
                return new SourceInfo(v, install, enc, coll, ctype, icu, checksums, segMb, List.copyOf(dbs), List.copyOf(roleSettings));
            }
        }

        /** A setting's value, or {@code fallback} when this server version does not have it. */
        String setting(Connection c, String name, String fallback) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT setting, unit FROM pg_settings WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return fallback;
                    if (!"wal_segment_size".equals(name)) return rs.getString(1);
                    // 11+: bytes ("B") or 8kB blocks; report in MB
                    long n = Long.parseLong(rs.getString(1));
                    String unit = rs.getString(2);
                    long bytes = "B".equals(unit) ? n : "8kB".equals(unit) ? n * 8192 : "MB".equals(unit) ? n << 20 : 16L << 20;
                    return (bytes >> 20) + "MB";
                }
            }
        }

        List<String> dbSettings(Connection c, long oid) throws SQLException {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = ? AND setrole = 0")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        }

        // ------------------------------------------------------------------ dry run

        List<String> dryRun() {
            List<String> s = new ArrayList<>();
            int n = 1;
            String user = info != null ? info.installUser() : "<install user>";
            s.add(n++ + ". pre-flight: the checks above" + (req.method.usesPgUpgrade() ? ", then pg_upgrade --check (below)" : ""));
            String as = account != null && account.switchesUser() ? "as " + account.name() + ": " : "";
            boolean multi = req.method.usesPgUpgrade() && hops.size() > 1;
            if (multi) {
                for (Hop h : hops) {
                    s.add(n++ + ". hop " + h.index + "/" + hops.size() + ": " + as + Processes.display(initdbCommand(h.binDir, h.dataDir, user))
                            + (h.last ? "" : "; port = " + h.port + " appended to its postgresql.conf"));
                }
                s.add(n++ + ". hop 1/" + hops.size() + ": " + Processes.display(pgUpgradeCommand(hops.get(0), hops.get(0).dataDir, user, true)));
            } else {
                s.add(n++ + ". " + as + Processes.display(initdbCommand(req.newBinDir, newData, user)));
                if (req.method.usesPgUpgrade()) s.add(n++ + ". " + Processes.display(pgUpgradeCommand(hops.isEmpty() ? null : hops.get(0), newData, user, true)));
            }
            if (req.backup == UpgradeRequest.BackupChoice.TAKE_NOW) {
                s.add(n++ + ". backup: pg_dumpall --globals-only -f " + backupDir().resolve("globals-<run>.sql")
                        + "; per database: pg_dump -Fc -Z 9 -f " + backupDir().resolve("<database>-<run>.dump") + " (SHA-256 beside it, verified by a full read)");
            } else {
                s.add(n++ + ". backup: use the verified backups younger than " + req.maxBackupAge.toHours() + " h listed above");
            }
            s.add(n++ + ". count the rows of every user table in every database (md5 of the rows for tables up to "
                    + UpgradePlanner.bytes(req.checksumMaxBytes) + ")");
            if (req.method.usesPgUpgrade()) {
                s.add(n++ + ". stop the old server: " + (req.oldServiceCommand != null ? req.oldServiceCommand + " stop"
                        : Processes.display(List.of(req.oldBinDir.resolve("pg_ctl").toString(), "-D", oldData.toString(), "-m", "fast", "-w", "stop"))));
                if (multi) {
                    for (Hop h : hops) {
                        String pre = "hop " + h.index + "/" + hops.size() + ": ";
                        if (h.index > 1) {
                            Hop prev = hops.get(h.index - 2);
                            s.add(n++ + ". " + pre + Processes.display(pgUpgradeCommand(h, h.dataDir, user, true)) + " (the intermediate server running)");
                            s.add(n++ + ". " + pre + Processes.display(List.of(prev.binDir.resolve("pg_ctl").toString(), "-D", prev.dataDir.toString(), "-m", "fast", "-w", "stop")));
                        }
                        s.add(n++ + ". " + pre + Processes.display(pgUpgradeCommand(h, h.dataDir, user, false)));
                        if (h.index > 1) s.add(n++ + ". " + pre + "remove the intermediate cluster " + hops.get(h.index - 2).dataDir + " (only now that this hop succeeded)");
                        if (!h.last) s.add(n++ + ". " + pre + Processes.display(startCommand(h)));
                    }
                } else {
                    s.add(n++ + ". " + Processes.display(pgUpgradeCommand(hops.isEmpty() ? null : hops.get(0), newData, user, false)));
                }
                s.add(n++ + ". " + Processes.display(startCommand()));
            } else {
                s.add(n++ + ". " + Processes.display(startCommand()));
                s.add(n++ + ". pg_dumpall --globals-only (roles, tablespaces); " + req.newBinDir.resolve("psql") + " -X -f globals.sql -d postgres (the new server)");
                s.add(n++ + ". per database: CREATE DATABASE … TEMPLATE template0 ENCODING/LC_COLLATE/LC_CTYPE/OWNER as the old one; "
                        + req.newBinDir.resolve("pg_restore") + " -v -d <database> <database>.dump (errors classed and reported)");
            }
            s.add(n++ + ". verify: row counts (and md5s) of every table, source against target; any difference fails the run");
            s.add(n++ + ". deferred job (detached, survives the console): " + req.newBinDir.resolve("vacuumdb") + " --all --analyze-in-stages"
                    + (req.method.usesPgUpgrade() ? "; update_extensions.sql when pg_upgrade writes one (delete_old_cluster.sh is listed, never run)" : "")
                    + (req.migrationScript != null ? "; " + req.migrationScript : ""));
            s.add(n + ". report: " + reportsDir().resolve("<run>").resolve("report.txt") + " and report.json");
            return s;
        }

        // ------------------------------------------------------------------ commands

        List<String> initdbCommand(Path bin, Path data, String user) {
            List<String> c = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user));
            if (info != null) {
                c.addAll(List.of("-E", info.encoding(), "--lc-collate=" + info.collate(), "--lc-ctype=" + info.ctype()));
                if (info.icuLocale() != null) c.addAll(List.of("--locale-provider=icu", "--icu-locale=" + info.icuLocale()));
                if (info.checksums()) c.add("--data-checksums");
                if (info.walSegmentMb() != 16) c.add("--wal-segsize=" + info.walSegmentMb());
            }
            c.add("--auth-local=trust");
            if (password != null) c.addAll(List.of("--auth-host=md5", "--pwfile=" + workDir.resolve("pwfile")));
            else c.add("--auth-host=trust");
            return c;
        }

        // the old and new side of a hop (null: the one hop of a run whose pre-flight did not get as far as the hops)
        Hop prevOf(Hop h) { return h == null || h.index == 1 ? null : hops.get(h.index - 2); }
        Path oldBinOf(Hop h) { return prevOf(h) == null ? req.oldBinDir : prevOf(h).binDir; }
        Path oldDataOf(Hop h) { return prevOf(h) == null ? oldData : prevOf(h).dataDir; }
        int oldPortOf(Hop h) { return prevOf(h) == null ? req.source.port() : prevOf(h).port; }
        Path newBinOf(Hop h) { return h == null ? req.newBinDir : h.binDir; }
        int newPortOf(Hop h) { return h == null ? req.newPort : h.port; }
        PgVersion newVersionOf(Hop h) { return h == null ? targetVersion : h.version; }

        List<String> pgUpgradeCommand(Hop h, Path data, String user, boolean check) {
            PgVersion v = newVersionOf(h);
            List<String> c = new ArrayList<>(List.of(newBinOf(h).resolve("pg_upgrade").toString(),
                    "-b", oldBinOf(h).toString(), "-B", newBinOf(h).toString(), "-d", oldDataOf(h).toString(), "-D", data.toString(),
                    "-p", Integer.toString(oldPortOf(h)), "-P", Integer.toString(newPortOf(h)), "-U", user, "-s", socketDir().toString()));
            if (check) c.add("--check");   // with the method's flag: --check then tests hard links (--link) or cloning (--clone)
            if (req.method != Method.PG_UPGRADE_COPY || (v != null && v.major() >= 16)) c.add(req.method.flag);
            return c;
        }

        List<String> startCommand() {
            return List.of(req.newBinDir.resolve("pg_ctl").toString(), "-D", newData.toString(), "-l", workDir.resolve("new-server.log").toString(),
                    "-w", "-t", "300", "start");
        }

        /** Starts an intermediate cluster (its log in the work folder). */
        List<String> startCommand(Hop h) {
            return List.of(h.binDir.resolve("pg_ctl").toString(), "-D", h.dataDir.toString(), "-l", workDir.resolve("hop" + h.index + "-server.log").toString(),
                    "-w", "-t", "300", "start");
        }

        /** pg_upgrade's socket folder: the work folder, or a short one under /tmp when that path is too long for a socket. */
        Path socketDir() {
            return workDir.toString().length() <= 80 ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "msyspg-upg-" + req.newPort);
        }

        /** Runs a server-side program as the server account in {@code cwd}, its output into the step. */
        Processes.Result exec(StepRec s, List<String> cmd, Path cwd, long timeoutSeconds) throws IOException, InterruptedException {
            return exec(s, cmd, cwd, timeoutSeconds, l -> {});
        }

        Processes.Result exec(StepRec s, List<String> cmd, Path cwd, long timeoutSeconds, java.util.function.Consumer<String> hook)
                throws IOException, InterruptedException {
            s.command((account.switchesUser() ? "as " + account.name() + ": " : "") + Processes.display(cmd));
            return Processes.stream(account.wrap(cmd), cwd, null, timeoutSeconds, l -> {
                s.line(l);
                hook.accept(l);
            }, p -> ctx.onCancel(() -> {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }));
        }

        void prepareDir(Path d) throws IOException {
            Files.createDirectories(d);
            FilePermissions.set(d, "rwx------");
            account.giveOwnership(d);
        }

        // ------------------------------------------------------------------ steps

        void initdbStep(StepRec s) throws Exception {
            prepareDir(workDir);
            if (!Files.exists(newData)) createdNewData = true;
            initdbDone = true;
            initdb(req.newBinDir, newData, s);
            List<String> conf = new ArrayList<>(List.of("", "# written by msyspg-console (upgrade " + report.runId + ")", "port = " + req.newPort));
            if (req.newSocketDir != null) {
                Files.createDirectories(req.newSocketDir);
                account.giveOwnership(req.newSocketDir);
                conf.add("unix_socket_directories = '" + req.newSocketDir + "'");
            }
            Files.write(newData.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            s.detail = "new cluster " + targetVersion + " in " + newData + " (" + info.encoding() + ", " + info.collate()
                    + (info.checksums() ? ", data checksums" : "") + "), port " + req.newPort;
        }

        /** initdb of an intermediate cluster with the hop's binaries; its port and socket folder appended to its postgresql.conf. */
        void initdbHopStep(StepRec s, Hop h) throws Exception {
            prepareDir(workDir);
            Path sock = socketDir();
            if (!sock.equals(workDir)) prepareDir(sock);
            if (!Files.exists(h.dataDir)) h.created = true;
            h.initdbDone = true;
            initdb(h.binDir, h.dataDir, s);
            Files.write(h.dataDir.resolve("postgresql.conf"), List.of("", "# written by msyspg-console (upgrade " + report.runId + ", intermediate hop "
                    + h.index + ")", "port = " + h.port, "unix_socket_directories = '" + sock + "'"), StandardOpenOption.APPEND);
            s.detail = "intermediate cluster " + h.version + " in " + h.dataDir + " (" + info.encoding() + ", " + info.collate()
                    + (info.checksums() ? ", data checksums" : "") + "), port " + h.port + "; removed once hop " + (h.index + 1) + " succeeded";
        }

        void pgUpgradeCheckHop(StepRec s, Hop h) throws Exception {
            try {
                pgUpgradeCheckAt(h, h.dataDir, s);
            } catch (ConsoleException e) {
                if (h.index > 1) s.result = Result.FAILED;   // the run has changed things already: not a mere block
                throw e;
            }
            s.detail = "Clusters are compatible (" + oldDataOf(h) + " → " + h.dataDir + ")";
        }

        void stopHopStep(StepRec s, Hop h) throws Exception {
            Processes.Result r = exec(s, List.of(h.binDir.resolve("pg_ctl").toString(), "-D", h.dataDir.toString(), "-m", "fast", "-w", "stop"), workDir, 360);
            if (!r.ok()) throw new ConsoleException("The intermediate server in " + h.dataDir + " did not stop: " + lastLines(r.output(), 3));
            h.running = false;
            s.detail = "intermediate server (PostgreSQL " + h.version + ", port " + h.port + ") stopped for the next pg_upgrade";
        }

        void startHopStep(StepRec s, Hop h) throws Exception {
            Processes.Result r = exec(s, startCommand(h), workDir, 360);
            if (!r.ok()) {
                throw new ConsoleException("The intermediate server in " + h.dataDir + " (port " + h.port + ") did not start: "
                        + lastLines(r.output() + "\n" + read(workDir.resolve("hop" + h.index + "-server.log")), 5));
            }
            h.running = true;
            s.detail = "PostgreSQL " + h.version + " running on port " + h.port + " in " + h.dataDir + " (the old cluster of hop " + (h.index + 1) + ")";
        }

        void removeHopStep(StepRec s, Hop h, Hop after) {
            s.command("rm -rf " + h.dataDir);
            deleteTree(h.dataDir);
            if (Files.exists(h.dataDir)) {
                s.result = Result.WARN;
                s.detail = "the intermediate cluster " + h.dataDir + " could not be removed completely: remove it yourself";
                return;
            }
            h.removed = true;
            s.detail = "intermediate cluster " + h.dataDir + " removed after hop " + after.index + " succeeded"
                    + (req.method == Method.PG_UPGRADE_LINK ? " (with --link it shared its files with " + after.dataDir + ", which keeps them)" : "");
        }

        void initdb(Path bin, Path data, StepRec s) throws Exception {
            prepareDir(data);
            Path pwfile = workDir.resolve("pwfile");
            try {
                if (password != null) {
                    Files.write(pwfile, new String(password).getBytes(StandardCharsets.UTF_8));
                    FilePermissions.ownerOnly(pwfile);
                    account.giveOwnership(pwfile);
                }
                Processes.Result r = exec(s, initdbCommand(bin, data, info.installUser()), workDir, 600);
                if (!r.ok()) throw new ConsoleException("initdb of the new cluster in " + data + " failed: " + lastLines(r.output(), 3));
            } finally {
                Files.deleteIfExists(pwfile);
            }
        }

        void pgUpgradeCheck(StepRec s, boolean unused) throws Exception {
            pgUpgradeCheckAt(hops.isEmpty() ? null : hops.get(0), newData, s);
            s.detail = "Clusters are compatible";
        }

        void pgUpgradeCheckAt(Hop h, Path data, StepRec s) throws Exception {
            Processes.Result r = exec(s, pgUpgradeCommand(h, data, info.installUser(), true), workDir, 1800);
            if (!r.ok() || !r.output().contains("Clusters are compatible")) {
                Path logs = keepLogs(pgUpgradeLogDir(h, data));
                lastKeptLogs = logs;
                s.result = Result.BLOCKED;
                throw new ConsoleException("pg_upgrade --check failed: " + problems(r.output())
                        + " — fix this in the old cluster and run the check again; pg_upgrade's logs: " + logs);
            }
        }

        /**
         * Copies pg_upgrade's log folder (its problem lists, e.g. tables_using_reg.txt) where the admin keeps it: the
         * run's report folder, or {@code <reports>/preflight-<time>/} for a preview; the new cluster holding the
         * original may be removed. Returns the copy (or the original when copying fails).
         */
        Path keepLogs(Path logs) {
            if (logs == null || !Files.isDirectory(logs)) return logs;
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
            Path to = (reportDir != null ? reportDir : reportsDir().resolve("preflight-" + stamp)).resolve("pg_upgrade-logs");
            // up to 14 the logs are in the working folder (beside dumps and backups): only pg_upgrade's own files
            boolean flat = logs.equals(workDir);
            try (var walk = flat ? Files.list(logs) : Files.walk(logs)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    if (!Files.isRegularFile(f)) continue;
                    String n = f.getFileName().toString();
                    if (flat && !(n.startsWith("pg_upgrade") || n.endsWith(".txt"))) continue;
                    Path dst = to.resolve(logs.relativize(f).toString());
                    Files.createDirectories(dst.getParent());
                    Files.copy(f, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return to;
            } catch (IOException e) {
                return logs;
            }
        }

        Path pgUpgradeLogDir(Hop h, Path data) {
            PgVersion v = newVersionOf(h);
            return v != null && v.major() >= 15 ? data.resolve("pg_upgrade_output.d") : workDir;
        }

        void backupStep(StepRec s) throws Exception {
            if (req.backup == UpgradeRequest.BackupChoice.USE_RECENT) {
                List<String> used = new ArrayList<>();
                for (DbInfo db : info.databases()) {
                    BackupHistory.Entry e = recentBackup(db.name()).orElseThrow(() -> new ConsoleException("No verified backup of " + db.name()
                            + " younger than " + req.maxBackupAge.toHours() + " h: take one now (--backup-dir) or with 'msyspg-console backup'."));
                    used.add(e.path);
                    s.line("using the verified backup of " + db.name() + " from " + e.startedAt + ": " + e.path + " (sha256 " + e.sha256 + ")");
                }
                report.backups.addAll(used);
                s.detail = "verified backups younger than " + req.maxBackupAge.toHours() + " h: " + String.join(", ", used);
                return;
            }
            Path dir = backupDir();
            Files.createDirectories(dir);
            Path globals = dir.resolve("globals-" + report.runId + ".sql");
            dumpGlobals(s, globals);
            report.backups.add(globals.toString());
            BackupService backups = new BackupService(dumpTools, history);
            for (DbInfo db : info.databases()) {
                ctx.checkCancelled();
                BackupOptions o = new BackupOptions();
                o.format = BackupFormat.CUSTOM;
                o.compression = "9";
                o.verify = true;
                o.output = dir.resolve(safeName(db.name()) + "-" + report.runId + ".dump");
                BackupService.Plan p = backups.plan(source.forDatabase(db.name()), o);
                s.command(p.commandLine());
                if (p.blocked()) throw new ConsoleException("The backup of " + db.name() + " cannot start: " + p.blocking().get(0).message());
                int k = archives.size();
                BackupService.Result r = backups.run(p, sub((double) k / info.databases().size(), (double) (k + 1) / info.databases().size()), s::line);
                s.line("backup of " + db.name() + ": " + r.path() + " (" + UpgradePlanner.bytes(r.sizeBytes()) + ", sha256 " + r.sha256() + ", "
                        + (r.verified() ? "verified" : "NOT verified") + ")");
                if (!r.verified()) throw new ConsoleException("The backup of " + db.name() + " could not be verified: " + r.verification());
                archives.put(db.name(), r.path());
                report.backups.add(r.path().toString());
            }
            archivesFresh = true;
            s.detail = "backups in " + dir + ": globals + " + info.databases().size() + " database(s), verified";
        }

        void dumpGlobals(StepRec s, Path out) throws Exception {
            PgTool dumpall = dumpTools.findAll("pg_dumpall").stream().findFirst()
                    .orElseThrow(() -> new ConsoleException("pg_dumpall was not found beside pg_dump in " + dumpTools.searchDirs()));
            ConnectionTarget t = req.source;
            ToolProcess p = new ToolProcess(List.of(dumpall.path().toString(), "-w", "-h", t.host(), "-p", Integer.toString(t.port()),
                    "-U", t.user(), "--globals-only", "-f", out.toString())).target(t).password(password).onLine(s::line);
            s.command(p.display());
            ToolProcess.Outcome o = p.run(ctx);
            if (o.cancelled()) throw new JobCancelledException();
            if (!o.ok()) throw new ConsoleException("pg_dumpall --globals-only failed: " + o.problemSummary());
        }

        void sourceCountsStep(StepRec s) throws Exception {
            int tables = 0;
            for (DbInfo db : info.databases()) {
                ctx.checkCancelled();
                try (Connection c = source.forDatabase(db.name()).borrow()) {
                    for (TableCheck t : count(c, db.name(), null)) {
                        if (t.sourceMd5() != null) md5Keys.add(key(t));
                        sourceCounts.put(key(t), t);
                        tables++;
                    }
                }
            }
            s.detail = tables + " tables counted in " + info.databases().size() + " database(s)"
                    + (info.version().major() < 12 ? " (no md5: float output differs before 12)" : "");
            s.line(s.detail);
        }

        void stopOldStep(StepRec s) throws Exception {
            closeSource();
            if (PostmasterPid.read(oldData).isEmpty()) {
                s.detail = "the old server was not running";
                return;
            }
            if (!req.stopOldServer) {
                s.result = Result.BLOCKED;
                throw new ConsoleException("The old server is running and may not be stopped by the console: stop it, then run again.");
            }
            ServerControl control = oldServerControl();
            s.command(req.oldServiceCommand != null ? req.oldServiceCommand + " stop"
                    : Processes.display(List.of(control.pgCtlPath().toString(), "-D", oldData.toString(), "-m", "fast", "-w", "stop")));
            control.stop(io.msyspg.console.core.cluster.PgCluster.StopMode.FAST, ctx, s::line);
            oldServerStoppedByUs = true;
            s.detail = "old server stopped" + (req.oldServiceCommand != null ? " (" + req.oldServiceCommand + ")" : " (pg_ctl -m fast)");
        }

        void pgUpgradeStep(StepRec s, Hop h) throws Exception {
            boolean last = h == null || h.last;
            Path into = h == null ? newData : h.dataDir;
            if (last) upgradeStarted = true;
            else h.upgradedInto = true;
            List<String> scripts = List.of("update_extensions.sql", "delete_old_cluster.sh", "reindex_hash.sql", "analyze_new_cluster.sh");
            for (String name : scripts) Files.deleteIfExists(workDir.resolve(name));   // an earlier hop's
            int[] ok = {0};
            JobContext part = sub(0, 1);
            // progress from the phases pg_upgrade reports: about 40 lines ending in "ok" (checks, then the upgrade)
            Processes.Result r = exec(s, pgUpgradeCommand(h, into, info.installUser(), false), workDir, LONG_TIMEOUT, l -> {
                String t = l.strip();
                if (t.endsWith("ok")) {
                    ok[0]++;
                    part.progress(Math.min(0.95, ok[0] / 40.0), 1);
                } else if (!t.isEmpty() && !t.startsWith("-") && !t.startsWith("*")) {
                    ctx.message("pg_upgrade: " + t.replaceAll("\\s{2,}.*", ""));
                }
            });
            String hop = hops.size() > 1 ? " (hop " + h.index + "/" + hops.size() + ", " + oldDataOf(h) + " → " + into + ")" : "";
            if (!r.ok() || !r.output().contains("Upgrade Complete")) {
                throw new ConsoleException("pg_upgrade failed" + hop + ": " + problems(r.output()) + " — pg_upgrade's logs: " + keepLogs(pgUpgradeLogDir(h, into))
                        + (req.method == Method.PG_UPGRADE_LINK ? ". With --link the old cluster may be unusable now: restore the backup if it does not start."
                        : ". The old cluster is unchanged."));
            }
            if (last) report.pgUpgradeLogDir = pgUpgradeLogDir(h, into).toString();
            for (String name : scripts) {
                Path f = workDir.resolve(name);
                // several hops: the first hop's delete_old_cluster.sh (it names the ORIGINAL old cluster), the last hop's other scripts
                boolean keep = hops.size() <= 1 || (name.startsWith("delete_old") ? h.index == 1 : last);
                if (keep && Files.isRegularFile(f)) {
                    Path kept = reportDir.resolve(name);
                    Files.copy(f, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    report.scripts.add(kept + (name.startsWith("delete_old") ? " (listed only: never run by the console; run it yourself once the new cluster is proven)" : ""));
                }
            }
            s.detail = "pg_upgrade " + req.method.flag + " completed" + hop + " (" + ok[0] + " phases ok)";
        }

        void startNewStep(StepRec s) throws Exception {
            Processes.Result r = exec(s, startCommand(), workDir, 360);
            if (!r.ok()) throw new ConsoleException("The new server did not start: " + lastLines(r.output() + "\n" + read(workDir.resolve("new-server.log")), 5));
            newServerStarted = true;
            ConnectionTarget t = ConnectionTarget.of("127.0.0.1", req.newPort, "postgres", info.installUser());
            target = PooledDbSession.open(t, password);
            s.detail = "PostgreSQL " + target.serverVersion() + " running on port " + req.newPort;
        }

        void dumpRestoreStep(StepRec s) throws Exception {
            Path dumpDir = workDir.resolve("dump");
            Files.createDirectories(dumpDir);
            // globals first (roles, tablespaces): "role … already exists" for the install user is expected
            Path globals = dumpDir.resolve("globals.sql");
            dumpGlobals(s, globals);
            ToolProcess psql = new ToolProcess(List.of(req.newBinDir.resolve("psql").toString(), "-X", "-w", "-h", "127.0.0.1", "-p",
                    Integer.toString(req.newPort), "-U", info.installUser(), "-d", "postgres", "-f", globals.toString()))
                    .password(password).onLine(s::line);
            s.command(psql.display());
            ToolProcess.Outcome go = psql.run(ctx);
            if (go.cancelled()) throw new JobCancelledException();
            List<String> globalErrors = go.lines().stream().filter(l -> l.contains("ERROR:"))
                    .filter(l -> !l.contains("role \"" + info.installUser() + "\" already exists")).toList();
            if (!go.ok()) throw new ConsoleException("psql could not load the roles: " + go.problemSummary());
            BackupService engine = new BackupService(dumpTools, history);
            RestoreService restore = new RestoreService(new BackupService(newTools, history));
            ArchiveInspector inspector = new ArchiveInspector(newTools);
            List<String> warnings = new ArrayList<>(globalErrors.stream().map(l -> "roles: " + l.strip()).toList());
            List<String> applied = new ArrayList<>();
            int i = 0;
            for (DbInfo db : info.databases()) {
                ctx.checkCancelled();
                i++;
                Path archive = archivesFresh ? archives.get(db.name()) : null;
                if (archive == null) {
                    BackupOptions o = new BackupOptions();
                    o.format = BackupFormat.CUSTOM;
                    o.compression = "9";
                    o.output = dumpDir.resolve(safeName(db.name()) + ".dump");
                    BackupService.Plan p = engine.plan(source.forDatabase(db.name()), o);
                    s.command(p.commandLine());
                    if (p.blocked()) throw new ConsoleException("The dump of " + db.name() + " cannot start: " + p.blocking().get(0).message());
                    archive = engine.run(p, sub((i - 1.0) / info.databases().size(), (i - 0.5) / info.databases().size()), s::line).path();
                } else {
                    s.line("the verified backup " + archive + " is the dump of " + db.name());
                }
                if (!db.name().equals("postgres")) {
                    try (Connection c = target.borrow(); Statement st = c.createStatement()) {
                        String sql = "CREATE DATABASE " + ident(db.name()) + " TEMPLATE template0 ENCODING " + lit(db.encoding())
                                + " LC_COLLATE " + lit(db.collate()) + " LC_CTYPE " + lit(db.ctype()) + " OWNER " + ident(db.owner());
                        s.command(sql);
                        st.execute(sql);
                    }
                }
                try (Connection c = target.borrow(); Statement st = c.createStatement()) {
                    for (String kv : db.settings()) {
                        if (kv.indexOf('=') <= 0) continue;
                        String sql = "ALTER DATABASE " + ident(db.name()) + " " + setClause(kv);
                        s.command(sql);
                        st.execute(sql);
                    }
                }
                ArchiveInfo a = inspector.inspect(archive, ctx);
                RestoreOptions ro = new RestoreOptions();
                ro.database = db.name();
                ro.createNew = false;
                ro.verifyFirst = false;
                RestoreService.Plan rp = restore.plan(target, a, ro);
                s.command(rp.commandLine());
                if (rp.blocked()) throw new ConsoleException("The restore of " + db.name() + " cannot start: " + rp.blocking().get(0).message());
                RestoreReport rr = restore.run(rp, sub((i - 0.5) / info.databases().size(), (double) i / info.databases().size()), s::line);
                s.line("restore of " + db.name() + ": " + rr.headline());
                if (rr.status() == RestoreReport.Status.FAILED) throw new ConsoleException("The restore of " + db.name() + " failed: " + rr.message());
                for (RestoreError e : rr.errors()) {
                    if (!e.expected()) warnings.add(db.name() + ": " + e);
                }
                if (rr.realErrors() > 0) {
                    throw new ConsoleException("The restore of " + db.name() + " " + rr.headline() + ": " + String.join("; ", warnings));
                }
                if (rr.status() == RestoreReport.Status.COMPLETED_WITH_ERRORS) warnings.add(db.name() + ": " + rr.headline());
                // the database exists and holds its objects: its per-role settings now
                applyRoleSettings(s, info.roleSettings().stream().filter(x -> x.database().equals(db.name())).toList(), applied, warnings);
            }
            upgradeStarted = true;
            // settings of databases that are not dumped (template1, databases that allow no connections): where the database exists
            List<String> restored = info.databases().stream().map(DbInfo::name).toList();
            List<RoleDbSetting> others = info.roleSettings().stream().filter(x -> !restored.contains(x.database())).toList();
            if (!others.isEmpty()) {
                java.util.Set<String> there = new java.util.HashSet<>();
                try (Connection c = target.borrow(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT datname FROM pg_database")) {
                    while (rs.next()) there.add(rs.getString(1));
                }
                applyRoleSettings(s, others.stream().filter(x -> there.contains(x.database())).toList(), applied, warnings);
                others.stream().filter(x -> !there.contains(x.database())).forEach(x -> warnings.add("role setting not carried (" + x.display()
                        + "): the database " + x.database() + " is not on the new server (only databases that allow connections are dumped)"));
            }
            String appliedLine = applied.isEmpty() ? "" : applied.size() + " per-database role setting(s) applied (ALTER ROLE … IN DATABASE … SET): "
                    + String.join("; ", applied);
            if (!appliedLine.isEmpty()) s.line(appliedLine);
            if (!warnings.isEmpty()) {
                s.result = Result.WARN;
                s.detail = String.join("\n", warnings) + (appliedLine.isEmpty() ? "" : "\n" + appliedLine);
            } else {
                s.detail = "roles and " + info.databases().size() + " database(s) restored into " + targetVersion
                        + (appliedLine.isEmpty() ? "" : "; " + appliedLine);
            }
        }

        /** ALTER ROLE … IN DATABASE … SET on the new server, each on its own: a failure is a warning naming the setting. */
        void applyRoleSettings(StepRec s, List<RoleDbSetting> settings, List<String> applied, List<String> warnings) throws SQLException {
            if (settings.isEmpty()) return;
            try (Connection c = target.borrow(); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                for (RoleDbSetting x : settings) {
                    if (x.setting().indexOf('=') <= 0) {
                        warnings.add("role setting not carried (" + x.display() + "): not a name=value entry");
                        continue;
                    }
                    String sql = x.sql();
                    s.command(sql);
                    try {
                        st.execute(sql);
                        applied.add(x.display());
                    } catch (SQLException e) {
                        warnings.add("role setting not carried (" + x.display() + "): " + firstLine(e.getMessage()));
                    }
                }
            }
        }

        void verifyStep(StepRec s) throws Exception {
            List<TableCheck> all = new ArrayList<>();
            for (DbInfo db : info.databases()) {
                ctx.checkCancelled();
                Map<String, TableCheck> seen = new LinkedHashMap<>();
                try (Connection c = target.forDatabase(db.name()).borrow()) {
                    for (TableCheck t : count(c, db.name(), md5Keys)) seen.put(key(t), t);
                }
                for (Map.Entry<String, TableCheck> e : sourceCounts.entrySet()) {
                    TableCheck src = e.getValue();
                    if (!src.database().equals(db.name())) continue;
                    TableCheck dst = seen.remove(e.getKey());
                    all.add(new TableCheck(src.database(), src.schema(), src.table(), src.sourceRows(),
                            dst == null ? -1 : dst.sourceRows(), src.sourceMd5(), dst == null ? null : src.sourceMd5() == null ? null : dst.sourceMd5()));
                }
                for (TableCheck extra : seen.values()) {
                    all.add(new TableCheck(extra.database(), extra.schema(), extra.table(), -1, extra.sourceRows(), null, null));
                }
            }
            report.tables = all;
            long bad = all.stream().filter(t -> !t.matches()).count();
            for (TableCheck t : all) {
                if (!t.matches()) s.line("MISMATCH " + t.qualifiedName() + ": source " + t.sourceRows() + " rows, target " + t.targetRows()
                        + (t.sourceMd5() != null && !t.sourceMd5().equals(t.targetMd5()) ? ", md5 differs" : ""));
            }
            long md5 = all.stream().filter(t -> t.sourceMd5() != null).count();
            long rows = all.stream().mapToLong(t -> Math.max(0, t.sourceRows())).sum();
            String summary = all.size() + " tables, " + rows + " rows, " + md5 + " with an md5 of their rows";
            s.line(summary);
            if (bad > 0) {
                throw new ConsoleException(bad + " of " + all.size() + " tables differ between source and target (see the table list in the report)"
                        + " — were writers still running? The Momentum checklist stops them first.");
            }
            s.detail = summary + ": all match";
        }

        void deferredStep(StepRec s) throws Exception {
            DeferredJob job = new DeferredJob();
            job.title = "after the upgrade to " + targetVersion + " (" + newData + ")";
            String host = newSocketHost();
            List<String> libpq = List.of("-h", host, "-p", Integer.toString(req.newPort), "-U", info.installUser());
            if (req.analyzeAfter) {
                DeferredJob.Step v = new DeferredJob.Step("vacuumdb --all --analyze-in-stages", DeferredJob.StepKind.COMMAND);
                v.command.add(req.newBinDir.resolve("vacuumdb").toString());
                v.command.addAll(libpq);
                v.command.addAll(List.of("-w", "--all", "--analyze-in-stages"));
                job.steps.add(v);
            }
            Path ext = reportDir.resolve("update_extensions.sql");
            if (Files.isRegularFile(ext)) {
                DeferredJob.Step e = new DeferredJob.Step("update_extensions.sql (written by pg_upgrade)", DeferredJob.StepKind.COMMAND);
                e.command.add(req.newBinDir.resolve("psql").toString());
                e.command.addAll(libpq);
                e.command.addAll(List.of("-X", "-w", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-f", ext.toString()));
                job.steps.add(e);
            }
            if (req.migrationScript != null) {
                Path script = req.migrationScript.toAbsolutePath();
                DeferredJob.Step m = new DeferredJob.Step("migration " + script.getFileName(), DeferredJob.StepKind.COMMAND);
                if (Files.isExecutable(script)) m.command.add(script.toString());
                else m.command.addAll(List.of("/bin/sh", script.toString()));
                m.env.put("PGHOST", host);
                m.env.put("PGPORT", Integer.toString(req.newPort));
                m.env.put("PGUSER", info.installUser());
                m.env.put("PGDATABASE", req.database);
                job.steps.add(m);
            }
            if (job.steps.isEmpty()) {
                s.result = Result.SKIPPED;
                s.detail = "nothing to defer";
                return;
            }
            DeferredJobs jobs = new DeferredJobs(jobsDir());
            JobJournal j = jobs.create(job);
            report.deferredJobId = j.id();
            for (DeferredJob.Step st : job.steps) s.command(Processes.display(st.command));
            if (req.launchDeferred) {
                long pid = jobs.launch(j);
                s.detail = "job " + j.id() + " running detached (PID " + pid + "): msyspg-console upgrade attach " + j.id();
            } else {
                s.detail = "job " + j.id() + " queued: start it with msyspg-console upgrade run --job " + j.id();
            }
            s.line(s.detail);
        }

        /** The new server's first Unix-socket folder (for the detached job: local trust, no password), else 127.0.0.1. */
        String newSocketHost() {
            try {
                return PostmasterPid.read(newData).map(PostmasterPid::socketDir).filter(d -> d != null && !d.isBlank()).orElse("127.0.0.1");
            } catch (ConsoleException e) {
                return "127.0.0.1";
            }
        }

        // ------------------------------------------------------------------ verification

        /**
         * Counts (and checksums) every user table of {@code db}. Source side ({@code only == null}): a table gets an md5 when
         * it is at most {@code checksumMaxBytes} and the run's total budget is not spent; target side: exactly the tables
         * in {@code only}.
         */
        List<TableCheck> count(Connection c, String db, java.util.Set<String> only) throws SQLException {
            List<String[]> tables = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT n.nspname, c.relname, pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                            + " AND n.nspname !~ '^pg_(toast|temp)'"
                            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
                            + " ORDER BY 1, 2")) {
                while (rs.next()) tables.add(new String[]{rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))});
            }
            boolean md5Ok = info.version().major() >= 12 && req.checksumMaxBytes > 0;
            List<TableCheck> out = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                ctx.onCancel(() -> {
                    try { st.cancel(); } catch (SQLException ignored) { /* done */ }
                });
                for (String[] t : tables) {
                    ctx.checkCancelled();
                    String q = ident(t[0]) + "." + ident(t[1]);
                    long rows = Long.parseLong(one(st, "SELECT count(*) FROM ONLY " + q));
                    String md5 = null;
                    long size = Long.parseLong(t[2]);
                    if (md5Budget < 0) md5Budget = req.checksumTotalMaxBytes;
                    boolean take = only != null ? only.contains(db + "\u0000" + t[0] + "\u0000" + t[1])
                            : md5Ok && size <= req.checksumMaxBytes && size <= md5Budget;
                    if (take) {
                        if (only == null) md5Budget -= size;
                        md5 = one(st, "SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x COLLATE \"C\"), '')) FROM (SELECT r::text AS x FROM ONLY "
                                + q + " r) s");
                    }
                    out.add(new TableCheck(db, t[0], t[1], rows, rows, md5, md5));
                }
            }
            return out;
        }

        static String key(TableCheck t) { return t.database() + "\u0000" + t.schema() + "\u0000" + t.table(); }

        // ------------------------------------------------------------------ failure, report

        /** Stops what the run started; a GUI cancel's interrupt is set aside so pg_ctl's waits work. */
        void cleanupAfterFailure() {
            closeSessions();
            try {
                io.msyspg.console.core.common.Interrupts.setAside(this::undo);
            } catch (Exception e) {
                report.notes.add("Clean-up after the failure was incomplete: " + ConsoleException.userMessage(e));
            }
        }

        private void undo() throws Exception {
            {
                for (Hop h : hops) {
                    if (h.last || !h.running) continue;
                    Processes.run(account.wrap(List.of(h.binDir.resolve("pg_ctl").toString(), "-D", h.dataDir.toString(), "-m", "fast", "-w", "stop")),
                            workDir, null, 120);
                    h.running = false;
                    report.notes.add("The intermediate server (hop " + h.index + ", port " + h.port + ") was stopped because the run did not finish.");
                }
                for (Hop h : hops) {
                    if (h.last || h.removed || !h.initdbDone) continue;
                    if (req.method == Method.PG_UPGRADE_LINK && h.upgradedInto) {
                        report.notes.add("The intermediate cluster " + h.dataDir + " is KEPT (stopped): pg_upgrade --link shared the old cluster's files with it,"
                                + " so it may hold the only usable copy of the data; start it with " + h.binDir.resolve("pg_ctl") + " -D " + h.dataDir
                                + " start, or restore the backup.");
                    } else if (h.created) {
                        deleteTree(h.dataDir);
                        report.notes.add("The intermediate cluster " + h.dataDir + " was removed" + (h.upgradedInto
                                ? " (the old cluster is unchanged: " + req.method.flag + " copies)." : " (nothing had been upgraded into it yet)."));
                    }
                }
                if (newServerStarted) {
                    Processes.run(account.wrap(List.of(req.newBinDir.resolve("pg_ctl").toString(), "-D", newData.toString(), "-m", "fast", "-w", "stop")),
                            workDir, null, 120);
                    report.notes.add("The new server was stopped because the run did not finish.");
                }
                if (!upgradeStarted && createdNewData) {
                    deleteTree(newData);
                    report.notes.add("The new data directory " + newData + " was removed (nothing had been upgraded into it yet).");
                } else if (!upgradeStarted && initdbDone) {
                    // an empty folder the admin prepared (a mount point): emptied again, kept
                    try (var ds = Files.newDirectoryStream(newData)) {
                        for (Path p : ds) deleteTree(p);
                    }
                    report.notes.add("The new data directory " + newData + " was emptied again (nothing had been upgraded into it yet).");
                }
                if (oldServerStoppedByUs && req.method != Method.PG_UPGRADE_LINK) {
                    try {
                        oldServerControl().start(JobContext.none(), l -> {});
                        report.notes.add("The old server was started again (it is unchanged).");
                    } catch (ConsoleException e) {
                        report.notes.add("The old server could not be started again: " + e.getMessage());
                    }
                } else if (oldServerStoppedByUs) {
                    report.notes.add("The old server stays stopped: after pg_upgrade --link it must not be started if the new one ran;"
                            + " if pg_upgrade failed before linking, it can be started again; otherwise restore the backup.");
                }
            }
        }

        ServerControl oldServerControl() {
            return new ServerControl(new ServerTarget(oldData, req.oldServiceCommand, req.oldBinDir), tools).waitSeconds(300);
        }

        void closeSource() {
            if (source != null) {
                source.close();
                source = null;
            }
        }

        void closeSessions() {
            closeSource();
            if (target != null) {
                target.close();
                target = null;
            }
        }

        void writeReport() throws IOException {
            if (info != null) report.sourceVersion = info.version().toString();
            if (targetVersion != null) report.targetVersion = targetVersion.toString();
            Path json = reportDir.resolve("report.json");
            Path text = reportDir.resolve("report.txt");
            JsonFiles.writeAtomically(JSON, json, report);
            Path tmp = reportDir.resolve("report.txt.tmp");
            Files.writeString(tmp, UpgradeReports.text(report), StandardCharsets.UTF_8);
            Files.move(tmp, text, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            report.jsonFile = json;
            report.textFile = text;
        }
    }

    // ======================================================================================== helpers

    static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String ident(String s) { return "\"" + s.replace("\"", "\"\"") + "\""; }

    static String lit(String s) { return "'" + s.replace("'", "''") + "'"; }

    /** The settings whose value is a list of quoted elements (GUC_LIST_QUOTE), as pg_dump's variable_is_guc_list_quote. */
    static final java.util.Set<String> GUC_LIST_QUOTE = java.util.Set.of("local_preload_libraries", "search_path", "session_preload_libraries",
            "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories");

    /**
     * {@code SET name TO value} for a {@code name=value} entry of {@code setconfig}, as pg_dump's makeAlterConfigCommand
     * writes it: the value as one string literal, except for list settings (search_path, …) whose stored form is a
     * comma-separated list of possibly double-quoted elements: each element becomes a literal of its own (else
     * {@code search_path=app, "$user"} would come back as one quoted name).
     */
    static String setClause(String kv) {
        int eq = kv.indexOf('=');
        String name = kv.substring(0, eq);
        String value = kv.substring(eq + 1);
        if (GUC_LIST_QUOTE.contains(name.toLowerCase(Locale.ROOT))) {
            List<String> elems = splitGucList(value);
            if (elems != null && !elems.isEmpty()) {
                return "SET " + ident(name) + " TO " + String.join(", ", elems.stream().map(UpgradeExecutor::lit).toList());
            }
        }
        return "SET " + ident(name) + " TO " + lit(value);
    }

    /** PostgreSQL's SplitGUCList: elements separated by commas, optionally double-quoted ("" inside); null when malformed. */
    static List<String> splitGucList(String raw) {
        List<String> out = new ArrayList<>();
        int i = 0, n = raw.length();
        while (i < n && Character.isWhitespace(raw.charAt(i))) i++;
        if (i == n) return out;
        while (true) {
            StringBuilder e = new StringBuilder();
            if (i < n && raw.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) return null;                      // no closing quote
                    char ch = raw.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && raw.charAt(i + 1) == '"') { e.append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    e.append(ch);
                    i++;
                }
            } else {
                int start = i;
                while (i < n && raw.charAt(i) != ',' && !Character.isWhitespace(raw.charAt(i))) i++;
                if (i == start) return null;                      // empty unquoted element
                e.append(raw, start, i);
            }
            out.add(e.toString());
            while (i < n && Character.isWhitespace(raw.charAt(i))) i++;
            if (i == n) return out;
            if (raw.charAt(i) != ',') return null;
            i++;
            while (i < n && Character.isWhitespace(raw.charAt(i))) i++;
        }
    }

    static String safeName(String db) { return db.replaceAll("[^A-Za-z0-9_.-]", "_"); }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join(" / ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    /** The lines of pg_upgrade's output that say what is wrong (fatal, failure, the files it names), else its last lines. */
    static String problems(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String low = l.toLowerCase(Locale.ROOT);
            if (low.endsWith("fatal") || low.contains("failure") || low.contains("error") || low.startsWith("your installation")
                    || low.contains("could not") || low.startsWith("there seems") || low.contains("must ") || low.contains(".txt")) {
                keep.add(l.replaceAll("\\s{2,}", " "));
            }
        }
        if (keep.isEmpty()) return lastLines(output, 4);
        return String.join(" / ", keep.subList(0, Math.min(keep.size(), 8)));
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isEmptyDirQuietly(Path p) {
        try {
            return isEmptyDir(p);
        } catch (IOException e) {
            return false;
        }
    }

    /** A free TCP port on 127.0.0.1, not one of {@code taken}. */
    static int freePortExcept(java.util.Set<Integer> taken) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (!taken.contains(s.getLocalPort())) return s.getLocalPort();
            } catch (IOException e) {
                throw new ConsoleException("No free TCP port on 127.0.0.1 for an intermediate cluster: " + e.getMessage());
            }
        }
        throw new ConsoleException("No free TCP port on 127.0.0.1 for an intermediate cluster.");
    }

    static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            return !ds.iterator().hasNext();
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            // best effort: the report says what was left
        }
    }

    /** For callers that only want the connection details of a run: a JDBC connection to the new server. */
    static Connection connect(String host, int port, String db, String user, char[] password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", new String(password));
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, p);
    }
}
