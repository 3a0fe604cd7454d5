package io.msyspg.console.ui.common;

import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures how long the JavaFX thread is unavailable: a daemon thread posts a no-op to it every 25 ms and
 * times how long it takes to run. A stall of {@link #LIMIT_MILLIS} or more is a violation when the FX thread
 * was <em>blocked</em> (its sampled stack waits in socket, file, process, JDBC, sleep or lock code) or
 * <em>busy</em> (it used that much CPU itself). A stall during which the thread was runnable in toolkit code
 * but got little CPU is the machine being overloaded, not the console blocking: it is recorded as
 * {@link #starvations()} and logged, not counted. Violations keep the FX thread's stack, so a test failure
 * points at the blocking call. Enabled with {@code -Dmsyspg.fx.watchdog=true} (always in tests).
 */
public final class FxWatchdog {
    public static final long LIMIT_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(FxWatchdog.class);
    /** Where a thread waits for the outside world: sockets, DNS, file system calls, child processes, sleeps, locks. */
    private static final String[] BLOCKING_FRAMES = {
            "sun.nio.ch.", "sun.nio.fs.UnixNativeDispatcher", "sun.net.", "java.net.Socket", "java.net.InetAddress",
            "java.net.PlainSocketImpl", "java.io.FileInputStream.read", "java.io.FileOutputStream.write",
            "java.io.RandomAccessFile.read", "java.io.RandomAccessFile.write", "java.io.UnixFileSystem",
            "java.lang.ProcessImpl", "java.lang.ProcessHandleImpl.waitFor", "org.postgresql.core.PGStream",
            "java.lang.Thread.sleep", "java.lang.Object.wait", "jdk.internal.misc.Unsafe.park"};
    private static volatile FxWatchdog instance;

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private volatile long maxBlockedNanos;
    private final List<String> violations = new ArrayList<>();
    private final List<String> starvations = new ArrayList<>();
    private volatile Thread fxThread;

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
        while (true) {
            try {
                probe();
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void probe() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        long t0 = System.nanoTime();
        Platform.runLater(() -> {
            if (fxThread == null) fxThread = Thread.currentThread();
            ran.countDown();
        });
        Thread fx = fxThread;
        long cpu0 = cpu(fx);
        boolean blockedFrame = false;
        String where = null;
        while (!ran.await(20, TimeUnit.MILLISECONDS)) {
            if (fx == null || System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(60)) continue;
            StackTraceElement[] st = fx.getStackTrace();
            if (where == null || (!blockedFrame && isBlocking(st))) where = format(st);
            blockedFrame |= isBlocking(st);
        }
        long stall = System.nanoTime() - t0;
        if (stall < TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS)) return;
        long cpuUsed = fx == null ? -1 : cpu(fx) - cpu0;
        boolean busy = cpuUsed >= TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS);
        String text = "JavaFX thread unavailable " + TimeUnit.NANOSECONDS.toMillis(stall) + " ms (its own CPU "
                + (cpuUsed < 0 ? "?" : TimeUnit.NANOSECONDS.toMillis(cpuUsed)) + " ms) at:\n" + where;
        synchronized (this) {
            if (blockedFrame || busy || fx == null) {
                if (stall > maxBlockedNanos) maxBlockedNanos = stall;
                violations.add((blockedFrame ? "BLOCKED: " : "BUSY: ") + text);
                log.warn("{}{}", blockedFrame ? "BLOCKED: " : "BUSY: ", text);
            } else {
                starvations.add(text);
                log.info("starved (machine busy, not a blocking call): {}", text);
            }
        }
    }

    private long cpu(Thread t) {
        if (t == null || !mx.isThreadCpuTimeSupported()) return 0;
        long v = mx.getThreadCpuTime(t.getId());
        return Math.max(v, 0);
    }

    /**
     * True when the stack waits for the outside world on behalf of the console: a blocking frame near the top
     * whose first caller outside the JDK is not the JavaFX toolkit itself (the toolkit waiting for its own
     * render thread, or loading its classes, is the machine being slow, not a blocking call we made).
     */
    public static boolean isBlocking(StackTraceElement[] st) {
        for (int i = 0; i < Math.min(st.length, 30); i++) {
            String c = st[i].getClassName();
            if (c.startsWith("jdk.internal.loader.") || c.equals("java.lang.ClassLoader")) return false;
        }
        int hit = -1;
        for (int i = 0; i < Math.min(st.length, 8) && hit < 0; i++) {
            String f = st[i].getClassName() + "." + st[i].getMethodName();
            for (String b : BLOCKING_FRAMES) {
                if (f.startsWith(b)) {
                    hit = i;
                    break;
                }
            }
        }
        if (hit < 0) return false;
        for (int i = hit; i < st.length; i++) {
            String c = st[i].getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) continue;
            return !(c.startsWith("com.sun.javafx.") || c.startsWith("com.sun.glass.") || c.startsWith("com.sun.prism.")
                    || c.startsWith("com.sun.scenario.") || c.startsWith("javafx."));
        }
        return true;
    }

    private static String format(StackTraceElement[] st) {
        return Arrays.stream(st).limit(25).map(s -> "    at " + s).collect(Collectors.joining("\n"));
    }

    /** The longest stall in which the FX thread was blocked or busy (not merely starved of CPU). */
    public long maxBlockedMillis() { return TimeUnit.NANOSECONDS.toMillis(maxBlockedNanos); }

    public synchronized List<String> violations() { return List.copyOf(violations); }

    public synchronized List<String> starvations() { return List.copyOf(starvations); }

    /** Clears the record (a test calls this after start-up, which may legitimately take longer). */
    public synchronized void reset() {
        maxBlockedNanos = 0;
        violations.clear();
        starvations.clear();
    }
}
