package io.msyspg.console.core.logs;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The offset index of a log: for each record, 16 bytes in off-heap blocks of longs ({@link NativeMemory}) and no text. One long packs the
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
    private static final long BLOCK_BYTES = BLOCK * 16L;
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

    // Off-heap blocks: millions of live records would otherwise be copied by every young collection while
    // indexing. Block b holds BLOCK packed longs then BLOCK times, at address blocks[b] (0 until allocated);
    // the memory is not zeroed (every slot below size is written before size publishes it) and is freed by a
    // Cleaner once this index is unreachable, so no reader can ever see freed memory.
    private final long[] blocks = new long[MAX_BLOCKS];

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private final NativeMemory.Budget budget;

    private record Free(NativeMemory.Budget budget, long[] blocks) implements Runnable {
        @Override public void run() {
            for (int b = 0; b < blocks.length; b++) {
                if (blocks[b] != 0) NativeMemory.free(budget, blocks[b], BLOCK_BYTES);
                blocks[b] = 0;
            }
        }
    }

    public LogIndex() {
        this(NativeMemory.SHARED);
    }

    /** An index whose blocks count against {@code budget} (tests). */
    LogIndex(NativeMemory.Budget budget) {
        this.budget = budget;
        CLEANER.register(this, new Free(budget, blocks));
    }

    private void allocate(int b) {
        if (blocks[b] == 0) blocks[b] = NativeMemory.allocate(budget, BLOCK_BYTES);
    }

    /** Block address of published record i (checked: the memory beyond {@link #size()} is not initialised). */
    private long block(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("log record " + i + " of " + size);
        return blocks[i >>> BLOCK_BITS];
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
        long a = blocks[b] + ((i & (BLOCK - 1)) << 3);
        NativeMemory.putLong(a, ((long) segment << 48) | ((offset & OFFSET_MASK) << 4) | sev.ordinal());
        NativeMemory.putLong(a + BLOCK * 8L, time);
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
            long a = blocks[b] + ((long) o << 3);
            NativeMemory.copy(packedSrc, from, a, n);
            NativeMemory.copy(timeSrc, from, a + BLOCK * 8L, n);
            at += n;
            from += n;
            len -= n;
        }
    }

    /** Makes records up to {@code newSize} visible (after {@link #copyIn}; the single writer's call). */
    void publish(int newSize) { size = newSize; }

    private long packed(int i) { return NativeMemory.getLong(block(i) + ((long) (i & (BLOCK - 1)) << 3)); }

    public int segmentOf(int i) { return (int) (packed(i) >>> 48); }

    public long offset(int i) { return (packed(i) >>> 4) & OFFSET_MASK; }

    public LogSeverity severity(int i) { return LogSeverity.ofCode((int) (packed(i) & 0xF)); }

    public long time(int i) { return NativeMemory.getLong(block(i) + ((long) ((i & (BLOCK - 1)) + BLOCK) << 3)); }

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
        for (long a : this.blocks) if (a != 0) blocks++;
        return blocks * BLOCK * 16L;
    }
}
