package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Indexes the complete lines of a large local stderr log at once, in parallel: the file is memory-mapped in
 * units of at most {@link #UNIT} bytes (never more than 1 GB per mapping), each unit starting after a newline;
 * one worker per core scans units for newlines eight bytes at a time (SWAR) and classifies only the head of each
 * line ({@link LineClassifier}, the same rules as {@link LogIndexer}); the per-unit partial indexes are then
 * copied into the {@link LogIndex} in file order, in parallel too. What follows the last newline, and
 * everything appended later, goes through the ordinary incremental {@link LogIndexer}.
 *
 * <p>Record boundaries at unit edges: a unit's first line that continues a record (TAB, DETAIL…) belongs to the
 * previous unit's last record, so it adds nothing, exactly as in the sequential indexer; only the segment's very
 * first line starts a record whatever it is.
 */
final class BulkIndexer {
    /** Smaller files go through the sequential path (thread start-up is not worth it). */
    static final long MIN_BYTES = 16L << 20;
    static final int UNIT = 512 << 20;
    /** Tests lower these to put many unit edges into a small file. */
    static long minBytes = MIN_BYTES;
    static int unitBytes = UNIT;
    static int threadsOverride = 0;
    /** How many times the bulk path indexed a file (tests check it really ran). */
    static final AtomicInteger RUNS = new AtomicInteger();
    /** Bytes of each line copied for classification first; the full head only when they cannot decide. */
    private static final int SHORT_HEAD = 128;

    private BulkIndexer() {}

    /** Whether {@link #index} applies. */
    static boolean applies(LogSource source, LogFormat format, long size) {
        return source instanceof LocalLogSource && format == LogFormat.STDERR && size >= minBytes
                && !Boolean.getBoolean("msyspg.logs.sequential");
    }

    /**
     * The records of one unit. The first unit writes straight into the index (its records start at the index's
     * size, known beforehand); the others into blocks of 65,536 that are copied into place once the counts of
     * the units before them are known. Nothing is published to readers before the end.
     */
    private static final class Partial {
        private static final int B = 1 << 16;
        private final LogIndex direct;
        private final int directStart;
        private final java.util.ArrayList<long[]> pb = new java.util.ArrayList<>();
        private final java.util.ArrayList<long[]> tb = new java.util.ArrayList<>();
        /** The block being filled: records go to p[o], t[o] while o < lim. */
        private long[] p, t;
        private int o, lim;
        /** Records in the blocks before the current one. */
        private int before;
        Throwable error;

        Partial(LogIndex direct) {
            this.direct = direct;
            this.directStart = direct == null ? 0 : direct.size();
        }

        int n() {
            if (p == null) return 0;
            return before + o - (direct == null ? 0 : (directStart + before) & (B - 1));
        }

        void add(long packed, long time) {
            int k = o;
            if (k == lim) k = nextBlock();
            p[k] = packed;
            t[k] = time;
            o = k + 1;
        }

        private int nextBlock() {
            if (p != null) before = n();
            if (direct != null) {
                int at = directStart + before;
                if (at < 0) throw new IllegalStateException("log index full (2^31 records)");
                p = direct.packedBlock(at);
                t = direct.timeBlock(at);
                o = at & (B - 1);
            } else {
                p = new long[B];
                t = new long[B];
                pb.add(p);
                tb.add(t);
                o = 0;
            }
            lim = B;
            return o;
        }

        void copyTo(LogIndex index, int at) {
            if (direct != null) return;
            int n = n();
            for (int k = 0; k < pb.size(); k++) {
                int len = Math.min(B, n - k * B);
                index.copyIn(at + k * B, pb.get(k), tb.get(k), 0, len);
            }
            pb.clear();
            tb.clear();
        }
    }

    /**
     * Indexes the lines of {@code path} that end before {@code size} into the new, empty {@code segment} (which
     * starts at 0). Returns the file offset after the last newline (0 when there is none), which is the
     * segment's committed end.
     */
    static long index(Path path, long size, LogIndex index, LogIndex.Segment segment, LineClassifier proto, JobContext ctx)
            throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            size = Math.min(size, ch.size());
            long t0 = System.nanoTime();
            int threads = threadsOverride > 0 ? threadsOverride : Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
            int units = (int) Math.max(threads, Math.min(1 << 16, (size + unitBytes - 1) / unitBytes));
            units = (units + threads - 1) / threads * threads;
            long[] bounds = new long[units + 1];
            for (int u = 1; u < units; u++) {
                long nominal = size * u / units;
                bounds[u] = Math.max(bounds[u - 1], afterNewline(ch, nominal, size));
            }
            bounds[units] = lastLineEnd(ch, size, bounds[units - 1]);
            for (int u = 1; u < units; u++) bounds[u] = Math.min(bounds[u], bounds[units]);
            long end = bounds[units];
            if (end == 0) return 0;
            for (int u = 0; u < units; u++) if (bounds[u + 1] - bounds[u] > (1L << 30)) throw new FileChanged();   // a line > 1 GB: map no more

            long tBounds = System.nanoTime();
            java.util.concurrent.atomic.AtomicLong scanCpu = new java.util.concurrent.atomic.AtomicLong();
            Partial[] parts = new Partial[units];
            AtomicInteger next = new AtomicInteger();
            Thread[] workers = new Thread[threads];
            for (int w = 0; w < threads; w++) {
                LineClassifier cls = proto.forWorker();
                workers[w] = new Thread(() -> {
                    byte[] head = new byte[LogIndexer.HEAD];
                    long c0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
                    int u;
                    while ((u = next.getAndIncrement()) < parts.length) {
                        long us = bounds[u], ue = bounds[u + 1];
                        Partial p = new Partial(u == 0 ? index : null);
                        parts[u] = p;
                        try {
                            if (ctx.isCancelled()) throw new io.msyspg.console.core.task.JobCancelledException();
                            if (ue > us) scan(ch, us, ue, u == 0, segment.id(), cls, head, p);
                        } catch (Throwable t) {
                            p.error = t;
                            next.set(parts.length);
                        }
                    }
                    if (DEBUG) scanCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0);
                }, "log-indexer-" + w);
                workers[w].setDaemon(true);
                workers[w].start();
            }
            joinAll(workers);
            long tScan = System.nanoTime();
            int[] at = new int[units + 1];
            for (int u = 0; u < units; u++) {
                Partial p = parts[u];
                if (p == null) continue;
                if (p.error instanceof InternalError) throw new FileChanged();   // mapped bytes vanished: truncated meanwhile
                if (p.error instanceof IOException io) throw io;
                if (p.error instanceof RuntimeException re) throw re;
                if (p.error instanceof Error er) throw er;
            }
            ctx.checkCancelled();
            long total = index.size();
            for (int u = 0; u < units; u++) {
                at[u] = (int) total;
                total += parts[u].n();
            }
            index.reserve(total);
            // copy the partial indexes into place, one worker per core again
            AtomicInteger nextCopy = new AtomicInteger();
            for (int w = 0; w < threads; w++) {
                workers[w] = new Thread(() -> {
                    int u;
                    while ((u = nextCopy.getAndIncrement()) < parts.length) {
                        parts[u].copyTo(index, at[u]);
                        parts[u] = null;
                    }
                }, "log-index-copy-" + w);
                workers[w].setDaemon(true);
                workers[w].start();
            }
            joinAll(workers);
            index.publish((int) total);
            RUNS.incrementAndGet();
            if (DEBUG) System.err.printf("bulk: bounds %d ms, scan %d ms, copy %d ms, scan cpu %d ms, slow lines %d%n", (tBounds - t0) / 1_000_000,
                    (tScan - tBounds) / 1_000_000, (System.nanoTime() - tScan) / 1_000_000, scanCpu.get() / 1_000_000, SLOW.getAndSet(0));
            segment.end(end);
            index.addBytes(end);
            return end;
        } catch (NoSuchFileException e) {
            throw new ConsoleException("Log file " + path + " does not exist (any more).", e);
        } catch (AccessDeniedException e) {
            throw LocalLogSource.denied(path, false, null);
        }
    }

    /** The file shrank while it was mapped, or a unit would exceed 1 GB: nothing was published; index it the sequential way. */
    static final class FileChanged extends RuntimeException {
        FileChanged() { super(null, null, false, false); }
    }

    private static void joinAll(Thread[] workers) {
        boolean interrupted = false;
        for (Thread t : workers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;      // workers stop by themselves (cancel is checked per unit)
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The offset after the first newline at or after {@code from - 1}, or {@code size} when there is none. */
    private static long afterNewline(FileChannel ch, long from, long size) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(64 * 1024);
        long pos = Math.max(0, from - 1);
        while (pos < size) {
            bb.clear();
            int n = ch.read(bb, pos);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) if (bb.get(i) == '\n') return pos + i + 1;
            pos += n;
        }
        return size;
    }

    /** The offset after the last newline in [floor, size), or {@code floor} when there is none. */
    private static long lastLineEnd(FileChannel ch, long size, long floor) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(64 * 1024);
        long hi = size;
        while (hi > floor) {
            long lo = Math.max(floor, hi - bb.capacity());
            bb.clear().limit((int) (hi - lo));
            int n = 0;
            while (bb.hasRemaining()) {
                int r = ch.read(bb, lo + n);
                if (r <= 0) break;
                n += r;
            }
            for (int i = n - 1; i >= 0; i--) if (bb.get(i) == '\n') return lo + i + 1;
            hi = lo;
        }
        return floor;
    }

    private static final boolean DEBUG = Boolean.getBoolean("msyspg.logs.debug");
    private static final AtomicInteger SLOW = new AtomicInteger();

    private static void scan(FileChannel ch, long us, long ue, boolean segmentStart, int segId, LineClassifier cls, byte[] head,
                             Partial out) throws IOException {
        MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, us, ue - us);
        mb.order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) (ue - us);
        boolean shortOk = cls.shortHeadOk(SHORT_HEAD);
        boolean firstLine = segmentStart;
        int lineStart = 0;
        int i = 0;
        final long nl = 0x0A0A0A0A0A0A0A0AL, low7 = 0x7F7F7F7F7F7F7F7FL, ones = 0x0101010101010101L, high = 0x8080808080808080L;
        for (; i + 16 <= n; i += 16) {
            long va = mb.getLong(i) ^ nl, vb = mb.getLong(i + 8) ^ nl;
            long za = (va - ones) & ~va, zb = (vb - ones) & ~vb;      // non-zero high bits iff a '\n' (as a test only)
            if (((za | zb) & high) == 0) continue;
            long t = ~(((va & low7) + low7) | va | low7);          // exact: 0x80 in each byte that was '\n'
            while (t != 0) {
                int e = i + (Long.numberOfTrailingZeros(t) >>> 3);
                line(mb, lineStart, e, us, firstLine, segId, cls, head, shortOk, out);
                firstLine = false;
                lineStart = e + 1;
                t &= t - 1;
            }
            t = ~(((vb & low7) + low7) | vb | low7);
            while (t != 0) {
                int e = i + 8 + (Long.numberOfTrailingZeros(t) >>> 3);
                line(mb, lineStart, e, us, firstLine, segId, cls, head, shortOk, out);
                firstLine = false;
                lineStart = e + 1;
                t &= t - 1;
            }
        }
        for (; i < n; i++) {
            if (mb.get(i) == '\n') {
                line(mb, lineStart, i, us, firstLine, segId, cls, head, shortOk, out);
                firstLine = false;
                lineStart = i + 1;
            }
        }
    }

    private static void line(MappedByteBuffer mb, int s, int e, long base, boolean segmentFirst, int segId,
                             LineClassifier cls, byte[] head, boolean shortOk, Partial out) {
        int len = e - s;
        int k = cls.classifyLongs(mb, s, e);
        if (k == LineClassifier.NEED_MORE) k = cls.classifyFast(mb, s, e);
        if (DEBUG && k == LineClassifier.NEED_MORE) SLOW.incrementAndGet();
        if (k == LineClassifier.NEED_MORE) {
            if (shortOk && len > SHORT_HEAD) {
                mb.get(s, head, 0, SHORT_HEAD);
                k = cls.classify(head, 0, SHORT_HEAD, true);
            }
            if (k == LineClassifier.NEED_MORE) {
                int h = Math.min(len, LogIndexer.HEAD);
                mb.get(s, head, 0, h);
                k = cls.classify(head, 0, h, false);
            }
        }
        if (k == LineClassifier.RECORD) {
            out.add(LogIndex.pack(segId, base + s, cls.sev), cls.time);
        } else if (segmentFirst) {             // the segment's first line: a record whatever it is
            out.add(LogIndex.pack(segId, base + s, LogSeverity.UNKNOWN), k == LineClassifier.TAB ? LogTime.NONE : cls.time);
        }
        // else a continuation line: part of the previous record (possibly the previous unit's last one)
    }
}
