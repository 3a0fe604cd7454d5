package io.msyspg.console.core.backup;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults on a real server: nothing that looks complete is left, and the message says what happened. */
class BackupFaultTest {
    static String db;
    static PooledDbSession session;

    @BeforeAll static void fixture() throws Exception {
        db = TestPg.createDatabase("fault");
        session = TestPg.session(db);
        BackupFixtures.bulk(session, 120_000);
    }

    @AfterAll static void close() {
        if (session != null) session.close();
    }

    static BackupOptions slowCustom(Path out) {
        BackupOptions o = new BackupOptions();
        o.format = BackupFormat.CUSTOM;
        o.compression = "9";
        o.output = out;
        return o;
    }

    /** Nothing in {@code dir} but what the test put there: no archive, no partial, no checksum. */
    static void assertNothingLeft(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("config") && !n.equals("state") && !n.equals("cache")).toList())
                    .as("files left in " + dir).isEmpty();
        }
    }

    /** Runs a backup on a thread; {@code onDumping} is called once, when pg_dump starts on the first bulk table. */
    static CompletableFuture<BackupService.Result> start(BackupService svc, BackupService.Plan plan, JobControl control,
                                                         List<String> lines, Consumer<String> onDumping) {
        boolean[] fired = {false};
        return CompletableFuture.supplyAsync(() -> {
            try {
                return svc.run(plan, control, l -> {
                    lines.add(l);
                    if (!fired[0] && l.contains("dumping contents of table \"public.bulk_")) {
                        fired[0] = true;
                        onDumping.accept(l);
                    }
                });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.get(120, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test void cancelMidDumpLeavesNothingAndRemovesThePasswordFile(@TempDir Path dir) throws Exception {
        BackupService svc = BackupFixtures.service(dir).graceMillis(3000);
        BackupService.Plan plan = svc.plan(session, slowCustom(dir.resolve("c.dump")));
        AtomicReference<ProcessHandle> child = new AtomicReference<>();
        AtomicReference<String> environ = new AtomicReference<>();
        AtomicReference<String> cmdline = new AtomicReference<>();
        plan.process().onStart(h -> {
            child.set(h);
            try {
                environ.set(Files.readString(Path.of("/proc/" + h.pid() + "/environ")).replace('\0', '\n'));
                cmdline.set(Files.readString(Path.of("/proc/" + h.pid() + "/cmdline")).replace('\0', ' '));
            } catch (Exception e) {
                environ.set("unreadable: " + e);
            }
        });
        JobControl control = new JobControl(JobControl.ProgressListener.NONE);
        List<String> lines = new CopyOnWriteArrayList<>();
        var f = start(svc, plan, control, lines, l -> control.cancel());
        Throwable t = failureOf(f);
        assertThat(t).isInstanceOf(JobCancelledException.class);
        assertThat(child.get().isAlive()).isFalse();
        // the password travelled only in a 0600 file named by PGPASSFILE, now gone; never in argv or PGPASSWORD
        assertThat(cmdline.get()).doesNotContain(new String(TestPg.PASSWORD));
        assertThat(environ.get()).doesNotContain("PGPASSWORD").contains("LC_ALL=C").contains("PG_COLOR=never");
        String passfile = environ.get().lines().filter(l -> l.startsWith("PGPASSFILE=")).findFirst().orElseThrow().substring(11);
        assertThat(Path.of(passfile)).doesNotExist();
        assertNothingLeft(dir);
        assertThat(svc.history().list()).singleElement().satisfies(h -> assertThat(h.status).isEqualTo("cancelled"));
    }

    @Test void pgpassFileIsOwnerOnlyWhileTheToolRuns() throws Exception {
        Path f = ToolProcess.writePassFile("p:w\\d".toCharArray());
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            assertThat(Files.readString(f)).isEqualTo("*:*:*:*:p\\:w\\\\d\n");
        } finally {
            Files.delete(f);
        }
    }

    @Test void killedFromOutside(@TempDir Path dir) throws Exception {
        BackupService svc = BackupFixtures.service(dir);
        BackupService.Plan plan = svc.plan(session, slowCustom(dir.resolve("k.dump")));
        AtomicReference<ProcessHandle> child = new AtomicReference<>();
        plan.process().onStart(child::set);
        var f = start(svc, plan, new JobControl(JobControl.ProgressListener.NONE), new CopyOnWriteArrayList<>(), l -> {
            try {
                Processes.run(List.of("kill", "-KILL", Long.toString(child.get().pid())), 10);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Throwable t = failureOf(f);
        assertThat(t).isInstanceOf(ConsoleException.class).hasMessageContaining("pg_dump was killed by SIGKILL")
                .hasMessageContaining("no backup file was written");
        assertNothingLeft(dir);
        assertThat(svc.history().list()).singleElement().satisfies(h -> assertThat(h.status).isEqualTo("failed"));
    }

    @Test void outOfSpaceByFileSizeLimit(@TempDir Path dir) throws Exception {
        BackupService svc = BackupFixtures.service(dir).launchPrefix(List.of("prlimit", "--fsize=3000000", "--"));
        BackupOptions o = slowCustom(dir.resolve("f.dump"));
        o.compression = "0";
        BackupService.Plan plan = svc.plan(session, o);
        assertThat(plan.commandLine()).startsWith("LC_ALL=C PG_COLOR=never PGPASSFILE=").contains("prlimit --fsize=3000000 -- ");
        assertThatThrownBy(() -> svc.run(plan, JobContext.none(), l -> { }))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("file size limit (SIGXFSZ)")
                .hasMessageContaining("The incomplete output was removed");
        assertNothingLeft(dir);
    }

    @Test void serverStoppedMidBackup(@TempDir Path dir) throws Exception {
        try (PgCluster c = TestPg.privateCluster()) {
            try (var con = c.connect("postgres"); var st = con.createStatement()) {
                st.execute("CREATE DATABASE victim");
            }
            try (PooledDbSession s = PooledDbSession.open(TestPg.target(c, "victim"), TestPg.PASSWORD)) {
                BackupFixtures.bulk(s, 120_000);
                BackupService svc = BackupFixtures.service(dir);
                BackupService.Plan plan = svc.plan(s, slowCustom(dir.resolve("s.dump")));
                var f = start(svc, plan, new JobControl(JobControl.ProgressListener.NONE), new CopyOnWriteArrayList<>(),
                        l -> c.stop(PgCluster.StopMode.FAST));
                Throwable t = failureOf(f);
                assertThat(t).isInstanceOf(ConsoleException.class)
                        .hasMessageContaining("The server at " + c.host() + ":" + c.port() + " closed the connection during the backup")
                        .hasMessageContaining("no backup file was written");
                assertNothingLeft(dir);
            }
        }
    }

    @Test void blockedPlansSayWhyWithNumbers(@TempDir Path dir) throws Exception {
        BackupService svc = BackupFixtures.service(dir);
        Files.writeString(dir.resolve("exists.dump"), "old");
        BackupOptions o = new BackupOptions();
        o.output = dir.resolve("exists.dump");
        o.jobs = 2;
        o.compression = "zstd:3";
        BackupService.Plan p = svc.plan(session, o);
        assertThat(p.blocked()).isTrue();
        assertThat(p.blocking()).extracting(Check::message).anyMatch(m -> m.contains("already exists"))
                .anyMatch(m -> m.contains("need the directory format"))
                .anyMatch(m -> m.contains("zstd needs pg_dump 16 or newer"));
        assertThat(p.checks()).anyMatch(c -> c.name().equals("Free space") && c.message().matches(".*free [0-9.]+ [kMGT]?B.*database [0-9.]+ [kMGT]?B.*"));
        assertThatThrownBy(() -> svc.run(p, JobContext.none(), l -> { })).hasMessageContaining("cannot start");
        assertThat(Files.readString(dir.resolve("exists.dump"))).isEqualTo("old");

        o.output = dir.resolve("d");
        o.format = BackupFormat.DIRECTORY;
        o.compression = null;
        o.jobs = 200;
        assertThat(svc.plan(session, o).blocking()).extracting(Check::message)
                .anyMatch(m -> m.startsWith("Not enough free connections: -j 200 opens 201 connections; max_connections 60"));
        o.output = dir.resolve("missing/x.dump");
        o.jobs = 1;
        assertThat(svc.plan(session, o).blocking()).extracting(Check::message).anyMatch(m -> m.contains("does not exist"));
    }

    @Test void newerServerIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        PgCluster c17 = TestPg.major(17);
        try (PooledDbSession s = PooledDbSession.open(TestPg.target(c17, "postgres"), TestPg.PASSWORD)) {
            BackupOptions o = new BackupOptions();
            o.output = dir.resolve("x.dump");
            BackupService.Plan p = BackupFixtures.service(dir).plan(s, o);
            assertThat(p.blocking()).extracting(Check::message)
                    .anyMatch(m -> m.startsWith("No pg_dump can work with a PostgreSQL 17") && m.contains("15."));
        }
    }

    @Test void olderServerIsDumpedWithTheNewerTool(@TempDir Path dir) throws Exception {
        PgCluster c13 = TestPg.major(13);
        try (PooledDbSession s = PooledDbSession.open(TestPg.target(c13, "postgres"), TestPg.PASSWORD)) {
            try (var con = s.borrow(); var st = con.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS t13 AS SELECT g FROM generate_series(1, 1000) g");
            }
            BackupOptions o = new BackupOptions();
            o.output = dir.resolve("thirteen.dump");
            BackupService svc = BackupFixtures.service(dir);
            BackupService.Plan p = svc.plan(s, o);
            assertThat(p.checks()).anyMatch(ch -> ch.name().equals("Tool version") && ch.message().contains("for server 13."));
            BackupService.Result r = svc.run(p, JobContext.none(), l -> { });
            ArchiveInfo info = new ArchiveInspector(BackupFixtures.TOOLS).inspect(r.path(), JobContext.none());
            assertThat(info.sourceServerVersion()).startsWith("13.");
            assertThat(info.pgDumpVersion()).startsWith("15.");
        }
    }
}
