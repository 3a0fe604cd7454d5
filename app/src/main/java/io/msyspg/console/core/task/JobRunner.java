package io.msyspg.console.core.task;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a job on the calling thread: the command line's way, with Ctrl-C (or SIGTERM) mapped to cancellation. */
public final class JobRunner {
    /** How long the JVM's exit waits for a cancelled job's clean-up (a tool stopped, a partial file removed). */
    static final long CLEANUP_SECONDS = 30;

    private JobRunner() {}

    /**
     * Runs {@code job} here. When the JVM is asked to exit meanwhile (Ctrl-C, SIGTERM), the job is cancelled
     * and the exit waits for it to return — its clean-up included — for at most {@link #CLEANUP_SECONDS}, so
     * that a cancelled backup does not leave its partial file behind.
     */
    public static <T> T runInForeground(Job<T> job, JobControl.ProgressListener listener) throws Exception {
        JobControl control = new JobControl(listener);
        CountDownLatch returned = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            control.cancel();
            try {
                if (!returned.await(500, TimeUnit.MILLISECONDS)) {
                    System.err.println("msyspg-console: stopping: cleaning up (at most " + CLEANUP_SECONDS + " s)…");
                    returned.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cancel-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return job.run(control);
        } finally {
            returned.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has run
            }
        }
    }
}
