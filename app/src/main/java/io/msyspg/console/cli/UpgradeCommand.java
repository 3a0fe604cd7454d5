package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.upgrade.DeferredJob;
import io.msyspg.console.core.upgrade.DeferredJobRunner;
import io.msyspg.console.core.upgrade.DeferredJobs;
import io.msyspg.console.core.upgrade.JobJournal;
import io.msyspg.console.core.upgrade.UpgradePlanner;
import io.msyspg.console.core.upgrade.UpgradeExecutor;
import io.msyspg.console.core.upgrade.UpgradePreflight;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.core.upgrade.UpgradeRequest;
import io.msyspg.console.core.upgrade.UpgradeResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code upgrade check|run|status|attach|stop}: the whole upgrade wizard from the command line (pre-flight with a real
 * pg_upgrade --check, backup first, pg_upgrade or dump/restore, verification, report) and the deferred post-upgrade
 * jobs that survive the console.
 */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"PostgreSQL major upgrades: 'check' (pre-flight and dry run), 'run -D …' (the whole upgrade, with a report),",
                "and deferred jobs (post-upgrade ANALYZE, Momentum's deferred migration) that run detached from the console:",
                "closing it, or losing the SSH/X session, does not stop them."},
        subcommands = {UpgradeCommand.Check.class, UpgradeCommand.Run.class, UpgradeCommand.Status.class, UpgradeCommand.Attach.class,
                UpgradeCommand.Stop.class, UpgradeCommand.Report.class, UpgradeCommand.Runner.class})
final class UpgradeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    static DeferredJobs jobs() {
        return new DeferredJobs(JobJournal.jobsDir(AppDirs.fromEnvironment()));
    }

    static JobJournal require(DeferredJobs jobs, String id) {
        return JobJournal.find(jobs.jobsDir(), id).orElseThrow(() -> new ConsoleException(id == null
                ? "There is no deferred job in " + jobs.jobsDir() + "."
                : "No deferred job with id " + id + " in " + jobs.jobsDir() + "."));
    }

    @Command(name = "run", description = {"With -D: the whole major upgrade (pre-flight, pg_upgrade --check, backup first, pg_upgrade or",
            "dump/restore, table-by-table verification, the deferred job, a report in <state>/upgrade/reports/). Exit 0 upgraded,",
            "3 upgraded with warnings, 1 blocked/failed. Example: upgrade run -D /var/db/msyspg --old-bindir /opt/msys/3rdParty/bin",
            "  --new-bindir /usr/lib/postgresql/15/bin --new-data-dir /var/db/msyspg15 --new-port 5433 --method link -h /tmp -U msyspg",
            "With --method dump the old server may be on ANOTHER machine: -D and --old-bindir are optional (the source is read over",
            "the network: upgrade run --method dump -h oldhost -U msyspg --new-bindir ... --new-data-dir ... --new-port 5433).",
            "Without -D: start a deferred job, or resume one (--job) from its last checkpoint.",
            "Steps run in order: --analyze (vacuumdb --all --analyze-in-stages), then --batch-sql (a statement repeated",
            "until it affects no row, each batch committed), then --migration-script. Database steps authenticate through",
            "~/.pgpass or local trust: the detached job never holds a password."})
    static final class Run implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Mixin ConnectionOptions conn;

        @Option(names = "--job", paramLabel = "ID", description = "Resume this job (interrupted, stopped or failed).")
        String jobId;
        @Option(names = "--title", description = "A name for the new job.")
        String title;
        @Option(names = "--analyze", description = "vacuumdb --all --analyze-in-stages (after pg_upgrade).")
        boolean analyze;
        @Option(names = "--batch-sql", paramLabel = "SQL", description = "A batch statement (UPDATE/DELETE/INSERT … LIMIT-style) repeated until it affects 0 rows.")
        String batchSql;
        @Option(names = "--expected-rows", paramLabel = "N", description = "Rows the batch statement will touch in all (for a percentage).")
        Long expectedRows;
        @Option(names = "--migration-script", paramLabel = "FILE", description = "A program to run (e.g. Momentum's 33_deferred_migration); it may write progress to $MSYSPG_CHECKPOINT_FILE and resume from $MSYSPG_CHECKPOINT.")
        Path script;
        @Option(names = "--wait", description = "Stay attached until the job ends (Ctrl-C detaches; the job goes on).")
        boolean await;

        @Option(names = {"-D", "--pgdata"}, paramLabel = "OLD_DATADIR", description = {"The FULL UPGRADE: the old cluster's data directory (Momentum: /var/db/msyspg).",
                "The old server must be running (-h -p -U name it, as a superuser): pre-flight, pg_upgrade --check, backup first,",
                "the upgrade, table-by-table verification, the deferred job (vacuumdb, pg_upgrade's scripts, --migration-script), report.",
                "Optional with --method dump (the source may be on another machine; --new-data-dir then starts the full upgrade)."})
        Path pgdata;
        @Option(names = "--old-bindir", paramLabel = "DIR", description = "The old server's binaries (pg_upgrade also needs pg_controldata and pg_resetwal there; not needed for --method dump).")
        Path oldBindir;
        @Option(names = "--new-bindir", paramLabel = "DIR", description = "The new version's binaries (e.g. /usr/lib/postgresql/15/bin).")
        Path newBindir;
        @Option(names = "--hop-bindir", paramLabel = "DIR", description = {"pg_upgrade in several hops: an intermediate server's binaries (initdb, pg_ctl, postgres,",
                "pg_upgrade, pg_controldata, pg_resetwal); repeat in order. Each hop gets a cluster of its own (<new data dir>.hop<major>,",
                "a free port), removed once the next hop succeeded. Default: the planner's hops (a 9.0/9.1 source through an installed 12-14)."})
        List<Path> hopBindirs = new ArrayList<>();
        @Option(names = "--new-data-dir", paramLabel = "DIR", description = "Where the new cluster is created (must not exist, or be empty).")
        Path newDataDir;
        @Option(names = "--new-port", paramLabel = "N", description = "The new server's port; it is left running there.")
        Integer newPort;
        @Option(names = "--new-socket-dir", paramLabel = "DIR", description = "unix_socket_directories of the new server (default: the binaries' own).")
        Path newSocketDir;
        @Option(names = "--method", defaultValue = "copy", paramLabel = "copy|link|clone|dump",
                description = "pg_upgrade --copy, --link, --clone, or dump and restore (default: ${DEFAULT-VALUE}).")
        String method;
        @Option(names = "--backup-dir", paramLabel = "DIR", description = "Take the backup now (pg_dump -Fc -Z 9 of every database + roles, verified) into DIR (the default choice; default DIR: <new data dir>.upgrade/backup).")
        Path backupDir;
        @Option(names = "--max-backup-age-hours", paramLabel = "H", description = "Instead of a new backup: use verified backups younger than H hours from the backup history.")
        Long maxBackupAgeHours;
        @Option(names = "--database", paramLabel = "DB", defaultValue = "ecelerity", description = "PGDATABASE of the migration script on the new server (default: ${DEFAULT-VALUE}).")
        String database;
        @Option(names = "--checklist-done", description = "Record the Momentum checklist (database role first, then manager and web UI, then MTAs) as done now.")
        boolean checklistDone;
        @Option(names = "--old-service-command", paramLabel = "CMD", description = "Stop the old server with this service command (e.g. /etc/init.d/msyspg) instead of pg_ctl.")
        String oldServiceCommand;
        @Option(names = "--queue-only", description = "Queue the deferred job without starting it ('upgrade run --job ID' starts it).")
        boolean queueOnly;
        @Option(names = "--dry-run", description = "Show the checks (with a real pg_upgrade --check) and every command in order; change nothing.")
        boolean dryRun;
        @Option(names = "--verbose", description = "Echo the tools' output lines (they are in the report either way).")
        boolean verbose;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (pgdata != null || newDataDir != null || newBindir != null) {
                if (jobId != null || analyze || batchSql != null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "a full upgrade (-D, --new-bindir, --new-data-dir) cannot be combined with --job, --analyze or --batch-sql");
                }
                return fullUpgrade(out);
            }
            if (dryRun) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dry-run needs a full upgrade (-D, or --method dump with --new-bindir and --new-data-dir)");
            DeferredJobs jobs = jobs();
            JobJournal journal;
            if (jobId != null) {
                journal = require(jobs, jobId);
            } else {
                DeferredJob job = plan();
                journal = jobs.create(job);
            }
            long pid = jobs.launch(journal);
            if (!jobs.awaitRunning(journal, 20_000)) {
                throw new ConsoleException("The runner of job " + journal.id() + " did not start; see " + journal.runnerLog());
            }
            out.println("job " + journal.id() + " running detached (PID " + pid + "); follow it with: msyspg-console upgrade attach " + journal.id());
            out.flush();
            return await ? Attach.follow(jobs, journal, out) : 0;
        }

        private int fullUpgrade(PrintWriter out) throws Exception {
            picocli.CommandLine cl = spec.commandLine();
            UpgradePlanner.Method m = Check.method(cl, method);
            if (m.usesPgUpgrade()) {
                if (pgdata == null) {
                    throw new picocli.CommandLine.ParameterException(cl, "pg_upgrade (--method " + method + ") needs -D, the old data directory on this host;"
                            + " for a server on another machine use --method dump");
                }
                if (oldBindir == null) {
                    throw new picocli.CommandLine.ParameterException(cl, "pg_upgrade (--method " + method + ") needs --old-bindir, the old server's binaries on this host;"
                            + " --method dump works without them");
                }
            }
            for (Object[] req : new Object[][]{{newBindir, "--new-bindir"}, {newDataDir, "--new-data-dir"}, {newPort, "--new-port"}}) {
                if (req[0] == null) throw new picocli.CommandLine.ParameterException(cl, "a full upgrade needs " + req[1]);
            }
            if (backupDir != null && maxBackupAgeHours != null) {
                throw new picocli.CommandLine.ParameterException(cl, "give either --backup-dir (take one now) or --max-backup-age-hours (use a recent one), not both");
            }
            UpgradeRequest r = new UpgradeRequest();
            r.oldDataDir = pgdata;
            r.oldBinDir = oldBindir;
            r.newBinDir = newBindir;
            r.hopBinDirs = new ArrayList<>(hopBindirs);
            r.newDataDir = newDataDir;
            r.newPort = newPort;
            r.newSocketDir = newSocketDir;
            r.method = m;
            if (maxBackupAgeHours != null) {
                r.backup = UpgradeRequest.BackupChoice.USE_RECENT;
                r.maxBackupAge = java.time.Duration.ofHours(maxBackupAgeHours);
            } else {
                r.backup = UpgradeRequest.BackupChoice.TAKE_NOW;
                r.backupDir = backupDir;
            }
            r.migrationScript = script;
            r.database = database;
            r.oldServiceCommand = oldServiceCommand;
            r.launchDeferred = !queueOnly;
            if (checklistDone) {
                java.time.Instant now = java.time.Instant.now();
                for (String item : UpgradePlanner.momentumChecklist()) r.checklist.add(new UpgradeReport.ChecklistTick(item, true, now));
            }
            char[] pw;
            try (io.msyspg.console.core.connect.PooledDbSession s = conn.open()) {
                r.source = s.target();
                pw = s.passwordCopy();
            }
            UpgradeExecutor ex = Check.executor();
            try {
                if (dryRun) {
                    UpgradeExecutor.Preview p = ex.preflight(r, pw, io.msyspg.console.core.task.JobContext.none());
                    return Check.printPreview(out, p);
                }
                PrintWriter err = cl.getErr();
                UpgradeResult res = io.msyspg.console.core.task.JobRunner.runInForeground(ex.job(r, pw, new UpgradeExecutor.Listener() {
                    @Override public void stepStarted(String name, int index, int total) {
                        out.println("[" + index + "/" + total + "] " + name + " ...");
                        out.flush();
                    }
                    @Override public void stepFinished(UpgradeReport.Step st) {
                        out.printf(Locale.ROOT, "      %s (%.1f s)%s%n", st.result(), st.durationMillis() / 1000.0,
                                st.detail() == null || st.detail().isBlank() ? "" : ": " + st.detail().replace("\n", "\n      "));
                        out.flush();
                    }
                    @Override public void line(String l) {
                        if (verbose) {
                            err.println("  | " + l);
                            err.flush();
                        }
                    }
                }), io.msyspg.console.core.task.JobControl.ProgressListener.NONE);
                out.println((res.succeeded() ? "UPGRADED: " : res.report().result + ": ") + res.report().message);
                out.println("report: " + res.textFile() + " (and " + res.jsonFile().getFileName() + ")");
                if (res.deferredJobId() != null) {
                    out.println("deferred job " + res.deferredJobId() + (queueOnly ? " queued: start it with msyspg-console upgrade run --job "
                            : " running detached: follow it with msyspg-console upgrade attach ") + res.deferredJobId());
                }
                out.flush();
                if (!res.succeeded()) {
                    cl.getErr().println("msyspg-console: upgrade " + res.report().result.name().toLowerCase(Locale.ROOT) + ": " + res.report().message);
                }
                if (await && res.deferredJobId() != null && !queueOnly) {
                    DeferredJobs jobs = jobs();
                    int code = Attach.follow(jobs, require(jobs, res.deferredJobId()), out);
                    if (code != 0) return 3;
                }
                return res.exitCode();
            } finally {
                if (pw != null) java.util.Arrays.fill(pw, '\0');
            }
        }

        private DeferredJob plan() {
            DeferredJob job = new DeferredJob();
            job.title = title != null ? title : "deferred upgrade steps";
            ConnectionTarget t = conn.target(System.getenv());
            List<String> libpq = List.of("-h", t.host(), "-p", Integer.toString(t.port()), "-U", t.user());
            PgToolLocator tools = CliTools.locator(null);
            if (analyze) {
                DeferredJob.Step s = new DeferredJob.Step("vacuumdb --all --analyze-in-stages", DeferredJob.StepKind.COMMAND);
                s.command.add(tools.findAll("vacuumdb").stream().findFirst()
                        .orElseThrow(() -> new ConsoleException("vacuumdb was not found; install the PostgreSQL client tools")).path().toString());
                s.command.addAll(libpq);
                s.command.addAll(List.of("-w", "--all", "--analyze-in-stages"));
                job.steps.add(s);
            }
            if (batchSql != null) {
                DeferredJob.Step s = new DeferredJob.Step("batch: " + abbreviate(batchSql), DeferredJob.StepKind.SQL_BATCHES);
                s.psql.add(tools.findAll("psql").stream().findFirst()
                        .orElseThrow(() -> new ConsoleException("psql was not found; install the PostgreSQL client tools")).path().toString());
                s.psql.addAll(libpq);
                s.psql.addAll(List.of("-d", t.database(), "-w"));
                s.sql = batchSql;
                s.expectedRows = expectedRows;
                job.steps.add(s);
            }
            if (script != null) {
                if (!Files.isRegularFile(script)) throw new ConsoleException("The migration script " + script + " does not exist.");
                DeferredJob.Step s = new DeferredJob.Step("script " + script.getFileName(), DeferredJob.StepKind.COMMAND);
                s.command.add(Files.isExecutable(script) ? script.toAbsolutePath().toString() : "/bin/sh");
                if (!Files.isExecutable(script)) s.command.add(script.toAbsolutePath().toString());
                s.env.put("PGHOST", t.host());
                s.env.put("PGPORT", Integer.toString(t.port()));
                s.env.put("PGUSER", t.user());
                s.env.put("PGDATABASE", t.database());
                job.steps.add(s);
            }
            if (job.steps.isEmpty()) throw new ConsoleException("Nothing to run: give --analyze, --batch-sql, --migration-script, or --job ID to resume.");
            return job;
        }

        private static String abbreviate(String s) {
            String one = s.replaceAll("\\s+", " ").trim();
            return one.length() <= 60 ? one : one.substring(0, 57) + "...";
        }
    }

    @Command(name = "check", description = {"Pre-flight of a PostgreSQL major upgrade, and its dry run: the plan (method, version hops),",
            "free space against what the method needs, NFS, tool versions, a verified backup younger than N hours;",
            "then every step and command in order. Nothing is run. Exit 0 when nothing blocks, 1 otherwise."})
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;

        @Option(names = {"-D", "--pgdata"}, paramLabel = "DATADIR", description = {"The source data directory (Momentum: /var/db/msyspg).",
                "Optional for --method dump with --new-bindir (the source is read over the network; give --new-data-dir or --work-dir)."})
        Path dataDir;
        @Option(names = "--target-major", paramLabel = "N", description = "The PostgreSQL major to upgrade to (not needed with --new-bindir).")
        Integer targetMajor;
        @Option(names = "--method", defaultValue = "copy", paramLabel = "copy|link|clone|dump",
                description = "pg_upgrade --copy, --link, --clone, or dump and restore (default: ${DEFAULT-VALUE}).")
        String method;
        @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the new cluster (and the dump) go (default: beside the data directory).")
        Path workDir;
        @Option(names = "--database", paramLabel = "DB", defaultValue = "ecelerity", description = "The database whose backup is checked (default: ${DEFAULT-VALUE}).")
        String database;
        @Option(names = "--max-backup-age-hours", defaultValue = "24", paramLabel = "H", description = "Newest verified backup must be younger (default: ${DEFAULT-VALUE}).")
        long maxBackupAgeHours;
        @Option(names = "--migration-script", paramLabel = "FILE", description = "Momentum's deferred migration, run after the upgrade as a deferred job.")
        Path script;
        @Mixin ConnectionOptions conn;
        @Option(names = "--old-bindir", paramLabel = "DIR", description = {"With --new-bindir: the full pre-flight against the running old server (-h -p -U),",
                "including a real pg_upgrade --check (on a scratch new cluster, removed afterwards)."})
        Path oldBindir;
        @Option(names = "--new-bindir", paramLabel = "DIR", description = "The new version's binaries (with --old-bindir).")
        Path newBindir;
        @Option(names = "--hop-bindir", paramLabel = "DIR", description = {"With the bindirs: an intermediate pg_upgrade hop's server binaries (repeat in order);",
                "default: the planner's hops found among the installed servers."})
        List<Path> hopBindirs = new ArrayList<>();
        @Option(names = "--new-data-dir", paramLabel = "DIR", description = "Where the new cluster will go (with --new-bindir; default: <work-dir>/data-<major>).")
        Path newDataDir;
        @Option(names = "--backup-dir", paramLabel = "DIR", description = "With the bindirs: the run will take the backup now into DIR (instead of needing a recent one).")
        Path backupDir;
        @Option(names = "--new-port", paramLabel = "N", defaultValue = "50432", description = "The port pg_upgrade --check uses for the new cluster (default: ${DEFAULT-VALUE}).")
        int newPort;

        static UpgradePlanner.Method method(picocli.CommandLine cl, String method) {
            return switch (method) {
                case "copy" -> UpgradePlanner.Method.PG_UPGRADE_COPY;
                case "link" -> UpgradePlanner.Method.PG_UPGRADE_LINK;
                case "clone" -> UpgradePlanner.Method.PG_UPGRADE_CLONE;
                case "dump" -> UpgradePlanner.Method.DUMP_RESTORE;
                default -> throw new picocli.CommandLine.ParameterException(cl,
                        "'" + method + "' is not a method: use copy, link, clone or dump");
            };
        }

        static UpgradeExecutor executor() {
            AppDirs dirs = AppDirs.fromEnvironment();
            return new UpgradeExecutor(dirs, CliTools.locator(null), io.msyspg.console.core.backup.BackupHistory.in(dirs),
                    io.msyspg.console.core.server.MountTable.read(io.msyspg.console.core.server.MountTable.PROC_MOUNTS), java.time.Clock.systemUTC());
        }

        static int printPreview(PrintWriter out, UpgradeExecutor.Preview p) {
            out.println("Upgrade pre-flight" + (p.plan() != null ? ": PostgreSQL " + p.plan().source() + " -> " + p.plan().target() + ", " + p.plan().method().label : ""));
            p.checks().forEach(c -> out.println(String.format("  %-5s %-16s %s", c.verdict(), c.name(), c.detail())));
            if (p.pgUpgradeCheckOutput() != null && p.blocked()) {
                out.println("pg_upgrade --check output (last lines; logs in " + p.pgUpgradeLogDir() + "):");
                p.pgUpgradeCheckOutput().lines().forEach(l -> out.println("  | " + l));
            }
            out.println("Dry run (nothing was run):");
            p.dryRun().forEach(l -> out.println("  " + l));
            out.println(p.blocked() ? "BLOCKED: fix the BLOCK lines above first." : "Ready: nothing blocks the upgrade.");
            return p.blocked() ? 1 : 0;
        }

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            UpgradePlanner.Method m = method(spec.commandLine(), method);
            if (oldBindir != null || newBindir != null) {
                if (newBindir == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --new-bindir (with --old-bindir for pg_upgrade)");
                }
                if (m.usesPgUpgrade() && (oldBindir == null || dataDir == null)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "pg_upgrade (--method " + method + ") needs "
                            + (dataDir == null ? "-D (the old data directory on this host)" : "--old-bindir (the old server's binaries)")
                            + "; for a server on another machine use --method dump");
                }
                if (dataDir == null && newDataDir == null && workDir == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "without -D, give --new-data-dir (or --work-dir) for the new cluster");
                }
                UpgradeRequest r = new UpgradeRequest();
                r.oldDataDir = dataDir;
                r.oldBinDir = oldBindir;
                r.newBinDir = newBindir;
                r.hopBinDirs = new ArrayList<>(hopBindirs);
                Path work = workDir != null ? workDir : dataDir != null ? dataDir.toAbsolutePath().getParent() : null;
                r.newDataDir = newDataDir != null ? newDataDir : work.resolve("data-" + (targetMajor != null ? targetMajor : "new"));
                r.newPort = newPort;
                r.method = m;
                r.backup = backupDir != null ? UpgradeRequest.BackupChoice.TAKE_NOW : UpgradeRequest.BackupChoice.USE_RECENT;
                r.backupDir = backupDir;
                r.maxBackupAge = java.time.Duration.ofHours(maxBackupAgeHours);
                r.migrationScript = script;
                char[] pw;
                try (io.msyspg.console.core.connect.PooledDbSession s = conn.open()) {
                    r.source = s.target();
                    pw = s.passwordCopy();
                }
                try {
                    return printPreview(out, executor().preflight(r, pw, io.msyspg.console.core.task.JobContext.none()));
                } finally {
                    if (pw != null) java.util.Arrays.fill(pw, '\0');
                }
            }
            if (targetMajor == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --target-major (or --old-bindir and --new-bindir)");
            if (dataDir == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the offline check needs -D (it reads PG_VERSION);"
                        + " for a server on another machine give --method dump with --new-bindir and -h/-p/-U");
            }
            Path versionFile = dataDir.resolve("PG_VERSION");
            if (!Files.isRegularFile(versionFile)) {
                throw new ConsoleException(dataDir + " is not a PostgreSQL data directory (no PG_VERSION file).");
            }
            io.msyspg.console.core.tools.PgVersion source = io.msyspg.console.core.tools.PgVersion.parse(Files.readString(versionFile).trim());
            io.msyspg.console.core.tools.PgVersion target = new io.msyspg.console.core.tools.PgVersion(targetMajor, 0, Integer.toString(targetMajor));
            Path work = workDir != null ? workDir : dataDir.toAbsolutePath().getParent();
            AppDirs dirs = AppDirs.fromEnvironment();
            long dataBytes = new io.msyspg.console.core.server.StorageService(io.msyspg.console.core.server.MountTable.PROC_MOUNTS,
                    dirs.state().resolve("storage")).measure(dataDir, null, io.msyspg.console.core.task.JobContext.none()).totalBytes();
            long free = Files.getFileStore(Files.isDirectory(work) ? work : work.getParent()).getUsableSpace();
            java.util.List<Integer> majors = io.msyspg.console.core.cluster.PgBinaries.systemMajors().stream()
                    .map(b -> b.version().major()).toList();
            UpgradePreflight pre = new UpgradePreflight(io.msyspg.console.core.server.MountTable.read(io.msyspg.console.core.server.MountTable.PROC_MOUNTS),
                    io.msyspg.console.core.backup.BackupHistory.in(dirs), CliTools.locator(null), java.time.Clock.systemUTC());
            UpgradePreflight.Report report = pre.run(new UpgradePreflight.Request(dataDir, source, target, m, work, database,
                    java.time.Duration.ofHours(maxBackupAgeHours), script), new UpgradePreflight.Facts(dataBytes, free, majors));
            out.println("Upgrade pre-flight: PostgreSQL " + source.majorLabel() + " (" + dataDir + ") -> " + target.majorLabel());
            report.checks().forEach(c -> out.println("  " + c.line()));
            if (!report.dryRun().isEmpty()) {
                out.println("Dry run (nothing was run):");
                report.dryRun().forEach(l -> out.println("  " + l));
            }
            out.println(report.blocked() ? "BLOCKED: fix the BLOCK lines above first." : "Ready: nothing blocks the upgrade.");
            return report.blocked() ? 1 : 0;
        }
    }

    @Command(name = "status", description = "List deferred jobs (or one) with their state and progress.")
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Parameters(arity = "0..1", paramLabel = "ID") String id;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DeferredJobs jobs = jobs();
            List<DeferredJobs.View> views = id == null ? jobs.list() : List.of(jobs.view(require(jobs, id)));
            if (views.isEmpty()) {
                out.println("no deferred jobs (" + jobs.jobsDir() + ")");
                return 0;
            }
            for (DeferredJobs.View v : views) {
                out.printf(Locale.ROOT, "%s  %-12s %5.1f%%  %s — %s%n", v.id(), v.liveness(), v.progress() * 100, v.job().title, v.summary());
            }
            return 0;
        }
    }

    @Command(name = "attach", description = "Follow a job (the newest by default): progress and its log, until it ends. Ctrl-C detaches.")
    static final class Attach implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Parameters(arity = "0..1", paramLabel = "ID") String id;

        @Override public Integer call() throws Exception {
            DeferredJobs jobs = jobs();
            return follow(jobs, require(jobs, id), spec.commandLine().getOut());
        }

        static int follow(DeferredJobs jobs, JobJournal j, PrintWriter out) throws InterruptedException {
            String lastSummary = "";
            List<Long> offsets = new ArrayList<>();
            while (true) {
                DeferredJobs.View v = jobs.view(j);
                for (int i = 0; i < v.job().steps.size(); i++) {
                    if (offsets.size() <= i) offsets.add(0L);
                    Path log = Path.of(v.job().steps.get(i).logFile);
                    offsets.set(i, printNew(log, offsets.get(i), out));
                }
                String summary = String.format(Locale.ROOT, "[%5.1f%%] %s", v.progress() * 100, v.summary());
                if (!summary.equals(lastSummary)) {
                    out.println(summary);
                    lastSummary = summary;
                }
                out.flush();
                if (v.liveness() != DeferredJobs.Liveness.RUNNING && v.liveness() != DeferredJobs.Liveness.NOT_STARTED) {
                    return v.job().status == DeferredJob.Status.SUCCEEDED ? 0 : 1;
                }
                Thread.sleep(500);
            }
        }

        private static long printNew(Path log, long offset, PrintWriter out) {
            try {
                if (!Files.isRegularFile(log)) return offset;
                long size = Files.size(log);
                if (size <= offset) return offset;
                try (var in = Files.newInputStream(log)) {
                    in.skipNBytes(offset);
                    byte[] b = in.readNBytes((int) Math.min(size - offset, 1 << 20));
                    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    int cut = s.lastIndexOf('\n');
                    if (cut < 0) return offset;
                    s.substring(0, cut).lines().forEach(l -> out.println("  | " + l));
                    return offset + s.substring(0, cut + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                }
            } catch (java.io.IOException e) {
                return offset;
            }
        }
    }

    @Command(name = "stop", description = "Stop a running job; it records its checkpoint, and 'upgrade run --job ID' resumes it.")
    static final class Stop implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Parameters(arity = "0..1", paramLabel = "ID") String id;

        @Override public Integer call() throws Exception {
            DeferredJobs jobs = jobs();
            JobJournal j = require(jobs, id);
            jobs.stop(j, 20);
            spec.commandLine().getOut().println("job " + j.id() + ": " + jobs.view(j).summary());
            return 0;
        }
    }

    @Command(name = "report", description = {"The reports of upgrade runs: without ID a list (newest first), with ID (or a prefix, or 'last')",
            "the report itself (report.txt; --json for report.json)."})
    static final class Report implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Parameters(arity = "0..1", paramLabel = "ID") String id;
        @Option(names = "--json", description = "Print report.json instead of report.txt.") boolean json;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = Check.executor().reportsDir();
            List<io.msyspg.console.core.upgrade.UpgradeReport> all = io.msyspg.console.core.upgrade.UpgradeReports.list(dir);
            if (id == null) {
                if (all.isEmpty()) out.println("no upgrade reports (" + dir + ")");
                for (var r : all) {
                    out.printf(Locale.ROOT, "%s  %-9s %s  %s -> %s  %s%n", r.runId, r.result == null ? "RUNNING" : r.result, r.method,
                            r.sourceVersion, r.targetVersion, r.textFile);
                }
                return 0;
            }
            var r = all.stream().filter(x -> id.equals("last") || (x.runId != null && x.runId.startsWith(id))).findFirst()
                    .orElseThrow(() -> new ConsoleException("No upgrade report " + id + " in " + dir + "."));
            // the file's own bytes (UTF-8), whatever the JVM's console encoding
            out.flush();
            System.out.write(Files.readAllBytes(json ? r.jsonFile : r.textFile));
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "runner", hidden = true, description = "The detached body of a deferred job (started by 'upgrade run').")
    static final class Runner implements Callable<Integer> {
        @Option(names = "--job-dir", required = true) Path jobDir;

        @Override public Integer call() throws Exception {
            return new DeferredJobRunner(new JobJournal(jobDir), System.out).run();
        }
    }
}
