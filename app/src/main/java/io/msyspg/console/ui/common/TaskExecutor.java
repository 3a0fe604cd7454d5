package io.msyspg.console.ui.common;

import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobCancelledException;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one way the GUI runs work off the JavaFX thread. Every JDBC call, file read and process goes through
 * it:
 *
 * <pre>{@code
 *   tasks.task("Loading tables", ctx -> catalog.tables(schema, ctx))
 *        .onSuccess(viewModel::showTables)        // on the FX thread
 *        .inTaskPanel()                           // listed with progress and Cancel
 *        .start();
 * }</pre>
 *
 * Failures go to the {@link DialogService} unless the caller handles them; cancellation is never reported
 * as an error. Threads are named daemons, so a stuck job never keeps the process alive.
 */
public final class TaskExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

    private final ExecutorService pool;
    private final DialogService dialogs;
    private final ObservableList<BackgroundTask<?>> running = FXCollections.observableArrayList();
    private final ObservableList<BackgroundTask<?>> panelTasks = FXCollections.observableArrayList();

    public TaskExecutor(DialogService dialogs) {
        this.dialogs = dialogs;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "msyspg-bg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(f);
    }

    /** Tasks currently running (FX thread only). */
    public ObservableList<BackgroundTask<?>> running() { return running; }

    /** Tasks that asked to be listed in the task panel (FX thread only). */
    public ObservableList<BackgroundTask<?>> panelTasks() { return panelTasks; }

    public <T> Builder<T> task(String title, Job<T> job) {
        return new Builder<>(title, job);
    }

    public final class Builder<T> {
        private final String title;
        private final Job<T> job;
        private Consumer<T> onSuccess = v -> {};
        private Consumer<Throwable> onFailure;
        private Runnable onCancelled = () -> {};
        private Runnable onFinished = () -> {};
        private boolean inPanel;

        private Builder(String title, Job<T> job) {
            this.title = title;
            this.job = job;
        }

        /** Runs on the FX thread with the result. */
        public Builder<T> onSuccess(Consumer<T> c) { this.onSuccess = c; return this; }

        /** Runs on the FX thread; replaces the default error dialog. */
        public Builder<T> onFailure(Consumer<Throwable> c) { this.onFailure = c; return this; }

        public Builder<T> onCancelled(Runnable r) { this.onCancelled = r; return this; }

        /** Runs on the FX thread after success, failure or cancellation. */
        public Builder<T> onFinished(Runnable r) { this.onFinished = r; return this; }

        /** Lists the task in the task panel with its progress and a Cancel button. */
        public Builder<T> inTaskPanel() { this.inPanel = true; return this; }

        public BackgroundTask<T> start() {
            BackgroundTask<T> task = new BackgroundTask<>(title, job);
            if (pool.isShutdown()) {
                log.debug("'{}' not started: the console is closing", title);
                task.cancel();
                return task;
            }
            task.stateProperty().addListener((obs, old, state) -> {
                switch (state) {
                    case SUCCEEDED -> finish(task, () -> onSuccess.accept(task.getValue()));
                    case CANCELLED -> finish(task, onCancelled);
                    case FAILED -> finish(task, () -> failed(task.getException()));
                    default -> { }
                }
            });
            Runnable register = () -> {
                running.add(task);
                if (inPanel) panelTasks.add(task);
            };
            if (Platform.isFxApplicationThread()) register.run();
            else Platform.runLater(register);
            pool.execute(task);
            return task;
        }

        private void failed(Throwable ex) {
            if (ex instanceof JobCancelledException || ex instanceof InterruptedException) {
                onCancelled.run();
                return;
            }
            log.warn("task '{}' failed", title, ex);
            if (onFailure != null) onFailure.accept(ex);
            else dialogs.showError(title, ex);
        }

        private void finish(BackgroundTask<?> task, Runnable r) {
            running.remove(task);
            panelTasks.remove(task);
            try {
                r.run();
            } finally {
                onFinished.run();
            }
        }
    }

    /** True when {@code task} ended by cancellation (used by views to tell "stopped" from "failed"). */
    public static boolean wasCancelled(Worker<?> task) {
        return task.getState() == Worker.State.CANCELLED || task.getException() instanceof JobCancelledException;
    }

    @Override public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
