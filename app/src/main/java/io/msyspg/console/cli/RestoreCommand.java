package io.msyspg.console.cli;

import io.msyspg.console.core.backup.ArchiveInfo;
import io.msyspg.console.core.backup.ArchiveInspector;
import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.Check;
import io.msyspg.console.core.backup.RestoreError;
import io.msyspg.console.core.backup.RestoreOptions;
import io.msyspg.console.core.backup.RestoreReport;
import io.msyspg.console.core.backup.RestoreService;
import io.msyspg.console.core.backup.TocEntry;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.task.JobRunner;
import io.msyspg.console.core.tools.PgToolLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "restore", sortOptions = false,
        description = {"Restore an archive (custom, directory, tar, plain SQL or gzip'd plain SQL; the format is detected) into "
                + "database -d. The whole archive (and its .sha256 when present) is read before the database is touched. "
                + "Errors are listed with their TOC entry and classed as expected or real."},
        footer = {"", "Exit codes: 0 completed, 3 completed with errors, 1 failed (one-line reason on stderr), 2 bad usage.",
                "Example: msyspg-console restore -h /tmp -U msyspg -d ecelerity --clean -j 2 /backup/ecelerity.dump"})
final class RestoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive file (or directory).")
    Path archive;
    @Option(names = {"-C", "--create"}, description = "Create database -d (from template0) first; it must not exist.") boolean create;
    @Option(names = {"-c", "--clean"}, description = "Drop the archive's objects first (--clean --if-exists).") boolean clean;
    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Parallel jobs (custom and directory archives).") int jobs = 1;
    @Option(names = {"-1", "--single-transaction"}, description = "All or nothing (not with -j).") boolean single;
    @Option(names = {"-e", "--exit-on-error"}, description = "Stop at the first error.") boolean exitOnError;
    @Option(names = {"-O", "--no-owner"}, description = "Do not set ownership.") boolean noOwner;
    @Option(names = {"-L", "--use-list"}, paramLabel = "FILE", description = "Restore only these TOC entries, in this order (pg_restore -l format).") Path useList;
    @Option(names = {"-l", "--list"}, description = "Print the header and table of contents, restore nothing.") boolean list;
    @Option(names = "--safety-backup", paramLabel = "PATH", description = "Back up the existing database here (custom format) first.") Path safetyBackup;
    @Option(names = "--analyze", description = "Run ANALYZE in the database afterwards.") boolean analyze;
    @Option(names = "--no-verify", description = "Do not read the whole archive before restoring.") boolean noVerify;
    @Option(names = "--dry-run", description = "Print the checks and the command, run nothing.") boolean dryRun;
    @Option(names = {"-v", "--verbose"}, description = "Copy the tool's output to stderr.") boolean verbose;
    @Option(names = "--tools-dir", paramLabel = "DIR", description = "Search this directory first for PostgreSQL tools.") String toolsDir;

    @Override public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        AppDirs dirs = AppDirs.fromEnvironment();
        PgToolLocator tools = CliTools.locator(toolsDir);
        ArchiveInfo info = new ArchiveInspector(tools).inspect(archive, JobContext.none());
        for (String[] row : info.headerRows()) err.printf("%-14s %s%n", row[0] + ":", row[1]);
        if (list) {
            for (TocEntry e : info.entries()) out.println(e.listLine());
            return 0;
        }
        RestoreOptions o = new RestoreOptions();
        Map<String, String> env = System.getenv();
        ConnectionTarget target = connection.target(env);
        o.database = target.database();
        o.createNew = create;
        o.clean = clean;
        o.jobs = jobs;
        o.singleTransaction = single;
        o.exitOnError = exitOnError;
        o.noOwner = noOwner;
        o.safetyBackup = safetyBackup;
        o.verifyFirst = !noVerify;
        if (useList != null) o.selection = readList(useList);
        BackupService backups = new BackupService(tools, BackupHistory.in(dirs));
        RestoreService svc = new RestoreService(backups);
        // connect to the maintenance database: the target may not exist yet
        String pw = env.get("PGPASSWORD");
        ConnectionTarget maintenance = target.withDatabase(create ? "postgres" : target.database());
        PooledDbSession session;
        try {
            session = PooledDbSession.open(maintenance, pw == null ? null : pw.toCharArray());
        } catch (SQLException e) {
            throw new ConsoleException("Cannot connect to " + maintenance.display() + ": " + e.getMessage(), e);
        }
        try (session) {
            RestoreService.Plan plan = svc.plan(session, info, o);
            for (Check c : plan.checks()) err.println("check " + c.level().name().toLowerCase() + ": " + c.name() + ": " + c.message());
            err.println("command: " + plan.commandLine());
            if (plan.blocked()) {
                err.println("msyspg-console: " + plan.blocking().get(0).message());
                return 1;
            }
            if (dryRun) return 0;
            CliProgress progress = new CliProgress(err, "restore");
            RestoreReport r;
            try {
                r = JobRunner.runInForeground(ctx -> svc.run(plan, ctx, line -> {
                    if (verbose) progress.raw(line);
                }), progress);
            } catch (JobCancelledException e) {
                err.println("msyspg-console: restore cancelled; \"" + o.database + "\" may be partially restored.");
                return 1;
            }
            out.println("restore " + r.headline() + " (" + r.duration().toSeconds() + " s)");
            for (RestoreError e : r.errors()) {
                out.println((e.expected() ? "  expected: " : "  ERROR:    ") + e.object() + ": " + e.message()
                        + (e.expected() ? "  [" + e.expectedReason() + "]" : "") + (e.tocLine() == null ? "" : "  (TOC entry " + e.tocLine() + ")"));
            }
            if (r.status() == RestoreReport.Status.FAILED) {
                err.println("msyspg-console: restore failed: " + r.message());
            } else if (analyze) {
                JobRunner.runInForeground(ctx -> {
                    svc.analyze(session, o.database, ctx);
                    return null;
                }, progress);
                out.println("ANALYZE done in \"" + o.database + "\"");
            } else {
                out.println("hint: run ANALYZE in \"" + o.database + "\" (or pass --analyze): planner statistics are not in a dump.");
            }
            return r.exitCode();
        }
    }

    /** The leading ids of a pg_restore -l style file, in order; comments and blank lines skipped. */
    static List<Integer> readList(Path f) throws Exception {
        if (!Files.isRegularFile(f)) throw new ConsoleException("The list file " + f + " does not exist.");
        List<Integer> ids = new ArrayList<>();
        int n = 0;
        for (String l : Files.readAllLines(f)) {
            n++;
            String s = l.strip();
            if (s.isEmpty() || s.startsWith(";")) continue;
            int semi = s.indexOf(';');
            try {
                ids.add(Integer.parseInt((semi < 0 ? s : s.substring(0, semi)).trim()));
            } catch (NumberFormatException e) {
                throw new ConsoleException(f + " line " + n + ": expected 'id; …' as written by pg_restore -l, found '" + s + "'.");
            }
        }
        return ids;
    }
}
