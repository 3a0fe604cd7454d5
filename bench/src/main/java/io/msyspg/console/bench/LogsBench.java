package io.msyspg.console.bench;

import io.msyspg.console.core.logs.IntList;
import io.msyspg.console.core.logs.LinePrefix;
import io.msyspg.console.core.logs.LocalLogSource;
import io.msyspg.console.core.logs.LogDocument;
import io.msyspg.console.core.logs.LogFilter;
import io.msyspg.console.core.logs.LogFollower;
import io.msyspg.console.core.logs.LogFormat;
import io.msyspg.console.core.task.JobContext;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The log viewer: index a generated stderr log (1 GB by default; {@code -Dlogs.mb=N} or
 * {@code MSYSPG_BENCH_LOGS_MB=N} for a quick run) beside {@code wc -l}, index memory per line, a regex filter
 * beside {@code grep -c} with the same regex, and follow latency through 20 rotations.
 */
final class LogsBench implements Benchmark {
    static final String REGEX = "duration: [0-9]{3}\\.[0-9]+ ms";

    @Override public String name() { return "logs"; }

    @Override public String description() { return "log index vs wc -l, memory per line, regex filter vs grep -c, follow latency"; }

    @Override public void run(BenchReport r) throws Exception {
        long mb = Long.parseLong(System.getProperty("logs.mb", System.getenv().getOrDefault("MSYSPG_BENCH_LOGS_MB", "1024")));
        Path dir = Files.createTempDirectory("msyspg-logs-bench");
        try {
            Path file = dir.resolve("postgresql-2026-11-21-07.log");
            long t0 = System.nanoTime();
            long lines = generate(file, mb << 20);
            r.note(String.format(Locale.ROOT, "generated %s: %d MB, %d lines in %.1f s", file.getFileName(), Files.size(file) >> 20, lines,
                    (System.nanoTime() - t0) / 1e9));
            // warm the page cache and the JIT with one untimed run of each, then N pairs (wc -l, then the index);
            // the figures are the medians, and the median of the paired ratios is printed beside them
            int pairs = Integer.getInteger("logs.pairs", 5);
            String load0 = loadAverage();
            long wcLines = Long.parseLong(run(List.of("wc", "-l", file.toString())).trim().split("\\s+")[0]);
            LogDocument doc = load(file);
            double[] wcMs = new double[pairs], ourMs = new double[pairs], ratios = new double[pairs];
            for (int k = 0; k < pairs; k++) {
                long a = System.nanoTime();
                run(List.of("wc", "-l", file.toString()));
                wcMs[k] = (System.nanoTime() - a) / 1e6;
                doc = null;
                System.gc();
                // the previous document's 1 GB of mappings is unmapped by the cleaner after this GC; unmapping takes the
                // process's mapping lock for 10-30 ms, which the next load's mmap and page faults would wait for
                Thread.sleep(300);
                long b = System.nanoTime();
                doc = load(file);
                ourMs[k] = (System.nanoTime() - b) / 1e6;
                ratios[k] = ourMs[k] / wcMs[k];
            }
            double wc = median(wcMs), ours = median(ourMs);
            r.note(String.format(Locale.ROOT, "index runs (after one untimed run of each): ours %s ms, wc -l %s ms, paired ratios %s; median ratio %.2fx",
                    list(ourMs), list(wcMs), list(ratios), median(ratios)));
            int records = doc.index().size();
            r.note("load average before/after the index runs: " + load0 + " / " + loadAverage()
                    + " (other sessions share the " + Runtime.getRuntime().availableProcessors() + " cores)");
            // context: the same file through the sequential indexer (one thread, no memory mapping)
            System.setProperty("msyspg.logs.sequential", "true");
            try {
                doc = null;
                System.gc();
                long sq = System.nanoTime();
                LogDocument seq = new LogDocument(LocalLogSource.open(file), LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
                seq.load(file.getFileName().toString(), JobContext.none());
                r.note(String.format(Locale.ROOT, "context: sequential indexer (1 thread, read into the heap) %.0f ms, %d records",
                        (System.nanoTime() - sq) / 1e6, seq.index().size()));
                doc = seq;
            } finally {
                System.clearProperty("msyspg.logs.sequential");
            }
            r.note("wc -l counted " + wcLines + " lines; the index holds " + records + " records (continuation lines belong to their record)");
            r.figure("index " + (Files.size(file) >> 20) + " MB stderr log (median of " + pairs + ")", ours, "ms", "wc -l, same file (median)", wc,
                    "<= 2x wc -l", ours <= 2 * wc);
            double perLine = (double) doc.index().memoryBytes() / wcLines;
            r.absolute("index memory per line", perLine, "bytes", "<= 16 (lnav ~48)", perLine <= 16);
            // the figure is per line (above); per record is context (a record may span several lines)
            r.note(String.format(java.util.Locale.ROOT, "index memory per record: %.3f bytes (context, not a target)",
                    doc.index().memoryBytes() / (double) records));

            // regex filter beside grep -c
            LogFilter f = new LogFilter(null, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, Pattern.compile(REGEX), null);
            long c = System.nanoTime();
            IntList m = f.run(doc, 0, records, JobContext.none());
            double filterMs = (System.nanoTime() - c) / 1e6;
            long g = System.nanoTime();
            String grep = run(List.of("grep", "-cE", REGEX, file.toString()));
            double grepMs = (System.nanoTime() - g) / 1e6;
            r.note("filter /" + REGEX + "/ matched " + m.size() + " records; grep -c counted " + grep.trim() + " lines");
            r.figure("regex filter over " + wcLines / 1_000_000 + " M lines", filterMs, "ms", "grep -cE, same regex", grepMs,
                    "<= 3x grep -c", filterMs <= 3 * grepMs && Long.parseLong(grep.trim()) == m.size());
            doc = null;
            Files.delete(file);
            followLatency(r, dir);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A writer that rotates 20 times (some onto an older name, as Momentum's %M names do); a follower polling every 100 ms. */
    private void followLatency(BenchReport r, Path base) throws Exception {
        Path data = Files.createDirectory(base.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Path logs = Files.createDirectory(data.resolve("pg_log"));
        String[] names = new String[21];
        for (int i = 0; i <= 20; i++) names[i] = "postgresql-2026-11-21-" + String.format("%02d", i % 7) + ".log";
        Files.writeString(logs.resolve(names[0]), "");
        Files.writeString(data.resolve("current_logfiles"), "stderr pg_log/" + names[0] + "\n");
        LocalLogSource src = LocalLogSource.open(logs);
        LogDocument doc = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        LogFollower fo = new LogFollower(src, doc);
        fo.poll();
        List<Double> lat = new ArrayList<>();
        int perFile = 40;
        int total = 21 * perFile;
        long[] written = new long[total];
        Thread writer = new Thread(() -> {
            try {
                int n = 0;
                for (int f = 0; f <= 20; f++) {
                    if (f > 0) {
                        Files.writeString(data.resolve("current_logfiles.tmp"), "stderr pg_log/" + names[f] + "\n");
                        Files.move(data.resolve("current_logfiles.tmp"), data.resolve("current_logfiles"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    }
                    Path p = logs.resolve(names[f]);
                    for (int i = 0; i < perFile; i++, n++) {
                        written[n] = System.nanoTime();
                        Files.writeString(p, "2026-11-21 10:00:00.000 UTC [77] LOG:  seq " + n + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        Thread.sleep(7);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        int seen = 0;
        int[] order = new int[total];
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen < total && System.nanoTime() < deadline) {
            fo.poll();
            long now = System.nanoTime();
            for (int i = seen; i < doc.index().size(); i++) {
                String msg = doc.record(i).message();
                int n = Integer.parseInt(msg.substring(4));
                order[seen] = n;
                lat.add((now - written[n]) / 1e6);
                seen++;
            }
            Thread.sleep(100);
        }
        writer.join();
        double[] l = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p95 = l.length == 0 ? Double.NaN : l[(int) Math.min(l.length - 1, Math.ceil(l.length * 0.95) - 1)];
        boolean inOrder = seen == total;
        for (int i = 0; i < seen; i++) inOrder &= order[i] == i;
        r.note("follow: " + seen + " of " + total + " lines seen, " + (inOrder ? "each once and in order" : "NOT each once in order")
                + ", through 20 rotations (names repeat: appends to older files); poll every 100 ms");
        r.absolute("follow latency p95 through 20 rotations", p95, "ms", "<= 250 ms, all lines once", p95 <= 250 && inOrder);
    }

    private static LogDocument load(Path file) throws Exception {
        LogDocument d = new LogDocument(LocalLogSource.open(file), LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        d.load(file.getFileName().toString(), JobContext.none());
        return d;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String list(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, x < 10 ? "%.2f" : "%.0f", x));
        return b.toString();
    }

    private static long generate(Path file, long bytes) throws IOException {
        Random rnd = new Random(42);
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
        long t = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        long lines = 0, written = 0;
        String[] users = {"ecuser", "msyspg", "postgres"};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            StringBuilder sb = new StringBuilder(256);
            while (written < bytes) {
                t += rnd.nextInt(20);
                sb.setLength(0);
                sb.append(fmt.format(Instant.ofEpochMilli(t))).append(" UTC [").append(1000 + rnd.nextInt(5000)).append("] ");
                int kind = rnd.nextInt(100);
                if (kind < 70) {
                    sb.append("LOG:  duration: ").append(rnd.nextInt(2000)).append('.').append(rnd.nextInt(1000))
                            .append(" ms  statement: SELECT * FROM rt_log.stats WHERE id = ").append(rnd.nextInt(100000)).append('\n');
                    lines++;
                } else if (kind < 90) {
                    sb.append("LOG:  connection authorized: user=").append(users[rnd.nextInt(3)]).append(" database=ecelerity\n");
                    lines++;
                } else if (kind < 97) {
                    sb.append("WARNING:  there is no transaction in progress\n");
                    lines++;
                } else {
                    String ts = fmt.format(Instant.ofEpochMilli(t));
                    sb.append("ERROR:  relation \"rt_log.missing\" does not exist at character 15\n")
                            .append(ts).append(" UTC [4242] STATEMENT:  SELECT *\n\t  FROM rt_log.missing;\n");
                    lines += 3;
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
            }
        }
        return lines;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

}
