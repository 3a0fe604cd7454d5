package io.msyspg.console.core.logs;

import java.nio.charset.StandardCharsets;

/**
 * Finds record boundaries in the bytes of one segment and appends them to a {@link LogIndex}: for each record
 * its offset, severity and time, read from the first bytes of its first line only. stderr: a line starting
 * with TAB, or whose severity word is DETAIL/HINT/CONTEXT/STATEMENT/QUERY/LOCATION, continues the previous
 * record. csvlog: a record ends at a newline outside quotes. jsonlog: one record per line.
 *
 * <p>Only complete lines are committed: a half-written last line stays pending until its newline arrives.
 * A very long line is classified from its first {@link #HEAD} bytes and skipped without being buffered.
 */
public final class LogIndexer {
    static final int HEAD = 1024;

    private final LogIndex index;
    private final LogIndex.Segment segment;
    private final LogFormat format;
    private final LogTime times;
    private final LineClassifier classifier;

    // a record found in a line that has not ended yet
    private boolean pending;
    private long pendingOffset;
    private LogSeverity pendingSev;
    private long pendingTime;
    private boolean inLongLine;     // inside a line whose head was classified already
    private long position;          // file offset of the next byte to feed
    // csv
    private boolean inQuotes;
    private int csvField;
    private long csvRecordStart = -1;
    private LogSeverity csvSev = LogSeverity.UNKNOWN;
    private long csvTime = LogTime.NONE;
    private final byte[] csvSevBuf = new byte[64];     // translated words are long in UTF-8 (zh_CN PANIC: 33 bytes)
    private int csvSevLen;

    LogIndexer(LogIndex index, LogIndex.Segment segment, LogFormat format, LinePrefix prefix, LogTime times) {
        this.index = index;
        this.segment = segment;
        this.format = format;
        this.times = times;
        this.classifier = new LineClassifier(format, prefix, times);
        this.position = segment.start();
    }

    /** Continues a segment whose bytes up to {@code position} were indexed by a {@link BulkIndexer}. */
    LogIndexer(LogIndex index, LogIndex.Segment segment, LogFormat format, LinePrefix prefix, LogTime times, long position) {
        this(index, segment, format, prefix, times);
        this.position = position;
    }

    public LogIndex.Segment segment() { return segment; }

    /** The file offset of the next byte this indexer expects. */
    public long position() { return position; }

    /**
     * The file is complete (no follow): a last line without a newline becomes a record too. Returns the bytes
     * that were committed by it.
     */
    public void finish(byte[] rest, int off, int len) {
        if (len > 0 && !inLongLine && format != LogFormat.CSV) classify(rest, off, off + len, position);
        commitPending();
        if (format == LogFormat.CSV && len > 0 && csvRecordStart < 0) index.add(segment.id(), position, LogSeverity.UNKNOWN, LogTime.NONE);
        else if (format == LogFormat.CSV && csvRecordStart >= 0) { index.add(segment.id(), csvRecordStart, csvSev, csvTime); csvRecordStart = -1; }
        inLongLine = false;
        position += len;
        segment.end(position);
    }

    /**
     * Indexes {@code buf[off, off+len)}, which starts at the segment's current position. Returns the bytes
     * consumed: all complete lines, plus the head of a long line; the caller passes the rest again with more.
     */
    public int feed(byte[] buf, int off, int len) {
        int consumed = format == LogFormat.CSV ? feedCsv(buf, off, len) : feedLines(buf, off, len);
        position += consumed;
        index.addBytes(consumed);
        return consumed;
    }

    private int feedLines(byte[] b, int off, int len) {
        int end = off + len;
        int pos = off;
        long base = position - off;   // file offset of b[off - off]
        long committed = segment.end();
        while (pos < end) {
            int nl = indexOf(b, (byte) '\n', pos, end);
            if (inLongLine) {
                if (nl < 0) { pos = end; break; }
                inLongLine = false;
                pos = nl + 1;
                committed = base + pos;
                commitPending();
                continue;
            }
            if (nl < 0 && end - pos < HEAD) break;               // wait for more of this line
            int lineEnd = nl < 0 ? pos + HEAD : nl;
            classify(b, pos, lineEnd, base + pos);
            if (nl < 0) {                                      // long line: head seen, skip the rest
                inLongLine = true;
                pos = end;
                break;
            }
            pos = nl + 1;
            committed = base + pos;
            commitPending();
        }
        segment.end(committed);
        return pos - off;
    }

    private void commitPending() {
        if (pending) {
            index.add(segment.id(), pendingOffset, pendingSev, pendingTime);
            pending = false;
        }
    }

    private void classify(byte[] b, int s, int e, long fileOffset) {
        switch (classifier.classify(b, s, e, false)) {
            case LineClassifier.TAB -> {
                if (index.size() == 0 && !pending || lastSegmentEmpty()) start(fileOffset, LogSeverity.UNKNOWN, LogTime.NONE);
            }
            case LineClassifier.DETAIL -> {
                if (lastSegmentEmpty()) start(fileOffset, LogSeverity.UNKNOWN, classifier.time);   // nothing to attach to
            }
            default -> start(fileOffset, classifier.sev, classifier.time);
        }
    }

    private boolean lastSegmentEmpty() {
        int n = index.size();
        return !pending && (n == 0 || index.segmentOf(n - 1) != segment.id());
    }

    private void start(long offset, LogSeverity sev, long time) {
        commitPending();
        pending = true;
        pendingOffset = offset;
        pendingSev = sev;
        pendingTime = time;
    }

    // csvlog: a byte state machine over quotes; fields 0 (time) and 11 (severity) are captured
    private int feedCsv(byte[] b, int off, int len) {
        int end = off + len;
        long base = position - off;
        int lastCommit = off;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (csvRecordStart < 0) {
                csvRecordStart = base + i;
                csvField = 0;
                csvSev = LogSeverity.UNKNOWN;
                csvSevLen = 0;
                csvTime = times.parse(b, i, Math.min(end, i + 64));
                if (csvTime == LogTime.NONE && end - i < 64 && indexOf(b, (byte) '\n', i, end) < 0) {
                    csvRecordStart = -1;     // not enough bytes to read the time yet
                    break;
                }
            }
            if (inQuotes) {
                if (c == '"') inQuotes = false;          // a doubled quote re-enters at once
                else if (csvField == 11 && csvSevLen < csvSevBuf.length) csvSevBuf[csvSevLen++] = c;
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == ',') {
                if (csvField == 11) {
                    LogSeverity x = LogSeverity.parse(new String(csvSevBuf, 0, csvSevLen, StandardCharsets.UTF_8));
                    if (x != null) csvSev = x;
                }
                csvField++;
            } else if (c == '\n') {
                index.add(segment.id(), csvRecordStart, csvSev, csvTime);
                csvRecordStart = -1;
                lastCommit = i + 1;
            } else if (csvField == 11 && csvSevLen < csvSevBuf.length && c != '\r') {
                csvSevBuf[csvSevLen++] = c;
            }
        }
        // an unfinished record is re-read from its start next time (unless it is huge: then keep scanning)
        if (csvRecordStart >= 0 && base + end - csvRecordStart < 16 * 1024 * 1024) {
            csvRecordStart = -1;
            inQuotes = false;
            segment.end(base + lastCommit);
            return lastCommit - off;
        }
        if (csvRecordStart >= 0) {
            segment.end(base + lastCommit);
            return end - off;       // a huge record: state kept, bytes consumed
        }
        segment.end(base + lastCommit);
        return lastCommit - off;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The first {@code x} in b[from, to): eight bytes at a time (SWAR), as memchr does. */
    static int indexOf(byte[] b, byte x, int from, int to) {
        int i = from;
        long pattern = (x & 0xFFL) * 0x0101010101010101L;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(b, i) ^ pattern;
            long t = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if (t != 0) return i + (Long.numberOfTrailingZeros(t) >>> 3);
        }
        for (; i < to; i++) if (b[i] == x) return i;
        return -1;
    }

    /** The severity for the ASCII word b[s, e) without allocating; null when it is not one. */
    static LogSeverity severityWord(byte[] b, int s, int e) {
        int n = e - s;
        switch (n) {
            case 3: if (b[s] == 'L' && b[s + 1] == 'O' && b[s + 2] == 'G') return LogSeverity.LOG; break;
            case 4: if (b[s] == 'I' && b[s + 1] == 'N' && b[s + 2] == 'F' && b[s + 3] == 'O') return LogSeverity.INFO; break;
            case 5:
                if (b[s] == 'E' && b[s + 1] == 'R' && b[s + 2] == 'R' && b[s + 3] == 'O' && b[s + 4] == 'R') return LogSeverity.ERROR;
                if (b[s] == 'F' && b[s + 1] == 'A' && b[s + 2] == 'T' && b[s + 3] == 'A' && b[s + 4] == 'L') return LogSeverity.FATAL;
                if (b[s] == 'P' && b[s + 1] == 'A' && b[s + 2] == 'N' && b[s + 3] == 'I' && b[s + 4] == 'C') return LogSeverity.PANIC;
                break;
            case 6:
                if (b[s] == 'N' && b[s + 1] == 'O' && b[s + 2] == 'T' && b[s + 3] == 'I' && b[s + 4] == 'C' && b[s + 5] == 'E') return LogSeverity.NOTICE;
                if (b[s] == 'D' && b[s + 1] == 'E' && b[s + 2] == 'B' && b[s + 3] == 'U' && b[s + 4] == 'G' && b[s + 5] >= '1' && b[s + 5] <= '5') {
                    return LogSeverity.ofCode(LogSeverity.DEBUG1.ordinal() - (b[s + 5] - '1'));
                }
                break;
            case 7: if (b[s] == 'W' && b[s + 1] == 'A' && b[s + 2] == 'R' && b[s + 3] == 'N' && b[s + 4] == 'I' && b[s + 5] == 'N' && b[s + 6] == 'G') return LogSeverity.WARNING; break;
            default: break;
        }
        return null;
    }
}
