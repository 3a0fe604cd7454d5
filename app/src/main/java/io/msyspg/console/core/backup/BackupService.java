package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Logical (pg_dump) and file-system (pg_basebackup) backups: {@link #plan} runs the pre-checks and builds the
 * exact command; {@link #run} runs it as a job with progress, writes under a temporary name, checksums, verifies
 * and renames only on success, and records the outcome in the {@link BackupHistory}.
 */
public final class BackupService {
    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    private static final Pattern COMPRESSION_METHOD = Pattern.compile("(gzip|lz4|zstd|none)(:(\\d+))?");
    private static final Pattern BASEBACKUP_PROGRESS = Pattern.compile("(\\d+)/(\\d+) kB \\((\\d+)%\\)");

    private final PgToolLocator tools;
    private final BackupHistory history;
    private List<String> launchPrefix = List.of();
    private long graceMillis = ToolProcess.DEFAULT_GRACE_MILLIS;

    public BackupService(PgToolLocator tools, BackupHistory history) {
        this.tools = tools;
        this.history = history;
    }

    /** Runs the tools under another program: {@code nice -n 10}, {@code ionice -c3}, or a {@code prlimit}. */
    public BackupService launchPrefix(List<String> prefix) { this.launchPrefix = List.copyOf(prefix); return this; }

    public BackupService graceMillis(long ms) { this.graceMillis = ms; return this; }

    public BackupHistory history() { return history; }

    /** Everything decided before the job starts: checks with their numbers, the tool, the exact command. */
    public record Plan(BackupOptions options, DbSession session, PgVersion server, PgTool tool, PgTool verifier,
                       List<Check> checks, List<PlannedTable> tables, long databaseBytes, long estimatedBytes,
                       long freeBytes, Path partial, ToolProcess process, String steps) implements CheckedPlan {
        /** The command that will run, with {@code PGPASSFILE=<temporary 0600 file>} in place of any password. */
        public String commandLine() { return process != null ? process.display() : steps != null ? steps : "(no command: a check failed)"; }
    }

    public record Result(Path path, Path checksumFile, String sha256, long sizeBytes, Duration duration,
                         boolean verified, String verification, String tool) {}

    // ------------------------------------------------------------------------------------------------ planning

    public Plan plan(DbSession session, BackupOptions in) throws SQLException {
        BackupOptions o = in.copy();
        List<Check> checks = new ArrayList<>();
        PgVersion server = session.serverVersion();
        String toolName = o.format == BackupFormat.BASE ? "pg_basebackup" : "pg_dump";
        Path lowLevelData = null;
        Optional<PgTool> found = o.format == BackupFormat.LOWLEVEL ? Optional.empty() : tools.forServer(toolName, server);
        PgTool tool = found.orElse(null);
        if (o.format == BackupFormat.LOWLEVEL) {
            try {
                lowLevelData = LowLevelBackup.dataDirectory(session);
                checks.add(Check.ok("Data directory", lowLevelData + " is readable here (server on this host)"));
            } catch (ConsoleException e) {
                checks.add(Check.block("Data directory", e.getMessage()));
            }
        } else if (tool == null) {
            checks.add(Check.block("Tool version", tools.explainMissing(toolName, server)));
        } else {
            checks.add(Check.ok("Tool version", toolName + " " + tool.version() + " (" + tool.path() + ") for server "
                    + server + ": major " + tool.version().majorLabel() + " >= " + server.majorLabel()
                    + (tool.version().major() >= 15 ? "; 15+ tools dump servers back to 9.2" : "")));
        }
        PgTool verifier = null;
        if (o.format == BackupFormat.LOWLEVEL) {
            checks.add(Check.warn("Consistency", "A low-level copy needs the WAL written during the copy (WAL archiving, or copy pg_wal yourself); "
                    + "pg_basebackup -X stream includes it and is preferred."));
        }
        if (tool != null && o.verify) {
            String vName = o.format == BackupFormat.BASE ? "pg_verifybackup" : o.format == BackupFormat.PLAIN ? null : "pg_restore";
            if (vName != null) {
                verifier = sibling(tool, vName).orElseGet(() -> tools.findAll(vName).stream()
                        .filter(t -> t.version().compareTo(tool.version()) >= 0 || t.version().major() == tool.version().major())
                        .max(java.util.Comparator.comparing(PgTool::version)).orElse(null));
                if (verifier == null) {
                    checks.add(Check.block("Verification", "No " + vName + " of major " + tool.version().majorLabel()
                            + " or newer was found to verify the backup; install it or turn verification off."));
                } else if (o.format == BackupFormat.BASE && server.major() < 13) {
                    checks.add(Check.warn("Verification", "Server " + server + " writes no backup manifest (13+): pg_verifybackup cannot check this copy."));
                    verifier = null;
                } else {
                    checks.add(Check.ok("Verification", "after writing: " + (o.format == BackupFormat.BASE
                            ? "pg_verifybackup checks every file against the SHA-256 manifest"
                            : vName + " -l, then a full read of the data (" + vName + " -f /dev/null)")));
                }
            }
            if (o.format == BackupFormat.PLAIN) checks.add(Check.ok("Verification", "after writing: a full read of the SQL file (gzip test when compressed) and its end-of-dump marker"));
        }
        checkOptions(o, tool, checks);
        long dbBytes;
        List<PlannedTable> tables = List.of();
        try (Connection c = session.borrow()) {
            if (o.format == BackupFormat.BASE) {
                dbBytes = single(c, "SELECT sum(pg_database_size(oid))::bigint FROM pg_database");
                checkReplication(c, checks);
            } else if (o.format == BackupFormat.LOWLEVEL) {
                dbBytes = lowLevelData != null ? Bytes.sizeOf(lowLevelData) - Bytes.sizeOf(lowLevelData.resolve("pg_wal"))
                        : single(c, "SELECT sum(pg_database_size(oid))::bigint FROM pg_database");
            } else {
                dbBytes = single(c, "SELECT pg_database_size(current_database())");
                if (!o.schemaOnly) tables = plannedTables(c, o);
            }
            if (o.jobs > 1 && o.format == BackupFormat.DIRECTORY) checkConnections(c, o.jobs, checks);
        }
        long dataBytes = o.format.isCluster() ? dbBytes : tables.stream().mapToLong(PlannedTable::bytes).sum();
        long estimate = o.format.isCluster() ? dbBytes + 64L * 1024 * 1024
                : (long) (dataBytes * (o.compressed() ? 0.5 : 1.1)) + 1024 * 1024;
        Path partial = null;
        long free = -1;
        if (o.output == null) {
            checks.add(Check.block("Destination", "No destination file was chosen."));
        } else {
            Path out = o.output.toAbsolutePath().normalize();
            o.output = out;
            partial = partialOf(out);
            Path parent = out.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                checks.add(Check.block("Destination", "The folder " + parent + " does not exist."));
            } else if (!writable(parent)) {
                checks.add(Check.block("Destination", "The folder " + parent + " is not writable by " + System.getProperty("user.name") + "."));
            } else {
                if (Files.exists(out)) {
                    if (o.overwrite) checks.add(Check.warn("Destination", out + " exists and will be replaced once the new backup is complete and verified."));
                    else checks.add(Check.block("Destination", out + " already exists; choose another name or allow replacing it."));
                } else {
                    checks.add(Check.ok("Destination", out + " (written as " + partial.getFileName() + " until complete)"));
                }
                if (Files.exists(partial)) checks.add(Check.warn("Destination", "A leftover " + partial.getFileName() + " from an interrupted run will be removed."));
                try {
                    FileStore fs = Files.getFileStore(parent);
                    free = fs.getUsableSpace();
                    String numbers = "free " + Bytes.human(free) + " at " + parent + "; database " + Bytes.human(dbBytes)
                            + (o.format.isCluster() ? " (all databases)" : ", table data " + Bytes.human(dataBytes))
                            + ", backup estimated at " + Bytes.human(estimate) + (o.compressed() ? " (compressed)" : "");
                    if (free < estimate) checks.add(Check.block("Free space", "Not enough space: " + numbers + "."));
                    else if (free < dbBytes) checks.add(Check.warn("Free space", "Tight: " + numbers + "."));
                    else checks.add(Check.ok("Free space", numbers));
                } catch (IOException e) {
                    checks.add(Check.warn("Free space", "Cannot read the free space of " + parent + ": " + e.getMessage()));
                }
            }
        }
        ToolProcess process = null;
        if (tool != null && partial != null) process = buildProcess(session, o, tool, partial);
        String steps = null;
        if (o.format == BackupFormat.LOWLEVEL) {
            boolean v15 = server.major() >= 15;
            steps = "on one session kept alive: " + (v15 ? "SELECT pg_backup_start('msyspg-console <time>', " + o.fastCheckpoint + ")"
                    : "SELECT pg_start_backup('msyspg-console <time>', " + o.fastCheckpoint + ", false)")
                    + "; copy " + (lowLevelData == null ? "the data directory" : lowLevelData) + " to " + partial
                    + " without pg_wal/ contents, postmaster.pid, postmaster.opts; "
                    + (v15 ? "SELECT * FROM pg_backup_stop(true)" : "SELECT * FROM pg_stop_backup(false, true)")
                    + "; write labelfile/spcmapfile as backup_label/tablespace_map into the copy; rename to " + o.output;
        }
        return new Plan(o, session, server, tool, verifier, List.copyOf(checks), tables, dbBytes, estimate, free, partial, process, steps);
    }

    private static Optional<PgTool> sibling(PgTool tool, String name) {
        Path p = tool.binDir().resolve(name);
        return Files.isExecutable(p) ? Optional.of(new PgTool(name, p, tool.version())) : Optional.empty();
    }

    private void checkOptions(BackupOptions o, PgTool tool, List<Check> checks) {
        if (o.format == BackupFormat.BASE) return;
        if (o.schemaOnly && o.dataOnly) checks.add(Check.block("Options", "Schema only and data only exclude each other."));
        if (o.jobs < 1) checks.add(Check.block("Options", "Parallel jobs must be 1 or more (got " + o.jobs + ")."));
        if (o.jobs > 1 && o.format != BackupFormat.DIRECTORY) checks.add(Check.block("Options", "Parallel jobs (-j " + o.jobs + ") need the directory format; pg_dump cannot write other formats in parallel."));
        String c = o.compression == null ? "" : o.compression.trim().toLowerCase();
        if (!c.isEmpty()) {
            if (o.format == BackupFormat.TAR) {
                checks.add(Check.block("Compression", "The tar format is never compressed; choose custom or directory for compression."));
            } else if (c.matches("\\d+")) {
                int z = Integer.parseInt(c);
                if (z > 9) checks.add(Check.block("Compression", "Compression level " + z + " is out of range 0..9."));
                else checks.add(Check.ok("Compression", "-Z " + z + (o.format == BackupFormat.PLAIN && z > 0 ? " (gzip'd SQL file)" : "")));
            } else {
                Matcher m = COMPRESSION_METHOD.matcher(c);
                if (!m.matches()) {
                    checks.add(Check.block("Compression", "'" + o.compression + "' is not a compression setting: use 0..9, or gzip, lz4, zstd with an optional :level."));
                } else if (tool != null && tool.version().major() < 16 && !m.group(1).equals("gzip") && !m.group(1).equals("none")) {
                    checks.add(Check.block("Compression", "pg_dump " + tool.version() + " supports only -Z 0..9 (gzip); " + m.group(1) + " needs pg_dump 16 or newer."));
                } else if (tool != null && tool.version().major() < 16) {
                    checks.add(Check.block("Compression", "pg_dump " + tool.version() + " takes -Z 0..9; method names (" + c + ") need pg_dump 16 or newer."));
                } else {
                    checks.add(Check.ok("Compression", "-Z " + c));
                    if (!m.group(1).equals("gzip") && !m.group(1).equals("none")) {
                        checks.add(Check.warn("Compression", "Restoring needs a pg_restore 16+ built with " + m.group(1) + " support."));
                    }
                }
            }
        }
        if (o.format == BackupFormat.PLAIN && o.compressed() && o.output != null && !o.output.toString().endsWith(".gz")) {
            checks.add(Check.warn("Compression", "A compressed plain dump is a gzip file; consider a name ending in .gz."));
        }
    }

    private static void checkConnections(Connection c, int jobs, List<Check> checks) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int, "
                        + "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int, "
                        + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            rs.next();
            int max = rs.getInt(1), reserved = rs.getInt(2), used = rs.getInt(3);
            boolean superuser = rs.getBoolean(4);
            int free = max - used - (superuser ? 0 : reserved);
            String numbers = "-j " + jobs + " opens " + (jobs + 1) + " connections; max_connections " + max + ", in use " + used
                    + (superuser ? "" : ", reserved for superusers " + reserved) + ", free " + free;
            if (free < jobs + 1) checks.add(Check.block("Connections", "Not enough free connections: " + numbers + "."));
            else if (free < jobs + 4) checks.add(Check.warn("Connections", "Little headroom: " + numbers + "."));
            else checks.add(Check.ok("Connections", numbers));
        }
    }

    private static void checkReplication(Connection c, List<Check> checks) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper OR rolreplication, current_setting('max_wal_senders')::int, "
                        + "(SELECT count(*) FROM pg_stat_replication)::int FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            boolean may = rs.getBoolean(1);
            int senders = rs.getInt(2), used = rs.getInt(3);
            if (!may) checks.add(Check.block("Replication", "The role has neither SUPERUSER nor REPLICATION: pg_basebackup needs one of them."));
            else if (senders - used < 2) checks.add(Check.block("Replication", "pg_basebackup -X stream needs 2 WAL senders; max_wal_senders " + senders + ", in use " + used + "."));
            else checks.add(Check.ok("Replication", "max_wal_senders " + senders + ", in use " + used + "; -X stream uses 2"));
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The tables whose data the dump will copy, with heap+TOAST sizes, filtered like pg_dump's -n/-N/-t/-T. */
    static List<PlannedTable> plannedTables(Connection c, BackupOptions o) throws SQLException {
        List<PlannedTable> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT n.nspname, c.relname, pg_table_size(c.oid), c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                        + "AND n.nspname !~ '^pg_(toast|temp)' AND c.relpersistence <> 't' "
                        + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') "
                        + "ORDER BY 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) all.add(new PlannedTable(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4)));
        }
        return all.stream().filter(t -> selected(t, o)).toList();
    }

    static boolean selected(PlannedTable t, BackupOptions o) {
        if (!o.includeSchemas.isEmpty() && o.includeSchemas.stream().noneMatch(p -> glob(p, t.schema()))) return false;
        if (o.excludeSchemas.stream().anyMatch(p -> glob(p, t.schema()))) return false;
        if (!o.includeTables.isEmpty() && o.includeTables.stream().noneMatch(p -> tableMatch(p, t))) return false;
        return o.excludeTables.stream().noneMatch(p -> tableMatch(p, t));
    }

    private static boolean tableMatch(String pattern, PlannedTable t) {
        int dot = pattern.indexOf('.');
        if (dot < 0) return glob(pattern, t.name());
        return glob(pattern.substring(0, dot), t.schema()) && glob(pattern.substring(dot + 1), t.name());
    }

    private static boolean glob(String pattern, String name) {
        String p = pattern.startsWith("\"") && pattern.endsWith("\"") && pattern.length() > 1 ? pattern.substring(1, pattern.length() - 1) : pattern;
        StringBuilder re = new StringBuilder();
        for (char ch : p.toCharArray()) {
            if (ch == '*') re.append(".*");
            else if (ch == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(ch)));
        }
        return name.matches(re.toString());
    }

    static Path partialOf(Path out) {
        return out.resolveSibling("." + out.getFileName() + ".partial");
    }

    private static boolean writable(Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".msyspg-write-test", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** -d for a database name, as a conninfo string when the name itself would be read as one. */
    static String dbArg(String db) {
        if (!db.contains("=") && !db.startsWith("postgres://") && !db.startsWith("postgresql://")) return db;
        return "dbname='" + db.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static final java.util.concurrent.atomic.AtomicLong JOB_IDS = new java.util.concurrent.atomic.AtomicLong();

    static String jobAppName(String base) {
        return base + " backup " + ProcessHandle.current().pid() + "-" + JOB_IDS.incrementAndGet();
    }

    /** Rows copied so far by this dump's COPY commands (server 14+), by "schema.table"; empty when unknown. */
    static java.util.Map<String, Long> copyProgress(DbSession session, String appName) {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        if (session.serverVersion().major() < 14) return m;
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement(
                "SELECT n.nspname, r.relname, p.tuples_processed FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid "
                        + "JOIN pg_class r ON r.oid = p.relid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE a.application_name = ?")) {
            ps.setString(1, appName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) m.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            log.debug("copy progress unavailable: {}", e.getMessage());
        }
        return m;
    }

    private ToolProcess buildProcess(DbSession session, BackupOptions o, PgTool tool, Path partial) {
        var t = session.target();
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.path().toString());
        if (o.format == BackupFormat.BASE) {
            cmd.addAll(List.of("-h", t.host(), "-p", Integer.toString(t.port()), "-U", t.user(), "-w", "-v", "-P",
                    "-D", partial.toString(), "-F", "p", "-X", "stream"));
            if (session.serverVersion().major() >= 13 && tool.version().major() >= 13) cmd.add("--manifest-checksums=SHA256");
            if (o.fastCheckpoint) cmd.addAll(List.of("-c", "fast"));
        } else {
            cmd.addAll(List.of("-h", t.host(), "-p", Integer.toString(t.port()), "-U", t.user(), "-w", "-v", "-F", o.format.pgDumpFlag()));
            if (o.compression != null && !o.compression.isBlank() && o.format != BackupFormat.TAR) cmd.addAll(List.of("-Z", o.compression.trim()));
            if (o.jobs > 1 && o.format == BackupFormat.DIRECTORY) cmd.addAll(List.of("-j", Integer.toString(o.jobs)));
            if (o.schemaOnly) cmd.add("--schema-only");
            if (o.dataOnly) cmd.add("--data-only");
            if (o.noOwner) cmd.add("--no-owner");
            if (o.noPrivileges) cmd.add("--no-privileges");
            for (String s : o.includeSchemas) cmd.add("--schema=" + s);
            for (String s : o.excludeSchemas) cmd.add("--exclude-schema=" + s);
            for (String s : o.includeTables) cmd.add("--table=" + s);
            for (String s : o.excludeTables) cmd.add("--exclude-table=" + s);
            cmd.addAll(List.of("-f", partial.toString(), "-d", dbArg(t.database())));
        }
        char[] pw = session instanceof PooledDbSession p ? p.passwordCopy() : null;
        ToolProcess tp = new ToolProcess(cmd).target(t).password(pw).launchPrefix(launchPrefix).grace(graceMillis);
        // a name of its own, so that the progress query finds this dump's COPY among the server's sessions
        tp.env("PGAPPNAME", jobAppName(t.applicationName()));
        if (pw != null) java.util.Arrays.fill(pw, '\0');
        return tp;
    }

    // ------------------------------------------------------------------------------------------------ running

    /**
     * Runs a plan: the tool writes to the temporary name, then checksum, verification, rename. On failure or
     * cancellation the temporary output is removed and nothing that looks complete is left.
     */
    public Result run(Plan plan, JobContext ctx, Consumer<String> output) throws Exception {
        if (plan.blocked()) {
            throw new ConsoleException("The backup cannot start: " + plan.blocking().get(0).message(),
                    String.join("\n", plan.blocking().stream().map(Check::toString).toList()), null);
        }
        BackupOptions o = plan.options();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        BackupHistory.Entry h = new BackupHistory.Entry();
        h.startedAt = started;
        h.server = plan.session().target().host() + ":" + plan.session().target().port() + " (PostgreSQL " + plan.server() + ")";
        h.database = o.format.isCluster() ? "(whole cluster)" : plan.session().target().database();
        h.format = o.format.name().toLowerCase() + (o.compression != null && !o.compression.isBlank() ? " -Z " + o.compression : "")
                + (o.jobs > 1 ? " -j " + o.jobs : "");
        h.path = o.output.toString();
        h.tool = plan.tool() == null ? "pg_backup_start/stop" : plan.tool().name() + " " + plan.tool().version();
        Path partial = plan.partial();
        try {
            Bytes.deleteTree(partial);
            Result r = o.format == BackupFormat.BASE ? runBase(plan, ctx, output, t0)
                    : o.format == BackupFormat.LOWLEVEL ? runLowLevel(plan, ctx, output) : runDump(plan, ctx, output, t0);
            h.status = "succeeded";
            h.sizeBytes = r.sizeBytes();
            h.sha256 = r.sha256();
            h.verified = r.verified();
            h.message = r.verification();
            h.durationMillis = r.duration().toMillis();
            return r;
        } catch (JobCancelledException e) {
            cleanup(partial);
            h.status = "cancelled";
            h.message = "Cancelled; the partial output was removed.";
            throw e;
        } catch (Exception e) {
            cleanup(partial);
            h.status = "failed";
            h.message = ConsoleException.userMessage(e);
            throw e;
        } finally {
            if (h.durationMillis == 0) h.durationMillis = (System.nanoTime() - t0) / 1_000_000;
            if (history != null) history.add(h);
        }
    }

    private static void cleanup(Path partial) {
        try {
            Bytes.deleteTree(partial);
        } catch (IOException e) {
            log.warn("could not remove partial backup {}: {}", partial, e.getMessage());
        }
    }

    private Result runDump(Plan plan, JobContext ctx, Consumer<String> output, long t0) throws Exception {
        BackupOptions o = plan.options();
        Path partial = plan.partial();
        boolean parallel = o.format == BackupFormat.DIRECTORY && o.jobs > 1;
        DumpProgress progress = new DumpProgress(plan.tables(), parallel, o.compressed(), t0);
        // the dump is the whole job without verification; with it, reading back takes about a fifth
        double scale = o.verify ? 0.8 : 1.0;
        Runnable report = () -> {
            long now = System.nanoTime();
            double f = progress.fraction(now);
            ctx.progress(f * scale * 1000, 1000);
            String cur = progress.currentTable();
            ctx.message(String.format(java.util.Locale.ROOT, "%s%d%% · %d of %d tables · %s written · %s",
                    cur == null ? "reading the catalog · " : "dumping " + cur + " · ", Math.round(f * scale * 100), progress.tablesDone(),
                    progress.plannedTables(), Bytes.human(progress.bytesWritten()), DumpProgress.formatEta(progress.etaSeconds(now))
                            + (o.verify ? " (then verification)" : "")));
        };
        ToolProcess p = plan.process().onLine(line -> {
            output.accept(line);
            if (progress.line(line, System.nanoTime())) report.run();
        });
        ctx.message("starting " + plan.tool().name() + " " + plan.tool().version());
        String appName = p.envValue("PGAPPNAME");
        ToolProcess.Outcome out = runSampled(p, ctx, () -> {
            progress.bytes(Bytes.sizeOf(partial));
            if (appName != null) progress.copied(copyProgress(plan.session(), appName));
            report.run();
        });
        if (out.cancelled()) throw new JobCancelledException();
        if (!out.ok()) throw failure(plan, out, partial);
        long size = Bytes.sizeOf(partial);
        ctx.progress(scale * 1000 - (o.verify ? 0 : 10), 1000);
        ctx.message("checksumming " + Bytes.human(size));
        List<String> sums = checksums(partial, o.output.getFileName().toString());
        ctx.checkCancelled();
        boolean verified = false;
        String verification = "not verified (turned off)";
        if (o.verify) {
            ctx.message("verifying: reading the whole archive back");
            verification = verify(o.format, partial, plan.verifier(), ctx, output);
            verified = true;
        }
        ctx.checkCancelled();
        install(partial, o.output, sums);
        ctx.progress(1000, 1000);
        String sha = o.format == BackupFormat.DIRECTORY ? null : sums.get(0).substring(0, 64);
        return new Result(o.output, checksumFile(o.output), sha, size, Duration.ofNanos(System.nanoTime() - t0), verified, verification,
                plan.tool().name() + " " + plan.tool().version());
    }

    /** Runs a tool while sampling the output size every 300 ms. */
    private static ToolProcess.Outcome runSampled(ToolProcess p, JobContext ctx, Runnable sample) throws Exception {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample.run();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "backup-progress");
        sampler.setDaemon(true);
        sampler.start();
        try {
            return p.run(ctx);
        } finally {
            sampler.interrupt();
            sampler.join(1000);
        }
    }

    private ConsoleException failure(Plan plan, ToolProcess.Outcome out, Path partial) {
        String tool = plan.tool().name();
        String where = plan.session().target().host() + ":" + plan.session().target().port();
        String all = String.join("\n", out.lines());
        String what;
        if (out.signal() == 25 || all.contains("File size limit exceeded")) {
            what = tool + " was stopped by the file size limit (SIGXFSZ) while writing " + partial.getFileName();
        } else if (all.contains("No space left on device")) {
            what = "The disk ran out of space while writing " + partial.getFileName() + " (free now: "
                    + Bytes.human(partial.getParent().toFile().getUsableSpace()) + ")";
        } else if (out.signal() != 0) {
            what = tool + " was killed by " + ToolProcess.signalName(out.signal()) + " from outside the console";
        } else if (all.contains("server closed the connection unexpectedly") || all.contains("terminating connection due to administrator command")
                || all.contains("connection to server was lost") || all.contains("the database system is shutting down")) {
            what = "The server at " + where + " closed the connection during the backup (stopped or restarted?)";
        } else if (all.contains("server version mismatch")) {
            what = tool + " " + plan.tool().version() + " refused the server " + plan.server() + " (server version mismatch)";
        } else {
            what = tool + " failed with exit code " + out.exitCode() + ": " + out.firstProblem().replaceFirst("^\\S+: (error: )?", "");
        }
        return new ConsoleException(what + ". The incomplete output was removed; no backup file was written.", out.problemSummary(), null);
    }

    private Result runBase(Plan plan, JobContext ctx, Consumer<String> output, long t0) throws Exception {
        Path partial = plan.partial();
        ToolProcess p = plan.process().onLine(line -> {
            output.accept(line);
            Matcher m = BASEBACKUP_PROGRESS.matcher(line);
            if (m.find()) {
                long done = Long.parseLong(m.group(1)), total = Math.max(1, Long.parseLong(m.group(2)));
                double f = Math.min(0.99, done / (double) total);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                ctx.progress(f * 1000, 1000);
                ctx.message("copying " + Bytes.human(done * 1024) + " of " + Bytes.human(total * 1024) + " · "
                        + DumpProgress.formatEta(f < 0.02 ? -1 : Math.round(elapsed * (1 - f) / f)));
            }
        });
        ToolProcess.Outcome out = runSampled(p, ctx, () -> { });
        if (out.cancelled()) throw new JobCancelledException();
        if (!out.ok()) throw failure(plan, out, partial);
        long size = Bytes.sizeOf(partial);
        boolean verified = false;
        String verification = "not verified";
        if (plan.verifier() != null) {
            ctx.message("verifying with pg_verifybackup");
            ToolProcess v = new ToolProcess(List.of(plan.verifier().path().toString(), partial.toString()))
                    .launchPrefix(launchPrefix).onLine(output);
            ToolProcess.Outcome vo = v.run(ctx);
            if (vo.cancelled()) throw new JobCancelledException();
            if (!vo.ok()) throw new ConsoleException("pg_verifybackup found problems in the copy: " + vo.firstProblem(), vo.problemSummary(), null);
            verified = true;
            verification = "pg_verifybackup: " + (vo.lines().isEmpty() ? "backup successfully verified" : vo.lines().get(vo.lines().size() - 1).strip());
        }
        install(partial, plan.options().output, List.of());
        ctx.progress(1000, 1000);
        return new Result(plan.options().output, plan.options().output.resolve("backup_manifest"), null, size,
                Duration.ofNanos(System.nanoTime() - t0), verified, verification, plan.tool().name() + " " + plan.tool().version());
    }

    private static Result runLowLevel(Plan plan, JobContext ctx, Consumer<String> output) throws Exception {
        LowLevelBackup.Result r = new LowLevelBackup().run(plan.session(), plan.options().output, plan.options().fastCheckpoint, ctx, output);
        String v = "not verifiable without its WAL; stop LSN " + r.stopLsn()
                + (r.notices().isEmpty() ? "" : "; server: " + String.join(" ", r.notices()))
                + (r.vanishedFiles() > 0 ? "; " + r.vanishedFiles() + " files vanished while copying (normal)" : "");
        return new Result(r.path(), r.path().resolve("backup_label"), null, r.bytes(), r.duration(), false, v, "pg_backup_start/stop");
    }

    /** sha256sum lines for the output, with paths as they will read after the rename. */
    private static List<String> checksums(Path partial, String finalName) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(partial)) {
            try (Stream<Path> s = Files.walk(partial)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    lines.add(Bytes.sha256(f) + "  " + finalName + "/" + partial.relativize(f).toString().replace('\\', '/'));
                }
            }
        } else {
            lines.add(Bytes.sha256(partial) + "  " + finalName);
        }
        return lines;
    }

    public static Path checksumFile(Path output) {
        return output.resolveSibling(output.getFileName() + ".sha256");
    }

    /** Moves the complete, verified output into place (replacing an old one only now), then writes the checksums. */
    private static void install(Path partial, Path out, List<String> sums) throws IOException {
        Path old = null;
        if (Files.exists(out)) {
            old = out.resolveSibling("." + out.getFileName() + ".replaced");
            Bytes.deleteTree(old);
            Files.move(out, old);
        }
        try {
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, out);
        } catch (IOException e) {
            if (old != null) Files.move(old, out);
            throw e;
        }
        if (old != null) Bytes.deleteTree(old);
        if (!sums.isEmpty()) {
            Path sumFile = checksumFile(out);
            Path tmp = sumFile.resolveSibling("." + sumFile.getFileName() + ".partial");
            Files.writeString(tmp, String.join("\n", sums) + "\n");
            Files.move(tmp, sumFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    // ------------------------------------------------------------------------------------------------ verifying

    /**
     * Reads a whole archive back: {@code pg_restore -l} (the table of contents), then {@code pg_restore -f /dev/null}
     * (every data block, decompressed); a plain dump is read to the end (through gzip when compressed) and must end
     * with pg_dump's completion marker. Throws with the reason when anything is wrong.
     */
    public String verify(BackupFormat format, Path archive, PgTool pgRestore, JobContext ctx, Consumer<String> output) throws Exception {
        if (format == BackupFormat.PLAIN) return verifyPlain(archive);
        ToolProcess list = new ToolProcess(List.of(pgRestore.path().toString(), "-l", archive.toString())).launchPrefix(launchPrefix);
        ToolProcess.Outcome lo = list.run(ctx);
        if (lo.cancelled()) throw new JobCancelledException();
        if (!lo.ok()) throw new ConsoleException("Verification failed: pg_restore cannot read the table of contents of " + archive.getFileName()
                + ": " + lo.firstProblem(), lo.problemSummary(), null);
        for (String l : lo.lines()) {
            if (l.contains("no data will be available") || l.contains("does not support compression")) {
                throw new ConsoleException("Verification failed: " + pgRestore.name() + " " + pgRestore.version() + " cannot decompress "
                        + archive.getFileName() + ": " + l.strip());
            }
        }
        ToolProcess read = new ToolProcess(List.of(pgRestore.path().toString(), "-f", "/dev/null", archive.toString()))
                .launchPrefix(launchPrefix).onLine(output);
        ToolProcess.Outcome ro = read.run(ctx);
        if (ro.cancelled()) throw new JobCancelledException();
        if (!ro.ok() || ro.lines().stream().anyMatch(l -> l.contains("warning") || l.contains("error"))) {
            throw new ConsoleException("Verification failed: reading all data of " + archive.getFileName() + " with pg_restore failed: "
                    + ro.firstProblem(), ro.problemSummary(), null);
        }
        return "table of contents and all data read back by " + pgRestore.name() + " " + pgRestore.version();
    }

    static String verifyPlain(Path file) throws IOException {
        boolean gz = ArchiveInspector.isGzip(file);
        java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
        long lines = 0;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String l;
            while ((l = r.readLine()) != null) {
                lines++;
                if (!l.isBlank() && !l.equals("--")) {
                    tail.addLast(l);
                    if (tail.size() > 3) tail.removeFirst();
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new ConsoleException("Verification failed: " + file.getFileName() + " is not a complete gzip file (" + e.getMessage() + ").", e);
        }
        // since 15.14 / 16.10 / 17.6 a \\unrestrict line follows the marker
        if (tail.stream().noneMatch(l -> l.startsWith("-- PostgreSQL database dump complete"))) {
            throw new ConsoleException("Verification failed: " + file.getFileName() + " does not end with pg_dump's '-- PostgreSQL database dump complete' line; it is truncated.");
        }
        return (gz ? "gzip stream intact, " : "") + lines + " lines read, ends with pg_dump's completion marker";
    }
}
