package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.upgrade.DeferredJob.Status;
import io.msyspg.console.core.upgrade.DeferredJob.Step;
import io.msyspg.console.core.upgrade.DeferredJob.StepKind;
import io.msyspg.console.core.upgrade.DeferredJob.StepStatus;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a deferred job's remaining steps. This is the body of the detached process started by
 * {@link DeferredJobs#launch}: it holds the job's lock file while it runs (so two runners never work on one
 * job, and the console can tell "running" from "interrupted" without trusting a PID), writes the journal
 * after every state change and a heartbeat every few seconds, and on SIGTERM stops the current step's
 * process and records where it was.
 */
public final class DeferredJobRunner {
    private static final Pattern TAG = Pattern.compile("^(?:UPDATE|DELETE|SELECT|MERGE|COPY|INSERT \\d+) (\\d+)$");
    static final long HEARTBEAT_MILLIS = 2000;

    private final JobJournal journal;
    private final PrintStream out;
    private volatile boolean stopping;
    private volatile Process child;
    private final CountDownLatch finished = new CountDownLatch(1);

    public DeferredJobRunner(JobJournal journal, PrintStream out) {
        this.journal = journal;
        this.out = out;
    }

    /** Exit status: 0 all steps done (or another runner has the job), 1 a step failed, 143 stopped. */
    public int run() throws IOException {
        try (FileChannel ch = FileChannel.open(journal.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                out.println("job " + journal.id() + " is already being run by another process");
                return 0;
            }
            DeferredJob job = journal.read();
            Thread hook = new Thread(this::onTerminate, "deferred-job-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            Thread beat = new Thread(() -> heartbeat(job), "deferred-job-heartbeat");
            beat.setDaemon(true);
            try {
                synchronized (job) {
                    job.status = Status.RUNNING;
                    job.runnerPid = ProcessHandle.current().pid();
                    job.runnerStartedAt = Instant.now();
                    job.heartbeat = Instant.now();
                    job.message = null;
                    journal.write(job);
                }
                beat.start();
                out.println(Instant.now() + " job " + job.id + " (" + job.title + "): runner " + job.runnerPid + " started");
                return runSteps(job);
            } finally {
                beat.interrupt();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException exiting) {
                    // the hook is running: it waits for the latch counted down above
                }
            }
        }
    }

    private int runSteps(DeferredJob job) {
        for (int i = 0; i < job.steps.size(); i++) {
            Step step = job.steps.get(i);
            if (step.status == StepStatus.SUCCEEDED) continue;
            // the journal takes a program's checkpoint once a second: after a crash of the runner the program's own
            // checkpoint file may be ahead of it, and it is the truth (written after that work was done): resume from there
            if (step.kind != StepKind.SQL_BATCHES) readCheckpoint(job, step, checkpointFile(i));
            synchronized (job) {
                step.status = StepStatus.RUNNING;
                step.attempts++;
                if (step.startedAt == null) step.startedAt = Instant.now();
                step.message = step.checkpoint > 0 ? "resumed from checkpoint " + step.checkpoint : null;
                journal.write(job);
            }
            out.println(Instant.now() + " step " + (i + 1) + "/" + job.steps.size() + " " + step.name
                    + (step.checkpoint > 0 ? " (resuming at checkpoint " + step.checkpoint + ")" : ""));
            StepStatus result;
            try {
                result = step.kind == StepKind.SQL_BATCHES ? runBatches(job, step) : runCommand(job, step, i);
            } catch (IOException | RuntimeException e) {
                result = StepStatus.FAILED;
                step.message = e.getMessage();
            } catch (InterruptedException e) {
                result = StepStatus.STOPPED;
            }
            if (stopping && result != StepStatus.SUCCEEDED) result = StepStatus.STOPPED;
            synchronized (job) {
                step.status = result;
                if (result == StepStatus.SUCCEEDED) step.finishedAt = Instant.now();
                if (result == StepStatus.STOPPED) step.message = "stopped at checkpoint " + step.checkpoint;
                if (result != StepStatus.SUCCEEDED) {
                    job.status = result == StepStatus.STOPPED ? Status.STOPPED : Status.FAILED;
                    job.message = "step " + (i + 1) + " (" + step.name + ") " + result.name().toLowerCase()
                            + (step.message != null ? ": " + step.message : "");
                    job.finishedAt = Instant.now();
                }
                journal.write(job);
            }
            out.println(Instant.now() + " step " + (i + 1) + " " + result);
            if (result != StepStatus.SUCCEEDED) return result == StepStatus.STOPPED ? 143 : 1;
        }
        synchronized (job) {
            job.status = Status.SUCCEEDED;
            job.finishedAt = Instant.now();
            job.message = "all " + job.steps.size() + " steps done";
            journal.write(job);
        }
        out.println(Instant.now() + " job done");
        return 0;
    }

    private StepStatus runCommand(DeferredJob job, Step step, int index) throws IOException, InterruptedException {
        Path checkpointFile = checkpointFile(index);
        ProcessBuilder pb = new ProcessBuilder(step.command);
        pb.environment().putAll(step.env);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("PG_COLOR", "never");
        pb.environment().put("MSYSPG_CHECKPOINT", Long.toString(step.checkpoint));
        pb.environment().put("MSYSPG_CHECKPOINT_FILE", checkpointFile.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(step.logFile)));
        pb.redirectErrorStream(true);
        if (stopping) return StepStatus.STOPPED;
        child = pb.start();
        while (!child.waitFor(1, TimeUnit.SECONDS)) {
            readCheckpoint(job, step, checkpointFile);
        }
        readCheckpoint(job, step, checkpointFile);
        step.exitCode = child.exitValue();
        if (step.exitCode != 0 && !stopping) step.message = "exited with status " + step.exitCode + " (see " + step.logFile + ")";
        return step.exitCode == 0 ? StepStatus.SUCCEEDED : StepStatus.FAILED;
    }

    private Path checkpointFile(int index) {
        return journal.dir().resolve(String.format("step-%02d.checkpoint", index + 1));
    }

    private void readCheckpoint(DeferredJob job, Step step, Path file) {
        try {
            if (!Files.isRegularFile(file)) return;
            String s = Files.readString(file).trim();
            if (s.isEmpty()) return;
            long v = Long.parseLong(s.split("\\s+")[0]);
            if (v != step.checkpoint) {
                synchronized (job) {
                    step.checkpoint = v;
                    journal.write(job);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // a half-written checkpoint file: read again next second
        }
    }

    private StepStatus runBatches(DeferredJob job, Step step) throws IOException, InterruptedException {
        while (!stopping) {
            List<String> cmd = new ArrayList<>(step.psql);
            cmd.addAll(List.of("-X", "-v", "ON_ERROR_STOP=1", "-c", step.sql));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(step.env);
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("PG_COLOR", "never");
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(step.logFile)));
            child = pb.start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) last = line.trim();
            }
            int code = child.waitFor();
            if (stopping) return StepStatus.STOPPED;
            if (code != 0) {
                step.exitCode = code;
                step.message = "batch " + (step.checkpoint + 1) + " failed with status " + code + " (see " + step.logFile + ")";
                return StepStatus.FAILED;
            }
            Matcher m = last == null ? null : TAG.matcher(last);
            if (m == null || !m.matches()) {
                step.message = "the statement must report affected rows (UPDATE/DELETE/INSERT…), got: " + last;
                return StepStatus.FAILED;
            }
            long rows = Long.parseLong(m.group(1));
            Files.writeString(Path.of(step.logFile), Instant.now() + " batch " + (step.checkpoint + 1) + ": " + last + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (rows == 0) {
                step.exitCode = 0;
                return StepStatus.SUCCEEDED;
            }
            synchronized (job) {
                step.checkpoint++;
                step.rowsDone += rows;
                journal.write(job);
            }
        }
        return StepStatus.STOPPED;
    }

    private void heartbeat(DeferredJob job) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(HEARTBEAT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (job) {
                if (job.status != Status.RUNNING) return;
                job.heartbeat = Instant.now();
                journal.write(job);
            }
        }
    }

    /** SIGTERM (the console's Stop): end the current step's process tree, then let the main loop record it. */
    private void onTerminate() {
        stopping = true;
        Process p = child;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            finished.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }
}
