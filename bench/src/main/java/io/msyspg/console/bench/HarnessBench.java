package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.cluster.ServerAccount;
import io.msyspg.console.core.common.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The cluster harness: time to create and start a throwaway cluster through {@link PgCluster}, beside the same
 * initdb + pg_ctl start run by hand in the same run. One untimed pair first (page cache, JIT), then
 * {@value #ROUNDS} pairs in alternating order; the figure is the median, the target the median paired ratio.
 */
final class HarnessBench implements Benchmark {
    static final int ROUNDS = 5;

    @Override public String name() { return "harness"; }

    @Override public String description() { return "throwaway cluster start-up vs bare initdb + pg_ctl"; }

    @Override public void run(BenchReport r) throws Exception {
        PgBinaries bin = PgBinaries.system();
        double[] ours = new double[ROUNDS];
        double[] bare = new double[ROUNDS];
        double[] paired = new double[ROUNDS];
        for (int i = -1; i < ROUNDS; i++) {
            boolean oursFirst = i % 2 == 0;
            double o;
            double b;
            if (oursFirst) {
                o = harness(bin);
                b = bare(bin);
            } else {
                b = bare(bin);
                o = harness(bin);
            }
            if (i < 0) continue;
            ours[i] = o;
            bare[i] = b;
            paired[i] = o / b;
        }
        double pr = BenchReport.median(paired);
        r.figure("create + start cluster", BenchReport.median(ours), "ms", "bare initdb + pg_ctl start", BenchReport.median(bare),
                "median paired <= 1.5x bare", pr <= 1.5);
        r.note(String.format(Locale.ROOT, "%d alternating pairs after an untimed one; paired ratios %s (median %.2f)",
                ROUNDS, BenchReport.fmt(paired), pr));
    }

    /** Milliseconds to a started cluster through the harness (stopped and removed afterwards, not timed). */
    private static double harness(PgBinaries bin) {
        long t0 = System.nanoTime();
        try (PgCluster c = PgCluster.builder(bin).start()) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Milliseconds for initdb + pg_ctl start by hand, with the harness's options (cleaned up afterwards, not timed). */
    private static double bare(PgBinaries bin) throws Exception {
        ServerAccount account = ServerAccount.forNewCluster();
        Path dir = Files.createTempDirectory("bench-bare");
        account.giveOwnership(dir);
        String data = dir.resolve("d").toString();
        int port = PgCluster.freePort();
        long t0 = System.nanoTime();
        Processes.run(account.wrap(List.of(bin.tool("initdb").toString(), "-D", data, "--no-sync", "-A", "trust", "-E", "UTF8", "--locale=C")), 120);
        Processes.run(account.wrap(List.of(bin.tool("pg_ctl").toString(), "-D", data, "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=''", "-l", dir.resolve("log").toString(), "start")), 120);
        double ms = (System.nanoTime() - t0) / 1e6;
        Processes.run(account.wrap(List.of(bin.tool("pg_ctl").toString(), "-D", data, "-m", "immediate", "-w", "stop")), 60);
        Processes.run(List.of("rm", "-rf", dir.toString()), 60);
        return ms;
    }
}
