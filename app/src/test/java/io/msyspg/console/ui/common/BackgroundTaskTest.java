package io.msyspg.console.ui.common;

import io.msyspg.console.testsupport.RecordingDialogService;
import javafx.concurrent.Worker;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancelling from the FX thread: the task is marked cancelled at once, the job's cancel hooks (a statement cancel
 * opens a connection to the server) run on another thread and before the worker is interrupted, and a result the
 * job still produced is closed rather than leaked.
 */
@ExtendWith(ApplicationExtension.class)
class BackgroundTaskTest {
    final TaskExecutor tasks = new TaskExecutor(new RecordingDialogService());

    @Start
    void start(Stage stage) {
        stage.show();
    }

    @AfterEach
    void close() {
        tasks.close();
    }

    @Test
    void aCancelOnTheFxThreadRunsTheHooksElsewhereAndThenInterrupts(FxRobot robot) throws Exception {
        CountDownLatch jobWaiting = new CountDownLatch(1);
        CountDownLatch hookMayReturn = new CountDownLatch(1);
        AtomicReference<String> hookThread = new AtomicReference<>();
        AtomicBoolean hookReleasedByTest = new AtomicBoolean();
        AtomicBoolean hookDoneWhenInterrupted = new AtomicBoolean();
        AtomicBoolean hookDone = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        BackgroundTask<?>[] task = new BackgroundTask<?>[1];
        robot.interact(() -> task[0] = tasks.task("slow cancel", ctx -> {
            ctx.onCancel(() -> {
                hookThread.set(Thread.currentThread().getName());
                try {
                    // a hook run on the FX thread would wait here until the timeout: the test releases it only
                    // after cancel() has returned on the FX thread
                    hookReleasedByTest.set(hookMayReturn.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hookDone.set(true);
            });
            jobWaiting.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                hookDoneWhenInterrupted.set(hookDone.get());
            }
            return null;
        }).start());
        assertThat(jobWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        Worker.State[] stateAfterCancel = new Worker.State[1];
        robot.interact(() -> {
            task[0].cancel();
            stateAfterCancel[0] = task[0].getState();
        });
        hookMayReturn.countDown();
        assertThat(stateAfterCancel[0]).isEqualTo(Worker.State.CANCELLED);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, interrupted::get);
        assertThat(hookThread.get()).startsWith("msyspg-cancel");
        assertThat(hookReleasedByTest).as("the hook waited for the FX thread's cancel() to return").isTrue();
        assertThat(hookDoneWhenInterrupted).as("the interrupt came after the hook").isTrue();
    }

    @Test
    void aResultThatACancelDiscardedIsClosed(FxRobot robot) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        BackgroundTask<?>[] task = new BackgroundTask<?>[1];
        robot.interact(() -> task[0] = tasks.task("opens a session", ctx -> {
            started.countDown();
            // a job that does not look at the cancel until its work is done, like a connect that just succeeded
            while (!ctx.isCancelled()) Thread.onSpinWait();
            return (AutoCloseable) () -> events.add("closed on " + Thread.currentThread().getName());
        }).onSuccess(r -> events.add("delivered")).start());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        robot.interact(() -> task[0].cancel());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !events.isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(events).singleElement().asString().startsWith("closed on msyspg-cancel");
    }

    @Test
    void aResultOfATaskThatWasNotCancelledIsDelivered(FxRobot robot) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        robot.interact(() -> tasks.task("opens a session", ctx -> (AutoCloseable) () -> events.add("closed"))
                .onSuccess(r -> events.add("delivered")).start());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !events.isEmpty());
        Thread.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(events).containsExactly("delivered");
    }
}
