package io.msyspg.console.bench;

import io.msyspg.console.core.backup.BackupFormat;
import io.msyspg.console.core.backup.BackupOptions;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.Bytes;
import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.tools.PgToolLocator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Backups: the console's pg_dump run (checks, progress, checksum; verification off) against bare pg_dump on the
 * same database, -Fd -j 2 against -Fc, and how far the reported percentage is from the true fraction of time.
 */
final class BackupBench implements Benchmark {
    private static final int ROUNDS = 5;

    @Override public String name() { return "backup"; }

    @Override public String description() { return "console-driven pg_dump vs bare pg_dump; -Fd -j 2 vs -Fc; progress error at 25/50/75%"; }

    @Override public void run(BenchReport r) throws Exception {
        PgBinaries bin = PgBinaries.system();
        Path work = Files.createTempDirectory("bench-backup");
        try (PgCluster c = PgCluster.builder(bin).start()) {
            try (Connection con = c.connect("postgres"); Statement st = con.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            ConnectionTarget t = ConnectionTarget.of(c.host(), c.port(), "bench", c.superuser());
            try (PooledDbSession s = PooledDbSession.open(t, null)) {
                load(s);
                BackupService svc = new BackupService(PgToolLocator.standard(null), null);
                Path pgDump = svc.plan(s, options(work.resolve("probe.dump"), BackupFormat.CUSTOM)).tool().path();
                r.note("database: " + Bytes.human(dbSize(s)) + "; pg_dump " + pgDump + "; " + ROUNDS + " alternating rounds, medians");

                double[] bare = new double[ROUNDS], ours = new double[ROUNDS];
                List<double[]> samples = null;
                double oursTotal = 0;
                for (int i = 0; i < ROUNDS; i++) {
                    boolean oursFirst = i % 2 == 1;
                    if (oursFirst) {
                        // ours runs first in odd rounds: the order of the pair does not favour either side
                        Path o0 = work.resolve("warm" + i + ".dump");
                        long w0 = System.nanoTime();
                        svc.run(svc.plan(s, options(o0, BackupFormat.CUSTOM)), new JobControl(JobControl.ProgressListener.NONE), l -> { });
                        ours[i] = (System.nanoTime() - w0) / 1e9;
                        Files.delete(o0);
                        Files.deleteIfExists(BackupService.checksumFile(o0));
                    }
                    Path f = work.resolve("bare" + i + ".dump");
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder(pgDump.toString(), "-h", c.host(), "-p", Integer.toString(c.port()), "-U", c.superuser(),
                            "-w", "-Fc", "-f", f.toString(), "bench").redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                    if (p.waitFor() != 0) throw new IllegalStateException("bare pg_dump failed");
                    bare[i] = (System.nanoTime() - t0) / 1e9;
                    Files.delete(f);

                    List<double[]> run = new ArrayList<>();
                    Path o = work.resolve("ours" + i + ".dump");
                    long t1 = System.nanoTime();
                    BackupService.Plan plan = svc.plan(s, options(o, BackupFormat.CUSTOM));
                    long[] start = {System.nanoTime()};
                    svc.run(plan, new JobControl(new JobControl.ProgressListener() {
                        @Override public void progress(double done, double total) {
                            if (total > 0) run.add(new double[] {(System.nanoTime() - start[0]) / 1e9, done / total});
                        }

                        @Override public void message(String m) { }
                    }), l -> { });
                    long end = System.nanoTime();
                    if (!oursFirst) ours[i] = (end - t1) / 1e9;
                    if (i == ROUNDS - 1) {
                        samples = run;
                        oursTotal = (end - start[0]) / 1e9;
                    }
                    Files.delete(o);
                    Files.deleteIfExists(BackupService.checksumFile(o));
                }
                double b = BenchReport.median(bare), w = BenchReport.median(ours);
                double[] paired = new double[ROUNDS];
                for (int i = 0; i < ROUNDS; i++) paired[i] = ours[i] / bare[i];
                double pr = BenchReport.median(paired);
                r.figure("console backup -Fc (checks+progress+sha256)", w, "s", "bare pg_dump -Fc", b, "median paired <= 1.03x", pr <= 1.03);
                r.note(String.format(Locale.ROOT, "rounds: bare %s s; console %s s; paired ratios %s (median %.3f); min console/min bare %.3f",
                        BenchReport.fmt(bare), BenchReport.fmt(ours), BenchReport.fmt(paired), pr, Arrays.stream(ours).min().orElse(0) / Arrays.stream(bare).min().orElse(1)));
                Path probe = work.resolve("sha.dump");
                svc.run(svc.plan(s, options(probe, BackupFormat.CUSTOM)), new JobControl(JobControl.ProgressListener.NONE), l -> { });
                long h0 = System.nanoTime();
                Bytes.sha256(probe);
                r.note(String.format(Locale.ROOT, "archive %s; its SHA-256 takes %.2f s of the console's run", Bytes.human(Files.size(probe)), (System.nanoTime() - h0) / 1e9));
                Files.delete(probe);

                double[] dir = new double[3], cust = new double[3];
                for (int i = 0; i < 3; i++) {
                    Path d = work.resolve("dir" + i);
                    BackupOptions od = options(d, BackupFormat.DIRECTORY);
                    od.jobs = 2;
                    long t0 = System.nanoTime();
                    svc.run(svc.plan(s, od), new JobControl(JobControl.ProgressListener.NONE), l -> { });
                    dir[i] = (System.nanoTime() - t0) / 1e9;
                    Bytes.deleteTree(d);
                    Path f = work.resolve("c" + i + ".dump");
                    long t1 = System.nanoTime();
                    svc.run(svc.plan(s, options(f, BackupFormat.CUSTOM)), new JobControl(JobControl.ProgressListener.NONE), l -> { });
                    cust[i] = (System.nanoTime() - t1) / 1e9;
                    Files.delete(f);
                }
                r.figure("console backup -Fd -j 2", BenchReport.median(dir), "s", "console backup -Fc", BenchReport.median(cust), "< 1.0x -Fc (2 cores)", BenchReport.median(dir) < BenchReport.median(cust));

                for (double target : new double[] {0.25, 0.50, 0.75}) {
                    double when = Double.NaN;
                    for (double[] sm : samples) {
                        if (sm[1] >= target) {
                            when = sm[0];
                            break;
                        }
                    }
                    double trueFraction = when / oursTotal;
                    double err = Math.abs(trueFraction - target) * 100;
                    r.absolute(String.format(Locale.ROOT, "progress error at %.0f%% (true %.0f%% of time)", target * 100, trueFraction * 100),
                            err, "pp", "<= 10 percentage points", err <= 10);
                }
            }
        } finally {
            Bytes.deleteTree(work);
        }
    }

    private static BackupOptions options(Path out, BackupFormat f) {
        BackupOptions o = new BackupOptions();
        o.format = f;
        o.output = out;
        o.verify = false;
        return o;
    }

    private static void load(PooledDbSession s) throws Exception {
        try (Connection c = s.borrow(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE big(id int, a text, b timestamptz, c numeric)");
            st.execute("INSERT INTO big SELECT g, md5(g::text) || repeat(md5((g % 977)::text), 4), now() - g * interval '1 s', g * 1.5 FROM generate_series(1, 500000) g");
            st.execute("CREATE TABLE medium(id int, payload jsonb)");
            st.execute("INSERT INTO medium SELECT g, jsonb_build_object('k', g, 'v', md5(g::text), 'w', repeat('x', 60)) FROM generate_series(1, 200000) g");
            for (int i = 0; i < 40; i++) {
                st.execute("CREATE TABLE small_" + i + " AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, " + (500 + i * 200) + ") g");
            }
            st.execute("VACUUM ANALYZE");
        }
    }

    private static long dbSize(PooledDbSession s) throws Exception {
        try (Connection c = s.borrow(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
