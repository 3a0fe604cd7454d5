package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.OldPgBinaries;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real pg_upgrade from PostgreSQL 13 (zonky binaries plus Debian's pg_controldata/pg_resetwal 13, see
 * {@link OldPgBinaries}) to the system's 15: too little disk blocks with the numbers; a failing
 * {@code pg_upgrade --check} blocks with its reason and leaves the old server running; then the check passes,
 * pg_upgrade --copy runs, the new cluster starts and every table matches.
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
            long expected;
            try (Connection c = f.old.connect("ecelerity")) {
                expected = UpgradeFixture.count(c, "SELECT count(*) + coalesce(sum(delivered), 0) FROM rt_log.delivery_stats_hour");
            }

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
            Properties p = new Properties();
            p.setProperty("user", TestPg.SUPERUSER);
            p.setProperty("password", new String(TestPg.PASSWORD));
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/ecelerity", p)) {
                assertThat(UpgradeFixture.count(c, "SHOW server_version_num")).isBetween(150000L, 159999L);
                assertThat(UpgradeFixture.count(c, "SELECT count(*) + coalesce(sum(delivered), 0) FROM rt_log.delivery_stats_hour")).isEqualTo(expected);
            }
            // the deferred job is queued (not launched here): vacuumdb against the new server
            DeferredJobs.View v = new DeferredJobs(ex.jobsDir()).find(res.deferredJobId()).orElseThrow();
            assertThat(v.liveness()).isEqualTo(DeferredJobs.Liveness.NOT_STARTED);
            assertThat(v.job().steps.get(0).command).contains("--analyze-in-stages", Integer.toString(r.newPort));
            assertThat(Files.readString(res.textFile())).contains("pg_upgrade --copy", "Clusters are compatible", "delete_old_cluster.sh");
            f.stopNew(r);
        }
    }
}
