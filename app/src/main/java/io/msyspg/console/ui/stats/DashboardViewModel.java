package io.msyspg.console.ui.stats;

import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.LocalServer;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.core.stats.ActivityReport;
import io.msyspg.console.core.stats.ActivityService;
import io.msyspg.console.core.stats.DatabaseHistory;
import io.msyspg.console.core.stats.Downsampler;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.MinMaxBuckets;
import io.msyspg.console.core.stats.Sample;
import io.msyspg.console.core.stats.StatsHistory;
import io.msyspg.console.core.stats.StatsSampler;
import io.msyspg.console.core.stats.StatsSettings;
import io.msyspg.console.core.stats.StorageProjection;
import io.msyspg.console.core.stats.StorageTrend;
import io.msyspg.console.core.stats.TopQueries;
import io.msyspg.console.ui.AppContext;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The dashboard's state. One {@link StatsSampler} per server (kept for the life of the window, so history
 * survives switching views and servers); the current one pushes samples from its own thread, where this
 * model copies the visible window out of the ring buffers and downsamples it to the charts' pixel widths;
 * the FX thread only receives the finished frame, at most one pending at a time (coalesced).
 */
public final class DashboardViewModel implements AutoCloseable {
    /** A chart: its metrics, their display names and the value format. */
    public record ChartSpec(String id, String title, Metric[] metrics, String[] names, DoubleFunction<String> format) {}

    /** Everything one redraw needs, prepared off the FX thread. */
    public record Frame(long fromMillis, long toMillis, List<List<TimeChart.SeriesData>> charts, Sample latest, int major,
                        List<TimeChart.SeriesData> sizes, StorageProjection.Projection projection, boolean projectionKnown,
                        List<String> databases, String database, TopQueries.Result top, Storage storage) {}

    /** The storage tab's facts besides the chart: what the projection is based on, and what went wrong. */
    public record Storage(String basis, Optional<Path> dataDir, double freeBytes, String problems, boolean walking, double sizeIntervalSeconds) {}

    public static final List<ChartSpec> CHARTS = List.of(
            new ChartSpec("stats-chart-sessions", "Sessions",
                    new Metric[]{Metric.SESSIONS_ACTIVE, Metric.SESSIONS_IDLE, Metric.SESSIONS_IDLE_IN_TX, Metric.SESSIONS_WAITING},
                    new String[]{"active", "idle", "idle in transaction", "waiting on lock"}, Fmt::count),
            new ChartSpec("stats-chart-tps", "Transactions per second",
                    new Metric[]{Metric.COMMITS, Metric.ROLLBACKS}, new String[]{"commits/s", "rollbacks/s"}, Fmt::rate),
            new ChartSpec("stats-chart-tuples", "Tuples per second",
                    new Metric[]{Metric.TUPLES_IN, Metric.TUPLES_OUT}, new String[]{"in (ins+upd+del)/s", "out (returned+fetched)/s"}, Fmt::rate),
            new ChartSpec("stats-chart-blocks", "Blocks per second (8 kB blocks, not bytes)",
                    new Metric[]{Metric.BLOCKS_READ, Metric.BLOCKS_HIT}, new String[]{"read/s", "hit/s"}, Fmt::rate),
            new ChartSpec("stats-chart-wal", "WAL and I/O bytes per second",
                    new Metric[]{Metric.WAL_BYTES, Metric.IO_READ_BYTES, Metric.IO_WRITE_BYTES}, new String[]{"WAL", "I/O read", "I/O write"}, Fmt::bytes),
            new ChartSpec("stats-chart-ages", "Longest transaction and query (s)",
                    new Metric[]{Metric.LONGEST_XACT_AGE, Metric.LONGEST_QUERY_AGE}, new String[]{"transaction", "query"}, Fmt::seconds));

    private final AppContext ctx;
    private final Map<String, StatsSampler> samplers = new HashMap<>();
    private final ObjectProperty<StatsSampler> current = new SimpleObjectProperty<>();
    private final ObjectProperty<Frame> frame = new SimpleObjectProperty<>();
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final ObservableList<ActivityReport.SessionRow> sessions = FXCollections.observableArrayList();
    private final ObservableList<ActivityReport.LockRow> locks = FXCollections.observableArrayList();
    private final StringProperty activityNote = new SimpleStringProperty("");
    private final AtomicReference<Frame> pending = new AtomicReference<>();
    private final AtomicReference<ActivityReport> pendingActivity = new AtomicReference<>();
    private final Consumer<Sample> onSample = s -> prepareAndPost();
    private final Consumer<ActivityReport> onActivity = this::postActivity;
    private final Map<String, Optional<Path>> dataDirs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, StorageTrend> trends = new java.util.concurrent.ConcurrentHashMap<>();
    private final StringProperty dataDirText = new SimpleStringProperty("");
    private final StringProperty dataDirNote = new SimpleStringProperty("");
    private volatile String database;   // null: all databases
    private volatile boolean topVisible;
    private volatile int pixels = 800;
    private volatile long windowMillis;
    private volatile boolean pausedFlag;
    private volatile boolean chartsVisible = true;
    private volatile long lastPostNanos;
    /** The FX thread receives at most one frame per this many nanoseconds, whatever the sampling rate. */
    static final long MIN_FRAME_NANOS = 900_000_000L;
    private volatile double freeBytes = Double.NaN;
    private volatile long freeCheckedAt;

    public DashboardViewModel(AppContext ctx) {
        this.ctx = ctx;
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        windowMillis = Math.max(1, st.windowMinutes) * 60_000L;
        paused.addListener((o, a, b) -> {
            pausedFlag = b;
            if (!b) refreshNow();
        });
    }

    public ObjectProperty<StatsSampler> currentProperty() { return current; }
    public ObjectProperty<Frame> frameProperty() { return frame; }
    public BooleanProperty pausedProperty() { return paused; }
    public StringProperty statusProperty() { return status; }
    public ObservableList<ActivityReport.SessionRow> sessions() { return sessions; }
    public ObservableList<ActivityReport.LockRow> locks() { return locks; }
    public StringProperty activityNoteProperty() { return activityNote; }
    public long windowMillis() { return windowMillis; }
    /** The data directory shown in the storage tab's editor, and where it came from. */
    public StringProperty dataDirTextProperty() { return dataDirText; }
    public StringProperty dataDirNoteProperty() { return dataDirNote; }
    /** The selected database (null: the whole server). */
    public String database() { return database; }
    public double intervalSeconds() { return ctx.settings().get(StatsSettings.class).intervalSeconds; }

    /** Number of samplers kept (one per server seen). */
    public int samplerCount() { return samplers.size(); }

    /** The plot width the charts have (FX thread tells; the preparation reads it). */
    public void setPixels(int px) { pixels = Math.max(100, px); }

    /** Switches to the given session's sampler (created and started on first sight; history kept). FX thread. */
    public void use(DbSession db) {
        StatsSampler old = current.get();
        if (old != null) {
            old.removeListener(onSample);
            old.removeActivityListener(onActivity);
            old.setActivityWanted(false);
        }
        current.set(null);
        if (db == null) {
            frame.set(null);
            return;
        }
        String key = db.target().display();
        StatsSampler s = samplers.get(key);
        if (s != null && s.session() == db) {
            attach(s);
            return;
        }
        // a new server (or a new session to a known one): allocate the ring buffers and start off the FX thread
        StatsSampler previous = s;
        double interval = intervalSeconds();
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        String fromProfile = db == ctx.session().current() ? ctx.session().profileDataDirectory() : null;
        String configured = st.dataDirectories.getOrDefault(key, fromProfile);   // the admin's, else the profile's
        status.set("Starting the sampler for " + key + "…");
        ctx.tasks().task("Starting statistics for " + key, c -> {
            StatsHistory h = previous == null ? new StatsHistory(86_400) : previous.history();
            StatsHistory sizes = previous == null ? new StatsHistory(8_640) : previous.sizes();
            if (previous != null) previous.close();   // that session was replaced: keep its history, sample the new one
            StatsSampler created = previous == null ? new StatsSampler(db, h, sizes)
                    : new StatsSampler(db, h, sizes, previous.databases(), previous.topQueries());
            created.setInterval(Duration.ofMillis(Math.round(interval * 1000)));
            created.setSizeInterval(Duration.ofMillis(Math.round(Math.max(1, st.sizeIntervalSeconds) * 1000)));
            created.setTopInterval(Duration.ofMillis(Math.round(Math.max(0.5, st.topQueriesIntervalSeconds) * 1000)));
            Optional<Path> dir = LocalServer.dataDirectory(db, configured);
            dataDirs.put(key, dir);
            StorageTrend trend = trends.computeIfAbsent(key, k -> StorageTrend.load(ctx.dirs().state(), k, StorageService.standard(ctx.dirs())));
            trend.setDirInterval(Duration.ofMillis(Math.round(Math.max(1, st.dataDirIntervalSeconds) * 1000)));
            trend.setDataDirectory(dir);
            created.setStorageTrend(trend);
            return created;
        }).onSuccess(created -> {
            StatsSampler stale = samplers.put(key, created);
            if (stale != null && stale != previous && stale != created) stale.close();
            created.start();
            if (ctx.session().current() == db) attach(created);
        }).start();
    }

    private void attach(StatsSampler s) {
        current.set(s);
        updateDataDirText(s.session().target().display());
        s.addListener(onSample);
        s.addActivityListener(onActivity);
        s.setActivityWanted(activityWanted);
        status.set("Sampling " + s.session().target().display() + " every " + Fmt.seconds(intervalSeconds()) + " s");
        refreshNow();
    }

    private boolean activityWanted;

    public void setActivityWanted(boolean wanted) {
        activityWanted = wanted;
        StatsSampler s = current.get();
        if (s != null) s.setActivityWanted(wanted);
    }

    public void setWindowMinutes(int minutes) {
        windowMillis = minutes * 60_000L;
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        st.windowMinutes = minutes;
        ctx.settings().put(st);
        refreshNow();
    }

    public void setIntervalSeconds(double seconds) {
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        st.intervalSeconds = seconds;
        ctx.settings().put(st);
        StatsSampler s = current.get();
        if (s != null) {
            s.setInterval(Duration.ofMillis(Math.round(seconds * 1000)));
            status.set("Sampling " + s.session().target().display() + " every " + Fmt.seconds(seconds) + " s");
        }
    }

    private void updateDataDirText(String key) {
        String configured = ctx.settings().get(StatsSettings.class).dataDirectories.get(key);
        Optional<Path> dir = dataDirs.getOrDefault(key, Optional.empty());
        if (configured != null && !configured.isBlank()) {
            dataDirText.set(configured);
            dataDirNote.set(dir.isPresent() ? "set for this server" : "set for this server, but not visible on this host");
        } else if (dir.isPresent()) {
            dataDirText.set(dir.get().toString());
            dataDirNote.set("the server's data_directory (it runs on this host)");
        } else {
            dataDirText.set("");
            dataDirNote.set("not on this host (or data_directory is not visible here): enter the path if it is, for the free-space projection");
        }
    }

    /** Selects the database whose rates the TPS, tuples and blocks charts and the top queries show (null: all). */
    public void setDatabase(String name) {
        database = name;
        refreshNow();
    }

    /** The view says whether the top-queries tab is shown (the window's top statements are computed only then). */
    public void setTopVisible(boolean visible) {
        topVisible = visible;
        if (visible) refreshNow();
    }

    /**
     * Validates a data directory typed by the user (in the background: it touches the file system), stores it in
     * the settings for the current server and points the storage trend at it; an empty text goes back to the
     * server's own data_directory. {@code done} gets null on success or the message naming what is wrong (FX thread).
     */
    public void setDataDirectory(String text, Consumer<String> done) {
        StatsSampler s = current.get();
        if (s == null) { done.accept("Not connected."); return; }
        String key = s.session().target().display();
        DbSession db = s.session();
        ctx.tasks().task("Checking the data directory", c -> {
            if (text == null || text.isBlank()) return LocalServer.dataDirectory(db, null).map(Path::toString).orElse("");
            return StorageTrend.validateDataDirectory(text).toString();
        }).onSuccess(path -> {
            StatsSettings st = ctx.settings().get(StatsSettings.class);
            if (text == null || text.isBlank()) st.dataDirectories.remove(key); else st.dataDirectories.put(key, path);
            ctx.settings().put(st);
            Optional<Path> dir = path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
            dataDirs.put(key, dir);
            StorageTrend t = trends.get(key);
            if (t != null) t.setDataDirectory(dir);
            freeCheckedAt = 0;
            updateDataDirText(key);
            done.accept(null);
            refreshNow();
        }).onFailure(e -> done.accept(e.getMessage())).start();
    }

    /** Prepares a frame in the background now (window change, resume, server switch). */
    public void refreshNow() {
        StatsSampler s = current.get();
        if (s == null || pausedFlag) return;
        ctx.tasks().task("Preparing charts", c -> prepare(s)).onSuccess(this::apply).start();
    }

    /** The view says whether any chart is on screen (overview or storage tab); no frames are prepared otherwise. */
    public void setChartsVisible(boolean visible) {
        boolean was = chartsVisible;
        chartsVisible = visible;
        if (visible && !was) refreshNow();
    }

    private void prepareAndPost() {
        if (pausedFlag || !chartsVisible) return;
        long now = System.nanoTime();
        if (now - lastPostNanos < MIN_FRAME_NANOS) return;
        lastPostNanos = now;
        StatsSampler s = current.get();
        if (s == null) return;
        Frame f = prepare(s);
        if (pending.getAndSet(f) == null) Platform.runLater(() -> apply(pending.getAndSet(null)));
    }

    private void apply(Frame f) {
        if (f == null || pausedFlag) return;
        frame.set(f);
    }

    private volatile long lastActivityNanos;

    private void postActivity(ActivityReport r) {
        long now = System.nanoTime();
        if (now - lastActivityNanos < MIN_FRAME_NANOS) return;
        lastActivityNanos = now;
        if (pendingActivity.getAndSet(r) == null) {
            Platform.runLater(() -> {
                ActivityReport a = pendingActivity.getAndSet(null);
                if (a == null) return;
                sessions.setAll(a.sessions());
                locks.setAll(a.locks());
                activityNote.set(a.sessions().size() + " sessions" + (a.lockWaits() ? ", some waiting on locks (blocking tree shown)" : "")
                        + "; " + a.locks().size() + " lock groups");
            });
        }
    }

    private final Object bucketsLock = new Object();
    private MinMaxBuckets buckets;
    private StatsSampler bucketsOf;
    private long bucketsWindow;

    /** Downsamples the window of every series incrementally (any thread but FX). */
    Frame prepare(StatsSampler s) {
        StatsHistory h = s.history();
        long to = Math.max(h.lastTime(), 0);
        long win = windowMillis;   // read once: the user may change it meanwhile
        long from = to - win;
        String db = database;
        StatsHistory.Window dw = db == null ? null : s.databases().window(db, from);
        double[] dx = dw == null ? null : seconds(dw.times());
        int major = s.serverMajor();
        List<List<TimeChart.SeriesData>> charts = new ArrayList<>();
        // server-wide series: incremental min/max, only the samples since the last frame are read (pixels / 4
        // buckets per series, at most two points each: no series gets more points than half the plot's pixels);
        // the per-database series (a database picked) are reduced from their own small history
        synchronized (bucketsLock) {
            MinMaxBuckets b = buckets;
            long bucketMs = MinMaxBuckets.bucketMillis(win, Math.max(1, pixels / 4));
            if (b == null || bucketsOf != s || b.bucketMillis() != bucketMs || bucketsWindow != win) {
                List<Metric> all = new ArrayList<>();
                for (ChartSpec c : CHARTS) all.addAll(List.of(c.metrics()));
                b = new MinMaxBuckets(all.toArray(Metric[]::new), bucketMs, (int) (win / bucketMs) + 4);
                buckets = b;
                bucketsOf = s;
                bucketsWindow = win;
            }
            b.update(h, from);
            for (ChartSpec c : CHARTS) {
                List<TimeChart.SeriesData> series = new ArrayList<>();
                boolean perDb = dw != null && java.util.Arrays.stream(c.metrics()).allMatch(m -> java.util.Arrays.asList(DatabaseHistory.METRICS).contains(m));
                for (int k = 0; k < c.metrics().length; k++) {
                    if (!c.metrics()[k].availableOn(major)) continue;
                    series.add(perDb
                            ? new TimeChart.SeriesData(db + ": " + c.names()[k], Downsampler.minMax(dx, dw.of(c.metrics()[k]), pixels / 2))
                            : new TimeChart.SeriesData(c.names()[k], b.segments(b.indexOf(c.metrics()[k]))));
                }
                charts.add(series);
            }
        }
        String key = s.session().target().display();
        StorageTrend trend = s.storageTrend();
        long[] tt;
        double[] dbs, cls, dirs;
        if (trend != null) {
            StorageTrend.Series ts = trend.series();
            tt = ts.times(); dbs = ts.database(); cls = ts.cluster(); dirs = ts.dataDir();
        } else {
            StatsHistory.Window sw = s.sizes().window(Long.MIN_VALUE, Metric.DB_SIZE, Metric.CLUSTER_SIZE);
            tt = sw.times(); dbs = sw.of(Metric.DB_SIZE); cls = sw.of(Metric.CLUSTER_SIZE); dirs = new double[tt.length];
            java.util.Arrays.fill(dirs, Double.NaN);
        }
        List<TimeChart.SeriesData> sizes = new ArrayList<>();
        long now = Math.max(to, tt.length == 0 ? 0 : tt[tt.length - 1]);
        sizes.add(readings("database " + s.session().target().database(), tt, dbs, now));
        sizes.add(readings("cluster (all databases)", tt, cls, now));
        boolean hasDir = java.util.Arrays.stream(dirs).anyMatch(v -> !Double.isNaN(v));
        if (hasDir) sizes.add(readings("data directory on disk", tt, dirs, now));
        Optional<Path> dir = dataDirs.getOrDefault(key, Optional.empty());
        if (dir.isPresent() && System.nanoTime() - freeCheckedAt > 30_000_000_000L) {
            freeBytes = StorageProjection.freeBytes(dir.get());
            freeCheckedAt = System.nanoTime();
        }
        double free = dir.isPresent() ? freeBytes : Double.NaN;
        long dirReadings = java.util.Arrays.stream(dirs).filter(v -> !Double.isNaN(v)).count();
        boolean byDir = dirReadings >= 2;
        StorageProjection.Projection p = StorageProjection.project(tt, byDir ? dirs : cls, free);
        String problems = trend == null ? "" : (trend.problem() + " " + trend.dataDirectoryProblem()).trim();
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        Storage storage = new Storage(byDir ? "data directory on disk" : "cluster size (all databases)", dir, free, problems,
                trend != null && trend.walking(), st.sizeIntervalSeconds);
        TopQueries.Result top = topVisible ? s.topQueries().top(from, 50, db) : null;
        return new Frame(from, to, charts, s.latest(), major, sizes, p, dir.isPresent(), s.databases().databases(), db, top, storage);
    }

    /**
     * A sparse series of readings: NaN readings are left out (they are another series' times), never drawn as gaps.
     * The last reading is held until {@code nowMillis} (it is the latest known size), so even one reading draws a line.
     */
    private TimeChart.SeriesData readings(String name, long[] t, double[] v, long nowMillis) {
        int n = 0;
        long lastT = Long.MIN_VALUE;
        for (int i = 0; i < v.length; i++) if (!Double.isNaN(v[i])) { n++; lastT = t[i]; }
        boolean hold = n > 0 && nowMillis > lastT;
        double[] x = new double[n + (hold ? 1 : 0)], y = new double[x.length];
        for (int i = 0, k = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) continue;
            x[k] = t[i] / 1000.0;
            y[k++] = v[i];
        }
        if (hold) { x[n] = nowMillis / 1000.0; y[n] = y[n - 1]; }
        return new TimeChart.SeriesData(name, Downsampler.minMax(x, y, pixels));
    }

    private static double[] seconds(long[] t) {
        double[] x = new double[t.length];
        for (int i = 0; i < t.length; i++) x[i] = t[i] / 1000.0;
        return x;
    }

    /** Background: pg_cancel_backend / pg_terminate_backend on a pooled connection. */
    public void signal(int pid, boolean terminate, Runnable after) {
        StatsSampler s = current.get();
        if (s == null) return;
        String what = terminate ? "Terminating backend " + pid : "Cancelling the query of backend " + pid;
        ctx.tasks().task(what, c -> terminate ? ActivityService.terminate(s.session(), pid) : ActivityService.cancel(s.session(), pid))
                .onSuccess(ok -> after.run()).start();
    }

    @Override public void close() {
        samplers.values().forEach(StatsSampler::close);
        samplers.clear();
        trends.values().forEach(StorageTrend::close);
        trends.clear();
    }

    /** Number formats for labels and axes. */
    public static final class Fmt {
        private Fmt() {}

        public static String count(double v) { return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v); }

        public static String rate(double v) {
            double a = Math.abs(v);
            if (a >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
            if (a >= 1e4) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
            if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%.1f", v);
        }

        public static String bytes(double v) {
            double a = Math.abs(v);
            String[] u = {"B", "kB", "MB", "GB", "TB", "PB"};
            int i = 0;
            while (a >= 1024 && i < u.length - 1) { a /= 1024; v /= 1024; i++; }
            return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", v, u[i]);
        }

        public static String seconds(double v) {
            if (v >= 86_400) return String.format(Locale.ROOT, "%.1fd", v / 86_400);
            if (v >= 3_600) return String.format(Locale.ROOT, "%.1fh", v / 3_600);
            if (v >= 60) return String.format(Locale.ROOT, "%.1fm", v / 60);
            return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v);
        }

        public static String percent(double v) { return String.format(Locale.ROOT, "%.1f %%", v); }
    }
}
