package io.msyspg.console.core.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.JsonFiles;
import io.msyspg.console.core.server.StorageReport;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.core.task.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The storage trend of one server, kept across view switches AND console restarts: database and cluster sizes
 * ({@code pg_database_size}, read by the sampler at most every few minutes) and, when the data directory is on
 * this host, its size on disk (a file walk through {@link StorageService#measure}, at most every
 * {@link #dirInterval}, on a low-priority background thread that pauses every 2,000 files so it never takes a
 * whole core). Points live in a small JSON file per server under the state directory
 * ({@code stats/storage-<server>.json}); at most {@link #MAX_POINTS} are kept: when full, the older half is
 * thinned by merging neighbours, so the series spans ever longer periods (two years of retention) in bounded
 * space. A malformed file is set aside (renamed {@code *.malformed-<time>}) and reported, never fatal.
 * Thread-safe.
 */
public final class StorageTrend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageTrend.class);
    public static final int MAX_POINTS = 2048;
    public static final Duration DEFAULT_DIR_INTERVAL = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One reading; NaN where that figure was not read at this time. */
    public record Point(long timeMillis, double databaseBytes, double clusterBytes, double dataDirBytes) {}

    /** Copies of the series, oldest first. */
    public record Series(long[] times, double[] database, double[] cluster, double[] dataDir) {
        public int size() { return times.length; }
    }

    private final Path file;
    private final String server;
    private final StorageService storage;
    private final List<Point> points = new ArrayList<>();
    private final ExecutorService walker;
    private final AtomicBoolean walking = new AtomicBoolean();
    private volatile String problem = "";
    private volatile String dirProblem = "";
    private volatile Optional<Path> dataDir = Optional.empty();
    private volatile Duration dirInterval = DEFAULT_DIR_INTERVAL;
    private volatile long lastWalkStart = Long.MIN_VALUE;
    private volatile double freeBytes = Double.NaN;
    private volatile boolean closed;

    private StorageTrend(Path file, String server, StorageService storage) {
        this.file = file;
        this.server = server;
        this.storage = storage;
        this.walker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "msyspg-storage-walk-" + server);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** The file of a server's trend under {@code stateDir}. */
    public static Path fileFor(Path stateDir, String server) {
        String safe = server.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 80) safe = safe.substring(0, 80);
        return stateDir.resolve("stats").resolve("storage-" + safe + "-" + Integer.toHexString(server.hashCode()) + ".json");
    }

    /** Loads (or starts) the trend of {@code server}; a malformed file is set aside and reported by {@link #problem()}. */
    public static StorageTrend load(Path stateDir, String server, StorageService storage) {
        StorageTrend t = new StorageTrend(fileFor(stateDir, server), server, storage);
        t.read();
        return t;
    }

    private void read() {
        if (!Files.isRegularFile(file)) return;
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject() || !root.path("points").isArray())
                throw new IOException("no \"points\" array");
            int i = 0;
            for (JsonNode p : root.get("points")) {
                i++;
                if (!p.isArray() || p.size() != 4 || !p.get(0).canConvertToLong())
                    throw new IOException("point " + i + " is not [time, database, cluster, dataDirectory]");
                points.add(new Point(p.get(0).asLong(), num(p.get(1)), num(p.get(2)), num(p.get(3))));
            }
            points.sort(java.util.Comparator.comparingLong(Point::timeMillis));
        } catch (IOException | RuntimeException e) {
            points.clear();
            Path aside = file.resolveSibling(file.getFileName() + ".malformed-" + System.currentTimeMillis());
            String moved;
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                moved = "it was set aside as " + aside.getFileName() + " and a new history started";
            } catch (IOException m) {
                moved = "it could not be set aside (" + m.getMessage() + "); a new history replaces it";
            }
            problem = "The storage history " + file + " is unreadable (" + firstLine(e.getMessage()) + "): " + moved + ".";
            log.warn(problem);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "malformed";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static double num(JsonNode n) {
        if (n == null || n.isNull()) return Double.NaN;
        if (!n.isNumber()) throw new IllegalArgumentException("a size is not a number: " + n);
        return n.asDouble();
    }

    public String server() { return server; }
    public Path file() { return file; }
    /** Empty, or what went wrong loading the saved history. */
    public String problem() { return problem; }
    /** Empty, or why the data directory could not be measured. */
    public String dataDirectoryProblem() { return dirProblem; }
    public Optional<Path> dataDirectory() { return dataDir; }
    /** Usable bytes on the data directory's file system at the last walk, or NaN. */
    public double freeBytes() { return freeBytes; }
    public boolean walking() { return walking.get(); }

    public void setDataDirectory(Optional<Path> dir) {
        if (!dir.equals(dataDir)) lastWalkStart = Long.MIN_VALUE;
        dataDir = dir;
        dirProblem = "";
        if (dir.isEmpty()) freeBytes = Double.NaN;
    }

    public void setDirInterval(Duration d) { dirInterval = d; }

    public synchronized int size() { return points.size(); }

    public synchronized void addDatabaseSizes(long timeMillis, double database, double cluster) {
        add(new Point(timeMillis, database, cluster, Double.NaN));
    }

    public synchronized void addDataDirectory(long timeMillis, double bytes) {
        add(new Point(timeMillis, Double.NaN, Double.NaN, bytes));
    }

    private void add(Point p) {
        points.add(p);
        if (points.size() > MAX_POINTS) thin();
        save();
    }

    /** Merges neighbours in the older half: the newest readings keep their resolution. */
    private void thin() {
        int half = points.size() / 2;
        List<Point> out = new ArrayList<>(points.size());
        for (int i = 0; i + 1 < half; i += 2) {
            Point a = points.get(i), b = points.get(i + 1);
            // the older point's time: the first reading (the start of the span) is never lost
            out.add(new Point(a.timeMillis(), pick(a.databaseBytes(), b.databaseBytes()), pick(a.clusterBytes(), b.clusterBytes()),
                    pick(a.dataDirBytes(), b.dataDirBytes())));
        }
        int from = half % 2 == 0 ? half : half - 1;
        out.addAll(points.subList(from, points.size()));
        points.clear();
        points.addAll(out);
    }

    private static double pick(double newer, double older) { return Double.isNaN(newer) ? older : newer; }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("server", server);
        ArrayNode arr = root.putArray("points");
        for (Point p : points) {
            ArrayNode a = arr.addArray();
            a.add(p.timeMillis());
            put(a, p.databaseBytes());
            put(a, p.clusterBytes());
            put(a, p.dataDirBytes());
        }
        try {
            JsonFiles.writeAtomically(JSON, file, root);
        } catch (IOException e) {
            log.warn("cannot save the storage history {}: {}", file, e.getMessage());
        }
    }

    private static void put(ArrayNode a, double v) {
        if (Double.isNaN(v)) a.addNull(); else a.add((long) v);
    }

    public synchronized Series series() {
        int n = points.size();
        long[] t = new long[n];
        double[] d = new double[n], c = new double[n], x = new double[n];
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            t[i] = p.timeMillis(); d[i] = p.databaseBytes(); c[i] = p.clusterBytes(); x[i] = p.dataDirBytes();
        }
        return new Series(t, d, c, x);
    }

    /**
     * Starts a walk of the data directory in the background when one is due (never two at once). {@code clock}
     * gives the time the reading is recorded at (the sampler passes the server clock).
     */
    public void maybeMeasureDataDirectory(java.util.function.LongSupplier clock) {
        Optional<Path> dir = dataDir;
        if (dir.isEmpty() || closed || storage == null) return;
        long now = System.nanoTime();
        if (lastWalkStart != Long.MIN_VALUE && now - lastWalkStart < dirInterval.toNanos()) return;
        if (!walking.compareAndSet(false, true)) return;
        lastWalkStart = now;
        walker.submit(() -> {
            try {
                StorageReport r = storage.measure(dir.get(), null, new ThrottledContext());
                freeBytes = r.fsFreeBytes();
                addDataDirectory(clock.getAsLong(), r.totalBytes());
                dirProblem = r.warnings().isEmpty() ? "" : String.join(" ", r.warnings());
            } catch (ConsoleException e) {
                dirProblem = e.getMessage();
            } catch (RuntimeException e) {
                dirProblem = "Cannot measure " + dir.get() + ": " + e;
                log.warn("data directory walk failed", e);
            } finally {
                walking.set(false);
            }
        });
    }

    /** A walk context that yields the CPU for 2 ms every 2,000 files (StorageService checks every 2,000) and stops on close. */
    private final class ThrottledContext implements JobContext {
        @Override public void progress(double done, double total) { }
        @Override public void message(String message) { }
        @Override public boolean isCancelled() { return closed; }
        @Override public void onCancel(Runnable hook) { }

        @Override public void checkCancelled() {
            if (closed) throw new io.msyspg.console.core.task.JobCancelledException();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.msyspg.console.core.task.JobCancelledException();
            }
        }
    }

    @Override public void close() {
        closed = true;
        walker.shutdownNow();
    }

    /**
     * Checks a data directory typed by the user: it must exist here and look like a PostgreSQL data directory
     * (a {@code PG_VERSION} file). Returns the normalised path or throws with a message naming what is wrong.
     */
    public static Path validateDataDirectory(String text) {
        if (text == null || text.isBlank()) throw new ConsoleException("Enter the data directory (the folder holding PG_VERSION).");
        Path p;
        try {
            p = Path.of(text.trim());
        } catch (RuntimeException e) {
            throw new ConsoleException("\"" + text.trim() + "\" is not a valid path.");
        }
        if (!p.isAbsolute()) throw new ConsoleException("The data directory must be an absolute path, not \"" + text.trim() + "\".");
        if (!Files.exists(p)) throw new ConsoleException("The data directory " + p + " does not exist on this host.");
        if (!Files.isDirectory(p)) throw new ConsoleException(p + " is a file, not a directory.");
        if (!Files.isRegularFile(p.resolve("PG_VERSION")))
            throw new ConsoleException(p + " does not look like a PostgreSQL data directory: it has no PG_VERSION file"
                    + (Files.isReadable(p) ? "." : " (or it is not readable by this user)."));
        return p.toAbsolutePath().normalize();
    }
}
