package io.msyspg.console.core.common;

/**
 * Clean-up after a cancel. A GUI cancel interrupts the worker thread, and every wait on a process (pg_ctl stop,
 * a server start) then fails at once: the clean-up would leave a server running. {@link #setAside} runs the
 * clean-up with the interrupt set aside and restores it afterwards, so the caller still sees it.
 */
public final class Interrupts {
    @FunctionalInterface
    public interface CleanUp<E extends Exception> {
        void run() throws E;
    }

    private Interrupts() {}

    public static <E extends Exception> void setAside(CleanUp<E> cleanUp) throws E {
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp.run();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
