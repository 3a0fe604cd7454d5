package io.msyspg.console.core.logs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The offset index of a log: for each record, 16 bytes in off-heap blocks of longs and no text. One long packs the
 * segment number (16 bits), the byte offset in that segment's file (44 bits) and the severity (4 bits); a
 * second long holds the time (epoch millis, or {@link LogTime#NONE}). Records live in blocks of 65,536, so
 * the index grows without copying. A segment is a contiguous byte range of one file: following a directory
 * through rotations adds one per file switch (and again when a rotation appends to an older file).
 *
 * <p>One writer thread appends; any thread reads. {@link #size()} is published last, so readers see whole
 * records only.
 */
public final class LogIndex {
    private static final int BLOCK_BITS = 16;
    static final int BLOCK = 1 << BLOCK_BITS;
    private static final int MAX_BLOCKS = 1 << 15;
    private static final long OFFSET_MASK = (1L << 44) - 1;

    /** A contiguous byte range of one file. {@code end} is the committed end: complete lines only. */
    public static final class Segment {
        private final int id;
        private final String file;
        private final long start;
        private volatile long end;

        Segment(int id, String file, long start) {
            this.id = id;
            this.file = file;
            this.start = start;
            this.end = start;
        }

        public int id() { return id; }
        public String file() { return file; }
        public long start() { return start; }
        public long end() { return end; }
        void end(long e) { this.end = e; }
    }

    // off-heap blocks: millions of live records would otherwise be copied by every young collection while indexing
    private final LongBuffer[] packed = new LongBuffer[MAX_BLOCKS];
    private final LongBuffer[] times = new LongBuffer[MAX_BLOCKS];

    /** A zeroed off-heap block of {@code n} longs in native order. */
    static LongBuffer block(int n) {
        return ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private void allocate(int b) {
        if (packed[b] == null) {
            times[b] = block(BLOCK);
            packed[b] = block(BLOCK);
        }
    }
    private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();
    private volatile int size;
    private volatile long bytesIndexed;

    public int size() { return size; }

    public Segment segment(int id) { return segments.get(id); }

    public java.util.List<Segment> segments() { return java.util.List.copyOf(segments); }

    public long bytesIndexed() { return bytesIndexed; }

    Segment addSegment(String file, long start) {
        if (segments.size() >= 0xFFFF) throw new IllegalStateException("too many segments in one log view");
        Segment s = new Segment(segments.size(), file, start);
        segments.add(s);
        return s;
    }

    void add(int segment, long offset, LogSeverity sev, long time) {
        int i = size;
        int b = i >>> BLOCK_BITS;
        if (b >= MAX_BLOCKS) throw new IllegalStateException("log index full (2^31 records)");
        allocate(b);
        packed[b].put(i & (BLOCK - 1), ((long) segment << 48) | ((offset & OFFSET_MASK) << 4) | sev.ordinal());
        times[b].put(i & (BLOCK - 1), time);
        size = i + 1;
    }

    void addBytes(long n) { bytesIndexed += n; }

    /** The packed form of a record, as {@link #add} stores it (for {@link BulkIndexer}'s chunk buffers). */
    static long pack(int segment, long offset, LogSeverity sev) {
        return ((long) segment << 48) | ((offset & OFFSET_MASK) << 4) | sev.ordinal();
    }

    /** Copies {@code len} records from heap arrays to positions [at, at+len) beyond {@link #size()}, allocating blocks; unpublished. */
    void copyIn(int at, long[] packedSrc, long[] timeSrc, int len) {
        int from = 0;
        while (len > 0) {
            int b = at >>> BLOCK_BITS, o = at & (BLOCK - 1);
            if (b >= MAX_BLOCKS) throw new IllegalStateException("log index full (2^31 records)");
            allocate(b);
            int n = Math.min(len, BLOCK - o);
            packed[b].put(o, packedSrc, from, n);
            times[b].put(o, timeSrc, from, n);
            at += n;
            from += n;
            len -= n;
        }
    }

    /** Makes records up to {@code newSize} visible (after {@link #copyIn}; the single writer's call). */
    void publish(int newSize) { size = newSize; }

    private long packed(int i) { return packed[i >>> BLOCK_BITS].get(i & (BLOCK - 1)); }

    public int segmentOf(int i) { return (int) (packed(i) >>> 48); }

    public long offset(int i) { return (packed(i) >>> 4) & OFFSET_MASK; }

    public LogSeverity severity(int i) { return LogSeverity.ofCode((int) (packed(i) & 0xF)); }

    public long time(int i) { return times[i >>> BLOCK_BITS].get(i & (BLOCK - 1)); }

    /** The end of record i: the next record's start in the same segment, else the segment's committed end. */
    public long end(int i) {
        int n = size;
        int seg = segmentOf(i);
        if (i + 1 < n && segmentOf(i + 1) == seg) return offset(i + 1);
        return segments.get(seg).end();
    }

    /** Memory held by the record blocks (allocated, off-heap), in bytes. */
    public long memoryBytes() {
        long blocks = 0;
        for (LongBuffer p : packed) if (p != null) blocks++;
        return blocks * BLOCK * 16L;
    }
}
