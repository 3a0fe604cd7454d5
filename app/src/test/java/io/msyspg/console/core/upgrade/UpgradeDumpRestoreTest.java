package io.msyspg.console.core.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real PostgreSQL 13 cluster (zonky binaries) with Momentum-like data, upgraded to the system's PostgreSQL 15
 * by dump and restore: backup first, roles, each database, verified table by table, the deferred job runs
 * vacuumdb against the NEW server, and the report file says all of it.
 */
class UpgradeDumpRestoreTest {
    @TempDir Path tmp;

    @Test
    void dumpRestoreThirteenToFifteenVerifiesEveryTableAndQueuesVacuumdb() throws Exception {
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            UpgradeRequest r = f.request(UpgradePlanner.Method.DUMP_RESTORE, f.old.binaries().binDir(), "new15");
            Path script = tmp.resolve("migrate.sh");
            Path marker = tmp.resolve("migrated.txt");
            Files.writeString(script, "#!/bin/sh\necho \"$PGHOST $PGPORT $PGDATABASE\" > '" + marker + "'\n");
            r.migrationScript = script;

            UpgradeExecutor ex = f.executor();
            UpgradeExecutor.Preview preview = ex.preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(preview.blocked()).as(preview.checks().toString()).isFalse();
            assertThat(preview.dryRun()).anyMatch(l -> l.contains("initdb") && l.contains(r.newDataDir.toString()))
                    .anyMatch(l -> l.contains("vacuumdb") && l.contains("--analyze-in-stages"));
            assertThat(Files.exists(r.newDataDir)).as("the preview changes nothing").isFalse();

            List<String> lines = new ArrayList<>();
            UpgradeResult res = ex.run(r, TestPg.PASSWORD, JobContext.none(), new UpgradeExecutor.Listener() {
                @Override public void line(String l) { lines.add(l); }
            });
            UpgradeReport rep = res.report();
            assertThat(rep.result).as(Files.readString(res.textFile())).isIn(UpgradeReport.Result.OK, UpgradeReport.Result.WARN);
            assertThat(rep.sourceVersion).startsWith("13.");
            assertThat(rep.targetVersion).startsWith("15.");

            // verification table by table: every demo table and the other database's, all equal, md5s taken
            assertThat(rep.tables).hasSizeGreaterThan(20).allMatch(UpgradeReport.TableCheck::matches);
            assertThat(rep.tables).anyMatch(t -> t.database().equals("ecelerity") && t.schema().equals("rt_log") && t.sourceRows() > 0);
            assertThat(rep.tables).filteredOn(t -> t.table().equals("notes"))
                    .singleElement().satisfies(t -> {
                        assertThat(t.sourceRows()).isEqualTo(500);
                        assertThat(t.sourceMd5()).isNotNull().isEqualTo(t.targetMd5());
                    });
            // independent check of the new server
            Properties p = new Properties();
            p.setProperty("user", TestPg.SUPERUSER);
            p.setProperty("password", new String(TestPg.PASSWORD));
            try (Connection oldC = f.old.connect("ecelerity");
                 Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/ecelerity", p)) {
                assertThat(UpgradeFixture.count(newC, "SHOW server_version_num")).isGreaterThanOrEqualTo(150000);
                String sum = "SELECT count(*) + coalesce(sum(delivered), 0) FROM rt_log.delivery_stats_hour";
                assertThat(UpgradeFixture.count(newC, sum)).isEqualTo(UpgradeFixture.count(oldC, sum)).isGreaterThan(0);
                assertThat(UpgradeFixture.count(newC, "SELECT count(*) FROM pg_roles WHERE rolname = 'ecuser'")).isEqualTo(1);
            }
            try (Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/other", p)) {
                assertThat(UpgradeFixture.count(newC, "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                        + " WHERE d.datname = 'other' AND 'work_mem=8MB' = ANY (s.setconfig)")).isEqualTo(1);
            }

            // backup first: verified dumps recorded
            assertThat(rep.backups).anyMatch(b -> b.endsWith(".dump") && b.contains("ecelerity")).anyMatch(b -> b.contains("globals"));
            assertThat(rep.steps).extracting(UpgradeReport.Step::name).contains("pre-flight", "backup first", "dump and restore", "verify table by table");
            assertThat(rep.steps).allSatisfy(s -> assertThat(s.command()).doesNotContain(new String(TestPg.PASSWORD)));

            // the report files
            String text = Files.readString(res.textFile());
            assertThat(res.textFile()).startsWith(f.dirs.state().resolve("upgrade/reports"));
            assertThat(text).contains("Verification table by table", "other:public.notes", "[x] " + UpgradePlanner.momentumChecklist().get(0),
                    "[ ] " + UpgradePlanner.momentumChecklist().get(1), "pg_restore", "Deferred job: " + res.deferredJobId());
            assertThat(text).doesNotContain(new String(TestPg.PASSWORD));
            JsonNode json = SettingsStore.mapper().readTree(res.jsonFile().toFile());
            assertThat(json.get("result").asText()).isEqualTo(rep.result.name());
            assertThat(json.get("tables").size()).isEqualTo(rep.tables.size());
            assertThat(json.get("checklist").get(0).get("at").asText()).isEqualTo("2026-11-21T10:00:00Z");

            // the deferred job: vacuumdb --analyze-in-stages against the NEW server, then the migration script
            DeferredJobs jobs = new DeferredJobs(ex.jobsDir());
            assertThat(res.deferredJobId()).isNotNull();
            DeferredJobs.View v = awaitJob(jobs, res.deferredJobId());
            assertThat(v.job().status).as(v.summary() + "\n" + DeferredJobs.tail(v.journal().runnerLog(), 4000)).isEqualTo(DeferredJob.Status.SUCCEEDED);
            assertThat(v.job().steps.get(0).command).contains("--analyze-in-stages", Integer.toString(r.newPort));
            try (Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/other", p)) {
                assertThat(UpgradeFixture.count(newC, "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'notes' AND last_analyze IS NOT NULL")).isEqualTo(1);
            }
            assertThat(Files.readString(marker)).contains(Integer.toString(r.newPort)).contains("ecelerity");
            f.stopNew(r);
        }
    }

    static DeferredJobs.View awaitJob(DeferredJobs jobs, String id) throws InterruptedException {
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            DeferredJobs.View v = jobs.find(id).orElseThrow();
            if (v.liveness() == DeferredJobs.Liveness.FINISHED) return v;
            Thread.sleep(200);
        }
        throw new AssertionError("deferred job " + id + " did not finish within 120 s");
    }
}
