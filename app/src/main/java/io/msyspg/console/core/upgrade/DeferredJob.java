package io.msyspg.console.core.upgrade;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long job that must outlive the console (Momentum's deferred migration "may take 8 or more hours"): an
 * ordered list of steps, persisted as {@code journal.json} in its own folder, run by a detached process.
 * Plain data, serialised with Jackson; {@link JobJournal} reads and writes it atomically.
 */
public class DeferredJob {
    public enum Status { PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED }

    public enum StepStatus { PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED }

    public enum StepKind {
        /** A program run to completion. Re-run from its start after an interruption, with the last checkpoint in
         *  {@code MSYSPG_CHECKPOINT}; it may record progress by writing a number to {@code MSYSPG_CHECKPOINT_FILE}. */
        COMMAND,
        /** One SQL statement run through psql again and again, each run its own transaction, until it affects no
         *  row: a batch migration. The checkpoint is the number of batches done; finished batches are never redone. */
        SQL_BATCHES
    }

    public static class Step {
        public String name;
        public StepKind kind = StepKind.COMMAND;
        public List<String> command = new ArrayList<>();
        public Map<String, String> env = new LinkedHashMap<>();
        /** For SQL_BATCHES: the psql connection arguments (no password: pgpass or local trust) and the statement. */
        public List<String> psql = new ArrayList<>();
        public String sql;
        /** For SQL_BATCHES: the rows expected in all (optional), for a percentage. */
        public Long expectedRows;

        public StepStatus status = StepStatus.PENDING;
        public Instant startedAt;
        public Instant finishedAt;
        public Integer exitCode;
        public long checkpoint;
        public long rowsDone;
        public int attempts;
        public String message;
        public String logFile;

        public Step() {}

        public Step(String name, StepKind kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    public String id;
    public String title;
    public Instant createdAt;
    public Status status = Status.PENDING;
    public Long runnerPid;
    public Instant runnerStartedAt;
    public Instant heartbeat;
    public Instant finishedAt;
    public String message;
    public List<Step> steps = new ArrayList<>();

    /** The step being run or next to run, or null when all are done. */
    public Step currentStep() {
        for (Step s : steps) if (s.status != StepStatus.SUCCEEDED) return s;
        return null;
    }

    public long stepsDone() {
        return steps.stream().filter(s -> s.status == StepStatus.SUCCEEDED).count();
    }
}
