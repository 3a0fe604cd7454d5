package io.msyspg.console.core.task;

/** What a running {@link Job} can see of the world that started it. */
public interface JobContext {
    /** Work done so far out of {@code total}; a total of 0 or less means "progress unknown". */
    void progress(double done, double total);

    /** A short line describing what is being done now ("dumping table rt_log.stats_2026_11_20"). */
    void message(String message);

    boolean isCancelled();

    /**
     * Registers something to do when cancellation is asked for, from whatever thread asks: cancel a JDBC
     * statement, destroy a process. Runs at once when the job is already cancelled.
     */
    void onCancel(Runnable hook);

    default void checkCancelled() {
        if (isCancelled()) throw new JobCancelledException();
    }

    /** A context for code called outside any task (tests, one-off calls): never cancelled, reports nowhere. */
    static JobContext none() {
        return new JobControl(JobControl.ProgressListener.NONE);
    }
}
