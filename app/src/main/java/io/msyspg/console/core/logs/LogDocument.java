package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A log as the viewer and the CLI see it: an offset {@link LogIndex} over one or more file segments, with the
 * text of records read on demand from the {@link LogSource} through a small LRU cache. Bytes come in through
 * {@link #append} (one writer: the loader or the {@link LogFollower}); any thread reads.
 */
public final class LogDocument {
    /** Records longer than this are cut in the viewer (copy and export read them whole). */
    public static final int DISPLAY_LIMIT = 64 * 1024;
    private static final int CACHE = 2048;

    private final LogSource source;
    private final LogFormat format;
    private final LinePrefix prefix;
    private final LogParser parser;
    private final LogTime times;
    private final LogIndex index = new LogIndex();
    private LogIndexer last;
    private final CopyOnWriteArrayList<Consumer<String>> eventListeners = new CopyOnWriteArrayList<>();
    private volatile String status = "";
    private final Map<Integer, CachedText> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, CachedText> e) { return size() > CACHE; }
    };

    private record CachedText(long end, int limit, String text) {}

    public LogDocument(LogSource source, LogFormat format, LinePrefix prefix) {
        this.source = source;
        this.format = format;
        ZoneId zone = ZoneId.systemDefault();
        try {
            if (source.logTimezone() != null) zone = ZoneId.of(source.logTimezone());
        } catch (RuntimeException e) {
            // an abbreviation Java does not know: keep the system zone
        }
        this.times = LogTime.confined(zone);      // only the index writer uses it (append/finish/load are synchronized)
        this.prefix = format == LogFormat.STDERR ? prefix : null;
        this.parser = new LogParser(format, this.prefix, zone);
    }

    public LogSource source() { return source; }
    public LogFormat format() { return format; }
    public LinePrefix prefix() { return prefix; }
    public LogIndex index() { return index; }
    public LogParser parser() { return parser; }

    /** The last status line (rotation, truncation, deletion, errors). */
    public String status() { return status; }

    public void onEvent(Consumer<String> listener) { eventListeners.add(listener); }

    void event(String message) {
        status = message;
        for (Consumer<String> l : eventListeners) l.accept(message);
    }

    /**
     * Indexes bytes of {@code file} that start at {@code offset}; continues the last segment when it is the
     * same file at the same place, else opens a segment. Returns the bytes consumed (complete lines).
     */
    public synchronized int append(String file, long offset, byte[] buf, int off, int len) {
        LogIndexer ix = last;
        if (ix == null || !ix.segment().file().equals(file) || ix.position() != offset) {
            ix = new LogIndexer(index, index.addSegment(file, offset), format, prefix, times);
            last = ix;
        }
        return ix.feed(buf, off, len);
    }

    /** The end of a file that will not grow: a last line without newline becomes a record. */
    public synchronized void finish(String file, long offset, byte[] buf, int off, int len) {
        LogIndexer ix = last;
        if (ix == null || !ix.segment().file().equals(file) || ix.position() != offset) {
            ix = new LogIndexer(index, index.addSegment(file, offset), format, prefix, times);
            last = ix;
        }
        ix.finish(buf, off, len);
    }

    /**
     * Indexes the complete lines of a large local stderr file from its start in one go, in parallel
     * ({@link BulkIndexer}), as a new segment that {@link #append} then continues. Returns the offset after the
     * last newline indexed, or -1 when the bulk path does not apply (small file, remote source, csvlog/jsonlog);
     * then the caller appends the ordinary way.
     */
    public synchronized long bulkIndex(String file, long size, JobContext ctx) throws IOException {
        if (!BulkIndexer.applies(source, format, size)) return -1;
        LogIndex.Segment seg = index.addSegment(file, 0);
        long end;
        try {
            end = BulkIndexer.index(((LocalLogSource) source).file(file), size, index, seg, new LineClassifier(format, prefix, times), ctx);
        } catch (BulkIndexer.FileChanged e) {
            end = 0;                    // shrank while mapped (or a line > 1 GB): nothing was published, go the sequential way
        }
        last = new LogIndexer(index, seg, format, prefix, times, end);
        return end;
    }

    /** Indexes a whole file as it is now (no following). */
    public void load(String file, JobContext ctx) throws IOException {
        int chunk = Math.min(source.maxChunk(), 8 << 20);
        byte[] buf = new byte[chunk];
        long pos = 0;
        int have = 0;
        long total = -1;
        for (LogFileInfo i : source.list()) if (i.name().equals(file)) total = i.size();
        ctx.message("indexing " + file);
        if (last == null) {
            long end = bulkIndex(file, total, ctx);
            if (end > 0) {
                pos = end;
                ctx.progress(pos, total);
            }
        }
        while (true) {
            ctx.checkCancelled();
            int n = source.read(file, pos + have, buf, have, buf.length - have);
            if (n < 0) throw new ConsoleException("Log file " + file + " in " + source.describe() + " does not exist (any more).");
            have += n;
            if (n == 0) {
                finish(file, pos, buf, 0, have);
                break;
            }
            int used = append(file, pos, buf, 0, have);
            pos += used;
            System.arraycopy(buf, used, buf, 0, have - used);
            have -= used;
            if (have == buf.length) {       // cannot happen for lines (long lines are consumed); a guard
                finish(file, pos, buf, 0, have);
                pos += have;
                have = 0;
            }
            if (total > 0) ctx.progress(pos, total);
        }
    }

    /** The raw text of record i, cut at {@code limit} bytes (with a note saying how much was left out). */
    public String text(int i, int limit) throws IOException {
        long start = index.offset(i);
        long end = index.end(i);
        synchronized (cache) {
            CachedText c = cache.get(i);
            if (c != null && c.end == end && c.limit == limit) return c.text;
        }
        long len = end - start;
        int want = (int) Math.min(len, limit);
        byte[] b = new byte[want];
        String file = index.segment(index.segmentOf(i)).file();
        int n = source.read(file, start, b, 0, want);
        String text;
        if (n < 0) text = "[" + file + " does not exist any more: record text unavailable]";
        else {
            text = new String(b, 0, n, StandardCharsets.UTF_8);
            if (n < want) text += "\n[" + file + " is shorter than indexed: truncated or replaced]";
            else if (len > limit) text = text + "… [" + (len - limit) + " more bytes: copy or export gives the whole record]";
        }
        synchronized (cache) {
            cache.put(i, new CachedText(end, limit, text));
        }
        return text;
    }

    /**
     * The texts of several records (cut at {@code limit} bytes each), reading neighbouring records of one
     * segment in a single call: one round trip per screenful over SQL.
     */
    public Map<Integer, String> texts(java.util.Collection<Integer> records, int limit) throws IOException {
        java.util.TreeSet<Integer> recs = new java.util.TreeSet<>(records);
        Map<Integer, String> out = new LinkedHashMap<>();
        final int span = 2 << 20;
        while (!recs.isEmpty()) {
            int first = recs.pollFirst();
            int seg = index.segmentOf(first);
            long start = index.offset(first);
            List<Integer> group = new java.util.ArrayList<>(List.of(first));
            while (!recs.isEmpty()) {
                int next = recs.first();
                if (index.segmentOf(next) != seg || index.end(next) - start > span) break;
                group.add(recs.pollFirst());
            }
            if (group.size() == 1) {
                out.put(first, text(first, limit));
                continue;
            }
            long stop = index.end(group.get(group.size() - 1));
            byte[] b = new byte[(int) (stop - start)];
            String file = index.segment(seg).file();
            int n = source.read(file, start, b, 0, b.length);
            for (int r : group) {
                if (n < 0) { out.put(r, "[" + file + " does not exist any more: record text unavailable]"); continue; }
                int a = (int) (index.offset(r) - start);
                long len = index.end(r) - index.offset(r);
                int want = (int) Math.min(len, limit);
                int got = Math.max(0, Math.min(want, n - a));
                String t = new String(b, a, got, StandardCharsets.UTF_8);
                if (got < want) t += "\n[" + file + " is shorter than indexed: truncated or replaced]";
                else if (len > limit) t += "… [" + (len - limit) + " more bytes: copy or export gives the whole record]";
                out.put(r, t);
            }
        }
        return out;
    }

    /** The whole raw text of record i. */
    public String text(int i) throws IOException {
        long len = index.end(i) - index.offset(i);
        if (len > Integer.MAX_VALUE - 64) throw new ConsoleException("Record " + i + " is larger than 2 GB.");
        return text(i, (int) len);
    }

    public LogRecord record(int i) throws IOException {
        return parser.parse(index.segment(index.segmentOf(i)).file(), index.offset(i), text(i));
    }

    /** A record parsed from text that is cut at the display limit (for cells and filters). */
    public LogRecord displayRecord(int i) throws IOException {
        return parser.parse(index.segment(index.segmentOf(i)).file(), index.offset(i), text(i, DISPLAY_LIMIT));
    }
}
