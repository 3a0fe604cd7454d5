package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
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
        /** Records gathered in heap arrays first, then copied off-heap in bulk (cheaper than one buffer put each). */
        private static final int S = 1 << 12;
        private static final int FIRST = 1 << 10;
        private final long[] sp = new long[S], st = new long[S];
        private int o;
        /** Records already copied off-heap. */
        private int flushed;
        private final LogIndex direct;
        private final int directStart;
        private final java.util.ArrayList<LongBuffer> pb = new java.util.ArrayList<>();
        private final java.util.ArrayList<LongBuffer> tb = new java.util.ArrayList<>();
        /** Capacity of this unit's own blocks (when it does not write into the index directly). */
        private int capacity;
        Throwable error;

        Partial(LogIndex direct) {
            this.direct = direct;
            this.directStart = direct == null ? 0 : direct.size();
        }

        int n() { return flushed + o; }

        void add(long packed, long time) {
            int k = o;
            if (k == S) {
                flush();
                k = 0;
            }
            sp[k] = packed;
            st[k] = time;
            o = k + 1;
        }

        void flush() {
            if (o == 0) return;
            if (direct != null) {
                if (directStart + flushed + o < 0) throw new IllegalStateException("log index full (2^31 records)");
                direct.copyIn(directStart + flushed, sp, st, o);
            } else {
                int from = 0;
                while (from < o) {
                    if (flushed + from == capacity) {
                        // small first (tests make thousands of tiny units), then doubling up to the index's block size
                        int len = pb.isEmpty() ? FIRST : Math.min(LogIndex.BLOCK, pb.get(pb.size() - 1).capacity() * 2);
                        pb.add(LogIndex.block(len));
                        tb.add(LogIndex.block(len));
                        capacity += len;
                    }
                    LongBuffer p = pb.get(pb.size() - 1), t = tb.get(tb.size() - 1);
                    int at = p.capacity() - (capacity - flushed - from);
                    int len = Math.min(o - from, p.capacity() - at);
                    p.put(at, sp, from, len);
                    t.put(at, st, from, len);
                    from += len;
                }
            }
            flushed += o;
            o = 0;
        }

        /** Adds one job per block that copies it to its place in {@code index}, records from {@code at} on. */
        void copyJobs(LogIndex index, int at, java.util.List<Runnable> jobs) {
            if (direct != null) return;
            int left = n();
            for (int k = 0; k < pb.size() && left > 0; k++) {
                LongBuffer sp = pb.get(k), st = tb.get(k);
                int len = Math.min(sp.capacity(), left), dst = at;
                jobs.add(() -> index.copyIn(dst, sp, st, 0, len));
                at += len;
                left -= len;
            }
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
            java.util.concurrent.atomic.AtomicLong scanCpu = new java.util.concurrent.atomic.AtomicLong(), scanUser = new java.util.concurrent.atomic.AtomicLong();
            Partial[] parts = new Partial[units];
            AtomicInteger next = new AtomicInteger();
            Thread[] workers = new Thread[threads];
            for (int w = 0; w < threads; w++) {
                LineClassifier cls = proto.forWorker();
                workers[w] = new Thread(() -> {
                    byte[] head = new byte[LogIndexer.HEAD];
                    long c0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
                    long u0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadUserTime() : 0;
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
                    if (DEBUG) scanUser.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadUserTime() - u0);
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
            // copy the partial indexes into place block by block, one worker per core again (a unit's blocks are
            // spread over the workers: with one unit per core, all but the first unit's records are copied)
            java.util.List<Runnable> copies = new java.util.ArrayList<>();
            for (int u = 0; u < units; u++) parts[u].copyJobs(index, at[u], copies);
            AtomicInteger nextCopy = new AtomicInteger();
            for (int w = 0; w < threads; w++) {
                workers[w] = new Thread(() -> {
                    int c;
                    while ((c = nextCopy.getAndIncrement()) < copies.size()) copies.get(c).run();
                }, "log-index-copy-" + w);
                workers[w].setDaemon(true);
                workers[w].start();
            }
            joinAll(workers);
            Arrays.fill(parts, null);
            index.publish((int) total);
            RUNS.incrementAndGet();
            if (DEBUG) System.err.printf("bulk: bounds %d ms, scan %d ms, copy %d ms, scan cpu %d ms (user %d ms), slow lines %d%n", (tBounds - t0) / 1_000_000,
                    (tScan - tBounds) / 1_000_000, (System.nanoTime() - tScan) / 1_000_000, scanCpu.get() / 1_000_000, scanUser.get() / 1_000_000, SLOW.getAndSet(0));
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
        int s = 0;
        if (segmentStart && n > 0) {             // the segment's first line: a record whatever it is (the general way)
            int e = nextNewline(mb, 0, n);
            if (e < 0) return;                    // nothing added
            line(mb, 0, e, us, true, segId, cls, head, shortOk, out);
            s = e + 1;
        }
        // Each line: its head is classified first (which also proves where its newline cannot be), then its end is
        // looked for from there on, eight bytes at a time. Both read a window copied from the mapping into the heap
        // (a bulk copy is cheaper than the checks of many small reads from the mapped buffer); a line head is always
        // whole in the window unless the unit ends first; a line running past the window is finished in the mapping.
        byte[] win = new byte[WINDOW];
        int ws = 0, wl = 0;                       // the window holds unit bytes [ws, ws + wl)
        while (s < n) {
            if (s + WINDOW_HEAD > ws + wl && ws + wl < n) {
                ws = s;
                wl = Math.min(WINDOW, n - s);
                mb.get(s, win, 0, wl);
            }
            int r = s - ws;
            int q = cls.classifyHead(win, r, wl);
            int e = nextNewline(win, q < 0 ? r : q, wl);
            if (e >= 0) e += ws;
            else e = nextNewline(mb, ws + wl, n);
            if (e < 0) break;                     // no newline: not a complete line (units end after one)
            if (q < 0) line(mb, s, e, us, false, segId, cls, head, shortOk, out);
            else if (cls.headKind == LineClassifier.RECORD) out.add(LogIndex.pack(segId, us + s, cls.sev), cls.time);
            // else a continuation line (TAB, DETAIL…): part of the previous record, possibly the previous unit's
            s = e + 1;
        }
        out.flush();
    }

    static final int WINDOW = 1 << 18;
    /** Bytes of a line head that must be in the window: the classified head and the eight-byte reads past it. */
    private static final int WINDOW_HEAD = LogIndexer.HEAD + 16;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * The first newline in b[from, n), or -1: sixteen bytes per step with the classic zero-byte test (it can flag
     * bytes above a real zero byte too, but never below one, so its lowest flag is exact).
     */
    private static int nextNewline(byte[] b, int from, int n) {
        int i = from;
        for (; i + 16 <= n; i += 16) {
            long x = (long) LONGS.get(b, i) ^ LineClassifier.NEWLINES, y = (long) LONGS.get(b, i + 8) ^ LineClassifier.NEWLINES;
            long zx = (x - ONES) & ~x & HIGHS, zy = (y - ONES) & ~y & HIGHS;
            if ((zx | zy) != 0) return zx != 0 ? i + (Long.numberOfTrailingZeros(zx) >>> 3) : i + 8 + (Long.numberOfTrailingZeros(zy) >>> 3);
        }
        for (; i < n; i++) if (b[i] == '\n') return i;
        return -1;
    }

    /** The first newline in [from, n) of the mapping, or -1. */
    private static int nextNewline(MappedByteBuffer mb, int from, int n) {
        int i = from;
        for (; i + 8 <= n; i += 8) {
            long m = LineClassifier.zeroBytes(mb.getLong(i) ^ 0x0A0A0A0A0A0A0A0AL);
            if (m != 0) return i + (Long.numberOfTrailingZeros(m) >>> 3);
        }
        for (; i < n; i++) if (mb.get(i) == '\n') return i;
        return -1;
    }

    private static void line(MappedByteBuffer mb, int s, int e, long base, boolean segmentFirst, int segId,
                             LineClassifier cls, byte[] head, boolean shortOk, Partial out) {
        int len = e - s;
        int k = cls.classifyFast(mb, s, e);
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
