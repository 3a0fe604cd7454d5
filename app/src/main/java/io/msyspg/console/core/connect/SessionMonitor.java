package io.msyspg.console.core.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Watches an open session: a cheap {@code SELECT 1} on the monitoring connection every few seconds. A failed
 * check reports {@link State#RECONNECTING} and retries with exponential backoff (1 s, 2 s, 4 s … 30 s); the
 * monitoring connection is re-established and the pool replaces dead connections on its own, so the first
 * good check reports {@link State#CONNECTED} again. The listener is called from the monitor's thread.
 */
public final class SessionMonitor implements AutoCloseable {
    public enum State { CONNECTED, RECONNECTING, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(SessionMonitor.class);
    static final long MAX_BACKOFF_MS = 30_000;

    private final DbSession session;
    private final long intervalMs;
    private final BiConsumer<State, String> listener;
    private final ScheduledExecutorService timer;
    private volatile State state = State.CONNECTED;
    private volatile long backoffMs = 1000;
    private volatile int failures;

    public SessionMonitor(DbSession session, long intervalMs, BiConsumer<State, String> listener) {
        this.session = session;
        this.intervalMs = intervalMs;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msyspg-session-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    public SessionMonitor start() {
        timer.schedule(this::check, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    public State state() { return state; }

    public int failures() { return failures; }

    private void check() {
        if (state == State.CLOSED) return;
        long next;
        try {
            Connection c = session.monitoring();
            synchronized (c) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
            }
            if (state != State.CONNECTED) {
                log.info("connection to {} re-established after {} failed check(s)", session.target().display(), failures);
                state = State.CONNECTED;
                listener.accept(State.CONNECTED, "Connected to " + session.target().display());
            }
            failures = 0;
            backoffMs = 1000;
            next = intervalMs;
        } catch (Exception e) {
            if (state == State.CLOSED) return;
            failures++;
            String msg = ConnectionErrors.classify(e, session.target(), PooledDbSession.DEFAULT_CONNECT_TIMEOUT_SECONDS).getMessage();
            log.warn("connection check {} failed: {}", failures, msg);
            state = State.RECONNECTING;
            next = backoffMs;
            listener.accept(State.RECONNECTING, "Connection lost (" + msg + "); retrying in " + Math.max(1, next / 1000) + " s");
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
        if (state != State.CLOSED) {
            try {
                timer.schedule(this::check, next, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closed meanwhile
            }
        }
    }

    @Override public void close() {
        state = State.CLOSED;
        timer.shutdownNow();
    }
}
