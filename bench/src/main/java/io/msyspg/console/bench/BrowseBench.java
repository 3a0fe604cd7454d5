package io.msyspg.console.bench;

import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.CatalogService;
import io.msyspg.console.core.browse.Folder;
import io.msyspg.console.core.browse.Page;
import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema browser on a database with tens of thousands of partitions: first page of a schema's tables,
 * folder counts, first page of a partitioned table's partitions, beside {@code psql -X -c '\dt schema.*'} on
 * the same database; and the heap the expanded tree holds, beside the heap of loading every relation at once.
 * <p>
 * By default it builds its own database in a throwaway cluster: {@value #PARENTS} daily-partitioned tables of
 * {@value #DAYS} partitions each (two years, like Momentum's rt_log) = 20,440 partitions, one DO block per parent
 * (creating many partitions under ONE parent costs O(n²): each new partition rebuilds the parent's partition
 * descriptor). To measure an existing database instead (the demo's LARGE size, a copy of production):
 * {@code -Dmsyspg.bench.browse.target=host:port/database/user} (password from PGPASSWORD) and
 * {@code -Dmsyspg.bench.browse.schema=rt_log}.
 */
final class BrowseBench implements Benchmark {
    static final int PARENTS = 28;
    static final int DAYS = 730;
    private static final int RUNS = 7;
    private static final char[] PASSWORD = "bench-pw".toCharArray();

    @Override public String name() { return "browse"; }

    @Override public String description() { return "schema browser on 20,000+ partitions vs psql \\dt; heap of the expanded tree"; }

    @Override public void run(BenchReport r) throws Exception {
        String existing = System.getProperty("msyspg.bench.browse.target");
        String schema = System.getProperty("msyspg.bench.browse.schema", "rt_log");
        if (existing != null) {
            String[] hp = existing.split("/", 3);
            String[] hostPort = hp[0].split(":");
            ConnectionTarget t = ConnectionTarget.of(hostPort[0], Integer.parseInt(hostPort[1]), hp[1], hp[2]);
            String pw = System.getenv("PGPASSWORD");
            try (PooledDbSession s = PooledDbSession.open(t, pw == null ? null : pw.toCharArray())) {
                measure(r, s, schema, PgBinaries.system().tool("psql").toString(), pw);
            }
            return;
        }
        PgBinaries bin = PgBinaries.system();
        try (PgCluster c = PgCluster.builder(bin).superuser("postgres").password(PASSWORD).start()) {
            try (Connection conn = c.connect("postgres"); Statement st = conn.createStatement()) {
                st.execute("CREATE DATABASE browsebench");
            }
            long t0 = System.nanoTime();
            try (Connection conn = c.connect("browsebench"); Statement st = conn.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                for (int p = 0; p < PARENTS; p++) {
                    String parent = String.format("stats_%02d", p);
                    st.execute("CREATE TABLE " + schema + "." + parent + " (day date NOT NULL, domain text NOT NULL, delivered bigint, "
                            + "bounced bigint, PRIMARY KEY (day, domain)) PARTITION BY RANGE (day)");
                    st.execute("DO $$ BEGIN FOR i IN 0.." + (DAYS - 1) + " LOOP EXECUTE format("
                            + "'CREATE TABLE " + schema + ".%I PARTITION OF " + schema + "." + parent + " FOR VALUES FROM (%L) TO (%L)', '"
                            + parent + "_' || to_char(date '2025-01-01' + i, 'YYYYMMDD'), date '2025-01-01' + i, date '2025-01-01' + i + 1); "
                            + "END LOOP; END $$");
                }
                st.execute("ANALYZE");
            }
            r.note(String.format("built %d partitioned tables x %d daily partitions = %,d partitions (+ their %,d primary-key indexes) in %.1f s",
                    PARENTS, DAYS, PARENTS * DAYS, PARENTS * DAYS, (System.nanoTime() - t0) / 1e9));
            try (PooledDbSession s = PooledDbSession.open(ConnectionTarget.of(c.host(), c.port(), "browsebench", "postgres"), PASSWORD)) {
                measure(r, s, schema, bin.tool("psql").toString(), new String(PASSWORD));
            }
        }
    }

    private void measure(BenchReport r, PooledDbSession s, String schema, String psql, String password) throws Exception {
        CatalogService cat = new CatalogService(s);
        JobContext ctx = JobContext.none();
        long relations;
        try (Connection c = s.borrow(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class WHERE relnamespace = '" + schema.replace("'", "''") + "'::regnamespace AND relkind IN ('r','p')")) {
            rs.next();
            relations = rs.getLong(1);
        }
        r.note(String.format("schema %s: %,d tables and partitions; PostgreSQL %s", schema, relations, s.serverVersion()));
        cat.folder(schema, Folder.TABLES, null, Page.PageKey.FIRST, 500, ctx); // warm the pool and the catalog caches

        double firstPage = median(() -> cat.folder(schema, Folder.TABLES, null, Page.PageKey.FIRST, 500, ctx));
        double count = median(() -> cat.counts(schema, null, ctx));
        CatalogObject biggest = biggestParent(cat, schema, ctx);
        double expand = biggest == null ? -1 : median(() -> cat.partitions(biggest.oid(), null, Page.PageKey.FIRST, 500, ctx));
        double filtered = median(() -> cat.folder(schema, Folder.TABLES, "0", Page.PageKey.FIRST, 500, ctx));

        Map<String, String> env = new HashMap<>();
        env.put("PGPASSWORD", password == null ? "" : password);
        env.put("LC_ALL", "C");
        List<String> cmd = List.of(psql, "-X", "-q", "-h", s.target().host(), "-p", Integer.toString(s.target().port()),
                "-U", s.target().user(), "-d", s.target().database(), "-c", "\\dt " + schema + ".*");
        Processes.Result warm = Processes.run(cmd, null, env, 120);
        if (!warm.ok()) throw new IllegalStateException("psql failed: " + warm.output());
        double psqlMs = median(() -> Processes.run(cmd, null, env, 120));
        r.note(String.format("psql \\dt %s.* prints %,d lines", schema, warm.stdout().lines().count()));

        r.figure("schema first page (Tables folder, 500 max)", firstPage, "ms", "psql -X \\dt schema.*", psqlMs, "<= 200 ms", firstPage <= 200);
        r.figure("count every folder of the schema", count, "ms", "psql -X \\dt schema.*", psqlMs, "<= 1000 ms", count <= 1000);
        if (biggest != null) {
            r.figure("expand " + biggest.name() + " (first 500 of " + biggest.partitionCount() + ")", expand, "ms",
                    "psql -X \\dt schema.*", psqlMs, "<= 200 ms", expand <= 200);
        }
        r.figure("filtered first page (ILIKE in SQL)", filtered, "ms", "psql -X \\dt schema.*", psqlMs, "<= 200 ms", filtered <= 200);

        // heap: the tree with the schema's folder and every partitioned table expanded (first page each) …
        List<CatalogObject> parents = allPages(cat, schema, ctx);
        long before = usedHeap();
        List<Object> tree = new ArrayList<>();
        tree.add(cat.counts(schema, null, ctx));
        for (CatalogObject p : parents) {
            tree.add(new javafx.scene.control.TreeItem<>(p));
            if (p.hasPartitions()) {
                for (CatalogObject part : cat.partitions(p.oid(), null, Page.PageKey.FIRST, 500, ctx).items()) {
                    tree.add(new javafx.scene.control.TreeItem<>(part));
                }
            }
        }
        long expandedBytes = usedHeap() - before;
        int nodes = tree.size();
        // … beside loading every relation of the schema at once (what a load-everything browser holds)
        tree.clear();
        before = usedHeap();
        List<Object> everything = new ArrayList<>();
        for (CatalogObject p : parents) {
            everything.add(new javafx.scene.control.TreeItem<>(p));
            if (!p.hasPartitions()) continue;
            Page.PageKey key = Page.PageKey.FIRST;
            do {
                Page pg = cat.partitions(p.oid(), null, key, 5000, ctx);
                for (CatalogObject o : pg.items()) everything.add(new javafx.scene.control.TreeItem<>(o));
                key = pg.next();
            } while (key != null);
        }
        long allBytes = usedHeap() - before;
        r.note(String.format("expanded tree: %,d nodes; every relation loaded: %,d nodes", nodes, everything.size()));
        everything.clear();
        r.figure("heap growth, every parent expanded (1st page)", expandedBytes / 1048576.0, "MB",
                "every relation loaded at once", allBytes / 1048576.0, "<= 50 MB", expandedBytes <= 50L * 1048576);
    }

    private static CatalogObject biggestParent(CatalogService cat, String schema, JobContext ctx) throws Exception {
        return allPages(cat, schema, ctx).stream().filter(CatalogObject::hasPartitions)
                .max((a, b) -> Long.compare(a.partitionCount(), b.partitionCount())).orElse(null);
    }

    private static List<CatalogObject> allPages(CatalogService cat, String schema, JobContext ctx) throws Exception {
        List<CatalogObject> out = new ArrayList<>();
        Page.PageKey key = Page.PageKey.FIRST;
        do {
            Page p = cat.folder(schema, Folder.TABLES, null, key, 500, ctx);
            out.addAll(p.items());
            key = p.next();
        } while (key != null && out.size() < 5000);
        return out;
    }

    interface Work {
        Object run() throws Exception;
    }

    private static double median(Work w) throws Exception {
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
