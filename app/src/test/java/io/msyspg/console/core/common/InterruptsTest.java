package io.msyspg.console.core.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A clean-up set aside from interrupts: one before it and one during it both wait until it is done. */
class InterruptsTest {

    @Test
    void anInterruptWhileTheCleanUpRunsDoesNotCutItShortAndIsRestoredAfterwards() throws Exception {
        CountDownLatch cleanUpRunning = new CountDownLatch(1);
        AtomicBoolean cleanUpFinished = new AtomicBoolean();
        AtomicBoolean callerInterruptedAfter = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            Thread.currentThread().interrupt();   // the cancel's first interrupt, before the clean-up
            try {
                Interrupts.setAside(() -> {
                    cleanUpRunning.countDown();
                    Thread.sleep(500);              // pg_ctl stop -w: a wait the interrupt must not end
                    cleanUpFinished.set(true);
                });
            } catch (Throwable t) {
                failure.set(t);
            }
            callerInterruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        assertThat(cleanUpRunning.await(10, TimeUnit.SECONDS)).isTrue();
        worker.interrupt();                         // a late interrupt, while the clean-up runs
        worker.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(cleanUpFinished).isTrue();
        assertThat(callerInterruptedAfter).as("the caller still sees the cancel").isTrue();
    }

    @Test
    void theCleanUpsOwnExceptionReachesTheCaller() {
        assertThatThrownBy(() -> Interrupts.setAside(() -> { throw new IOException("pg_ctl: no such file"); }))
                .isInstanceOf(IOException.class).hasMessage("pg_ctl: no such file");
        assertThatThrownBy(() -> Interrupts.setAside(() -> { throw new ConsoleException("stop failed"); }))
                .isInstanceOf(ConsoleException.class).hasMessage("stop failed");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
