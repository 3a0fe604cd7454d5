package io.msyspg.console.core.logs;

import java.lang.reflect.Field;

/**
 * Raw native memory for the log index and the bulk indexer's scan of mapped files, through
 * {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, part of every JDK and of the console's runtime image).
 * Why: a {@link java.nio.ByteBuffer#allocateDirect direct buffer} zeroes its memory first — for the index of a
 * 1 GB log that is a second full pass over 160 MB that the kernel has already zeroed — and every read from a
 * mapped buffer pays bounds checks the scan's own bounds make redundant. Callers own the bounds: each use
 * states why its addresses lie inside memory it allocated or mapped.
 *
 * <p>Allocations are counted against a budget, as the JDK counts direct buffers against
 * {@code -XX:MaxDirectMemorySize}: by default the heap's maximum ({@code -Dmsyspg.logs.indexMemory=BYTES} sets
 * it). Memory is freed by the owners' cleaners once they are garbage, so when an allocation would exceed the
 * budget a collection is requested and the allocation waits (up to about a second) for those cleaners before it
 * fails with an {@link OutOfMemoryError} that says what ran out.
 */
final class NativeMemory {
    private static final sun.misc.Unsafe U;
    private static final long LONG_ARRAY_BASE;
    private static final long BUFFER_ADDRESS;

    static {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (sun.misc.Unsafe) f.get(null);
            LONG_ARRAY_BASE = U.arrayBaseOffset(long[].class);
            BUFFER_ADDRESS = U.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeMemory() {}

    /**
     * A budget and what is reserved against it. The log indexes share {@link #SHARED}; a test gives its indexes a
     * budget of their own, so that the cleaners of other tests' garbage indexes do not move its figures.
     */
    static final class Budget {
        final long limit;
        private final java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();

        Budget(long limit) { this.limit = limit; }

        /** Bytes allocated against this budget and not yet freed. */
        long reserved() { return reserved.get(); }

        private boolean tryReserve(long bytes) {
            while (true) {
                long r = reserved.get();
                if (r + bytes > limit) return false;
                if (reserved.compareAndSet(r, r + bytes)) return true;
            }
        }

        private void reserve(long bytes) {
            if (tryReserve(bytes)) return;
            System.gc();                       // indexes that are garbage give their memory back through their cleaners
            boolean interrupted = false;
            try {
                for (int k = 0; k < 10; k++) {
                    if (tryReserve(bytes)) return;
                    try {
                        Thread.sleep(1L << k);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (tryReserve(bytes)) return;
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            throw new OutOfMemoryError("Log index memory exhausted: the open logs' indexes hold " + (reserved.get() >> 20)
                    + " MB of a " + (limit >> 20) + " MB budget (the heap's maximum; -Dmsyspg.logs.indexMemory=BYTES sets it). Close other logs or open a smaller file.");
        }
    }

    /** The budget of every log index: the heap's maximum unless {@code -Dmsyspg.logs.indexMemory} says otherwise. */
    static final Budget SHARED = new Budget(Long.getLong("msyspg.logs.indexMemory", Runtime.getRuntime().maxMemory()));

    /**
     * Uninitialised memory of {@code bytes}, to be given back with {@link #free}; an {@link OutOfMemoryError} naming
     * the budget when it stays exhausted after a collection.
     */
    static long allocate(Budget budget, long bytes) {
        budget.reserve(bytes);
        try {
            return U.allocateMemory(bytes);
        } catch (OutOfMemoryError e) {
            budget.reserved.addAndGet(-bytes);
            throw e;
        }
    }

    static void free(Budget budget, long address, long bytes) {
        U.freeMemory(address);
        budget.reserved.addAndGet(-bytes);
    }

    static long getLong(long address) { return U.getLong(address); }

    static void putLong(long address, long value) { U.putLong(address, value); }

    static byte getByte(long address) { return U.getByte(address); }

    /** Copies {@code n} longs from {@code src[from...]} to native memory at {@code address}. */
    static void copy(long[] src, int from, long address, int n) {
        java.util.Objects.checkFromIndexSize(from, n, src.length);
        U.copyMemory(src, LONG_ARRAY_BASE + 8L * from, null, address, 8L * n);
    }

    /** The address of a direct or mapped buffer's first byte (the buffer must stay reachable while it is used). */
    static long address(java.nio.Buffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("not a direct buffer");
        return U.getLong(direct, BUFFER_ADDRESS);
    }
}
