package io.msyspg.console.core.task;

/** Runs a job on the calling thread: the command line's way, with Ctrl-C mapped to cancellation. */
public final class JobRunner {
    private JobRunner() {}

    public static <T> T runInForeground(Job<T> job, JobControl.ProgressListener listener) throws Exception {
        JobControl control = new JobControl(listener);
        Thread hook = new Thread(control::cancel, "cancel-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return job.run(control);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has run
            }
        }
    }
}
