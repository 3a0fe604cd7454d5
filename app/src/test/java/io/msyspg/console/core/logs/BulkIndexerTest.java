package io.msyspg.console.core.logs;

import io.msyspg.console.core.task.JobContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parallel, memory-mapped indexer must give exactly the index of the sequential one: same records (offset,
 * severity, time), same segment end, whatever falls on a unit edge (continuation lines, DETAIL lines, long lines,
 * CRLF, translated words, garbage), and the follow path must continue after it.
 */
class BulkIndexerTest {
    @TempDir Path dir;

    @AfterEach
    void restore() {
        BulkIndexer.minBytes = BulkIndexer.MIN_BYTES;
        BulkIndexer.unitBytes = BulkIndexer.UNIT;
        BulkIndexer.regionBytes = BulkIndexer.REGION;
        BulkIndexer.threadsOverride = 0;
        BulkIndexer.afterMapping = null;
        System.clearProperty("msyspg.logs.sequential");
    }

    static byte[] mixedLog(long seed, int records, boolean endWithNewline) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] sev = {"LOG", "LOG", "LOG", "WARNING", "ERROR", "FATAL", "NOTICE", "INFO", "DEBUG", "PANIC",
                "FEHLER", "WARNUNG", "ОШИБКА", "错误", "ERREUR", "HINWEIS", "Quatsch"};
        String[] det = {"DETAIL", "HINT", "STATEMENT", "CONTEXT", "TIPP", "ANWEISUNG", "ПОДРОБНОСТИ", "详细信息", "QUERY"};
        long ms = 1_700_000_000_000L;
        for (int i = 0; i < records; i++) {
            ms += r.nextInt(5000);
            String ts = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(ms));
            String zone = r.nextInt(50) == 0 ? " CET" : " UTC";
            String eol = r.nextInt(30) == 0 ? "\r\n" : "\n";
            int kind = r.nextInt(100);
            StringBuilder sb = new StringBuilder();
            if (kind < 2) {
                byte[] junk = new byte[r.nextInt(300)];
                r.nextBytes(junk);
                out.writeBytes(junk);
                out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (kind < 3) {                                      // a long line (beyond the 1 kB head)
                sb.append(ts).append(zone).append(" [7] LOG:  ").append("x".repeat(2000 + r.nextInt(200_000))).append(eol);
            } else if (kind < 5) {
                sb.append("\tcontinuation without record ").append(i).append(eol);
            } else if (kind < 7) {                               // French detail word: "ASTUCE :  "
                sb.append(ts).append(zone).append(" [8] ERREUR:  échec ").append(i).append(eol)
                        .append(ts).append(zone).append(" [8] ASTUCE :  essayez").append(eol);
            } else {
                sb.append(ts).append(zone).append(" [").append(r.nextInt(100000)).append("] ")
                        .append(sev[r.nextInt(sev.length)]).append(":  message ").append(i).append(" ü").append(eol);
                int extra = r.nextInt(4);
                for (int k = 0; k < extra; k++) {
                    if (r.nextBoolean()) sb.append('\t').append("more ").append(k).append(eol);
                    else sb.append(ts).append(zone).append(" [1] ").append(det[r.nextInt(det.length)]).append(":  d ").append(k).append(eol);
                }
                if (r.nextInt(40) == 0) sb.append(ts).append(zone).append(" [1] ПОЛОЖЕНИЕ: exec_simple_query, postgres.c:1000").append(eol);
            }
            out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!endWithNewline) out.writeBytes("2026-11-21 10:00:00.000 UTC [1] LOG:  half-written".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static LogDocument load(Path f, boolean bulk) throws Exception {
        if (bulk) System.clearProperty("msyspg.logs.sequential");
        else System.setProperty("msyspg.logs.sequential", "true");
        LogDocument d = new LogDocument(LocalLogSource.open(f), LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        d.load(f.getFileName().toString(), JobContext.none());
        return d;
    }

    static void assertSameIndex(LogDocument a, LogDocument b) {
        LogIndex x = a.index(), y = b.index();
        assertThat(x.size()).isEqualTo(y.size());
        for (int i = 0; i < x.size(); i++) {
            if (x.offset(i) != y.offset(i) || x.severity(i) != y.severity(i) || x.time(i) != y.time(i) || x.segmentOf(i) != y.segmentOf(i)) {
                throw new AssertionError("record " + i + " differs: bulk offset " + x.offset(i) + " " + x.severity(i) + " " + x.time(i)
                        + " vs sequential offset " + y.offset(i) + " " + y.severity(i) + " " + y.time(i));
            }
        }
        assertThat(x.segments().get(x.segments().size() - 1).end()).isEqualTo(y.segments().get(y.segments().size() - 1).end());
        assertThat(x.bytesIndexed()).isEqualTo(y.bytesIndexed());
    }

    @Test
    void bulkAndSequentialIndexesAreIdenticalAcrossManyUnitEdges() throws Exception {
        for (int threads : new int[] {1, 2, 3}) {
            for (boolean nl : new boolean[] {true, false}) {
                Path f = dir.resolve("mixed-" + threads + "-" + nl + ".log");
                Files.write(f, mixedLog(threads * 31L + (nl ? 1 : 0), 20_000, nl));
                BulkIndexer.minBytes = 0;
                BulkIndexer.unitBytes = 4096 + 17 * threads;     // hundreds of unit edges, some inside long lines
                BulkIndexer.regionBytes = BulkIndexer.unitBytes * 7 + 5;     // several mappings, chunk edges inside and at their ends
                BulkIndexer.threadsOverride = threads;
                int runs = BulkIndexer.RUNS.get();
                LogDocument bulk = load(f, true);
                assertThat(BulkIndexer.RUNS.get()).as("the bulk path ran").isEqualTo(runs + 1);
                LogDocument seq = load(f, false);
                assertThat(BulkIndexer.RUNS.get()).as("the sequential path did not use it").isEqualTo(runs + 1);
                assertThat(seq.index().size()).isGreaterThan(15_000);
                assertSameIndex(bulk, seq);
                // translated words got their levels in both
                int errors = 0;
                for (int i = 0; i < bulk.index().size(); i++) if (bulk.index().severity(i) == LogSeverity.ERROR) errors++;
                assertThat(errors).isGreaterThan(1000);
            }
        }
    }

    @Test
    void theDefaultSizesAreUsedForARealSizedFileAndFollowingContinuesAfterTheBulkPart() throws Exception {
        Path f = dir.resolve("big.log");
        byte[] one = mixedLog(5, 40_000, true);
        try (var out = Files.newOutputStream(f)) {
            long written = 0;
            while (written < BulkIndexer.MIN_BYTES + (1 << 20)) {
                out.write(one);
                written += one.length;
            }
        }
        int runs = BulkIndexer.RUNS.get();
        LogDocument bulk = load(f, true);
        assertThat(BulkIndexer.RUNS.get()).as("the bulk path ran with the default sizes").isEqualTo(runs + 1);
        LogDocument seq = load(f, false);
        assertSameIndex(bulk, seq);
        // lines appended later go through the incremental indexer of the same segment, in both
        byte[] more = "2026-11-21 10:00:00.000 UTC [9] ERROR:  appended\n\tcontinued\n2026-11-21 10:00:00.000 UTC [9] LOG:  last\n"
                .getBytes(StandardCharsets.UTF_8);
        long size = Files.size(f);
        Files.write(f, more, java.nio.file.StandardOpenOption.APPEND);
        for (LogDocument d : new LogDocument[] {bulk, seq}) {
            long at = d.index().segments().get(0).end();
            byte[] rest = new byte[(int) (size + more.length - at)];
            int n = d.source().read(f.getFileName().toString(), at, rest, 0, rest.length);
            d.append(f.getFileName().toString(), at, rest, 0, n);
        }
        assertSameIndex(bulk, seq);
        assertThat(bulk.index().segments()).hasSize(1);
        int last = bulk.index().size() - 1;
        assertThat(bulk.record(last).message()).isEqualTo("last");
        assertThat(bulk.record(last - 1).message()).isEqualTo("appended\ncontinued");
        assertThat(bulk.record(last - 1).severity()).isEqualTo(LogSeverity.ERROR);
    }

    @Test
    void aFileTruncatedWhileMappedIsIndexedTheSequentialWayWithoutCrashing() throws Exception {
        // The scan reads the mapping by address: pages beyond the new end fault (SIGBUS), which the JVM turns into an
        // InternalError for unsafe accesses; the load must fall back, not crash the JVM or publish half an index.
        Path f = dir.resolve("shrinking.log");
        Files.write(f, mixedLog(11, 30_000, true));
        BulkIndexer.minBytes = 0;
        BulkIndexer.threadsOverride = 2;
        BulkIndexer.afterMapping = () -> {
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(10_000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        int runs = BulkIndexer.RUNS.get();
        LogDocument shrunk = load(f, true);
        assertThat(BulkIndexer.RUNS.get()).as("the bulk index was not completed").isEqualTo(runs);
        BulkIndexer.afterMapping = null;
        assertThat(Files.size(f)).isEqualTo(10_000);
        LogDocument seq = load(f, false);
        assertThat(seq.index().size()).isGreaterThan(10);
        assertSameIndex(shrunk, seq);
    }

    @Test
    void followingADirectoryIndexesTheCurrentFileInBulkThenIncrementally() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("pg_log"));
        Path f = logs.resolve("postgresql-2026-11-21-10.log");
        Files.write(f, mixedLog(11, 10_000, true));
        BulkIndexer.minBytes = 0;
        BulkIndexer.unitBytes = 8192;
        BulkIndexer.regionBytes = BulkIndexer.unitBytes * 7 + 5;     // several mappings, chunk edges inside and at their ends
        BulkIndexer.threadsOverride = 2;
        int runs = BulkIndexer.RUNS.get();
        LogDocument followed = new LogDocument(LocalLogSource.open(logs), LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        LogFollower fo = new LogFollower(followed.source(), followed);
        fo.poll();
        assertThat(BulkIndexer.RUNS.get()).as("the follower's first read used the bulk path").isEqualTo(runs + 1);
        // a record half-written at the end, completed later; then more
        Files.write(f, "2026-11-21 10:00:00.000 UTC [9] ERROR:  app".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        fo.poll();
        Files.write(f, "ended\n\tcontinued\n2026-11-21 10:00:00.000 UTC [9] LOG:  last\n".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        fo.poll();
        assertThat(BulkIndexer.RUNS.get()).as("appends are incremental").isEqualTo(runs + 1);
        LogDocument seq = load(f, false);
        assertSameIndex(followed, seq);
        int last = followed.index().size() - 1;
        assertThat(followed.record(last - 1).message()).isEqualTo("appended\ncontinued");
    }

    /**
     * The eight-byte head classifier (timestamp in the cached minute, word before the first ":  ") against the
     * sequential indexer on the shapes next to it: every severity and detail word (DEBUG1-5, LOCATION, STATEMENT),
     * near-misses (DEBUG7, XLOG, CATALOG, lowercase, "LOG :  ", one space), zones that are longer, contain a colon or
     * run on, other fraction lengths, a ':' or non-ASCII before the severity, lines ending inside the head, CRLF,
     * and a prefix whose timestamp is not at the line's start.
     */
    @Test
    void theHeadFastPathAgreesWithTheSequentialIndexerOnNearMisses() throws Exception {
        String[] words = {"LOG", "ERROR", "WARNING", "FATAL", "INFO", "NOTICE", "PANIC", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4",
                "DEBUG5", "DEBUG", "DEBUG7", "DEBUG0", "DETAIL", "HINT", "CONTEXT", "QUERY", "LOCATION", "STATEMENT", "XLOG",
                "CATALOG", "log", "Error", "LOG ", "XSTATEMENT", "ALOCATION", "ОШИБКА", "éLOG", "LOG1", "1LOG", "STATEMENTS"};
        String[] zones = {" UTC", " UTC", " UTC", " CEST", " +05:30", " Europe/Berlin", " UTCX", "", " UTC:"};
        String[] fracs = {".123", ".123", ".123", ".12", ".123456", "", ".1"};
        for (String prefix : new String[] {LinePrefix.DEFAULT, "> %m [%p] "}) {
            String lead = prefix.startsWith(">") ? "> " : "";
            Random r = new Random(prefix.length());
            StringBuilder sb = new StringBuilder();
            long ms = 1_700_000_000_000L;
            for (int i = 0; i < 30_000; i++) {
                ms += r.nextInt(3000);
                String ts = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(ms));
                boolean common = r.nextInt(3) > 0;     // mostly the common shape, so the minute cache is warm
                String frac = common ? ".123".substring(0, 1) + String.format("%03d", r.nextInt(1000)) : fracs[r.nextInt(fracs.length)];
                String zone = common ? " UTC" : zones[r.nextInt(zones.length)];
                String word = common && r.nextBoolean() ? "LOG" : words[r.nextInt(words.length)];
                String eol = r.nextInt(20) == 0 ? "\r\n" : "\n";
                String pid = r.nextInt(30) == 0 ? "[a:b]" : r.nextInt(30) == 0 ? "[ü]" : "[" + r.nextInt(100000) + "]";
                String sep = r.nextInt(25) == 0 ? ": " : ":  ";
                switch (r.nextInt(40)) {
                    case 0 -> sb.append(lead).append(ts).append(frac).append(zone).append(eol);                 // ends inside the head
                    case 1 -> sb.append(lead).append(ts).append(frac).append(zone).append(' ').append(pid).append(eol);
                    case 2 -> sb.append('\t').append("continued ").append(i).append(eol);
                    case 3 -> sb.append(lead).append(ts).append(frac).append(zone).append(' ').append(pid).append(' ')
                            .append(word).append(sep).append("x".repeat(1100)).append(eol);                  // long line
                    case 4 -> sb.append(lead).append(ts).append(frac).append(zone).append(' ').append(pid).append(" ")
                            .append("y".repeat(1020)).append(" LOG:  after the head").append(eol);           // colon beyond HEAD
                    default -> sb.append(lead).append(ts).append(frac).append(zone).append(' ').append(pid).append(' ')
                            .append(word).append(sep).append("message ").append(i).append(eol);
                }
            }
            Path f = dir.resolve("edges-" + lead.length() + ".log");
            Files.writeString(f, sb.toString());
            for (int threads : new int[] {1, 2}) {
                BulkIndexer.minBytes = 0;
                BulkIndexer.unitBytes = 5000 + 13 * threads;
                BulkIndexer.regionBytes = BulkIndexer.unitBytes * 7 + 5;     // several mappings, chunk edges inside and at their ends
                BulkIndexer.threadsOverride = threads;
                int runs = BulkIndexer.RUNS.get();
                LogDocument bulk = load(f, true, prefix);
                assertThat(BulkIndexer.RUNS.get()).as("the bulk path ran").isEqualTo(runs + 1);
                LogDocument seq = load(f, false, prefix);
                assertThat(seq.index().size()).isGreaterThan(20_000);
                assertSameIndex(bulk, seq);
                int debug3 = 0, timed = 0;
                for (int i = 0; i < bulk.index().size(); i++) {
                    if (bulk.index().severity(i) == LogSeverity.DEBUG3) debug3++;
                    if (bulk.index().time(i) != LogTime.NONE) timed++;
                }
                assertThat(debug3).as("DEBUG3 records").isGreaterThan(50);
                assertThat(timed).as("records with a time").isGreaterThan(15_000);
            }
        }
    }

    static LogDocument load(Path f, boolean bulk, String prefix) throws Exception {
        if (bulk) System.clearProperty("msyspg.logs.sequential");
        else System.setProperty("msyspg.logs.sequential", "true");
        LogDocument d = new LogDocument(LocalLogSource.open(f), LogFormat.STDERR, LinePrefix.compile(prefix));
        d.load(f.getFileName().toString(), JobContext.none());
        return d;
    }
}
