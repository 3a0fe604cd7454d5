package io.msyspg.console.core.task;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobControlTest {
    @Test
    void cancelRunsEachHookOnceAndLateHooksRunAtOnce() {
        JobControl c = new JobControl(JobControl.ProgressListener.NONE);
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(runs::incrementAndGet);
        c.onCancel(() -> { throw new IllegalStateException("a failing hook does not stop the others"); });
        c.onCancel(runs::incrementAndGet);
        assertThat(c.isCancelled()).isFalse();
        c.cancel();
        c.cancel();
        assertThat(runs).hasValue(2);
        c.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(3);
        assertThatThrownBy(c::checkCancelled).isInstanceOf(JobCancelledException.class);
    }

    @Test
    void progressReachesTheListener() throws Exception {
        StringBuilder seen = new StringBuilder();
        Integer r = JobRunner.runInForeground(ctx -> {
            ctx.message("step");
            ctx.progress(1, 4);
            return 42;
        }, new JobControl.ProgressListener() {
            @Override public void progress(double done, double total) { seen.append(done).append('/').append(total); }
            @Override public void message(String m) { seen.append(m).append(';'); }
        });
        assertThat(r).isEqualTo(42);
        assertThat(seen).hasToString("step;1.0/4.0");
    }
}
