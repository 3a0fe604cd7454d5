package io.msyspg.console.core.task;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one implementation of {@link JobContext}: a cancellation flag with hooks, and a listener that receives
 * progress. The GUI's task executor and the CLI runner both drive jobs through it.
 */
public final class JobControl implements JobContext {
    private static final Logger log = LoggerFactory.getLogger(JobControl.class);

    public interface ProgressListener {
        ProgressListener NONE = new ProgressListener() {
            @Override public void progress(double done, double total) {}
            @Override public void message(String message) {}
        };

        void progress(double done, double total);

        void message(String message);
    }

    private final ProgressListener listener;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    public JobControl(ProgressListener listener) {
        this.listener = listener;
    }

    @Override public void progress(double done, double total) { listener.progress(done, total); }

    @Override public void message(String message) { listener.message(message); }

    @Override public boolean isCancelled() { return cancelled.get(); }

    @Override public void onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled.get() && hooks.remove(hook)) runHook(hook);
    }

    /** Asks the job to stop; runs every registered hook once. Safe to call from any thread, more than once. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable h : hooks) {
                if (hooks.remove(h)) runHook(h);
            }
        }
    }

    private static void runHook(Runnable h) {
        try {
            h.run();
        } catch (RuntimeException e) {
            log.warn("cancel hook failed: {}", e.toString());
        }
    }
}
