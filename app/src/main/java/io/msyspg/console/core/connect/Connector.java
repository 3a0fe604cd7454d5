package io.msyspg.console.core.connect;

import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens a {@link PooledDbSession} the way every entry point should: bounded by a time limit (the driver's
 * connect and login timeouts, plus a hard deadline here), cancellable from the job (the caller returns at
 * once; a session that arrives later is closed), failures classified by {@link ConnectionErrors}.
 */
public final class Connector {
    private static final Executor CONNECT_THREADS = r -> {
        Thread t = new Thread(r, "msyspg-connect");
        t.setDaemon(true);
        t.start();
    };

    private Connector() {}

    public static PooledDbSession open(ConnectionTarget target, char[] password, int timeoutSeconds, JobContext ctx) {
        int timeout = timeoutSeconds <= 0 ? PooledDbSession.DEFAULT_CONNECT_TIMEOUT_SECONDS : timeoutSeconds;
        ctx.checkCancelled();
        ctx.message("Connecting to " + target.display());
        AtomicBoolean abandoned = new AtomicBoolean();
        char[] pw = password == null ? null : password.clone();
        CompletableFuture<PooledDbSession> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                return PooledDbSession.open(target, pw, timeout);
            } catch (SQLException e) {
                throw new CompletionException(e);
            } finally {
                if (pw != null) java.util.Arrays.fill(pw, '\0');
            }
        }, CONNECT_THREADS);
        attempt.thenAccept(s -> { if (abandoned.get()) s.close(); });
        Runnable abandon = () -> {
            abandoned.set(true);
            PooledDbSession done = attempt.getNow(null);
            if (done != null) done.close();
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout + 2L);
        while (true) {
            if (ctx.isCancelled()) {
                abandon.run();
                throw new JobCancelledException();
            }
            try {
                return attempt.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    abandon.run();
                    throw ConnectionErrors.classify(new SQLException("Connection attempt timed out.", "08001", e), target, timeout);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
                throw ConnectionErrors.classify(cause, target, timeout);
            } catch (InterruptedException e) {
                abandon.run();
                Thread.currentThread().interrupt();
                throw new JobCancelledException();
            }
        }
    }
}
