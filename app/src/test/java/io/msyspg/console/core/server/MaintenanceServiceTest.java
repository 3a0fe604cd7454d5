package io.msyspg.console.core.server;

import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceServiceTest {
    static String db;
    static PooledDbSession session;
    static final MaintenanceService.TableRef BIG = new MaintenanceService.TableRef("public", "big narrow");

    @BeforeAll static void up() throws Exception {
        db = TestPg.createDatabase("maint");
        session = TestPg.session(db);
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            // a few million narrow rows, half of them dead; no autovacuum to steal the work
            s.execute("CREATE TABLE \"big narrow\" (id int) WITH (autovacuum_enabled = off)");
            s.execute("INSERT INTO \"big narrow\" SELECT generate_series(1, 3000000)");
            s.execute("DELETE FROM \"big narrow\" WHERE id % 2 = 0");
            s.execute("CREATE INDEX ON \"big narrow\" (id)");
        }
    }

    @AfterAll static void down() {
        if (session != null) session.close();
    }

    @Test
    void needsVacuumListsDeadTuplesAndXidAge() throws Exception {
        MaintenanceService svc = new MaintenanceService(session);
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        List<MaintenanceService.TableHealth> rows = svc.needsVacuum(50);
        // statistics are flushed by backends about once a second
        while (rows.stream().noneMatch(r -> r.table().equals(BIG) && r.deadTuples() > 0) && Instant.now().isBefore(end)) {
            Thread.sleep(200);
            rows = svc.needsVacuum(50);
        }
        var big = rows.stream().filter(r -> r.table().equals(BIG)).findFirst().orElseThrow();
        assertThat(big.deadTuples()).isGreaterThan(0);
        assertThat(big.xidAge()).isPositive();
        assertThat(big.sizeBytes()).isGreaterThan(50L * 1024 * 1024);
    }

    @Test
    void vacuumProgressIsSampledFromASecondConnectionAndCancelWorks() throws Exception {
        MaintenanceService svc = new MaintenanceService(session);
        List<MaintenanceService.Progress> seen = new CopyOnWriteArrayList<>();
        List<Double> jobProgress = new CopyOnWriteArrayList<>();
        JobControl ctl = new JobControl(new JobControl.ProgressListener() {
            @Override public void progress(double done, double total) { jobProgress.add(done / total); }
            @Override public void message(String m) { }
        });
        List<String> done = svc.run(MaintenanceService.Kind.VACUUM, List.of(BIG), new MaintenanceService.Options(2), ctl, seen::add, 50);
        assertThat(done).containsExactly("VACUUM \"public\".\"big narrow\"");
        assertThat(seen).anySatisfy(p -> {
            assertThat(p.phase()).isNotEqualTo("done");
            assertThat(p.detail()).contains("blocks");
        });
        assertThat(seen).anyMatch(p -> p.fraction() > 0 && p.fraction() < 1);
        assertThat(jobProgress).anyMatch(f -> f > 0 && f < 1);
        assertThat(seen.get(seen.size() - 1).phase()).isEqualTo("done");

        // REINDEX reports through pg_stat_progress_create_index
        List<MaintenanceService.Progress> reindex = new CopyOnWriteArrayList<>();
        svc.run(MaintenanceService.Kind.REINDEX, List.of(BIG), MaintenanceService.Options.NONE, JobContext.none(), reindex::add, 20);
        assertThat(reindex).extracting(MaintenanceService.Progress::phase).contains("done");

        // a slow VACUUM (more dead rows, heavy cost delay) is cancelled from another thread
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM \"big narrow\" WHERE id % 3 = 0");
        }
        List<MaintenanceService.Progress> slow = new CopyOnWriteArrayList<>();
        JobControl cancel = new JobControl(JobControl.ProgressListener.NONE);
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            try {
                return svc.run(MaintenanceService.Kind.VACUUM, List.of(BIG), new MaintenanceService.Options(50), cancel, slow::add, 50);
            } catch (Exception e) {
                return e;
            }
        });
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (slow.isEmpty() && Instant.now().isBefore(end)) Thread.sleep(20);
        assertThat(slow).isNotEmpty();
        cancel.cancel();
        Object result = f.get(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(JobCancelledException.class);
    }

    @Test
    void emptySelectionIsRefused() {
        assertThatThrownBy(() -> new MaintenanceService(session).run(MaintenanceService.Kind.ANALYZE, List.of(),
                MaintenanceService.Options.NONE, JobContext.none(), p -> { }, 100)).hasMessageContaining("No table selected");
    }
}
