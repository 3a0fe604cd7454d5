package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgToolLocator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
 *       then pg_upgrade --copy/--link/--clone, or dump/restore (globals first, then each database);</li>
 *   <li>verification table by table: row counts (and an md5 of the rows for small tables) source vs target;</li>
 *   <li>deferred steps queued as ONE {@link DeferredJob}: vacuumdb --all --analyze-in-stages, pg_upgrade's
 *       update_extensions.sql, the migration script;</li>
 *   <li>the report (text + JSON), written after every step.</li>
 * </ol>
 * Runs as a {@link Job} (progress, cancellation: the running tool is stopped). No JavaFX here.
 */
public final class UpgradeExecutor {
    /** What a caller sees while a run goes on (the GUI's log pane, the CLI's output). Called on the job's thread. */
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
    public record Preview(UpgradePlanner.Plan plan, List<UpgradeReport.CheckLine> checks, List<String> dryRun,
                          String pgUpgradeCheckOutput, Path pgUpgradeLogDir) {
        public boolean blocked() { return checks.stream().anyMatch(c -> "BLOCK".equals(c.verdict())); }
    }

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
        throw new UnsupportedOperationException("not yet");
    }

    /** The whole run as a job for {@code ctx.tasks().task(...)} (GUI) or {@code JobRunner.runInForeground} (CLI). */
    public Job<UpgradeResult> job(UpgradeRequest request, char[] password, Listener listener) {
        char[] pw = password == null ? null : password.clone();
        return ctx -> run(request, pw, ctx, listener);
    }

    /**
     * Runs every step. A blocked pre-flight, a failed step or a cancellation ends the run with a report saying
     * which step and why (the result's report is FAILED/BLOCKED/CANCELLED); this method throws only when the
     * report itself cannot be written.
     */
    public UpgradeResult run(UpgradeRequest request, char[] password, JobContext ctx, Listener listener) throws Exception {
        throw new UnsupportedOperationException("not yet");
    }
}
