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
 * regions of at most {@link #REGION} bytes (never more than 1 GB per mapping), each cut into chunks of about
 * {@link #UNIT} bytes, every region and chunk starting after a newline. One worker per core takes chunks in file
 * order, reads the mapping by address ({@link NativeMemory}: no copy, no per-read checks; every read is inside the
 * chunk), scans it for newlines sixteen bytes per step (SWAR) and classifies only the head of each line
 * ({@link LineClassifier}, the same rules as {@link LogIndexer}) into a small heap buffer; a finished chunk is
 * appended to the {@link LogIndex} as soon as every chunk before it has been, by whichever worker finishes the
 * chunk that unblocks it — so the index is built in file order while the scan goes on, with no copy phase at
 * the end and no core idle while another finishes a big unit. What follows the last newline, and everything
 * appended later, goes through the ordinary incremental {@link LogIndexer}.
 *
 * <p>Record boundaries at chunk edges: a chunk's first line that continues a record (TAB, DETAIL…) belongs to
 * the previous chunk's last record, so it adds nothing, exactly as in the sequential indexer; only the segment's
 * very first line starts a record whatever it is.
 */
final class BulkIndexer {
    /** Smaller files go through the sequential path (thread start-up is not worth it). */
    static final long MIN_BYTES = 16L << 20;
    /** Bytes per chunk: small enough that the cores finish together, large enough that a chunk's cost dwarfs its set-up. */
    static final int UNIT = 4 << 20;
    /** Bytes per mapping. */
    static final int REGION = 512 << 20;
    /** Tests lower these to put many chunk and region edges into a small file. */
    static long minBytes = MIN_BYTES;
    static int unitBytes = UNIT;
    static int regionBytes = REGION;
    static int threadsOverride = 0;
    /** Runs once the file is mapped, before the scan (tests truncate the file there); null in the product. */
    static volatile Runnable afterMapping;
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

    /** The records of one chunk, in heap arrays that grow as needed; reused for later chunks once appended. */
    private static final class Partial {
        long[] sp = new long[1 << 14], st = new long[1 << 14];
        int n;

        void add(long packed, long time) {
            int k = n;
            if (k == sp.length) {
                sp = Arrays.copyOf(sp, k * 2);
                st = Arrays.copyOf(st, k * 2);
            }
            sp[k] = packed;
            st[k] = time;
            n = k + 1;
        }
    }

    /**
     * Appends finished chunks to the index in file order. A worker hands in its chunk; whoever hands in the
     * chunk that is next in line appends it and every later chunk that is already waiting. Nothing is published
     * to readers before the end.
     */
    private static final class Appender {
        private final LogIndex index;
        private final Partial[] ready;
        private final java.util.concurrent.ConcurrentLinkedQueue<Partial> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private int next;
        private long at;

        Appender(LogIndex index, int chunks) {
            this.index = index;
            this.ready = new Partial[chunks];
            this.at = index.size();
        }

        Partial buffer() {
            Partial p = free.poll();
            if (p == null) return new Partial();
            p.n = 0;
            return p;
        }

        synchronized void done(int chunk, Partial p) {
            ready[chunk] = p;
            while (next < ready.length && ready[next] != null) {
                Partial q = ready[next];
                ready[next++] = null;
                if (at + q.n > Integer.MAX_VALUE) throw new IllegalStateException("log index full (2^31 records)");
                index.copyIn((int) at, q.sp, q.st, q.n);
                at += q.n;
                free.add(q);
            }
        }

        synchronized long total() { return next == ready.length ? at : -1; }
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
            long end = lastLineEnd(ch, size, 0);
            if (end == 0) return 0;
            // regions (one mapping each), cut right after a newline; chunks inside them are cut by the workers
            long[] regions = edges(ch, 0, end, regionBytes, end);
            for (int r = 0; r + 1 < regions.length; r++) if (regions[r + 1] - regions[r] > (1L << 30)) throw new FileChanged();   // a line > 1 GB: map no more
            MappedByteBuffer[] maps = new MappedByteBuffer[regions.length - 1];
            int[] firstChunk = new int[regions.length];
            for (int r = 0; r < maps.length; r++) {
                long len = regions[r + 1] - regions[r];
                if (len > 0) {
                    maps[r] = ch.map(FileChannel.MapMode.READ_ONLY, regions[r], len);
                    maps[r].order(ByteOrder.LITTLE_ENDIAN);
                }
                firstChunk[r + 1] = firstChunk[r] + (int) Math.max(1, (len + unitBytes - 1) / unitBytes);
            }
            int chunkCount = firstChunk[maps.length];
            Runnable hook = afterMapping;
            if (hook != null) hook.run();
            Appender appender = new Appender(index, chunkCount);
            long tBounds = System.nanoTime();
            java.util.concurrent.atomic.AtomicLong scanCpu = new java.util.concurrent.atomic.AtomicLong(), scanUser = new java.util.concurrent.atomic.AtomicLong();
            AtomicInteger next = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> error = new java.util.concurrent.atomic.AtomicReference<>();
            Thread[] workers = new Thread[Math.min(threads, chunkCount)];
            for (int w = 0; w < workers.length; w++) {
                LineClassifier cls = proto.forWorker();
                workers[w] = new Thread(() -> {
                    byte[] head = new byte[LogIndexer.HEAD];
                    long c0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
                    long u0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadUserTime() : 0;
                    int u;
                    try {
                        while ((u = next.getAndIncrement()) < chunkCount && error.get() == null) {
                            if (ctx.isCancelled()) throw new io.msyspg.console.core.task.JobCancelledException();
                            int r = 0;
                            while (firstChunk[r + 1] <= u) r++;
                            Partial p = appender.buffer();
                            if (maps[r] != null) {
                                // chunk k of m in the region: from the first line start at or after k/m of it to the
                                // first at or after (k+1)/m (the next chunk finds the same edge)
                                int k = u - firstChunk[r], m = firstChunk[r + 1] - firstChunk[r], len = maps[r].capacity();
                                int from = lineStart(maps[r], (int) ((long) len * k / m), len);
                                int to = lineStart(maps[r], (int) ((long) len * (k + 1) / m), len);
                                if (to > from) scan(maps[r], from, to, regions[r], u == 0, segment.id(), cls, head, p);
                                java.lang.ref.Reference.reachabilityFence(maps[r]);   // read by address in scan
                            }
                            appender.done(u, p);
                        }
                    } catch (Throwable t) {
                        error.compareAndSet(null, t);
                        next.set(chunkCount);
                    }
                    if (DEBUG) scanCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0);
                    if (DEBUG) scanUser.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadUserTime() - u0);
                }, "log-indexer-" + w);
                workers[w].setDaemon(true);
                workers[w].start();
            }
            joinAll(workers);
            Throwable e = error.get();
            // Mapped bytes vanished (the file was truncated meanwhile): the fault arrives as an InternalError, possibly
            // after the faulting read let the scan go on with a stale value into another exception first.
            if (e instanceof InternalError || e != null && ch.size() < end) throw new FileChanged();
            if (e instanceof IOException io) throw io;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error er) throw er;
            ctx.checkCancelled();
            long total = appender.total();
            if (total < 0) throw new IllegalStateException("log indexer: a chunk was not appended");
            index.publish((int) total);
            RUNS.incrementAndGet();
            if (DEBUG) System.err.printf("bulk: %d chunks, bounds %d ms, scan+append %d ms, scan cpu %d ms (user %d ms), slow lines %d%n", chunkCount,
                    (tBounds - t0) / 1_000_000, (System.nanoTime() - tBounds) / 1_000_000, scanCpu.get() / 1_000_000, scanUser.get() / 1_000_000, SLOW.getAndSet(0));
            segment.end(end);
            index.addBytes(end);
            return end;
        } catch (NoSuchFileException e) {
            throw new ConsoleException("Log file " + path + " does not exist (any more).", e);
        } catch (AccessDeniedException e) {
            throw LocalLogSource.denied(path, false, null);
        }
    }

    /**
     * Edges that cut [from, to) into pieces of about {@code step} bytes, each edge right after a newline
     * (never beyond {@code to}); the first is {@code from} and the last {@code to}.
     */
    private static long[] edges(FileChannel ch, long from, long to, long step, long size) throws IOException {
        int n = (int) Math.max(1, Math.min(1 << 20, (to - from + step - 1) / step));
        long[] b = new long[n + 1];
        b[0] = from;
        for (int k = 1; k < n; k++) b[k] = Math.min(to, Math.max(b[k - 1], afterNewline(ch, from + (to - from) * k / n, size)));
        b[n] = to;
        return b;
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

    /**
     * The first line start at or after {@code at} in the mapping: 0, or the byte after a newline; {@code n} (the
     * mapping's length) when none. Reads only [at - 1, n).
     */
    private static int lineStart(MappedByteBuffer mb, int at, int n) {
        if (at <= 0) return 0;
        if (n > mb.capacity()) throw new IndexOutOfBoundsException("line start search up to " + n + " in a mapping of " + mb.capacity());
        int e = nextNewline(NativeMemory.address(mb), at - 1, n);
        return e < 0 ? n : e + 1;
    }

    /** The offset after the first newline at or after {@code from - 1}, or {@code size} when there is none. */
    private static long afterNewline(FileChannel ch, long from, long size) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4096);
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

    /**
     * Scans the lines of mapping bytes [s0, n) (a chunk; {@code base} is the mapping's file offset) into
     * {@code out}. The mapping's bytes are read straight from its address ({@link NativeMemory}): every read below
     * lies in [s0, n), which is inside the mapping, and the caller keeps the mapping reachable meanwhile.
     */
    private static void scan(MappedByteBuffer mb, int s0, int n, long base, boolean segmentStart, int segId, LineClassifier cls,
                             byte[] head, Partial out) {
        if (n > mb.capacity() || s0 < 0) throw new IndexOutOfBoundsException("chunk [" + s0 + ", " + n + ") of a mapping of " + mb.capacity());
        long addr = NativeMemory.address(mb);
        boolean shortOk = cls.shortHeadOk(SHORT_HEAD);
        int s = s0;
        if (segmentStart && n > s) {             // the segment's first line: a record whatever it is (the general way)
            int e = nextNewline(addr, s, n);
            if (e < 0) return;                    // nothing added
            line(mb, s, e, base, true, segId, cls, head, shortOk, out);
            s = e + 1;
        }
        // Each line: its head is classified first (which also proves where its newline cannot be), then its end is
        // looked for from there on, sixteen bytes at a time.
        while (s < n) {
            int q = cls.classifyHead(addr, s, n);
            int e = nextNewline(addr, q < 0 ? s : q, n);
            if (e < 0) break;                     // no newline: not a complete line (chunks end after one)
            if (q < 0) line(mb, s, e, base, false, segId, cls, head, shortOk, out);
            else if (cls.headKind == LineClassifier.RECORD) out.add(LogIndex.pack(segId, base + s, cls.sev), cls.time);
            // else a continuation line (TAB, DETAIL…): part of the previous record, possibly the previous chunk's
            s = e + 1;
        }
    }

    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * The first newline in bytes [from, n) at {@code addr}, or -1: sixteen bytes per step with the classic
     * zero-byte test (it can flag bytes above a real zero byte too, but never below one, so its lowest flag is
     * exact). Reads nothing at or beyond {@code n}.
     */
    private static int nextNewline(long addr, int from, int n) {
        int i = from;
        for (; i + 16 <= n; i += 16) {
            long x = NativeMemory.getLong(addr + i) ^ LineClassifier.NEWLINES, y = NativeMemory.getLong(addr + i + 8) ^ LineClassifier.NEWLINES;
            long zx = (x - ONES) & ~x & HIGHS, zy = (y - ONES) & ~y & HIGHS;
            if ((zx | zy) != 0) return zx != 0 ? i + (Long.numberOfTrailingZeros(zx) >>> 3) : i + 8 + (Long.numberOfTrailingZeros(zy) >>> 3);
        }
        for (; i < n; i++) if (NativeMemory.getByte(addr + i) == '\n') return i;
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
