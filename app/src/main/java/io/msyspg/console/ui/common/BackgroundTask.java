package io.msyspg.console.ui.common;

import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobControl;
import javafx.concurrent.Task;

/**
 * A core {@link Job} seen by JavaFX: progress and messages flow into the {@link Task} properties (which
 * coalesce updates onto the FX thread), and {@link #cancel(boolean)} runs the job's cancel hooks (cancel the
 * statement, destroy the process) before interrupting the worker thread.
 */
public final class BackgroundTask<T> extends Task<T> {
    private final Job<T> job;
    private final JobControl control;

    BackgroundTask(String title, Job<T> job) {
        this.job = job;
        updateTitle(title);
        this.control = new JobControl(new JobControl.ProgressListener() {
            @Override public void progress(double done, double total) {
                if (total > 0) updateProgress(done, total);
                else updateProgress(-1, -1);
            }

            @Override public void message(String message) {
                updateMessage(message);
            }
        });
    }

    @Override protected T call() throws Exception {
        return job.run(control);
    }

    @Override public boolean cancel(boolean mayInterruptIfRunning) {
        control.cancel();
        return super.cancel(mayInterruptIfRunning);
    }
}
