package io.msyspg.console.bench;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.Processes;

import java.util.List;

/**
 * The cluster harness: time to create and start a throwaway cluster through {@link PgCluster}, beside
 * the same initdb + pg_ctl start run by hand in the same run.
 */
final class HarnessBench implements Benchmark {
    @Override public String name() { return "harness"; }

    @Override public String description() { return "throwaway cluster start-up vs bare initdb + pg_ctl"; }

    @Override public void run(BenchReport r) throws Exception {
        PgBinaries bin = PgBinaries.system();
        long t0 = System.nanoTime();
        try (PgCluster c = PgCluster.builder(bin).start()) {
            double ours = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bench-bare");
            var account = c.account();
            account.giveOwnership(dir);
            String data = dir.resolve("d").toString();
            Processes.run(account.wrap(List.of(bin.tool("initdb").toString(), "-D", data, "--no-sync", "-A", "trust", "-E", "UTF8", "--locale=C")), 120);
            Processes.run(account.wrap(List.of(bin.tool("pg_ctl").toString(), "-D", data, "-w", "-o",
                    "-p " + (c.port() + 1) + " -k " + dir + " -c listen_addresses=''", "-l", dir.resolve("log").toString(), "start")), 120);
            double bare = (System.nanoTime() - t1) / 1e6;
            Processes.run(account.wrap(List.of(bin.tool("pg_ctl").toString(), "-D", data, "-m", "immediate", "stop")), 60);
            Processes.run(List.of("rm", "-rf", dir.toString()), 60);
            r.figure("create + start cluster", ours, "ms", "bare initdb + pg_ctl start", bare, "<= 1.5x bare", ours <= 1.5 * bare);
        }
    }
}
