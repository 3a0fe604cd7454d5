package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.demo.DemoSandbox;
import io.msyspg.console.core.task.JobContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo sandbox: build time of a SMALL and a LARGE sandbox (server created, schema, partitions, history),
 * and how many partitions LARGE holds, beside the time psql needs to count them (the browser benchmark's
 * starting point). Sandboxes live in a temporary folder and are deleted afterwards.
 * {@code -Dmsyspg.bench.demo.keep=DIR} keeps the LARGE sandbox in DIR for manual checks.
 */
final class DemoBench implements Benchmark {
    @Override public String name() { return "demo"; }

    @Override public String description() { return "demo sandbox build times (small, large) and large's partition count"; }

    @Override public void run(BenchReport r) throws Exception {
        Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "msyspg-demo-bench-");
        io.msyspg.console.core.common.FilePermissions.set(base, "rwx--x--x");   // the postgres account must traverse it
        AppDirs dirs = new AppDirs(base.resolve("config"), base.resolve("state"), base.resolve("cache"));
        String keep = System.getProperty("msyspg.bench.demo.keep");
        DemoSandbox small = new DemoSandbox(dirs, base.resolve("small"));
        DemoSandbox large = new DemoSandbox(dirs, keep != null ? Path.of(keep) : base.resolve("large"));
        try {
            double smallS = timed(() -> small.start(DemoSandbox.Size.SMALL, JobContext.none()));
            small.reset();
            double largeS = timed(() -> large.start(DemoSandbox.Size.LARGE, JobContext.none()));
            String url = large.status().url();
            Path psql = PgBinaries.system().binDir().resolve("psql");
            long t0 = System.nanoTime();
            Processes.Result count = Processes.run(List.of(psql.toString(), "-X", "-At", url, "-c",
                    "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relkind = 'p'"
                            + " AND (SELECT relkind FROM pg_class WHERE oid = i.inhrelid) IN ('r', 'p')"), 300);
            double psqlMs = (System.nanoTime() - t0) / 1e6;
            long partitions = Long.parseLong(count.stdout().strip());
            r.absolute("build SMALL sandbox", smallS, "s", "<= 30 s on 2 idle cores", smallS <= 30);
            r.figure("build LARGE sandbox", largeS, "s", "SMALL build", smallS, "informational", true);
            r.absolute("LARGE partitions", partitions, "", ">= 20000", partitions >= 20000);
            r.absolute("psql: count LARGE partitions", psqlMs, "ms", "informational", true);
            if (keep != null) r.note("LARGE sandbox kept in " + keep + ": " + url);
        } finally {
            if (keep == null) large.reset();
            small.reset();
            if (keep == null) Processes.run(List.of("rm", "-rf", base.toString()), 120);
        }
    }

    interface Step { void run() throws Exception; }

    private static double timed(Step s) throws Exception {
        long t0 = System.nanoTime();
        s.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
