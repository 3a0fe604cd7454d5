package io.msyspg.console.ui.common;

import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobControl;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A core {@link Job} seen by JavaFX: progress and messages flow into the {@link Task} properties (which
 * coalesce updates onto the FX thread), and {@link #cancel(boolean)} runs the job's cancel hooks (cancel the
 * statement, destroy the process) before interrupting the worker thread.
 *
 * <p>A cancel asked for on the FX thread marks the task cancelled at once, but its hooks and the interrupt run on a
 * "msyspg-cancel" thread: cancelling a statement opens a connection to the server, which can take the connect
 * timeout when the network is gone. A result the job produced although it was cancelled (a session opened just
 * before the cancel) is closed when it is {@link AutoCloseable}, since nobody will receive it.
 */
public final class BackgroundTask<T> extends Task<T> {
    private static final Logger log = LoggerFactory.getLogger(BackgroundTask.class);
    private static final AtomicInteger CANCELLERS = new AtomicInteger();
    private static final ExecutorService CANCELLER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "msyspg-cancel-" + CANCELLERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final String name;   // the title, readable from any thread
    private final Job<T> job;
    private final JobControl control;
    private final Object runLock = new Object();
    private Thread worker;   // guarded by runLock: the thread inside call(), null before and after
    private final AtomicReference<Object> unclaimed = new AtomicReference<>();

    BackgroundTask(String title, Job<T> job) {
        this.name = title;
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
        synchronized (runLock) {
            worker = Thread.currentThread();
        }
        try {
            T result = job.run(control);
            unclaimed.set(result);
            if (isCancelled()) discardResult();
            return result;
        } finally {
            synchronized (runLock) {
                worker = null;
            }
        }
    }

    @Override protected void done() {
        super.done();
        if (isCancelled()) discardResult();
    }

    @Override public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(false);   // the state turns CANCELLED now; the interrupt follows the hooks
        Runnable stop = () -> {
            control.cancel();
            if (cancelled && mayInterruptIfRunning) {
                synchronized (runLock) {
                    if (worker != null) worker.interrupt();
                }
            }
        };
        if (Platform.isFxApplicationThread()) CANCELLER.execute(stop);
        else stop.run();
        return cancelled;
    }

    private void discardResult() {
        if (unclaimed.getAndSet(null) instanceof AutoCloseable c) {
            CANCELLER.execute(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("could not close what the cancelled task '{}' produced: {}", name, e.toString());
                }
            });
        }
    }
}
