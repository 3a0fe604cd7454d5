package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgVersion;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Restores an inspected archive: {@link #plan} checks the options against the archive and the target and builds
 * the exact command; {@link #run} reads the whole archive first (a damaged one is refused before the database is
 * touched), optionally takes a safety backup, creates the database when asked, runs pg_restore (or psql for plain
 * SQL) and reports "completed", "completed with N errors" (each with its TOC entry, classed) or "failed".
 */
public final class RestoreService {
    private final BackupService backups;

    public RestoreService(BackupService backups) {
        this.backups = backups;
    }

    public record Plan(ArchiveInfo archive, RestoreOptions options, DbSession session, List<Check> checks, ToolProcess process,
                       List<String> listFile, boolean targetExists) implements CheckedPlan {
        public String commandLine() { return process == null ? "(no command: a check failed)" : process.display(); }
    }

    public static boolean databaseExists(DbSession session, String db) throws SQLException {
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Plan plan(DbSession session, ArchiveInfo a, RestoreOptions o) throws SQLException {
        List<Check> checks = new ArrayList<>();
        boolean plain = a.kind().isPlain();
        if (o.database == null || o.database.isBlank()) {
            checks.add(Check.block("Target", "No target database was given."));
            return new Plan(a, o, session, checks, null, List.of(), false);
        }
        boolean exists = databaseExists(session, o.database);
        String where = session.target().host() + ":" + session.target().port();
        if (o.createNew && exists) checks.add(Check.block("Target", "Database \"" + o.database + "\" already exists on " + where + "; choose a new name or restore into it."));
        else if (!o.createNew && !exists) checks.add(Check.block("Target", "Database \"" + o.database + "\" does not exist on " + where + "; choose 'new database' to create it."));
        else checks.add(Check.ok("Target", (o.createNew ? "new database \"" + o.database + "\" (CREATE DATABASE … TEMPLATE template0)" : "existing database \"" + o.database + "\"") + " on " + where));
        if (o.createNew && o.clean) checks.add(Check.warn("Options", "--clean does nothing for a new database; it is left out."));
        if (o.jobs < 1) checks.add(Check.block("Options", "Parallel jobs must be 1 or more (got " + o.jobs + ")."));
        if (o.singleTransaction && o.jobs > 1) checks.add(Check.block("Options", "A single transaction (-1) cannot go with parallel jobs (-j " + o.jobs + ")."));
        if (o.jobs > 1 && a.kind() == ArchiveInfo.Kind.TAR) checks.add(Check.block("Options", "Parallel restore needs a custom or directory archive, not tar."));
        if (plain) {
            if (o.jobs > 1) checks.add(Check.block("Options", "A plain SQL dump is restored by psql, one statement after another: no parallel jobs."));
            if (o.clean && !o.createNew) checks.add(Check.warn("Options", "A plain SQL dump cannot be cleaned at restore time (only pg_dump --clean does that); statements run as written."));
            if (o.selection != null) checks.add(Check.block("Options", "A plain SQL dump has no table of contents to select from."));
            checks.add(Check.ok("Mode", "psql -X -v ON_ERROR_STOP=1 --single-transaction: the first error rolls everything back"));
        }
        PgVersion server = session.serverVersion();
        if (a.sourceServerVersion() != null) {
            try {
                PgVersion src = PgVersion.parse(a.sourceServerVersion());
                if (src.major() > server.major()) checks.add(Check.warn("Versions", "The archive comes from PostgreSQL " + src + ", newer than the target " + server + ": some statements may fail."));
                else checks.add(Check.ok("Versions", "archive from PostgreSQL " + src + " into " + server));
            } catch (IllegalArgumentException ignored) {
                // unknown source version: nothing to compare
            }
        }
        if (o.selection != null && o.selection.isEmpty()) checks.add(Check.block("Objects", "No object of the archive is selected."));
        if (!o.createNew && exists) checks.add(Check.warn("Target", "Database \"" + o.database + "\" will be changed"
                + (o.clean && !plain ? ": objects in the archive are dropped first (--clean --if-exists)" : "") + "."));
        if (o.safetyBackup != null) checks.add(Check.ok("Safety backup", "the current \"" + o.database + "\" is backed up to " + o.safetyBackup + " first"));

        List<String> list = new ArrayList<>();
        if (o.selection != null && !plain) {
            Map<Integer, TocEntry> byId = new HashMap<>();
            for (TocEntry e : a.entries()) byId.put(e.id(), e);
            list.add("; selected and ordered by msyspg-console");
            for (Integer id : o.selection) {
                TocEntry e = byId.get(id);
                if (e == null) checks.add(Check.block("Objects", "Entry " + id + " is not in the archive's table of contents."));
                else list.add(e.listLine());
            }
        }
        var t = session.target();
        List<String> cmd = new ArrayList<>();
        PgTool tool = a.tool();
        cmd.add(tool.path().toString());
        if (plain) {
            cmd.addAll(List.of("-X", "-w", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-h", t.host(), "-p", Integer.toString(t.port()),
                    "-U", t.user(), "-d", BackupService.dbArg(o.database), "-f", a.kind() == ArchiveInfo.Kind.PLAIN_GZIP ? "-" : a.path().toString()));
        } else {
            cmd.addAll(List.of("-v", "-w", "-h", t.host(), "-p", Integer.toString(t.port()), "-U", t.user(), "-d", BackupService.dbArg(o.database)));
            if (o.clean && !o.createNew) cmd.addAll(List.of("--clean", "--if-exists"));
            if (o.jobs > 1) cmd.addAll(List.of("-j", Integer.toString(o.jobs)));
            if (o.singleTransaction) cmd.add("--single-transaction");
            if (o.exitOnError) cmd.add("--exit-on-error");
            if (o.noOwner) cmd.add("--no-owner");
            if (o.selection != null) cmd.addAll(List.of("-L", "<selection list>"));
            cmd.add(a.path().toString());
        }
        char[] pw = session instanceof PooledDbSession p ? p.passwordCopy() : null;
        ToolProcess process = new ToolProcess(cmd).target(t).password(pw);
        if (pw != null) java.util.Arrays.fill(pw, '\0');
        return new Plan(a, o, session, List.copyOf(checks), process, List.copyOf(list), exists);
    }

    /**
     * Runs a plan. Failures before the database is touched (a damaged archive, a checksum mismatch) throw a
     * {@link ConsoleException}; once restoring has begun the outcome is a {@link RestoreReport}.
     */
    public RestoreReport run(Plan plan, JobContext ctx, Consumer<String> output) throws Exception {
        if (plan.blocked()) throw new ConsoleException("The restore cannot start: " + plan.blocking().get(0).message());
        ArchiveInfo a = plan.archive();
        RestoreOptions o = plan.options();
        long t0 = System.nanoTime();
        if (o.verifyFirst) {
            ctx.message("checking the archive before touching the database");
            checkChecksum(a.path());
            try {
                if (a.kind().isPlain()) BackupService.verifyPlain(a.path());
                else backups.verify(BackupFormat.CUSTOM, a.path(), a.tool(), ctx, output);
            } catch (ConsoleException e) {
                throw new ConsoleException("The archive " + a.path().getFileName() + " is damaged; nothing was restored and \"" + o.database
                        + "\" was not touched. " + e.getMessage().replaceFirst("^Verification failed: ", ""), e.detail(), e);
            }
            output.accept("msyspg-console: archive read completely: OK");
        }
        ctx.checkCancelled();
        if (o.safetyBackup != null && plan.targetExists()) {
            ctx.message("safety backup of \"" + o.database + "\" to " + o.safetyBackup);
            BackupOptions bo = new BackupOptions();
            bo.format = BackupFormat.CUSTOM;
            bo.output = o.safetyBackup;
            DbSession target = plan.session().forDatabase(o.database);
            BackupService.Plan bp = backups.plan(target, bo);
            if (bp.blocked()) throw new ConsoleException("The safety backup cannot be taken, so nothing was restored: " + bp.blocking().get(0).message());
            backups.run(bp, ctx, output);
            output.accept("msyspg-console: safety backup written to " + o.safetyBackup);
        }
        ctx.checkCancelled();
        if (o.createNew) {
            try (Connection c = plan.session().borrow(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + quoteIdent(o.database) + " TEMPLATE template0");
            }
            output.accept("msyspg-console: created database \"" + o.database + "\" from template0");
        }
        Path listFile = null;
        try {
            ToolProcess p = plan.process();
            if (!plan.listFile().isEmpty()) {
                listFile = Files.createTempFile("msyspg-restore-", ".list");
                Files.write(listFile, plan.listFile(), StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>(p.command());
                cmd.set(cmd.indexOf("<selection list>"), listFile.toString());
                p = rebuild(p, cmd, plan.session());
            }
            if (a.kind() == ArchiveInfo.Kind.PLAIN_GZIP) {
                InputStream in = new GZIPInputStream(Files.newInputStream(a.path()), 1 << 16);
                p.stdinFrom(in);
            }
            RestoreOutputParser parser = new RestoreOutputParser(TocEntry.schemaNames(a.entries().stream().map(TocEntry::listLine).toList()));
            int planned = o.selection != null ? o.selection.size() : Math.max(1, a.entries().size());
            int[] seen = {0};
            boolean[] parallelPhase = {false};
            ctx.message("restoring into \"" + o.database + "\"");
            p.onLine(line -> {
                output.accept(line);
                parser.line(line);
                // serial restores announce each entry once; with -j, entries after the first "finished item" count when they finish
                boolean finished = line.startsWith("pg_restore: finished item");
                if (finished) parallelPhase[0] = true;
                boolean started = line.startsWith("pg_restore: creating ") || line.startsWith("pg_restore: processing data");
                if (finished || (started && !parallelPhase[0])) {
                    seen[0]++;
                    double f = Math.min(0.99, seen[0] / (double) planned);
                    ctx.progress(f * 1000, 1000);
                    ctx.message(line.replaceFirst("^pg_restore: ", "") + " · " + Math.round(f * 100) + "%");
                }
            });
            if (a.kind().isPlain()) ctx.progress(-1, -1);
            ToolProcess.Outcome out = p.run(ctx);
            parser.finish();
            Duration d = Duration.ofNanos(System.nanoTime() - t0);
            if (out.cancelled()) {
                throw new JobCancelledException();
            }
            List<RestoreError> errors = parser.errors();
            RestoreReport r;
            if (out.exitCode() == 0) {
                r = new RestoreReport(RestoreReport.Status.COMPLETED, o.database, errors, 0, d, "completed");
            } else if (!a.kind().isPlain() && !o.exitOnError && !o.singleTransaction && parser.ignoredCount() > 0 && parser.fatal() == null) {
                r = new RestoreReport(RestoreReport.Status.COMPLETED_WITH_ERRORS, o.database, errors, parser.ignoredCount(), d,
                        "completed with " + parser.ignoredCount() + " errors");
            } else {
                String why;
                if (out.signal() != 0) why = a.tool().name() + " was killed by " + ToolProcess.signalName(out.signal());
                else if (parser.fatal() != null) why = parser.fatal();
                else if (!errors.isEmpty()) why = errors.get(0).object() + ": " + errors.get(0).message();
                else why = a.tool().name() + " exited with code " + out.exitCode() + ": " + out.firstProblem();
                if (a.kind().isPlain() || o.singleTransaction) why += " (the transaction was rolled back: nothing of this restore was kept)";
                if (o.createNew) why += "; database \"" + o.database + "\" was created by this restore and is left for inspection";
                r = new RestoreReport(RestoreReport.Status.FAILED, o.database, errors, errors.size(), d, why);
            }
            ctx.progress(1000, 1000);
            return r;
        } finally {
            if (listFile != null) Files.deleteIfExists(listFile);
        }
    }

    private static ToolProcess rebuild(ToolProcess old, List<String> cmd, DbSession session) {
        char[] pw = session instanceof PooledDbSession p ? p.passwordCopy() : null;
        ToolProcess np = new ToolProcess(cmd).target(session.target()).password(pw);
        if (pw != null) java.util.Arrays.fill(pw, '\0');
        return np;
    }

    /** Compares the archive with a {@code name.sha256} beside it, when there is one (sha256sum format). */
    static void checkChecksum(Path archive) throws Exception {
        Path sums = BackupService.checksumFile(archive);
        if (!Files.isRegularFile(sums)) return;
        Path base = archive.getParent();
        for (String l : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            if (l.isBlank()) continue;
            int sp = l.indexOf("  ");
            if (sp != 64) continue;
            String want = l.substring(0, 64);
            Path f = base.resolve(l.substring(66));
            if (!Files.isRegularFile(f)) throw new ConsoleException("The archive is incomplete: " + f + " listed in " + sums.getFileName() + " is missing; nothing was restored.");
            String got = Bytes.sha256(f);
            if (!got.equalsIgnoreCase(want)) {
                throw new ConsoleException("The archive does not match its checksum: SHA-256 of " + f.getFileName() + " is " + got
                        + ", " + sums.getFileName() + " says " + want + "; nothing was restored.");
            }
        }
    }

    static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** ANALYZE the restored database (planner statistics are not in a dump). */
    public void analyze(DbSession session, String database, JobContext ctx) throws SQLException {
        DbSession db = session.forDatabase(database);
        try (Connection c = db.borrow(); Statement s = c.createStatement()) {
            ctx.onCancel(() -> {
                try {
                    s.cancel();
                } catch (SQLException ignored) {
                    // the statement ended already
                }
            });
            ctx.message("ANALYZE in \"" + database + "\"");
            s.execute("ANALYZE");
        }
    }
}
