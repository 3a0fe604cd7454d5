package io.msyspg.console.core.stats;

import io.msyspg.console.core.connect.DbSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Samples one server on its own daemon thread, whatever the GUI shows: every tick runs ONE snapshot statement
 * on the session's dedicated monitoring connection (autocommit, so statistics are never frozen by a
 * transaction), computes rates against the previous snapshot and appends the result to a bounded
 * {@link StatsHistory}. Database sizes are read separately and at most every {@link #sizeInterval} (they
 * walk the data files). When someone asked for them, the session list and the aggregated locks are read
 * after the snapshot, on the same connection (the monitoring connection is only ever used from this thread).
 * Listeners run on the sampler thread: they must hand over to their own thread (the GUI coalesces).
 */
public final class StatsSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SIZE_INTERVAL = Duration.ofMinutes(5);
    /** pg_stat_statements is read this often (cheap without texts, but not every second). */
    public static final Duration DEFAULT_TOP_INTERVAL = Duration.ofSeconds(10);
    /** While pg_stat_statements is missing, look for it again this often (the admin may install it meanwhile). */
    static final Duration REDETECT_INTERVAL = Duration.ofSeconds(30);

    private final DbSession session;
    private final StatsHistory history;
    private final StatsHistory sizes;
    private final DatabaseHistory databases;
    private final TopQueries topQueries;
    private volatile StorageTrend trend;
    private volatile Duration topInterval = DEFAULT_TOP_INTERVAL;
    private long lastTopAt = Long.MIN_VALUE, lastDetectAt = Long.MIN_VALUE, topStatementsSeen;
    private final ScheduledExecutorService exec;
    private final List<Consumer<Sample>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ActivityReport>> activityListeners = new CopyOnWriteArrayList<>();
    private final String sql;
    private volatile Duration interval = DEFAULT_INTERVAL;
    private volatile Duration sizeInterval = DEFAULT_SIZE_INTERVAL;
    private volatile boolean activityWanted;
    private volatile Sample latest;
    private volatile Thread thread;
    private volatile long lastServerNanos;   // server-side execution time of the last snapshot, measured from the client
    private ScheduledFuture<?> next;
    private java.sql.PreparedStatement prepared;
    private Connection preparedOn;
    private Snapshot prev;
    private long ownStatements;
    private long lastSizeAt = Long.MIN_VALUE;
    private double dbSize = Double.NaN, clusterSize = Double.NaN;
    private long lastGoodServerTime = -1, lastGoodLocalNanos;
    private boolean closed;

    public StatsSampler(DbSession session, StatsHistory history, StatsHistory sizes) {
        this(session, history, sizes, new DatabaseHistory(history.capacity()), new TopQueries(8_640));
    }

    /** With the per-database history and top-query state of a previous sampler of the same server (kept on reconnect). */
    public StatsSampler(DbSession session, StatsHistory history, StatsHistory sizes, DatabaseHistory databases, TopQueries topQueries) {
        this.session = session;
        this.history = history;
        this.sizes = sizes;
        this.databases = databases;
        this.topQueries = topQueries;
        this.sql = SnapshotQuery.sql(session.serverVersion().major());
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msyspg-stats-" + session.target().display());
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    public StatsSampler(DbSession session) {
        this(session, new StatsHistory(86_400), new StatsHistory(8_640));
    }

    public DbSession session() { return session; }
    public StatsHistory history() { return history; }
    /** Size readings only (database and cluster size), minutes apart. */
    public StatsHistory sizes() { return sizes; }
    public Sample latest() { return latest; }
    /** Per-database rates (commits, rollbacks, tuples, blocks per database). */
    public DatabaseHistory databases() { return databases; }
    /** pg_stat_statements rates (read every {@link #topInterval()}). */
    public TopQueries topQueries() { return topQueries; }
    public Duration topInterval() { return topInterval; }
    public void setTopInterval(Duration d) { topInterval = d; }
    /** Reads pg_stat_statements at all (on by default; the CLI turns it on only with --top). */
    public void setTopQueriesEnabled(boolean on) { topEnabled = on; }
    private volatile boolean topEnabled = true;
    /** The persisted storage trend this sampler feeds (database sizes, data directory walks), or null. */
    public StorageTrend storageTrend() { return trend; }
    public void setStorageTrend(StorageTrend t) { trend = t; }
    public Duration interval() { return interval; }
    public int serverMajor() { return session.serverVersion().major(); }
    /** The sampler's thread (for CPU accounting), or null before the first tick. */
    public Thread thread() { return thread; }
    public long lastSnapshotNanos() { return lastServerNanos; }

    public void addListener(Consumer<Sample> l) { listeners.add(l); }
    public void removeListener(Consumer<Sample> l) { listeners.remove(l); }
    public void addActivityListener(Consumer<ActivityReport> l) { activityListeners.add(l); }
    public void removeActivityListener(Consumer<ActivityReport> l) { activityListeners.remove(l); }

    /** Ask for (or stop reading) the session list and lock summary after each snapshot. */
    public void setActivityWanted(boolean wanted) { activityWanted = wanted; }

    public void setSizeInterval(Duration d) { sizeInterval = d; }

    /** Changes the sampling interval (at least 100 ms); takes effect at the next tick. */
    public synchronized void setInterval(Duration d) {
        if (d.toMillis() < 100) throw new IllegalArgumentException("sampling interval must be at least 100 ms");
        interval = d;
        if (next != null && !closed) {
            next.cancel(false);
            next = exec.schedule(this::tick, d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public synchronized StatsSampler start() {
        if (next == null && !closed) next = exec.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
        return this;
    }

    public synchronized boolean isRunning() { return next != null && !closed; }

    /** Runs one tick now on the calling thread (CLI and tests drive the sampler this way; do not mix with start()). */
    public Sample sampleNow() {
        return doTick();
    }

    private void tick() {
        long t0 = System.nanoTime();
        try {
            doTick();
        } catch (RuntimeException e) {
            log.warn("stats tick failed", e);
        }
        synchronized (this) {
            if (closed) return;
            long wait = Math.max(0, interval.toMillis() - (System.nanoTime() - t0) / 1_000_000);
            next = exec.schedule(this::tick, wait, TimeUnit.MILLISECONDS);
        }
    }

    private Sample doTick() {
        Sample s;
        ActivityReport activity = null;
        try {
            Connection c = session.monitoring();
            ownStatements++;   // monitoring() validates the connection (or sets it up): one more transaction of ours
            Snapshot snap;
            if (c != preparedOn) {
                // a server-side prepared statement: the big statement over many views is parsed and rewritten once
                if (prepared != null) {
                    try { prepared.close(); } catch (SQLException ignored) { /* old connection */ }
                }
                prepared = c.prepareStatement(sql);
                if (prepared.isWrapperFor(org.postgresql.PGStatement.class)) prepared.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
                preparedOn = c;
            }
            long t0 = System.nanoTime();
            try (ResultSet rs = prepared.executeQuery()) {
                ownStatements++;
                rs.next();
                snap = new Snapshot(rs, ownStatements);
            }
            lastServerNanos = System.nanoTime() - t0;
            s = RateCalculator.compute(prev, snap);
            prev = snap;
            lastGoodServerTime = snap.serverTimeMillis();
            lastGoodLocalNanos = System.nanoTime();
            maybeSizes(c, s);
            maybeTopQueries(c);
            StorageTrend tr = trend;
            if (tr != null) tr.maybeMeasureDataDirectory(this::serverNowMillis);
            if (!Double.isNaN(dbSize)) {
                s.values()[Metric.DB_SIZE.ordinal()] = dbSize;
                s.values()[Metric.CLUSTER_SIZE.ordinal()] = clusterSize;
            }
            if (activityWanted && !activityListeners.isEmpty()) {
                activity = ActivityService.read(c, s.get(Metric.SESSIONS_WAITING) > 0);
                ownStatements += 2;
            }
        } catch (SQLException e) {
            preparedOn = null;
            long t = lastGoodServerTime < 0 ? System.currentTimeMillis()
                    : lastGoodServerTime + (System.nanoTime() - lastGoodLocalNanos) / 1_000_000;
            s = Sample.error(t, "cannot read statistics: " + e.getMessage());
            log.debug("stats snapshot failed on {}: {}", session.target().display(), e.getMessage());
        }
        latest = s;
        history.append(s);
        databases.append(s);
        for (Consumer<Sample> l : listeners) {
            try { l.accept(s); } catch (RuntimeException e) { log.warn("stats listener failed", e); }
        }
        if (activity != null) {
            for (Consumer<ActivityReport> l : activityListeners) {
                try { l.accept(activity); } catch (RuntimeException e) { log.warn("activity listener failed", e); }
            }
        }
        return s;
    }

    private void maybeSizes(Connection c, Sample s) {
        long now = System.nanoTime();
        if (lastSizeAt != Long.MIN_VALUE && now - lastSizeAt < sizeInterval.toNanos()) return;
        lastSizeAt = now;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SnapshotQuery.SIZES)) {
            ownStatements++;
            rs.next();
            dbSize = rs.getDouble(1);
            clusterSize = rs.getDouble(2);
            double[] v = new double[Metric.count()];
            java.util.Arrays.fill(v, Double.NaN);
            v[Metric.DB_SIZE.ordinal()] = dbSize;
            v[Metric.CLUSTER_SIZE.ordinal()] = clusterSize;
            sizes.append(new Sample(s.serverTimeMillis(), Sample.Status.OK, "", v, "[]"));
            StorageTrend tr = trend;
            if (tr != null) tr.addDatabaseSizes(s.serverTimeMillis(), dbSize, clusterSize);
        } catch (SQLException e) {
            ownStatements++;
            log.debug("database size skipped: {}", e.getMessage());
        }
    }

    /** The server clock now, estimated from the last good snapshot (the local clock before the first one). */
    long serverNowMillis() {
        return lastGoodServerTime < 0 ? System.currentTimeMillis() : lastGoodServerTime + (System.nanoTime() - lastGoodLocalNanos) / 1_000_000;
    }

    /** Reads pg_stat_statements when due (detecting it first, and again while it is missing). Errors never fail the tick. */
    private void maybeTopQueries(Connection c) {
        if (!topEnabled) return;
        long now = System.nanoTime();
        try {
            if (!topQueries.availability().available()) {
                if (lastDetectAt != Long.MIN_VALUE && now - lastDetectAt < REDETECT_INTERVAL.toNanos()) return;
                lastDetectAt = now;
                if (!topQueries.detect(c).available()) return;
            }
            if (lastTopAt != Long.MIN_VALUE && now - lastTopAt < topInterval.toNanos()) return;
            lastTopAt = now;
            topQueries.sample(c);
        } catch (SQLException e) {
            log.debug("pg_stat_statements skipped: {}", e.getMessage());
            lastDetectAt = now;
            try {
                topQueries.detect(c);
            } catch (SQLException again) {
                log.debug("pg_stat_statements detection failed: {}", again.getMessage());
            }
        } finally {
            long st = topQueries.statements();
            ownStatements += st - topStatementsSeen;
            topStatementsSeen = st;
        }
    }

    @Override public void close() {
        synchronized (this) {
            closed = true;
            if (next != null) next.cancel(false);
        }
        exec.shutdownNow();
        try {
            exec.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
