package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.server.ConfigService;
import io.msyspg.console.core.server.MaintenanceService;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.core.task.JobContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Server screen figures on a cluster with many tables (a Momentum database has tens of thousands of
 * partitions): the data-directory walk beside {@code du -sb}, the one-query "needs vacuum" list beside a bare
 * scan of pg_stat_all_tables, and the settings snapshot beside {@code SELECT * FROM pg_settings}.
 */
final class ServerBench implements Benchmark {
    private static final int TABLES = Integer.getInteger("bench.server.tables", 5000);

    @Override public String name() { return "server"; }

    @Override public String description() { return "data dir size walk, needs-vacuum list, settings snapshot (" + TABLES + " tables)"; }

    @Override public void run(BenchReport r) throws Exception {
        try (PgCluster c = PgCluster.builder(PgBinaries.system()).start()) {
            try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement()) {
                for (int from = 1; from <= TABLES; from += 500) {   // one transaction per 500 tables (lock table size)
                    s.execute("DO $$ BEGIN FOR i IN " + from + ".." + Math.min(TABLES, from + 499) + " LOOP EXECUTE format('CREATE TABLE t%s (id int, v text)', i);"
                            + " EXECUTE format('INSERT INTO t%s SELECT g, ''x'' FROM generate_series(1, 10) g', i); END LOOP; END $$");
                }
            }
            Path data = c.dataDir();
            Path state = Files.createTempDirectory("bench-server-state");
            StorageService storage = new StorageService(MountTable.PROC_MOUNTS, state);
            storage.measure(data, null, JobContext.none());   // warm the file cache for both
            long t0 = System.nanoTime();
            long total = storage.measure(data, null, JobContext.none()).totalBytes();
            double ours = ms(t0);
            t0 = System.nanoTime();
            Processes.Result du = Processes.run(List.of("du", "-sb", data.toString()), 120);
            double duMs = ms(t0);
            r.figure("measure data dir (" + total / (1024 * 1024) + " MB)", ours, "ms", "du -sb", duMs, "<= 3x du", ours <= 3 * duMs);

            try (PooledDbSession session = PooledDbSession.open(ConnectionTarget.of(c.host(), c.port(), "postgres", c.superuser()), null)) {
                MaintenanceService m = new MaintenanceService(session);
                m.needsVacuum(500);
                t0 = System.nanoTime();
                int rows = m.needsVacuum(500).size();
                double nv = ms(t0);
                t0 = System.nanoTime();
                try (Connection conn = session.borrow(); Statement s = conn.createStatement();
                     ResultSet rs = s.executeQuery("SELECT relname, n_dead_tup FROM pg_stat_all_tables")) {
                    while (rs.next()) rs.getString(1);
                }
                double bare = ms(t0);
                r.figure("needs-vacuum list (" + rows + " of " + TABLES + ")", nv, "ms", "bare pg_stat_all_tables scan", bare,
                        "<= 5x bare", nv <= 5 * bare);

                ConfigService cfg = new ConfigService(session);
                cfg.load();
                t0 = System.nanoTime();
                int n = cfg.load().settings().size();
                double load = ms(t0);
                t0 = System.nanoTime();
                try (Connection conn = session.borrow(); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM pg_settings")) {
                    while (rs.next()) rs.getString(1);
                }
                double plain = ms(t0);
                r.figure("settings snapshot (" + n + " settings + file join)", load, "ms", "SELECT * FROM pg_settings", plain,
                        "<= 10x plain", load <= 10 * plain);
            }
            Processes.run(List.of("rm", "-rf", state.toString()), 30);
        }
    }

    private static double ms(long t0) { return (System.nanoTime() - t0) / 1e6; }
}
