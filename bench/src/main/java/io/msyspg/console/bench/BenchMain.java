package io.msyspg.console.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bench/run [NAME...]}: runs all benchmarks, or the named ones, and prints every figure. */
public final class BenchMain {
    /** Every benchmark, in the order they run. */
    static final List<Benchmark> ALL = new ArrayList<>(List.of(
            new HarnessBench(),
            new ServerBench(),
            new LogsBench(),
            new BrowseBench(),
            new BackupBench(),
            new StatsBench(),
            new StartupBench(),
            new DemoBench()));

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<Benchmark> chosen = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--list")) {
                ALL.forEach(b -> System.out.printf("%-12s %s%n", b.name(), b.description()));
                return;
            }
            Benchmark b = ALL.stream().filter(x -> x.name().equalsIgnoreCase(a)).findFirst().orElse(null);
            if (b == null) {
                System.err.println("bench: no benchmark named '" + a + "' (bench/run --list shows them)");
                System.exit(2);
            }
            chosen.add(b);
        }
        if (chosen.isEmpty()) chosen.addAll(ALL);
        BenchReport report = new BenchReport(System.out);
        System.out.printf(Locale.ROOT, "msyspg-console benchmarks on %d cores, Java %s; figures beside references from the same run%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (Benchmark b : chosen) {
            report.begin(b);
            try {
                b.run(report);
            } catch (Exception e) {
                System.out.println("   FAILED: " + e);
            }
        }
        long missed = report.figures().stream().filter(f -> !f.met()).count();
        System.out.printf("%n%d figures, %d targets not met%n", report.figures().size(), missed);
        System.exit(0);
    }
}
