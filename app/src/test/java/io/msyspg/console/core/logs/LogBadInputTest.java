package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogBadInputTest {
    @TempDir Path dir;

    static final String L1 = "2026-11-21 10:00:00.123 UTC [42] LOG:  first\n";
    static final String L2 = "2026-11-21 10:00:01.000 UTC [43] ERROR:  second\n\tcontinued\n2026-11-21 10:00:01.000 UTC [43] DETAIL:  why\n";

    LogDocument load(Path f) throws Exception {
        LocalLogSource src = LocalLogSource.open(f);
        LogDocument d = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        d.load(f.getFileName().toString(), JobContext.none());
        return d;
    }

    List<LogRecord> all(LogDocument d) throws Exception {
        List<LogRecord> r = new ArrayList<>();
        for (int i = 0; i < d.index().size(); i++) r.add(d.record(i));
        return r;
    }

    @Test
    void binaryGarbageAndInvalidUtf8AreShownWithReplacementCharacters() throws Exception {
        Path f = dir.resolve("bad.log");
        byte[] garbage = new byte[5000];
        new Random(7).nextBytes(garbage);
        Files.write(f, L1.getBytes(StandardCharsets.UTF_8));
        Files.write(f, new byte[] {'x', (byte) 0xC3, '\n'}, StandardOpenOption.APPEND);     // a cut 2-byte sequence
        Files.write(f, garbage, StandardOpenOption.APPEND);
        Files.write(f, ("\n" + L2).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        LogDocument d = load(f);
        List<LogRecord> r = all(d);
        assertThat(r.get(0).message()).isEqualTo("first");
        assertThat(r.get(1).raw()).isEqualTo("x\uFFFD\n");
        assertThat(r.get(1).severity()).isEqualTo(LogSeverity.UNKNOWN);
        // every byte is in some record: nothing hidden
        long covered = 0;
        for (int i = 0; i < d.index().size(); i++) covered += d.index().end(i) - d.index().offset(i);
        assertThat(covered).isEqualTo(Files.size(f));
        // texts of many records in one read agree with record-by-record reads
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < d.index().size(); i++) all.add(i);
        var block = d.texts(all, 100);
        for (int i : all) assertThat(block.get(i)).isEqualTo(d.text(i, 100));
        LogRecord last = r.get(r.size() - 1);
        assertThat(last.severity()).isEqualTo(LogSeverity.ERROR);
        assertThat(last.message()).isEqualTo("second\ncontinued");
        assertThat(last.field("detail")).isEqualTo("why");
    }

    @Test
    void tenMegabyteLineCrlfAndNoFinalNewline() throws Exception {
        Path f = dir.resolve("big.log");
        String big = "2026-11-21 10:00:02.000 UTC [44] LOG:  " + "y".repeat(10 * 1024 * 1024) + "\r\n";
        Files.writeString(f, L1.replace("\n", "\r\n") + big + "2026-11-21 10:00:03.000 UTC [45] WARNING:  tail");
        LogDocument d = load(f);
        assertThat(d.index().size()).isEqualTo(3);
        assertThat(d.record(0).message()).isEqualTo("first");
        assertThat(d.record(1).message()).hasSize(10 * 1024 * 1024 + 5 - 5);
        assertThat(d.text(1, LogDocument.DISPLAY_LIMIT)).contains("more bytes");
        assertThat(d.record(2).severity()).isEqualTo(LogSeverity.WARNING);
        assertThat(d.record(2).message()).isEqualTo("tail");
        assertThat(d.index().time(1)).isEqualTo(java.time.Instant.parse("2026-11-21T10:00:02Z").toEpochMilli());
    }

    @Test
    void followedFileTruncatedReplacedDeletedAndHalfWrittenLine() throws Exception {
        Path f = dir.resolve("f.log");
        Files.writeString(f, L1 + "2026-11-21 10:00:00.500 UTC [42] LOG:  half");
        LocalLogSource src = LocalLogSource.open(f);
        LogDocument d = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        List<String> events = new ArrayList<>();
        d.onEvent(events::add);
        LogFollower fo = new LogFollower(src, d);
        fo.poll();
        assertThat(d.index().size()).as("the half-written line is not shown").isEqualTo(1);
        Files.writeString(f, " done\n", StandardOpenOption.APPEND);
        fo.poll();
        assertThat(d.index().size()).isEqualTo(2);
        assertThat(d.record(1).message()).isEqualTo("half done");
        Files.writeString(f, "2026-11-21 10:00:05.000 UTC [9] LOG:  after truncation\n");   // shorter: truncated
        fo.poll();
        assertThat(d.record(d.index().size() - 1).message()).isEqualTo("after truncation");
        assertThat(events).anyMatch(e -> e.contains("truncated"));
        Files.delete(f);
        fo.poll();
        assertThat(events).anyMatch(e -> e.contains("was deleted"));
        Files.writeString(f, "2026-11-21 10:00:06.000 UTC [9] LOG:  recreated file line\n");
        fo.poll();
        assertThat(d.record(d.index().size() - 1).message()).isEqualTo("recreated file line");
    }

    @Test
    void missingPathsAndBadRegexGiveClearMessages() {
        assertThatThrownBy(() -> LocalLogSource.open(dir.resolve("nope")))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> LogFilter.regex("include", "a(b"))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("include regular expression is invalid");
        assertThatThrownBy(() -> LogSeverity.parseLevel("loud")).hasMessageContaining("Unknown severity 'loud'");
    }

    @Test
    void directoryDeletedWhileFollowedIsReportedThenRecovered() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("pg_log"));
        Files.writeString(logs.resolve("a.log"), L1);
        LocalLogSource src = LocalLogSource.open(logs);
        LogDocument d = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        List<String> events = new ArrayList<>();
        d.onEvent(events::add);
        LogFollower fo = new LogFollower(src, d);
        fo.poll();
        Files.delete(logs.resolve("a.log"));
        Files.delete(logs);
        fo.poll();
        assertThat(events).anyMatch(e -> e.contains("does not exist"));
        Files.createDirectory(logs);
        Files.writeString(logs.resolve("b.log"), L2);
        fo.poll();
        assertThat(d.record(d.index().size() - 1).severity()).isEqualTo(LogSeverity.ERROR);
    }

    @Test
    void csvWithQuotedNewlinesAndOlderColumnSets() throws Exception {
        Path f = dir.resolve("x.csv");
        String rec14 = "2026-11-21 10:00:00.123 UTC,\"bob\",\"db1\",77,\"[local]\",6550a.4d,1,\"SELECT\",2026-11-21 09:59:00 UTC,3/4,0,ERROR,42P01,\"relation \"\"t\"\"\nsecond line\",,,,,,\"select * from t\",15,,\"psql\",\"client backend\",,0\n";
        String rec12 = "2026-11-21 10:00:01.000 UTC,\"bob\",\"db1\",78,\"[local]\",6550a.4e,1,\"idle\",2026-11-21 09:59:00 UTC,3/5,0,LOG,00000,\"hello, world\",,,,,,,,,\"app12\"\n";
        Files.writeString(f, rec14 + rec12);
        LocalLogSource src = LocalLogSource.open(f);
        LogDocument d = new LogDocument(src, LogFormat.CSV, null);
        d.load("x.csv", JobContext.none());
        assertThat(d.index().size()).isEqualTo(2);
        LogRecord a = d.record(0), b = d.record(1);
        assertThat(a.severity()).isEqualTo(LogSeverity.ERROR);
        assertThat(a.message()).isEqualTo("relation \"t\"\nsecond line");
        assertThat(a.field("backend_type")).isEqualTo("client backend");
        assertThat(a.field("query")).isEqualTo("select * from t");
        assertThat(a.pid()).isEqualTo(77);
        assertThat(b.field("application")).isEqualTo("app12");
        assertThat(b.message()).isEqualTo("hello, world");
        assertThat(d.index().severity(0)).isEqualTo(LogSeverity.ERROR);
    }
}
