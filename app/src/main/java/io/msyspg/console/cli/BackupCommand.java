package io.msyspg.console.cli;

import io.msyspg.console.core.backup.BackupFormat;
import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.backup.BackupOptions;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.Bytes;
import io.msyspg.console.core.backup.Check;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backup", sortOptions = false,
        description = {"Back up a database with pg_dump (or the whole cluster with pg_basebackup): version and space checks first, "
                + "written under a temporary name, SHA-256 file beside it, verified by reading it all back, recorded in the history.",
                "Progress goes to stderr. The password comes from $PGPASSWORD (or ~/.pgpass for the tool when unset) and reaches "
                + "the tool only through a temporary 0600 PGPASSFILE."},
        footer = {"", "Exit codes: 0 success, 1 failure (one-line reason on stderr), 2 bad usage.",
                "Example: msyspg-console backup -h /tmp -p 5432 -U msyspg -d ecelerity --format custom -Z 9 -f /backup/ecelerity.dump"})
final class BackupCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions connection;

    @Option(names = {"-F", "--format"}, paramLabel = "FORMAT", description = "custom (default), directory, plain, tar, or base (pg_basebackup of the whole cluster).")
    String format = "custom";
    @Option(names = {"-Z", "--compress"}, paramLabel = "LEVEL", description = "0..9; with pg_dump 16+ also gzip|lz4|zstd[:level].")
    String compression;
    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Parallel jobs (directory format; opens N+1 connections).")
    int jobs = 1;
    @Option(names = {"-f", "--file"}, paramLabel = "PATH", required = true, description = "Output file (a folder for directory and base).")
    Path file;
    @Option(names = {"-s", "--schema-only"}, description = "Definitions only.") boolean schemaOnly;
    @Option(names = {"-a", "--data-only"}, description = "Data only.") boolean dataOnly;
    @Option(names = {"-O", "--no-owner"}, description = "No ownership commands.") boolean noOwner;
    @Option(names = {"-x", "--no-privileges"}, description = "No GRANT/REVOKE.") boolean noPrivileges;
    @Option(names = {"-n", "--schema"}, paramLabel = "PATTERN", description = "Only these schemas (repeatable).") List<String> schemas = new ArrayList<>();
    @Option(names = {"-N", "--exclude-schema"}, paramLabel = "PATTERN", description = "Not these schemas (repeatable).") List<String> excludeSchemas = new ArrayList<>();
    @Option(names = {"-t", "--table"}, paramLabel = "PATTERN", description = "Only these tables (repeatable).") List<String> tables = new ArrayList<>();
    @Option(names = {"-T", "--exclude-table"}, paramLabel = "PATTERN", description = "Not these tables (repeatable).") List<String> excludeTables = new ArrayList<>();
    @Option(names = "--overwrite", description = "Replace an existing backup of that name (only once the new one is complete and verified).") boolean overwrite;
    @Option(names = "--no-verify", description = "Skip reading the archive back.") boolean noVerify;
    @Option(names = "--dry-run", description = "Print the checks and the command, run nothing.") boolean dryRun;
    @Option(names = {"-v", "--verbose"}, description = "Copy the tool's output to stderr.") boolean verbose;
    @Option(names = "--tools-dir", paramLabel = "DIR", description = "Search this directory first for PostgreSQL tools.") String toolsDir;

    @Override public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        BackupOptions o = new BackupOptions();
        try {
            o.format = BackupFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("msyspg-console: --format: " + e.getMessage());
            return 2;
        }
        o.compression = compression;
        o.jobs = jobs;
        o.output = file;
        o.schemaOnly = schemaOnly;
        o.dataOnly = dataOnly;
        o.noOwner = noOwner;
        o.noPrivileges = noPrivileges;
        o.includeSchemas = schemas;
        o.excludeSchemas = excludeSchemas;
        o.includeTables = tables;
        o.excludeTables = excludeTables;
        o.overwrite = overwrite;
        o.verify = !noVerify;
        AppDirs dirs = AppDirs.fromEnvironment();
        BackupService svc = new BackupService(CliTools.locator(toolsDir), BackupHistory.in(dirs));
        try (PooledDbSession session = connection.open()) {
            BackupService.Plan plan = svc.plan(session, o);
            for (Check c : plan.checks()) err.println("check " + c.level().name().toLowerCase() + ": " + c.name() + ": " + c.message());
            err.println("command: " + plan.commandLine());
            if (plan.blocked()) {
                err.println("msyspg-console: " + plan.blocking().get(0).message());
                return 1;
            }
            if (dryRun) return 0;
            CliProgress progress = new CliProgress(err, "backup");
            BackupService.Result r;
            try {
                r = JobRunner.runInForeground(ctx -> svc.run(plan, ctx, line -> {
                    if (verbose) progress.raw(line);
                }), progress);
            } catch (JobCancelledException e) {
                err.println("msyspg-console: backup cancelled; the partial output was removed.");
                return 1;
            }
            progress.done();
            out.println("backup written: " + r.path() + " (" + Bytes.human(r.sizeBytes()) + " in " + r.duration().toSeconds() + " s)");
            if (r.sha256() != null) out.println("sha256: " + r.sha256() + "  (" + r.checksumFile() + ")");
            out.println("verified: " + (r.verified() ? "yes, " + r.verification() : "no"));
            return 0;
        }
    }
}
