package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.stats.Downsampler;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.Sample;
import io.msyspg.console.core.stats.SnapshotQuery;
import io.msyspg.console.core.stats.StatsHistory;
import io.msyspg.console.core.stats.StatsSampler;
import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.ui.common.Theme;
import io.msyspg.console.ui.stats.TimeChart;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.StackPane;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The statistics dashboard: server time of one snapshot beside a bare {@code SELECT 1}; the console's CPU at
 * 1 s sampling; one chart frame of 24 h of 1 s samples x 12 series through min/max downsampling beside a
 * naive LineChart given every point (off-screen JavaFX scene on Monocle: data preparation + series update +
 * CSS + layout + a rendered snapshot); memory of that history.
 */
final class StatsBench implements Benchmark {
    static final int SERIES = 12;
    static final int SAMPLES = 86_400;
    static final int WIDTH = 1600;

    @Override public String name() { return "stats"; }

    @Override public String description() { return "dashboard: snapshot cost, sampler CPU, chart frame of 24 h x 12 series, history memory"; }

    @Override public void run(BenchReport r) throws Exception {
        if (!Boolean.getBoolean("bench.stats.chartOnly")) {   // -Dbench.stats.chartOnly=true: the chart frame alone
            serverSide(r);
            memory(r);
        }
        chartFrame(r);
    }

    private void serverSide(BenchReport r) throws Exception {
        char[] pw = "bench-pw".toCharArray();
        try (PgCluster c = PgCluster.builder(PgBinaries.system()).superuser("postgres").password(pw)
                .setting("shared_preload_libraries", "pg_stat_statements").start()) {
            // a server with some life: 10 databases, 30 idle client sessions, one busy writer
            try (Connection admin = c.connect("postgres"); Statement s = admin.createStatement()) {
                for (int i = 0; i < 10; i++) s.execute("CREATE DATABASE b" + i);
                // pg_stat_statements with 1,000 distinct statements (one per table) of about 1 kB of text each
                s.execute("CREATE EXTENSION pg_stat_statements");
                StringBuilder in = new StringBuilder();
                for (int k = 0; k < 200; k++) in.append(k == 0 ? "" : ", ").append(k);
                for (int i = 0; i < 1000; i++) {
                    s.execute("CREATE TABLE IF NOT EXISTS pss_" + i + " (v int)");
                    s.execute("SELECT count(*) FROM pss_" + i + " WHERE v > 0 AND v NOT IN (" + in + ")");
                }
            }
            List<Connection> idle = new ArrayList<>();
            for (int i = 0; i < 30; i++) idle.add(c.connect("b" + (i % 10)));
            try (PooledDbSession db = PooledDbSession.open(ConnectionTarget.of(c.host(), c.port(), "postgres", "postgres"), pw)) {
                Connection mon = db.monitoring();
                String sql = SnapshotQuery.sql(db.serverVersion().major());
                r.note("PostgreSQL " + db.serverVersion() + ", 10 databases, 31 client sessions");
                double snapshotRt = medianMillis(200, () -> query(mon, sql));
                java.sql.PreparedStatement ps = mon.prepareStatement(sql);
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
                double preparedRt = medianMillis(200, () -> { try (ResultSet rs = ps.executeQuery()) { while (rs.next()) { /* drain */ } } });
                double selectOneRt = medianMillis(200, () -> query(mon, "SELECT 1"));
                double[] exec = new double[40];
                for (int i = 0; i < exec.length; i++) {
                    try (Statement s = mon.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql)) {
                        rs.next();
                        var plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1)).get(0);
                        exec[i] = plan.get("Execution Time").asDouble() + plan.get("Planning Time").asDouble();
                    }
                }
                Arrays.sort(exec);
                double serverMs = exec[exec.length / 2];
                r.figure("snapshot server time (plan+exec, median)", serverMs, "ms", "SELECT 1 round trip", selectOneRt, "<= 10 ms", serverMs <= 10);
                r.figure("snapshot round trip, prepared (as sampled)", preparedRt, "ms", "SELECT 1 round trip", selectOneRt, "<= 10 ms", preparedRt <= 10);
                r.note(String.format(java.util.Locale.ROOT, "for comparison: the same snapshot unprepared (parse + rewrite of the views every time): %.2f ms round trip", snapshotRt));

                // top queries: one reading without texts (as sampled, every 10 s) beside reading every text
                io.msyspg.console.core.stats.TopQueries tq = new io.msyspg.console.core.stats.TopQueries(100);
                tq.detect(mon);
                tq.sample(mon);
                double topRead = medianMillis(30, () -> tq.sample(mon));
                double withTexts = medianMillis(30, () -> query(mon, "SELECT * FROM pg_stat_statements"));
                double rawNoText = medianMillis(30, () -> query(mon, "SELECT * FROM pg_stat_statements(false)"));
                r.figure("pg_stat_statements(showtext := false), all columns", rawNoText, "ms", "SELECT * FROM pg_stat_statements", withTexts, "cheaper than with texts", rawNoText < withTexts);
                long entries;
                try (Statement s = mon.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_statements")) { rs.next(); entries = rs.getLong(1); }
                r.note("pg_stat_statements entries: " + entries);
                r.figure("top-queries reading (no texts, prepared, deltas computed)", topRead, "ms", "SELECT * FROM pg_stat_statements", withTexts, "cheaper than reading the texts", topRead < withTexts);

                // console CPU at 1 s sampling: the sampler thread and the whole process, over N seconds of wall time
                int seconds = Integer.getInteger("bench.stats.cpuSeconds", 20);
                ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                try (StatsSampler sampler = new StatsSampler(db)) {
                    sampler.setInterval(Duration.ofSeconds(1));
                    sampler.start();
                    Thread.sleep(2_000);   // warm-up (first tick, JIT)
                    long tid = sampler.thread().getId();
                    long t0 = tmx.getThreadCpuTime(tid), p0 = os.getProcessCpuTime(), w0 = System.nanoTime();
                    Thread.sleep(seconds * 1000L);
                    long t1 = tmx.getThreadCpuTime(tid), p1 = os.getProcessCpuTime(), w1 = System.nanoTime();
                    double wallMs = (w1 - w0) / 1e6;
                    double samplerMs = (t1 - t0) / 1e6, processMs = (p1 - p0) / 1e6;
                    r.note(String.format(java.util.Locale.ROOT, "%d s at 1 s sampling: %d samples, sampler thread %.1f ms CPU, whole JVM %.1f ms CPU",
                            seconds, sampler.history().size(), samplerMs, processMs));
                    r.figure("sampler thread CPU per wall second", samplerMs / wallMs * 1000, "ms/s", "wall", 1000, "<= 10 ms/s (1% of a core)", samplerMs / wallMs * 1000 <= 10);
                    r.figure("whole console JVM CPU per wall second", processMs / wallMs * 1000, "ms/s", "wall", 1000, "<= 20 ms/s (2% of a core)", processMs / wallMs * 1000 <= 20);
                }
            } finally {
                for (Connection i : idle) i.close();
            }
        }
    }

    private static void query(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) { /* drain */ }
        }
    }

    interface Body { void run() throws Exception; }

    private static double medianMillis(int n, Body b) throws Exception {
        for (int i = 0; i < 10; i++) b.run();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            b.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[n / 2];
    }

    /** 24 h of 1 s samples, every metric filled (random walks with spikes and two gaps). */
    static StatsHistory fullDay() {
        StatsHistory h = new StatsHistory(SAMPLES);
        Random rnd = new Random(1);
        double[] level = new double[Metric.count()];
        Arrays.fill(level, 100);
        long t0 = System.currentTimeMillis() - SAMPLES * 1000L;
        for (int i = 0; i < SAMPLES; i++) {
            double[] v = new double[Metric.count()];
            boolean gap = (i >= 30_000 && i < 30_005) || (i >= 60_000 && i < 60_100);
            for (int m = 0; m < v.length; m++) {
                level[m] = Math.max(0, level[m] + rnd.nextGaussian());
                v[m] = gap ? Double.NaN : level[m] + (rnd.nextInt(5_000) == 0 ? 1_000 : 0);
            }
            h.append(new Sample(t0 + i * 1000L, gap ? Sample.Status.GAP : Sample.Status.OK, "", v, "[]"));
        }
        return h;
    }

    private void memory(BenchReport r) throws Exception {
        System.gc();
        Thread.sleep(200);
        long before = used();
        StatsHistory h = fullDay();
        System.gc();
        Thread.sleep(200);
        long after = used();
        double measured = (after - before) / 1048576.0;
        double computed = h.bytes() / 1048576.0;
        r.note(String.format(java.util.Locale.ROOT, "history of %d samples x %d metrics (primitive ring buffers): %.1f MB by array sizes",
                h.size(), Metric.count(), computed));
        r.absolute("24 h history, all " + Metric.count() + " metrics (heap delta)", measured, "MB", "<= 64 MB", measured <= 64);
        if (h.size() != SAMPLES) throw new IllegalStateException("history lost samples");
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private void chartFrame(BenchReport r) throws Exception {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);
        Platform.setImplicitExit(false);
        // the console's real look: AtlantaFX Primer light + app.css (CSS cost included in every chart below)
        onFx(() -> { Theme.apply(AppearanceSettings.Theme.LIGHT); return null; });
        StatsHistory h = fullDay();
        Metric[] metrics = Arrays.copyOf(new Metric[]{Metric.SESSIONS_ACTIVE, Metric.SESSIONS_IDLE, Metric.SESSIONS_IDLE_IN_TX, Metric.SESSIONS_WAITING,
                Metric.COMMITS, Metric.ROLLBACKS, Metric.TUPLES_IN, Metric.TUPLES_OUT, Metric.BLOCKS_READ, Metric.BLOCKS_HIT,
                Metric.WAL_BYTES, Metric.LONGEST_XACT_AGE}, SERIES);
        r.note("machine load average at start of the chart measurement: " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim()
                + " (2 cores shared with other work: every figure here is inflated by it, the ratios less so)");

        // 1. the dashboard's chart: TimeChart (an XYChart whose series are drawn on a canvas)
        TimeChart tc = onFx(() -> {
            TimeChart c = new TimeChart("bench-chart", "24 h x 12 series", v -> String.format(java.util.Locale.ROOT, "%.0f", v));
            scene(c.node());
            return c;
        });
        int frames = 20;
        for (int i = 0; i < 10; i++) canvasFrame(h, metrics, tc, true);   // warm-up (JIT)
        double prep = 0, fx = 0, full = 0, pulse = 0;
        int points = 0, vertices = 0;
        double[] fxs = new double[frames];
        for (int i = 0; i < frames; i++) {
            double[] t = canvasFrame(h, metrics, tc, false);
            prep += t[0];
            fx += t[1];
            fxs[i] = t[1];
            points = (int) t[2];
            vertices = (int) t[3];
            // the next pulse draws it: a software snapshot of the scene is the render thread's share
            full += t[1] + snapshotMillis(tc.node());
        }
        // what the FX thread really spends per frame, pulse included: a new frame posted with runLater, then
        // timed until the next pulse has run (CSS, layout, canvas) and rendered (sync with the render thread)
        for (int i = 0; i < frames; i++) pulse += pulseFrame(h, metrics, tc);
        prep /= frames;
        fx /= frames;
        full /= frames;
        pulse /= frames;
        Arrays.sort(fxs);
        r.note(String.format(java.util.Locale.ROOT, "canvas chart frame: %d points given, %d vertices stroked for %d x %d samples; data copy + min/max %.1f ms (sampler thread); "
                        + "FX thread: show + CSS + layout + canvas commands %.1f ms (median %.1f, max %.1f); with the software render of the whole chart %.1f ms; "
                        + "runLater-to-rendered-pulse %.1f ms",
                points, vertices, SERIES, SAMPLES, prep, fx, fxs[frames / 2], fxs[frames - 1], full, pulse));

        // 2. reference, same run: the previous LineChart fed the same downsampled points
        LineChart<Number, Number> chart = onFx(() -> newChart());
        for (int i = 0; i < 5; i++) downsampledFrame(h, metrics, chart);
        double lprep = 0, lfx = 0;
        int lpoints = 0;
        for (int i = 0; i < 5; i++) {
            double[] t = downsampledFrame(h, metrics, chart);
            lprep += t[0];
            lfx += t[1];
            lpoints = (int) t[2];
        }
        lprep /= 5;
        lfx /= 5;
        double lrender = snapshotMillis(chart);
        r.note(String.format(java.util.Locale.ROOT, "LineChart given the same downsampled points (the previous dashboard chart): %d points; FX series update + CSS + layout %.1f ms, software snapshot %.1f ms",
                lpoints, lfx, lrender));

        // 3. naive: every point into a LineChart, one frame
        LineChart<Number, Number> naive = onFx(() -> newChart());
        StatsHistory.Window w = h.window(Long.MIN_VALUE, metrics);
        long n0 = System.nanoTime();
        List<XYChart.Series<Number, Number>> all = new ArrayList<>();
        for (int k = 0; k < SERIES; k++) {
            ObservableList<XYChart.Data<Number, Number>> pts = FXCollections.observableArrayList();
            double[] v = w.values()[k];
            long[] ts = w.times();
            for (int i = 0; i < ts.length; i++) if (!Double.isNaN(v[i])) pts.add(new XYChart.Data<>(ts[i] / 1000.0, v[i]));
            all.add(new XYChart.Series<>("s" + k, pts));
        }
        double naivePrep = (System.nanoTime() - n0) / 1e6;
        double naiveFx = onFx(() -> {
            long f0 = System.nanoTime();
            NumberAxis xa = (NumberAxis) naive.getXAxis();
            xa.setLowerBound(w.times()[0] / 1000.0);
            xa.setUpperBound(w.times()[w.size() - 1] / 1000.0);
            xa.setTickUnit((xa.getUpperBound() - xa.getLowerBound()) / 6);
            naive.getData().setAll(all);
            renderFrame(naive.getScene().getRoot());
            return (System.nanoTime() - f0) / 1e6;
        });
        double naiveRender = snapshotMillis(naive);
        r.note(String.format(java.util.Locale.ROOT, "naive frame: %d points; data %.0f ms, FX series update + CSS + layout %.0f ms, software snapshot %.0f ms",
                SERIES * SAMPLES, naivePrep, naiveFx, naiveRender));
        double ours = prep + fx;
        r.figure("chart frame 24h x 12 series (canvas, downsampled)", ours, "ms", "naive LineChart, all points", naivePrep + naiveFx, "<= 16 ms per frame", ours <= 16);
        r.figure("  of which on the FX thread", fx, "ms", "LineChart, same downsampled points", lfx, "<= 16 ms", fx <= 16);
        r.figure("  FX thread + software render of the chart", full, "ms", "naive: FX + snapshot", naiveFx + naiveRender, "(render thread on screen)", full <= 16);
        r.figure("  runLater to rendered pulse", pulse, "ms", "LineChart downsampled: FX + snapshot", lfx + lrender, "(pulse timing, sw pipeline)", pulse <= 16);
        Platform.exit();
    }

    private static void scene(javafx.scene.Parent node) {
        StackPane root = new StackPane(node);
        Scene sc = new Scene(root, WIDTH + 80, 500);
        Theme.style(sc, AppearanceSettings.Theme.LIGHT);
    }

    /** {prep ms, fx ms, points, vertices}: one frame of the TimeChart, as the dashboard does it. */
    private static double[] canvasFrame(StatsHistory h, Metric[] metrics, TimeChart tc, boolean warm) throws Exception {
        long p0 = System.nanoTime();
        StatsHistory.Window w = h.window(Long.MIN_VALUE, metrics);
        double[] x = new double[w.size()];
        for (int i = 0; i < x.length; i++) x[i] = w.times()[i] / 1000.0;
        List<TimeChart.SeriesData> data = new ArrayList<>();
        int points = 0;
        for (int k = 0; k < metrics.length; k++) {
            List<Downsampler.Segment> s = Downsampler.minMax(x, w.values()[k], WIDTH / 2);
            points += s.stream().mapToInt(Downsampler.Segment::size).sum();
            data.add(new TimeChart.SeriesData(metrics[k].key(), s));
        }
        double prep = (System.nanoTime() - p0) / 1e6;
        double lo = x[0], hi = x[x.length - 1];
        double fx = onFx(() -> {
            long f0 = System.nanoTime();
            tc.show(data, lo, hi);
            long f1 = System.nanoTime();
            tc.node().getScene().getRoot().applyCss();
            long f2 = System.nanoTime();
            tc.node().getScene().getRoot().layout();
            long f3 = System.nanoTime();
            if (Boolean.getBoolean("bench.stats.verbose")) System.out.printf("show %.2f css %.2f layout %.2f%n", (f1 - f0) / 1e6, (f2 - f1) / 1e6, (f3 - f2) / 1e6);
            return (System.nanoTime() - f0) / 1e6;
        });
        return new double[]{prep, fx, points, tc.drawnVertices()};
    }

    /**
     * Posts a new frame with runLater and waits for the pulse after it to finish: the scene is dirty, so the
     * pulse runs CSS, layout (canvas commands) and hands the frame to the render thread; a snapshot then
     * synchronises with that render. Measures wall time from the post to the rendered frame.
     */
    private static double pulseFrame(StatsHistory h, Metric[] metrics, TimeChart tc) throws Exception {
        StatsHistory.Window w = h.window(Long.MIN_VALUE, metrics);
        double[] x = new double[w.size()];
        for (int i = 0; i < x.length; i++) x[i] = w.times()[i] / 1000.0;
        List<TimeChart.SeriesData> data = new ArrayList<>();
        for (int k = 0; k < metrics.length; k++) data.add(new TimeChart.SeriesData(metrics[k].key(), Downsampler.minMax(x, w.values()[k], WIDTH / 2)));
        double lo = x[0], hi = x[x.length - 1];
        CompletableFuture<Double> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Platform.runLater(() -> {
            tc.show(data, lo, hi);
            // the snapshot forces the pending CSS + layout + render of this frame, as the next pulse would
            tc.node().getScene().getRoot().snapshot(null, null);
            done.complete((System.nanoTime() - t0) / 1e6);
        });
        return done.get(1, TimeUnit.MINUTES);
    }

    private static LineChart<Number, Number> newChart() {
        NumberAxis x = new NumberAxis();
        NumberAxis y = new NumberAxis();
        x.setAutoRanging(false);
        x.setAnimated(false);
        y.setAnimated(false);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(false);
        scene(c);
        return c;
    }

    /** CSS + layout: what the FX thread does for a frame before the render thread draws it. */
    private static void renderFrame(javafx.scene.Parent root) {
        root.applyCss();
        root.layout();
    }

    /** A software-rendered snapshot (measured apart: on screen the render thread does this). */
    private static double snapshotMillis(javafx.scene.Node c) throws Exception {
        return onFx(() -> {
            long t0 = System.nanoTime();
            c.getScene().getRoot().snapshot(null, null);
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    /** {prep ms, fx ms, points}. */
    private static double[] downsampledFrame(StatsHistory h, Metric[] metrics, LineChart<Number, Number> chart) throws Exception {
        long p0 = System.nanoTime();
        StatsHistory.Window w = h.window(Long.MIN_VALUE, metrics);
        double[] x = new double[w.size()];
        for (int i = 0; i < x.length; i++) x[i] = w.times()[i] / 1000.0;
        List<List<Downsampler.Segment>> segs = new ArrayList<>();
        int points = 0;
        for (int k = 0; k < metrics.length; k++) {
            List<Downsampler.Segment> s = Downsampler.minMax(x, w.values()[k], WIDTH / 2);
            points += s.stream().mapToInt(Downsampler.Segment::size).sum();
            segs.add(s);
        }
        double prep = (System.nanoTime() - p0) / 1e6;
        double lo = x[0], hi = x[x.length - 1];
        double fx = onFx(() -> {
            long f0 = System.nanoTime();
            // as TimeChart does: reuse the chart's series, replace their points
            ObservableList<XYChart.Series<Number, Number>> all = chart.getData();
            int used = 0;
            for (List<Downsampler.Segment> ss : segs) {
                for (Downsampler.Segment s : ss) {
                    List<XYChart.Data<Number, Number>> pts = new ArrayList<>(s.size());
                    for (int i = 0; i < s.size(); i++) pts.add(new XYChart.Data<>(s.x()[i], s.y()[i]));
                    if (used < all.size()) all.get(used).getData().setAll(pts);
                    else all.add(new XYChart.Series<>(FXCollections.observableArrayList(pts)));
                    used++;
                }
            }
            if (used < all.size()) all.remove(used, all.size());
            NumberAxis xa = (NumberAxis) chart.getXAxis();
            xa.setLowerBound(lo);
            xa.setUpperBound(hi);
            xa.setTickUnit((hi - lo) / 6);
            renderFrame(chart.getScene().getRoot());
            return (System.nanoTime() - f0) / 1e6;
        });
        return new double[]{prep, fx, points};
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try { f.complete(c.call()); } catch (Throwable e) { f.completeExceptionally(e); }
        });
        return f.get(10, TimeUnit.MINUTES);
    }
}
