package io.msyspg.console.bench;

/**
 * One benchmark: measures the console's figures and, in the same run on the same data, the reference each
 * is judged against (psql, wc -l, grep -c, bare pg_dump…), so the result is a ratio that survives a noisy
 * machine. Register new ones in {@link BenchMain#ALL}.
 */
public interface Benchmark {
    String name();

    String description();

    void run(BenchReport report) throws Exception;
}
