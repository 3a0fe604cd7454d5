package io.msyspg.console.core.common;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clean-up after a cancel. A GUI cancel interrupts the worker thread, and every wait on a process (pg_ctl stop,
 * a server start) then fails at once: the clean-up would leave a server running. {@link #setAside} runs the
 * clean-up where no interrupt reaches it, also one that arrives while it runs (a cancel's interrupt follows its
 * hooks, so it can come late), and restores the interrupt afterwards, so the caller still sees it.
 */
public final class Interrupts {
    @FunctionalInterface
    public interface CleanUp<E extends Exception> {
        void run() throws E;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private Interrupts() {}

    /**
     * Runs {@code cleanUp} on a thread of its own and waits for it without giving way to interrupts. The clean-up
     * must not need a lock the caller holds.
     */
    public static <E extends Exception> void setAside(CleanUp<E> cleanUp) throws E {
        boolean interrupted = Thread.interrupted();
        FutureTask<Void> run = new FutureTask<>(() -> {
            cleanUp.run();
            return null;
        });
        Thread t = new Thread(run, "msyspg-cleanup-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        try {
            while (true) {
                try {
                    run.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw Interrupts.<E>rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The clean-up's own exception, as it would have come from a direct call. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw (E) t;
    }
}
