package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.OldPgBinaries;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real pg_upgrade from PostgreSQL 13 (zonky binaries plus Debian's pg_controldata/pg_resetwal 13, see
 * {@link OldPgBinaries}) to the system's 15: too little disk blocks with the numbers; a failing
 * {@code pg_upgrade --check} blocks with its reason and leaves the old server running; then the check passes,
 * pg_upgrade --copy runs, the new cluster starts and every table matches; then the same old cluster once more with --link.
 */
class PgUpgradeRunTest {
    @TempDir Path tmp;

    @Test
    void diskShortageAndFailedCheckBlockThenPgUpgradeCopyVerifiesEveryTable() throws Exception {
        Path oldBin = OldPgBinaries.pg13ForPgUpgrade();
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            // 1. too little disk (injected): blocked at the pre-flight, with the numbers, nothing created
            UpgradeRequest disk = f.request(UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, "nodisk");
            UpgradeResult blocked = f.executor().freeSpaceOverride(b -> 1024).run(disk, TestPg.PASSWORD, JobContext.none(), null);
            assertThat(blocked.report().result).isEqualTo(UpgradeReport.Result.BLOCKED);
            assertThat(blocked.report().steps).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("pre-flight");
                assertThat(s.detail()).contains("only 1.0 KiB free", "are needed for pg_upgrade (copy)", "data directory");
            });
            assertThat(blocked.exitCode()).isEqualTo(1);
            assertThat(Files.readString(blocked.textFile())).contains("BLOCKED", "only 1.0 KiB free");
            assertThat(Files.exists(disk.newDataDir)).isFalse();

            // 2. pg_upgrade --check fails (a reg* column pg_upgrade cannot carry): blocked with its reason
            try (Connection c = f.old.connect("ecelerity"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE public.bad_for_upgrade (f regproc)");
                s.execute("INSERT INTO public.bad_for_upgrade VALUES ('now'::regproc)");
            }
            UpgradeRequest bad = f.request(UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, "badcheck");
            UpgradeResult failed = f.executor().run(bad, TestPg.PASSWORD, JobContext.none(), null);
            assertThat(failed.report().result).as(Files.readString(failed.textFile())).isEqualTo(UpgradeReport.Result.BLOCKED);
            UpgradeReport.Step last = failed.report().steps.get(failed.report().steps.size() - 1);
            assertThat(last.name()).isEqualTo("pg_upgrade --check");
            assertThat(last.detail()).contains("pg_upgrade --check failed", "reg*", "pg_upgrade's logs:");
            assertThat(last.command()).contains("pg_upgrade", "--check", "-b " + oldBin);
            try (var files = Files.walk(failed.textFile().getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).as("pg_upgrade's problem list is kept with the report")
                        .contains("tables_using_reg.txt");
            }
            assertThat(failed.report().steps).extracting(UpgradeReport.Step::name).doesNotContain("backup first");
            assertThat(Files.exists(bad.newDataDir)).as("the empty new cluster is removed").isFalse();
            try (Connection c = f.old.connect("ecelerity"); Statement s = c.createStatement()) {
                s.execute("DROP TABLE public.bad_for_upgrade");   // the old server still runs
            }

            // 3. the real thing: --check passes in the preview, then pg_upgrade (copy)
            UpgradeRequest r = f.request(UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, "new15");
            r.launchDeferred = false;
            UpgradeExecutor ex = f.executor();
            UpgradeExecutor.Preview preview = ex.preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(preview.blocked()).as(preview.checks().toString()).isFalse();
            assertThat(preview.checks()).anyMatch(c -> c.name().equals("pg_upgrade") && c.verdict().equals("PASS") && c.detail().contains("Clusters are compatible"));
            assertThat(Files.exists(r.newDataDir)).isFalse();
            long expected = f.oldRowsAndDeliveries();

            UpgradeResult res = ex.run(r, TestPg.PASSWORD, JobContext.none(), null);
            UpgradeReport rep = res.report();
            assertThat(rep.result).as(Files.readString(res.textFile())).isEqualTo(UpgradeReport.Result.OK);
            assertThat(rep.steps).extracting(UpgradeReport.Step::name).containsExactly("pre-flight", "initdb of the new cluster", "pg_upgrade --check",
                    "backup first", "source row counts", "stop the old server", "pg_upgrade --copy", "start the new server", "verify table by table",
                    "queue the deferred steps");
            assertThat(rep.tables).hasSizeGreaterThan(20).allMatch(UpgradeReport.TableCheck::matches);
            assertThat(rep.tables).filteredOn(t -> t.table().equals("notes")).singleElement()
                    .satisfies(t -> assertThat(t.targetMd5()).isNotNull().isEqualTo(t.sourceMd5()));
            assertThat(rep.scripts).anyMatch(s -> s.contains("delete_old_cluster.sh") && s.contains("never run"));
            assertThat(f.old.isRunning()).as("pg_upgrade needs the old server stopped").isFalse();
            try (Connection c = UpgradeFixture.connectUpgraded(r.newPort)) {
                assertThat(UpgradeFixture.count(c, "SHOW server_version_num")).isBetween(150000L, 159999L);
                assertThat(UpgradeFixture.count(c, UpgradeFixture.ROWS_AND_DELIVERIES)).isEqualTo(expected);
            }
            // the deferred job is queued (not launched here): vacuumdb against the new server
            DeferredJobs.View v = new DeferredJobs(ex.jobsDir()).find(res.deferredJobId()).orElseThrow();
            assertThat(v.liveness()).isEqualTo(DeferredJobs.Liveness.NOT_STARTED);
            assertThat(v.job().steps.get(0).command).contains("--analyze-in-stages", Integer.toString(r.newPort));
            assertThat(Files.readString(res.textFile())).contains("pg_upgrade --copy", "Clusters are compatible", "delete_old_cluster.sh");
            f.stopNew(r);

            // 4. copy mode left the old cluster intact: start it again and upgrade it once more, with --link
            f.old.start();
            UpgradeRequest link = f.request(UpgradePlanner.Method.PG_UPGRADE_LINK, oldBin, "new15link");
            link.launchDeferred = false;
            link.checksumTotalMaxBytes = 100_000;   // a budget: some tables get an md5, the rest are counted only
            UpgradeResult linked = f.executor().run(link, TestPg.PASSWORD, JobContext.none(), null);
            assertThat(linked.report().result).as(Files.readString(linked.textFile())).isEqualTo(UpgradeReport.Result.OK);
            assertThat(linked.report().steps).filteredOn(s -> s.name().startsWith("pg_upgrade"))
                    .allSatisfy(s -> assertThat(s.command()).contains("--link"));
            assertThat(linked.report().tables).hasSameSizeAs(rep.tables).allMatch(UpgradeReport.TableCheck::matches)
                    .anyMatch(t -> t.sourceMd5() != null && t.sourceMd5().equals(t.targetMd5()))
                    .anyMatch(t -> t.sourceMd5() == null && t.targetMd5() == null && t.sourceRows() > 0);
            assertThat(f.old.dataDir().resolve("global/pg_control.old")).as("pg_upgrade --link disables the old cluster").exists();
            f.stopNew(link);
        }
    }

    /**
     * pg_upgrade in two hops through the same executor path a 9.0 → 14 → 15 run takes: the old 13 cluster, hop 1 with the
     * system's 15 into an intermediate cluster, hop 2 with the system's 15 again (pg_upgrade accepts the same major, as
     * PostgreSQL's own pg_upgrade tests do) into the new data directory. First a second hop that cannot start its old
     * cluster (the intermediate server's port is taken): FAILED, both clusters this run created removed, the old one
     * started again and unchanged. Then the whole chain: every table verified, an independent count, the intermediate
     * cluster gone, both hops in the report.
     */
    @Test
    void twoHopPgUpgradeThroughAnIntermediateCluster() throws Exception {
        Path oldBin = OldPgBinaries.pg13ForPgUpgrade();
        Path sys15 = PgBinaries.forMajor(15).binDir();
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            long expected = f.oldRowsAndDeliveries();
            // 1. the intermediate server cannot start (its port taken once hop 1's cluster exists): the run fails and cleans up
            UpgradeRequest bad = twoHops(f, UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, sys15, "hopfail");
            Path badMid = UpgradeExecutor.intermediateDataDir(bad.newDataDir, 15);
            PortTaken taken = runWithIntermediatePortTaken(f, bad);
            UpgradeResult failed = taken.result();
            assertThat(taken.port()).as("the intermediate cluster's port was taken").isPositive();
            String failedText = Files.readString(failed.textFile());
            assertThat(failed.report().result).as(failedText).isEqualTo(UpgradeReport.Result.FAILED);
            assertThat(failed.report().message).contains("hop 1/2: start the intermediate server");
            assertThat(failed.report().steps).extracting(UpgradeReport.Step::name).contains("hop 1/2: pg_upgrade --copy")
                    .noneMatch(n -> n.startsWith("hop 2/2: pg_upgrade"));
            assertThat(badMid).as("the intermediate cluster is removed").doesNotExist();
            assertThat(bad.newDataDir).as("the new (empty) cluster is removed").doesNotExist();
            assertThat(failed.report().notes).anyMatch(n -> n.contains("intermediate cluster " + badMid + " was removed"))
                    .anyMatch(n -> n.contains("The old server was started again"));
            assertThat(f.old.isRunning()).as("copy mode: the old server runs again").isTrue();
            try (Connection c = f.old.connect("ecelerity")) {
                assertThat(UpgradeFixture.count(c, UpgradeFixture.ROWS_AND_DELIVERIES)).isEqualTo(expected);
            }

            // 1b. cancelled as the GUI does it (cancel + interrupt) once the intermediate server runs: it is stopped and
            // removed, the new cluster removed, the old server started again
            UpgradeRequest can = twoHops(f, UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, sys15, "hopcancel");
            Path canMid = UpgradeExecutor.intermediateDataDir(can.newDataDir, 15);
            io.msyspg.console.core.task.JobControl gc = new io.msyspg.console.core.task.JobControl(io.msyspg.console.core.task.JobControl.ProgressListener.NONE);
            boolean[] midWasRunning = {false};
            UpgradeResult cancelled = f.executor().run(can, TestPg.PASSWORD, gc, new UpgradeExecutor.Listener() {
                @Override public void stepStarted(String name, int index, int total) {
                    if (!name.equals("hop 2/2: pg_upgrade --check")) return;
                    midWasRunning[0] = Files.exists(canMid.resolve("postmaster.pid"));
                    gc.cancel();
                    Thread.currentThread().interrupt();
                }
            });
            boolean stillInterrupted = Thread.interrupted();
            assertThat(cancelled.report().result).as(Files.readString(cancelled.textFile())).isEqualTo(UpgradeReport.Result.CANCELLED);
            assertThat(midWasRunning[0]).as("the intermediate server ran when the run was cancelled").isTrue();
            assertThat(stillInterrupted).isTrue();
            assertThat(canMid).as("the intermediate cluster is stopped and removed").doesNotExist();
            assertThat(can.newDataDir).doesNotExist();
            assertThat(cancelled.report().notes).anyMatch(n -> n.startsWith("The intermediate server (hop 1"))
                    .anyMatch(n -> n.contains("The old server was started again"));
            assertThat(f.old.isRunning()).isTrue();

            // 2. the whole chain: 13 -> 15 (intermediate) -> 15 (new)
            UpgradeRequest r = twoHops(f, UpgradePlanner.Method.PG_UPGRADE_COPY, oldBin, sys15, "twohop");
            Path mid = UpgradeExecutor.intermediateDataDir(r.newDataDir, 15);
            UpgradeExecutor ex = f.executor();
            UpgradeExecutor.Preview preview = ex.preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(preview.blocked()).as(preview.checks().toString()).isFalse();
            assertThat(preview.checks()).anyMatch(c -> c.name().equals("plan") && c.verdict().equals("PASS") && c.detail().contains("pg_upgrade in 2 hops")
                            && c.detail().contains(mid.toString()))
                    .anyMatch(c -> c.name().equals("binaries") && c.verdict().equals("PASS") && c.detail().startsWith("hop 1/2: " + sys15)
                            && c.detail().contains("pg_controldata") && c.detail().contains("pg_resetwal"))
                    .anyMatch(c -> c.name().equals("disk space") && c.detail().startsWith("hop 2/2 into " + r.newDataDir.toAbsolutePath().normalize()))
                    .anyMatch(c -> c.name().equals("pg_upgrade") && c.verdict().equals("PASS") && c.detail().contains("hop 1/2"))
                    .noneMatch(c -> c.detail().contains("this run does one pg_upgrade hop"));
            assertThat(preview.dryRun()).anyMatch(l -> l.contains("hop 1/2: ") && l.contains("pg_upgrade") && l.contains("-D " + mid) && !l.contains("--check"))
                    .anyMatch(l -> l.contains("hop 2/2: ") && l.contains("pg_upgrade") && l.contains("-d " + mid) && !l.contains("--check"))
                    .anyMatch(l -> l.contains("remove the intermediate cluster " + mid));
            assertThat(mid).as("the preview creates nothing").doesNotExist();

            UpgradeResult res = ex.run(r, TestPg.PASSWORD, JobContext.none(), null);
            UpgradeReport rep = res.report();
            String text = Files.readString(res.textFile());
            assertThat(rep.result).as(text).isEqualTo(UpgradeReport.Result.OK);
            assertThat(rep.steps).extracting(st -> st.name().replaceAll("port \\d+", "port N")).containsExactly("pre-flight",
                    "hop 1/2: initdb of the intermediate cluster (PostgreSQL 15, port N)", "hop 2/2: initdb of the new cluster",
                    "hop 1/2: pg_upgrade --check", "backup first", "source row counts", "stop the old server",
                    "hop 1/2: pg_upgrade --copy", "hop 1/2: start the intermediate server (port N)",
                    "hop 2/2: pg_upgrade --check", "hop 2/2: stop the intermediate server (port N)", "hop 2/2: pg_upgrade --copy",
                    "hop 2/2: remove the intermediate cluster " + mid.getFileName(), "start the new server", "verify table by table", "queue the deferred steps");
            assertThat(rep.steps).filteredOn(st -> st.name().startsWith("hop ") && !st.name().contains("remove"))
                    .allSatisfy(st -> assertThat(st.command()).contains(sys15.toString()))
                    .allSatisfy(st -> assertThat(st.durationMillis()).isPositive());
            assertThat(rep.steps).filteredOn(st -> st.name().equals("hop 1/2: pg_upgrade --copy")).singleElement()
                    .satisfies(st -> assertThat(st.command()).contains("-b " + oldBin, "-D " + mid));
            assertThat(rep.steps).filteredOn(st -> st.name().equals("hop 2/2: pg_upgrade --copy")).singleElement()
                    .satisfies(st -> assertThat(st.command()).contains("-b " + sys15, "-d " + mid, "-D " + r.newDataDir.toAbsolutePath().normalize()));
            assertThat(rep.tables).hasSizeGreaterThan(20).allMatch(UpgradeReport.TableCheck::matches);
            assertThat(rep.tables).filteredOn(t -> t.table().equals("notes")).singleElement()
                    .satisfies(t -> assertThat(t.targetMd5()).isNotNull().isEqualTo(t.sourceMd5()));
            assertThat(mid).as("the intermediate cluster is removed after hop 2").doesNotExist();
            assertThat(rep.notes).anyMatch(n -> n.startsWith("pg_upgrade ran in 2 hops") && n.contains(mid.toString()));
            assertThat(rep.scripts).anyMatch(s -> s.contains("delete_old_cluster.sh") && s.contains("never run"));
            assertThat(text).contains("hop 1/2: pg_upgrade --copy", "hop 2/2: pg_upgrade --copy", "pg_upgrade ran in 2 hops");
            assertThat(f.old.isRunning()).isFalse();
            try (Connection c = UpgradeFixture.connectUpgraded(r.newPort)) {
                assertThat(UpgradeFixture.count(c, "SHOW server_version_num")).isBetween(150000L, 159999L);
                assertThat(UpgradeFixture.count(c, UpgradeFixture.ROWS_AND_DELIVERIES)).isEqualTo(expected);
            }
            f.stopNew(r);

            // 3. copy left the old cluster intact: the same chain with --link; the intermediate shares its files with the
            // old and the new cluster and is removed only after hop 2 succeeded (the new cluster keeps the files)
            f.old.start();
            UpgradeRequest link = twoHops(f, UpgradePlanner.Method.PG_UPGRADE_LINK, oldBin, sys15, "twohoplink");
            Path linkMid = UpgradeExecutor.intermediateDataDir(link.newDataDir, 15);
            UpgradeResult linked = f.executor().run(link, TestPg.PASSWORD, JobContext.none(), null);
            assertThat(linked.report().result).as(Files.readString(linked.textFile())).isEqualTo(UpgradeReport.Result.OK);
            assertThat(linked.report().steps).filteredOn(st -> st.name().startsWith("hop ") && st.name().contains("pg_upgrade")).hasSize(4)
                    .allSatisfy(st -> assertThat(st.command()).contains("--link"));
            assertThat(linked.report().steps).filteredOn(st -> st.name().startsWith("hop 2/2: remove the intermediate cluster")).singleElement()
                    .satisfies(st -> assertThat(st.detail()).contains("removed after hop 2 succeeded", "with --link it shared its files with"));
            assertThat(linkMid).doesNotExist();
            assertThat(linked.report().tables).hasSameSizeAs(rep.tables).allMatch(UpgradeReport.TableCheck::matches);
            assertThat(f.old.dataDir().resolve("global/pg_control.old")).as("pg_upgrade --link disables the old cluster").exists();
            try (Connection c = UpgradeFixture.connectUpgraded(link.newPort)) {
                assertThat(UpgradeFixture.count(c, UpgradeFixture.ROWS_AND_DELIVERIES)).isEqualTo(expected);
            }
            f.stopNew(link);
        }
    }

    /**
     * Two hops with --link, the intermediate server cannot start: after hop 1 the old cluster is disabled and the
     * intermediate cluster holds the data, so the clean-up KEEPS it (stopped) and says so; the new (empty) cluster is
     * removed. The kept cluster starts and has every row.
     */
    @Test
    void twoHopLinkFailureKeepsTheIntermediateClusterThatHoldsTheData() throws Exception {
        Path oldBin = OldPgBinaries.pg13ForPgUpgrade();
        Path sys15 = PgBinaries.forMajor(15).binDir();
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            long expected = f.oldRowsAndDeliveries();
            UpgradeRequest r = twoHops(f, UpgradePlanner.Method.PG_UPGRADE_LINK, oldBin, sys15, "linkfail");
            Path mid = UpgradeExecutor.intermediateDataDir(r.newDataDir, 15);
            PortTaken taken = runWithIntermediatePortTaken(f, r);
            UpgradeResult failed = taken.result();
            int midPort = taken.port();
            String text = Files.readString(failed.textFile());
            assertThat(failed.report().result).as(text).isEqualTo(UpgradeReport.Result.FAILED);
            assertThat(failed.report().message).contains("hop 1/2: start the intermediate server");
            assertThat(r.newDataDir).as("the new (empty) cluster is removed").doesNotExist();
            assertThat(mid.resolve("PG_VERSION")).as("the intermediate cluster holds the data: kept").exists();
            assertThat(mid.resolve("postmaster.pid")).doesNotExist();
            assertThat(failed.report().notes).anyMatch(n -> n.contains("intermediate cluster " + mid + " is KEPT"))
                    .anyMatch(n -> n.contains("The old server stays stopped"));
            assertThat(f.old.isRunning()).isFalse();
            assertThat(f.old.dataDir().resolve("global/pg_control.old")).exists();
            // the kept cluster is usable: start it, every row is there
            Path pgCtl = sys15.resolve("pg_ctl");
            io.msyspg.console.core.common.Processes.Result start = io.msyspg.console.core.common.Processes.run(f.old.account().wrap(List.of(pgCtl.toString(),
                    "-D", mid.toString(), "-l", mid.resolve("kept.log").toString(), "-w", "start")), f.base, null, 120);
            assertThat(start.ok()).as(start.output()).isTrue();
            try {
                try (Connection c = UpgradeFixture.connectUpgraded(midPort)) {
                    assertThat(UpgradeFixture.count(c, UpgradeFixture.ROWS_AND_DELIVERIES)).isEqualTo(expected);
                }
            } finally {
                io.msyspg.console.core.common.Processes.run(f.old.account().wrap(List.of(pgCtl.toString(), "-D", mid.toString(), "-m", "immediate", "-w", "stop")),
                        f.base, null, 120);
            }
        }
    }

    /** A pg_upgrade request in two hops through {@code hopBin} (a 15); the fixture removes its intermediate cluster afterwards. */
    static UpgradeRequest twoHops(UpgradeFixture f, UpgradePlanner.Method method, Path oldBin, Path hopBin, String name) throws Exception {
        UpgradeRequest r = f.request(method, oldBin, name);
        r.hopBinDirs = List.of(hopBin);
        r.launchDeferred = false;
        f.newDataDirs.add(UpgradeExecutor.intermediateDataDir(r.newDataDir, 15));
        return r;
    }

    record PortTaken(UpgradeResult result, int port) {}

    /**
     * Runs {@code r} and, as soon as hop 1's intermediate cluster exists, takes its port (a wildcard socket: 127.0.0.1
     * and ::1), so that starting the intermediate server fails; the port is freed after the run. {@code port} is 0 when
     * the run never got there.
     */
    static PortTaken runWithIntermediatePortTaken(UpgradeFixture f, UpgradeRequest r) throws Exception {
        List<ServerSocket> held = new ArrayList<>();
        int[] port = {0};
        try {
            UpgradeResult result = f.executor().run(r, TestPg.PASSWORD, JobContext.none(), new UpgradeExecutor.Listener() {
                @Override public void stepFinished(UpgradeReport.Step st) {
                    Matcher m = Pattern.compile("port (\\d+); removed").matcher(st.detail());
                    if (!st.name().startsWith("hop 1/2: initdb") || !m.find()) return;
                    try {
                        port[0] = Integer.parseInt(m.group(1));
                        held.add(new ServerSocket(port[0]));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            return new PortTaken(result, port[0]);
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }
}
