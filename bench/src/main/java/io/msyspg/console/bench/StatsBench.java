package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.stats.Downsampler;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.MinMaxBuckets;
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

        // 1. the dashboard chart: TimeChart (an XYChart whose series are rasterised into one image layer)
        TimeChart tc = onFx(() -> {
            TimeChart c = new TimeChart("bench-chart", "24 h x 12 series", v -> String.format(java.util.Locale.ROOT, "%.0f", v));
            scene(c.node());
            return c;
        });
        int frames = 20;
        Random rnd = new Random(2);
        // a. full recompute every frame (copy 12 x 86,400 values out of the ring buffers, min/max them)
        for (int i = 0; i < 5; i++) canvasFrame(h, metrics, tc, null);
        double[] fullPrep = new double[frames];
        for (int i = 0; i < frames; i++) { tick(h, rnd); fullPrep[i] = canvasFrame(h, metrics, tc, null)[0]; }
        // b. incremental (what the dashboard does): only the new sample is read, buckets are reused
        MinMaxBuckets inc = new MinMaxBuckets(metrics, MinMaxBuckets.bucketMillis(SAMPLES * 1000L, WIDTH / 4), WIDTH / 4 + 4);
        long b0 = System.nanoTime();
        inc.update(h, h.lastTime() - SAMPLES * 1000L);
        double firstBuild = (System.nanoTime() - b0) / 1e6;
        for (int i = 0; i < 10; i++) { tick(h, rnd); canvasFrame(h, metrics, tc, inc); }   // warm-up (JIT)
        double[] prep = new double[frames], fx = new double[frames], full = new double[frames], pulse = new double[frames];
        double[] fxCpu = new double[frames], fullCpu = new double[frames];
        int points = 0, vertices = 0;
        for (int i = 0; i < frames; i++) {
            tick(h, rnd);
            double[] t = canvasFrame(h, metrics, tc, inc);
            prep[i] = t[0];
            fx[i] = t[1];
            points = (int) t[2];
            vertices = (int) t[3];
            fxCpu[i] = t[4];
            // the next pulse draws it: a software snapshot of the scene is the render thread's share
            double[] snap = snapshotCpu(tc.node());
            full[i] = t[1] + snap[0];
            fullCpu[i] = t[4] + snap[1];
        }
        // what a frame costs from the post to the rendered pulse: runLater, show, then a snapshot (which runs the
        // pending CSS + layout + canvas commands and renders, as the next pulse would)
        for (int i = 0; i < frames; i++) { tick(h, rnd); pulse[i] = pulseFrame(h, metrics, tc, inc); }
        // the same chart with no series: what the axes, grid, labels and title cost to render alone
        double[] empty = new double[5], emptyCpu = new double[5];
        List<TimeChart.SeriesData> none = List.of();
        for (int i = 0; i < empty.length; i++) {
            onFx(() -> { tc.show(none, 0, SAMPLES); return null; });
            double[] snap = snapshotCpu(tc.node());
            empty[i] = snap[0];
            emptyCpu[i] = snap[1];
        }
        double mPrep = median(prep), mFx = median(fx), mFull = median(full), mPulse = median(pulse), mFullPrep = median(fullPrep);
        r.note(String.format(java.util.Locale.ROOT, "chart frame (TimeChart, series rasterised per pixel column) (medians of %d frames, one new sample each): %d points given, %d vertices rasterised for %d x %d samples", frames, points, vertices, SERIES, SAMPLES));
        r.note(String.format(java.util.Locale.ROOT, "  data (sampler thread): incremental min/max %.2f ms (first build %.1f ms) vs full copy + min/max %.1f ms", mPrep, firstBuild, mFullPrep));
        double mFxCpu = median(fxCpu), mFullCpu = median(fullCpu);
        r.note(String.format(java.util.Locale.ROOT, "  FX thread: show + CSS + layout + rasterising the series %.2f ms wall / %.2f ms CPU (mean wall %.2f, max %.1f)",
                mFx, mFxCpu, Arrays.stream(fx).average().orElse(0), Arrays.stream(fx).max().orElse(0)));
        r.note(String.format(java.util.Locale.ROOT, "  + software render of the whole chart: %.1f ms wall / %.1f ms CPU (FX + render threads); runLater to rendered frame %.1f ms wall; "
                + "the same chart without series renders in %.1f ms wall / %.1f ms CPU", mFull, mFullCpu, mPulse, median(empty), median(emptyCpu)));

        // 2. reference, same run: the previous LineChart fed the same downsampled points
        LineChart<Number, Number> chart = onFx(() -> newChart());
        for (int i = 0; i < 5; i++) downsampledFrame(h, metrics, chart);
        double lprep = 0, lfx = 0, lfxCpu = 0;
        int lpoints = 0;
        for (int i = 0; i < 5; i++) {
            double[] t = downsampledFrame(h, metrics, chart);
            lprep += t[0];
            lfx += t[1];
            lfxCpu += t[3];
            lpoints = (int) t[2];
        }
        lprep /= 5;
        lfxCpu /= 5;
        double stroke = onFx(() -> ((javafx.scene.shape.Path) chart.lookup(".chart-series-line")).getStrokeWidth());
        lfx /= 5;
        double[] lsnap = snapshotCpu(chart);
        double lrender = lsnap[0];
        r.note(String.format(java.util.Locale.ROOT, "LineChart given the same downsampled points (the previous dashboard chart, %.1f px lines): %d points; FX series update + CSS + layout %.1f ms wall / %.1f ms CPU, software snapshot %.1f ms wall / %.1f ms CPU",
                stroke, lpoints, lfx, lfxCpu, lrender, lsnap[1]));

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
        double[] nsnap = snapshotCpu(naive);
        double naiveRender = nsnap[0];
        r.note(String.format(java.util.Locale.ROOT, "naive frame: %d points; data %.0f ms, FX series update + CSS + layout %.0f ms, software snapshot %.0f ms wall / %.0f ms CPU",
                SERIES * SAMPLES, naivePrep, naiveFx, naiveRender, nsnap[1]));
        double ours = mPrep + mFx;
        r.figure("chart frame 24h x 12 series (data + FX thread)", ours, "ms", "naive LineChart, all points", naivePrep + naiveFx, "<= 16 ms per frame", ours <= 16);
        r.figure("  data: incremental min/max", mPrep, "ms", "full copy + min/max", mFullPrep, "(sampler thread)", mPrep <= 16);
        r.figure("  FX thread: show + CSS + layout + raster", mFx, "ms", "LineChart, same downsampled points", lfx, "<= 16 ms", mFx <= 16);
        r.figure("  FX thread, CPU ms", mFxCpu, "ms", "LineChart, same points, CPU", lfxCpu, "<= 16 ms", mFxCpu <= 16);
        r.figure("  FX + software render of the chart", mFull, "ms", "LineChart downsampled: FX + snapshot", lfx + lrender, "<= 16 ms (sw pipeline)", mFull <= 16);
        r.figure("  same, CPU ms (FX + render threads)", mFullCpu, "ms", "LineChart downsampled, CPU", lfxCpu + lsnap[1], "<= 16 ms (sw pipeline)", mFullCpu <= 16);
        r.figure("  runLater to rendered frame", mPulse, "ms", "naive: FX + snapshot", naiveFx + naiveRender, "<= 16 ms (sw pipeline)", mPulse <= 16);
        Platform.exit();
    }

    private static void scene(javafx.scene.Parent node) {
        StackPane root = new StackPane(node);
        Scene sc = new Scene(root, WIDTH + 80, 500);
        Theme.style(sc, AppearanceSettings.Theme.LIGHT);
    }

    /** {prep ms, fx ms, points, vertices}: one frame of the TimeChart; prepared by a full recompute or incrementally. */
    private static double[] canvasFrame(StatsHistory h, Metric[] metrics, TimeChart tc, MinMaxBuckets inc) throws Exception {
        List<TimeChart.SeriesData> data = new ArrayList<>();
        int points = 0;
        long p0 = System.nanoTime();
        double lo, hi;
        if (inc == null) {
            StatsHistory.Window w = h.window(Long.MIN_VALUE, metrics);
            double[] x = new double[w.size()];
            for (int i = 0; i < x.length; i++) x[i] = w.times()[i] / 1000.0;
            for (int k = 0; k < metrics.length; k++) {
                List<Downsampler.Segment> s = Downsampler.minMax(x, w.values()[k], WIDTH / 2);
                points += s.stream().mapToInt(Downsampler.Segment::size).sum();
                data.add(new TimeChart.SeriesData(metrics[k].key(), s));
            }
            lo = x[0];
            hi = x[x.length - 1];
        } else {
            // as the dashboard: the sampler appended one sample since the last frame
            long to = h.lastTime();
            inc.update(h, to - SAMPLES * 1000L);
            for (int k = 0; k < metrics.length; k++) {
                List<Downsampler.Segment> s = inc.segments(k);
                points += s.stream().mapToInt(Downsampler.Segment::size).sum();
                data.add(new TimeChart.SeriesData(metrics[k].key(), s));
            }
            lo = (to - SAMPLES * 1000L) / 1000.0;
            hi = to / 1000.0;
        }
        double prep = (System.nanoTime() - p0) / 1e6;
        double[] fx = onFx(() -> {
            long c0 = TMX.getCurrentThreadCpuTime(), f0 = System.nanoTime();
            tc.show(data, lo, hi);
            renderFrame(tc.node().getScene().getRoot());
            return new double[]{(System.nanoTime() - f0) / 1e6, (TMX.getCurrentThreadCpuTime() - c0) / 1e6};
        });
        return new double[]{prep, fx[0], points, tc.drawnVertices(), fx[1]};
    }

    /** One more sample at the end of the history (the ring is full: the oldest falls off), as the sampler does each second. */
    private static void tick(StatsHistory h, Random rnd) {
        double[] v = new double[Metric.count()];
        for (int m = 0; m < v.length; m++) v[m] = 100 + rnd.nextGaussian() * 10;
        h.append(new Sample(h.lastTime() + 1000, Sample.Status.OK, "", v, "[]"));
    }

    /**
     * Posts a new frame with runLater and waits for the pulse after it to finish: the scene is dirty, so the
     * pulse runs CSS, layout (canvas commands) and hands the frame to the render thread; a snapshot then
     * synchronises with that render. Measures wall time from the post to the rendered frame.
     */
    private static double pulseFrame(StatsHistory h, Metric[] metrics, TimeChart tc, MinMaxBuckets inc) throws Exception {
        long to = h.lastTime();
        inc.update(h, to - SAMPLES * 1000L);
        List<TimeChart.SeriesData> data = new ArrayList<>();
        for (int k = 0; k < metrics.length; k++) data.add(new TimeChart.SeriesData(metrics[k].key(), inc.segments(k)));
        double lo = (to - SAMPLES * 1000L) / 1000.0, hi = to / 1000.0;
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
        // as the previous dashboard LineChart was styled: 1.5 px series lines (the theme's default is thicker)
        c.getScene().getStylesheets().add("data:text/css;base64,LmNoYXJ0LXNlcmllcy1saW5lIHsgLWZ4LXN0cm9rZS13aWR0aDogMS41cHg7IH0=");   // .chart-series-line { -fx-stroke-width: 1.5px; }
        return c;
    }

    /** CSS + layout: what the FX thread does for a frame before the render thread draws it. */
    private static void renderFrame(javafx.scene.Parent root) {
        root.applyCss();
        root.layout();
    }

    /** {prep ms, fx ms, points, fx CPU ms}. */
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
        double[] fx = onFx(() -> {
            long c0 = TMX.getCurrentThreadCpuTime(), f0 = System.nanoTime();
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
            return new double[]{(System.nanoTime() - f0) / 1e6, (TMX.getCurrentThreadCpuTime() - c0) / 1e6};
        });
        return new double[]{prep, fx[0], points, fx[1]};
    }

    private static final ThreadMXBean TMX = ManagementFactory.getThreadMXBean();

    /** The JavaFX render thread (the snapshot renders there; on screen every pulse does). */
    private static Thread renderThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("QuantumRenderer")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no QuantumRenderer thread"));
    }

    /** {wall ms, CPU ms of the FX thread + the render thread} of a software snapshot of the node's scene. */
    private static double[] snapshotCpu(javafx.scene.Node c) throws Exception {
        long rid = renderThread().getId();
        long r0 = TMX.getThreadCpuTime(rid);
        double[] fx = onFx(() -> {
            long c0 = TMX.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            c.getScene().getRoot().snapshot(null, null);
            return new double[]{(System.nanoTime() - t0) / 1e6, (TMX.getCurrentThreadCpuTime() - c0) / 1e6};
        });
        double render = (TMX.getThreadCpuTime(rid) - r0) / 1e6;
        return new double[]{fx[0], fx[1] + render};
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try { f.complete(c.call()); } catch (Throwable e) { f.completeExceptionally(e); }
        });
        return f.get(10, TimeUnit.MINUTES);
    }
}
