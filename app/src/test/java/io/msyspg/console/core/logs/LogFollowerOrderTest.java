package io.msyspg.console.core.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The current file is resolved a moment before the directory is listed: when the server rotates in between, the
 * "current" name is already stale. Lines must still come in the order they were written (by modification time),
 * not the new file's lines before the old file's last ones.
 */
class LogFollowerOrderTest {
    static final class Files implements LogSource {
        final Map<String, StringBuilder> text = new LinkedHashMap<>();
        final Map<String, Long> mtime = new LinkedHashMap<>();
        String current;

        void write(String name, long at, String line) {
            text.computeIfAbsent(name, n -> new StringBuilder()).append(line);
            mtime.put(name, at);
        }

        @Override public String describe() { return "memory"; }

        @Override public List<LogFileInfo> list() {
            List<LogFileInfo> out = new ArrayList<>();
            text.forEach((n, t) -> out.add(new LogFileInfo(n, t.toString().getBytes(StandardCharsets.UTF_8).length, mtime.get(n), n)));
            return out;
        }

        @Override public String current(LogFormat format) { return current; }

        @Override public int read(String name, long offset, byte[] buf, int off, int len) {
            StringBuilder t = text.get(name);
            if (t == null) return -1;
            byte[] b = t.toString().getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.max(0, Math.min(len, b.length - offset));
            System.arraycopy(b, (int) offset, buf, off, n);
            return n;
        }
    }

    static String line(int n) {
        return "2026-11-21 10:00:00.000 UTC [1] LOG:  seq " + n + "\n";
    }

    @Test
    void aStaleCurrentFileDoesNotReorderLines() throws Exception {
        Files f = new Files();
        f.current = "a.log";
        f.write("a.log", 1000, line(0));
        LogDocument doc = new LogDocument(f, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        LogFollower fo = new LogFollower(f, doc);
        fo.poll();
        // the server writes its last line to a.log, rotates to b.log and writes there; the follower still has
        // "a.log" as the current file when it lists the directory
        f.write("a.log", 2000, line(1));
        f.write("b.log", 3000, line(2));
        fo.poll();
        f.current = "b.log";
        f.write("b.log", 4000, line(3));
        fo.poll();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < doc.index().size(); i++) seen.add(doc.record(i).message());
        assertThat(seen).containsExactly("seq 0", "seq 1", "seq 2", "seq 3");
    }
}
