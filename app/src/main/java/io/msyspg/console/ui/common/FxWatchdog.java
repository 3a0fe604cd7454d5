package io.msyspg.console.ui.common;

import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures how long the JavaFX thread is unavailable: a daemon thread posts a no-op to it every 25 ms and
 * times how long it takes to run. When the wait passes the limit it records where the FX thread was
 * (its stack), so a test failure points at the blocking call. Enabled with {@code -Dmsyspg.fx.watchdog=true}
 * (always in tests); GUI tests assert {@link #maxBlockedMillis()} stays under {@link #LIMIT_MILLIS}.
 */
public final class FxWatchdog {
    public static final long LIMIT_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(FxWatchdog.class);
    private static volatile FxWatchdog instance;

    private volatile long maxBlockedNanos;
    private final List<String> violations = new ArrayList<>();
    private volatile boolean running = true;

    private FxWatchdog() {}

    public static boolean enabled() {
        return Boolean.getBoolean("msyspg.fx.watchdog");
    }

    /** Starts the watchdog once (after the toolkit is up). */
    public static synchronized FxWatchdog start() {
        if (instance == null) {
            instance = new FxWatchdog();
            Thread t = new Thread(instance::loop, "fx-watchdog");
            t.setDaemon(true);
            t.start();
        }
        return instance;
    }

    public static FxWatchdog get() {
        return start();
    }

    private void loop() {
        while (running) {
            CountDownLatch ran = new CountDownLatch(1);
            long t0 = System.nanoTime();
            Platform.runLater(ran::countDown);
            try {
                if (!ran.await(LIMIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    String where = fxStack();
                    ran.await();
                    long blocked = System.nanoTime() - t0;
                    record(blocked, where);
                } else {
                    record(System.nanoTime() - t0, null);
                }
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(long nanos, String where) {
        synchronized (this) {
            if (nanos > maxBlockedNanos) maxBlockedNanos = nanos;
            if (where != null) {
                String v = "JavaFX thread blocked " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms at:\n" + where;
                violations.add(v);
                log.warn(v);
            }
        }
    }

    private static String fxStack() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("JavaFX Application Thread"))
                .findFirst()
                .map(e -> Arrays.stream(e.getValue()).limit(25).map(s -> "    at " + s).collect(Collectors.joining("\n")))
                .orElse("    (no JavaFX Application Thread)");
    }

    public long maxBlockedMillis() { return TimeUnit.NANOSECONDS.toMillis(maxBlockedNanos); }

    public synchronized List<String> violations() { return List.copyOf(violations); }

    /** Clears the record (a test calls this after start-up, which may legitimately take longer). */
    public synchronized void reset() {
        maxBlockedNanos = 0;
        violations.clear();
    }
}
