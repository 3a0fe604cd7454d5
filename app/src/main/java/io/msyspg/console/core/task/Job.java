package io.msyspg.console.core.task;

/**
 * A unit of background work: a query, a dump, a log scan. It reports progress and honours cancellation
 * through its {@link JobContext}. The same job runs in the GUI (the ui layer's {@code TaskExecutor} shows
 * it in the task panel) and on the command line ({@link JobRunner#runInForeground}).
 */
@FunctionalInterface
public interface Job<T> {
    T run(JobContext ctx) throws Exception;
}
