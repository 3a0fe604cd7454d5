package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.upgrade.DeferredJob.Status;
import io.msyspg.console.core.upgrade.DeferredJob.Step;
import io.msyspg.console.core.upgrade.DeferredJob.StepStatus;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts, finds, reattaches to and stops deferred jobs. A job runs in a DETACHED process: its own session
 * ({@code setsid}), standard input from /dev/null, output appended to files in the job folder — never a
 * pipe the console owns, so closing or killing the console (or losing the X/SSH session) does not stop it.
 */
public final class DeferredJobs {
    /** A job as the console sees it: the journal plus whether a runner is alive. */
    public record View(JobJournal journal, DeferredJob job, Liveness liveness) {
        public String id() { return journal.id(); }

        /** Overall fraction done in [0,1]: finished steps plus the running step's share when it knows one. */
        public double progress() {
            if (job.steps.isEmpty()) return 1;
            double done = job.stepsDone();
            Step cur = job.currentStep();
            if (cur != null && cur.expectedRows != null && cur.expectedRows > 0) {
                done += Math.min(1.0, (double) cur.rowsDone / cur.expectedRows);
            }
            return done / job.steps.size();
        }

        public String summary() {
            Step cur = job.currentStep();
            return switch (liveness) {
                case RUNNING -> "running step " + (job.stepsDone() + 1) + "/" + job.steps.size() + (cur != null ? " (" + cur.name
                        + (cur.checkpoint > 0 ? ", checkpoint " + cur.checkpoint : "") + ")" : "");
                case INTERRUPTED -> "interrupted during step " + (job.stepsDone() + 1) + "/" + job.steps.size()
                        + " (the runner is gone; 'upgrade run --job " + journal.id() + "' resumes it)";
                case FINISHED -> job.status.name().toLowerCase() + (job.message != null ? ": " + job.message : "");
                case NOT_STARTED -> "not started";
            };
        }
    }

    public enum Liveness { NOT_STARTED, RUNNING, INTERRUPTED, FINISHED }

    private final Path jobsDir;

    public DeferredJobs(Path jobsDir) {
        this.jobsDir = jobsDir;
    }

    public Path jobsDir() { return jobsDir; }

    public JobJournal create(DeferredJob job) {
        return JobJournal.create(jobsDir, job);
    }

    public List<View> list() {
        List<View> views = new ArrayList<>();
        for (JobJournal j : JobJournal.list(jobsDir)) views.add(view(j));
        return views;
    }

    public Optional<View> find(String id) {
        return JobJournal.find(jobsDir, id).map(this::view);
    }

    public View view(JobJournal j) {
        DeferredJob job = j.read();
        return new View(j, job, liveness(j, job));
    }

    static Liveness liveness(JobJournal j, DeferredJob job) {
        if (runnerHoldsLock(j)) return Liveness.RUNNING;
        return switch (job.status) {
            case PENDING -> Liveness.NOT_STARTED;
            case RUNNING -> Liveness.INTERRUPTED;
            default -> Liveness.FINISHED;
        };
    }

    /** True when a runner process holds the job's lock (robust against PID reuse, unlike a PID check). */
    static boolean runnerHoldsLock(JobJournal j) {
        if (!Files.exists(j.lockFile())) return false;
        try (FileChannel ch = FileChannel.open(j.lockFile(), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;   // held inside this JVM (a runner run in-process)
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the job's runner as a detached process and returns its PID. Steps that were stopped, failed or
     * interrupted are set back to pending first, keeping their checkpoints; finished steps are never redone.
     */
    public long launch(JobJournal j) {
        DeferredJob job = j.read();
        if (runnerHoldsLock(j)) throw new ConsoleException("Job " + j.id() + " is already running (runner " + job.runnerPid + ").");
        if (job.status == Status.SUCCEEDED) throw new ConsoleException("Job " + j.id() + " has already finished.");
        for (Step s : job.steps) if (s.status != StepStatus.SUCCEEDED) s.status = StepStatus.PENDING;
        job.status = Status.PENDING;
        job.message = null;
        job.finishedAt = null;
        j.write(job);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of("setsid", java, "-Xmx128m"));
        String logDir = System.getProperty("msyspg.log.dir");
        if (logDir != null) cmd.add("-Dmsyspg.log.dir=" + logDir);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.msyspg.console.Main",
                "upgrade", "runner", "--job-dir", j.dir().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(j.runnerLog().toFile()));
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            return p.pid();
        } catch (IOException e) {
            throw new ConsoleException("Cannot start the deferred job runner (setsid " + java + "): " + e.getMessage(), e);
        }
    }

    /** Waits until a runner holds the lock (it started) or the timeout passes. */
    public boolean awaitRunning(JobJournal j, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            if (runnerHoldsLock(j)) return true;
            if (j.read().status != Status.PENDING && j.read().status != Status.RUNNING) return false;
            Thread.sleep(50);
        }
        return runnerHoldsLock(j);
    }

    /** Asks the runner to stop (SIGTERM; it records the step's checkpoint), killing it after {@code graceSeconds}. */
    public void stop(JobJournal j, long graceSeconds) throws InterruptedException {
        DeferredJob job = j.read();
        if (!runnerHoldsLock(j) || job.runnerPid == null) throw new ConsoleException("Job " + j.id() + " is not running.");
        Optional<ProcessHandle> h = ProcessHandle.of(job.runnerPid);
        if (h.isEmpty()) throw new ConsoleException("The runner of job " + j.id() + " (PID " + job.runnerPid + ") is gone.");
        h.get().destroy();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (System.nanoTime() < end && runnerHoldsLock(j)) Thread.sleep(100);
        if (runnerHoldsLock(j)) {
            h.get().descendants().forEach(ProcessHandle::destroyForcibly);
            h.get().destroyForcibly();
        }
    }

    /** The last {@code maxBytes} of a log (the running step's, by default), for attach views. */
    public static String tail(Path log, int maxBytes) {
        if (log == null || !Files.isRegularFile(log)) return "";
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - maxBytes);
            f.seek(from);
            byte[] b = new byte[(int) (len - from)];
            f.readFully(b);
            String s = new String(b, StandardCharsets.UTF_8);
            return from > 0 && s.indexOf('\n') >= 0 ? s.substring(s.indexOf('\n') + 1) : s;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
