package io.msyspg.console.core.logs;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The index's native blocks: records read back as written across block edges, a record beyond the allocated
 * blocks is an exception (never a read of memory that is not ours), the memory goes back when the index is
 * garbage, and the budget makes an allocation wait for garbage indexes and fail with a clear message only when
 * live ones hold it.
 */
class LogIndexMemoryTest {
    private static final long BLOCK_BYTES = LogIndex.BLOCK * 16L;

    private static LogIndex filled(int records) {
        return filled(new LogIndex(), records);
    }

    /** Each test's indexes have a budget of their own: other tests' garbage indexes, freed meanwhile, do not count. */
    private static LogIndex filled(NativeMemory.Budget budget, int records) {
        return filled(new LogIndex(budget), records);
    }

    private static LogIndex filled(LogIndex ix, int records) {
        LogIndex.Segment seg = ix.addSegment("a.log", 0);
        for (int i = 0; i < records; i++) ix.add(seg.id(), 100L * i, LogSeverity.values()[i % LogSeverity.values().length], 1_000L + i);
        return ix;
    }

    @Test
    void recordsReadBackAcrossBlocksAndNothingBeyond() {
        int n = LogIndex.BLOCK * 2 + 5;
        LogIndex ix = filled(n);
        for (int i : new int[] {0, 1, LogIndex.BLOCK - 1, LogIndex.BLOCK, LogIndex.BLOCK + 1, n - 1}) {
            assertThat(ix.offset(i)).isEqualTo(100L * i);
            assertThat(ix.time(i)).isEqualTo(1_000L + i);
            assertThat(ix.severity(i)).isEqualTo(LogSeverity.values()[i % LogSeverity.values().length]);
        }
        assertThat(ix.memoryBytes()).isEqualTo(3 * BLOCK_BYTES);
        assertThatThrownBy(() -> ix.offset(n)).isInstanceOf(IndexOutOfBoundsException.class);          // allocated, not written
        assertThatThrownBy(() -> ix.time(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void memoryGoesBackWhenTheIndexIsGarbage() throws InterruptedException {
        NativeMemory.Budget budget = new NativeMemory.Budget(Long.MAX_VALUE);
        LogIndex ix = filled(budget, LogIndex.BLOCK * 3);
        assertThat(budget.reserved()).isEqualTo(3 * BLOCK_BYTES);
        assertThat(ix.size()).isEqualTo(LogIndex.BLOCK * 3);
        ix = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (budget.reserved() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void budgetWaitsForGarbageAndNamesTheLimitWhenLiveIndexesHoldIt() {
        NativeMemory.Budget budget = new NativeMemory.Budget(2 * BLOCK_BYTES);
        LogIndex live = filled(budget, LogIndex.BLOCK * 2);              // the whole budget
        assertThatThrownBy(() -> live.add(0, 1, LogSeverity.LOG, 1))   // a third block: nothing to collect
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("Log index memory exhausted")
                .hasMessageContaining("-Dmsyspg.logs.indexMemory");
        assertThat(live.size()).isEqualTo(LogIndex.BLOCK * 2);          // the failed add changed nothing
        assertThat(live.offset(LogIndex.BLOCK * 2 - 1)).isEqualTo(100L * (LogIndex.BLOCK * 2 - 1));
        java.lang.ref.Reference.reachabilityFence(live);
    }

    @Test
    void garbageIndexesMakeRoomWithinTheBudget() {
        NativeMemory.Budget budget = new NativeMemory.Budget(2 * BLOCK_BYTES);
        for (int k = 0; k < 5; k++) {                                   // each one needs the whole budget; the previous is garbage
            LogIndex ix = filled(budget, LogIndex.BLOCK * 2);
            assertThat(ix.time(LogIndex.BLOCK * 2 - 1)).isEqualTo(1_000L + LogIndex.BLOCK * 2 - 1);
        }
    }
}
