package io.msyspg.console.core.upgrade;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one upgrade run that the admin keeps: every step with its command line (never a password),
 * start, duration, result and the tail of its output; the pre-flight checks; the table-by-table verification;
 * the Momentum checklist ticks; the deferred job's id. Written after every step (a crash leaves what was done)
 * as {@code report.txt} (for people) and {@code report.json} (for tools) in the run's folder, by default
 * {@code <state>/upgrade/reports/<run id>/}. Serialised with Jackson (public fields).
 */
public final class UpgradeReport {
    public enum Result { OK, WARN, FAILED, BLOCKED, SKIPPED, CANCELLED }

    /** One step: what ran, when, how long, how it ended. {@code command} is display text (passwords never appear). */
    public record Step(String name, String command, Instant startedAt, long durationMillis, Result result, String detail,
                       String outputTail) {
        public Duration duration() { return Duration.ofMillis(durationMillis); }
    }

    /**
     * One table's verification: rows counted in the source before the upgrade and in the target after it, and
     * (for tables under the size limit) an md5 of the table's rows in a fixed order; null checksums when not taken.
     */
    public record TableCheck(String database, String schema, String table, long sourceRows, long targetRows,
                             String sourceMd5, String targetMd5) {
        public boolean matches() {
            return sourceRows == targetRows && (sourceMd5 == null || targetMd5 == null || sourceMd5.equals(targetMd5));
        }
        public String qualifiedName() { return database + ":" + schema + "." + table; }
    }

    /** One Momentum checklist item as the admin ticked it (at = when; null when not ticked). */
    public record ChecklistTick(String item, boolean done, Instant at) {}

    /** A pre-flight check as shown in the wizard (PASS/INFO/WARN/BLOCK with its numbers). */
    public record CheckLine(String name, String verdict, String detail) {}

    public String runId;
    public Instant startedAt;
    public Instant finishedAt;
    /** OK when every step passed; FAILED/BLOCKED/CANCELLED name the step in {@link #message}. */
    public Result result;
    public String message;
    public String method;
    public String sourceVersion;
    public String targetVersion;
    /** The old data directory as given; null when the source was read over the network (dump/restore from another machine). */
    public String oldDataDir;
    /** The source server's connection (user@host:port/db; never a password). */
    public String sourceServer;
    /** Where the source was: "on this host (DIR)" or "read over the network from HOST:PORT (…)". */
    public String sourceLocation;
    public String newDataDir;
    public int newPort;
    public List<CheckLine> checks = new ArrayList<>();
    public List<Step> steps = new ArrayList<>();
    public List<TableCheck> tables = new ArrayList<>();
    public List<ChecklistTick> checklist = new ArrayList<>();
    /** Backups that satisfy "backup first" (paths). */
    public List<String> backups = new ArrayList<>();
    /** Scripts pg_upgrade left (update_extensions.sql, delete_old_cluster.sh…): listed, the latter never run. */
    public List<String> scripts = new ArrayList<>();
    /** What is left for the admin (configuration files, the old cluster, …). */
    public List<String> notes = new ArrayList<>();
    /** The deferred job queued for the post-upgrade steps, or null. */
    public String deferredJobId;
    /** Where pg_upgrade's own logs are, when it ran. */
    public String pgUpgradeLogDir;

    /** Where this report was written (not serialised into itself). */
    public transient Path textFile;
    public transient Path jsonFile;

    public boolean succeeded() { return result == Result.OK || result == Result.WARN; }

    public long mismatchedTables() { return tables.stream().filter(t -> !t.matches()).count(); }
}
