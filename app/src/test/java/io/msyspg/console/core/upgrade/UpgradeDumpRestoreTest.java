package io.msyspg.console.core.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            // per-database role settings (pg_db_role_setting with a role AND a database): a list setting with quoted
            // elements, a plain one, a quote in a value, and one in a database that is not created by the run (postgres)
            String roleSettingsSql = "SELECT d.datname || ':' || array_to_string(s.setconfig, '|') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                    + " JOIN pg_database d ON d.oid = s.setdatabase WHERE r.rolname = 'app_reader' ORDER BY d.datname";
            String oldRoleSettings;
            try (Connection c = f.old.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE app_reader LOGIN");
                st.execute("ALTER ROLE app_reader IN DATABASE other SET search_path = app, \"$user\", \"Mixed Schema\", public");
                st.execute("ALTER ROLE app_reader IN DATABASE other SET work_mem = '12MB'");
                st.execute("ALTER ROLE app_reader IN DATABASE other SET application_name = 'reader''s app'");
                st.execute("ALTER ROLE app_reader IN DATABASE postgres SET statement_timeout = '5min'");
                oldRoleSettings = UpgradeFixture.text(c, roleSettingsSql);
            }
            assertThat(oldRoleSettings).isEqualTo("other:search_path=app, \"$user\", \"Mixed Schema\", public|work_mem=12MB|application_name=reader's app"
                    + "\npostgres:statement_timeout=5min");

            UpgradeExecutor ex = f.executor();
            UpgradeExecutor.Preview preview = ex.preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(preview.blocked()).as(preview.checks().toString()).isFalse();
            assertThat(preview.dryRun()).anyMatch(l -> l.contains("initdb") && l.contains(r.newDataDir.toString()))
                    .anyMatch(l -> l.contains("vacuumdb") && l.contains("--analyze-in-stages"));
            assertThat(Files.exists(r.newDataDir)).as("the preview changes nothing").isFalse();
            // a data directory reported on NFS (mount table injected): warned, with the mount
            Path mounts = tmp.resolve("mounts");
            Files.writeString(mounts, "filer:/export/db / nfs4 rw,relatime 0 0\n");
            UpgradeExecutor.Preview nfs = new UpgradeExecutor(f.dirs, io.msyspg.console.core.tools.PgToolLocator.standard(null),
                    io.msyspg.console.core.backup.BackupHistory.in(f.dirs), io.msyspg.console.core.server.MountTable.read(mounts),
                    java.time.Clock.systemUTC()).preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(nfs.checks()).anyMatch(c -> c.verdict().equals("WARN") && c.detail().contains("nfs4") && c.detail().contains(r.oldDataDir.toString()));

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
                String sum = UpgradeFixture.ROWS_AND_DELIVERIES;
                assertThat(UpgradeFixture.count(newC, sum)).isEqualTo(UpgradeFixture.count(oldC, sum)).isGreaterThan(0);
                assertThat(UpgradeFixture.count(newC, "SELECT count(*) FROM pg_roles WHERE rolname = 'ecuser'")).isEqualTo(1);
            }
            try (Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/other", p)) {
                assertThat(UpgradeFixture.count(newC, "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                        + " WHERE d.datname = 'other' AND 'work_mem=8MB' = ANY (s.setconfig)")).isEqualTo(1);
                // ALTER ROLE … IN DATABASE … SET: the same settings with the same stored values
                assertThat(UpgradeFixture.text(newC, roleSettingsSql)).isEqualTo(oldRoleSettings);
            }
            assertThat(rep.steps).filteredOn(s -> s.name().equals("dump and restore")).singleElement().satisfies(s -> {
                assertThat(s.detail()).contains("4 per-database role setting(s) applied", "app_reader in other: work_mem=12MB",
                        "app_reader in postgres: statement_timeout=5min");
                assertThat(s.command()).contains("ALTER ROLE \"app_reader\" IN DATABASE \"other\" SET \"search_path\" TO 'app', '$user', 'Mixed Schema', 'public'");
            });

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
            assertThat(UpgradeReports.list(ex.reportsDir())).first().satisfies(k -> {
                assertThat(k.runId).isEqualTo(rep.runId);
                assertThat(k.tables).hasSameSizeAs(rep.tables);
                assertThat(k.steps).hasSameSizeAs(rep.steps);
            });
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

    @Test
    void cancelledRunRemovesTheNewClusterAndRowsWrittenAfterTheDumpFailTheVerification() throws Exception {
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            // cancelled when the backup is about to start: CANCELLED, the new (empty) cluster removed, the old one untouched
            UpgradeRequest c = f.request(UpgradePlanner.Method.DUMP_RESTORE, f.old.binaries().binDir(), "cancelled");
            JobControl control = new JobControl(JobControl.ProgressListener.NONE);
            UpgradeResult cancelled = f.executor().run(c, TestPg.PASSWORD, control, new UpgradeExecutor.Listener() {
                @Override public void stepStarted(String name, int index, int total) {
                    if (name.equals("backup first")) control.cancel();
                }
            });
            assertThat(cancelled.report().result).isEqualTo(UpgradeReport.Result.CANCELLED);
            assertThat(cancelled.report().message).contains("backup first");
            assertThat(Files.exists(c.newDataDir)).isFalse();
            assertThat(cancelled.deferredJobId()).isNull();
            assertThat(f.old.isRunning()).isTrue();

            // cancelled as the GUI does it (cancel + interrupt of the worker thread) once the new server runs: the
            // clean-up still stops it (pg_ctl's wait must not die of the interrupt), and the interrupt is kept
            UpgradeRequest g = f.request(UpgradePlanner.Method.DUMP_RESTORE, f.old.binaries().binDir(), "interrupted");
            JobControl gc = new JobControl(JobControl.ProgressListener.NONE);
            UpgradeResult gr = f.executor().run(g, TestPg.PASSWORD, gc, new UpgradeExecutor.Listener() {
                @Override public void stepStarted(String name, int index, int total) {
                    if (!name.equals("dump and restore")) return;
                    gc.cancel();
                    Thread.currentThread().interrupt();
                }
            });
            boolean stillInterrupted = Thread.interrupted();   // cleared here: the rest of the test waits on processes
            assertThat(gr.report().result).isEqualTo(UpgradeReport.Result.CANCELLED);
            assertThat(Files.exists(g.newDataDir.resolve("postmaster.pid"))).as("the new server is stopped").isFalse();
            assertThat(gr.report().notes).anyMatch(n -> n.contains("The new server was stopped"));
            assertThat(stillInterrupted).as("the caller still sees the interrupt").isTrue();
            assertThat(f.old.isRunning()).isTrue();

            // a row written after the dump (writers not stopped): the verification names the table and fails the run
            UpgradeRequest r = f.request(UpgradePlanner.Method.DUMP_RESTORE, f.old.binaries().binDir(), "mismatch");
            UpgradeResult res = f.executor().run(r, TestPg.PASSWORD, JobContext.none(), new UpgradeExecutor.Listener() {
                @Override public void stepStarted(String name, int index, int total) {
                    if (!name.equals("source row counts")) return;
                    try (Connection con = f.old.connect("other"); var st = con.createStatement()) {
                        st.execute("INSERT INTO notes VALUES (501, 'late', 1, now(), 1)");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            UpgradeReport rep = res.report();
            assertThat(rep.result).isEqualTo(UpgradeReport.Result.FAILED);
            assertThat(rep.message).contains("verify table by table", "1 of ").contains("tables differ");
            assertThat(rep.tables).filteredOn(t -> !t.matches()).singleElement().satisfies(t -> {
                assertThat(t.qualifiedName()).isEqualTo("other:public.notes");
                assertThat(t.sourceRows()).isEqualTo(501);
                assertThat(t.targetRows()).isEqualTo(500);
            });
            assertThat(res.exitCode()).isEqualTo(1);
            assertThat(res.deferredJobId()).as("nothing is deferred after a failure").isNull();
            assertThat(Files.readString(res.textFile())).contains("DIFF   other:public.notes", "The new server was stopped");
            assertThat(Files.exists(r.newDataDir.resolve("postmaster.pid"))).isFalse();
        }
    }

    /**
     * Across machines: the executor is given no old data directory and no old binaries (as when the old server runs
     * elsewhere): the source is read over the network, the checks say so instead of blocking, the dump uses the
     * pg_dump/pg_dumpall of the hop's tool major, every table is verified, and the report says where the source was.
     * pg_upgrade keeps requiring both.
     */
    @Test
    void dumpRestoreFromASourceWhoseDataDirectoryIsNotOnThisHost() throws Exception {
        try (UpgradeFixture f = new UpgradeFixture(tmp)) {
            UpgradeExecutor ex = f.executor();
            // pg_upgrade without them: refused with the reason
            UpgradeRequest pgu = f.request(UpgradePlanner.Method.PG_UPGRADE_COPY, null, "pgu");
            pgu.oldDataDir = null;
            assertThatThrownBy(() -> ex.preflight(pgu, TestPg.PASSWORD, JobContext.none()))
                    .isInstanceOf(ConsoleException.class).hasMessageContaining("-D").hasMessageContaining("dump and restore works without it");
            pgu.oldDataDir = tmp.resolve("elsewhere/13/main");
            pgu.oldBinDir = f.old.binaries().binDir();
            UpgradeExecutor.Preview blocked = ex.preflight(pgu, TestPg.PASSWORD, JobContext.none());
            assertThat(blocked.checks()).anyMatch(c -> c.verdict().equals("BLOCK") && c.name().equals("old cluster")
                    && c.detail().contains("not exist on this host") && c.detail().contains("choose dump and restore"));

            // dump and restore: a data directory path that is not here → INFO, not BLOCK
            UpgradeRequest remotePath = f.request(UpgradePlanner.Method.DUMP_RESTORE, null, "remote-path");
            remotePath.oldDataDir = tmp.resolve("elsewhere/13/main");
            UpgradeExecutor.Preview info = ex.preflight(remotePath, TestPg.PASSWORD, JobContext.none());
            assertThat(info.blocked()).as(info.checks().toString()).isFalse();
            assertThat(info.checks()).anyMatch(c -> c.verdict().equals("INFO") && c.detail().contains("not on this host")
                    && c.detail().contains("over the network"));

            // the run: no old data directory, no old binaries at all
            UpgradeRequest r = f.request(UpgradePlanner.Method.DUMP_RESTORE, null, "remote");
            r.oldDataDir = null;
            r.analyzeAfter = false;
            UpgradeExecutor.Preview preview = ex.preflight(r, TestPg.PASSWORD, JobContext.none());
            assertThat(preview.blocked()).as(preview.checks().toString()).isFalse();
            assertThat(preview.checks()).anyMatch(c -> c.verdict().equals("INFO") && c.name().equals("old cluster")
                            && c.detail().equals("the old data directory is not on this host: dump and restore reads the server over the network"
                                    + " (version from SQL, sizes from pg_database_size)"))
                    .anyMatch(c -> c.name().equals("disk space") && c.detail().contains("pg_database_size"))
                    .anyMatch(c -> c.name().equals("tools") && c.verdict().equals("PASS") && c.detail().contains("pg_dump"))
                    .noneMatch(c -> c.detail().contains(f.old.dataDir().toString()));
            UpgradeResult res = ex.run(r, TestPg.PASSWORD, JobContext.none(), UpgradeExecutor.Listener.NONE);
            UpgradeReport rep = res.report();
            String text = Files.readString(res.textFile());
            assertThat(rep.result).as(text).isIn(UpgradeReport.Result.OK, UpgradeReport.Result.WARN);
            assertThat(rep.sourceVersion).startsWith("13.");
            assertThat(rep.targetVersion).startsWith("15.");
            assertThat(rep.tables).hasSizeGreaterThan(20).allMatch(UpgradeReport.TableCheck::matches);
            assertThat(rep.tables).filteredOn(t -> t.table().equals("notes")).singleElement()
                    .satisfies(t -> assertThat(t.targetRows()).isEqualTo(500));
            // the dump was taken with a pg_dump that can read 13 and is not newer than the target
            assertThat(rep.steps).filteredOn(s -> s.name().equals("backup first")).singleElement()
                    .satisfies(s -> assertThat(s.command()).contains("pg_dumpall", "pg_dump"));
            assertThat(rep.oldDataDir).isNull();
            assertThat(rep.sourceLocation).contains("read over the network from " + f.old.host() + ":" + f.old.port());
            assertThat(text).contains("Source:   PostgreSQL 13.", "read over the network from", "its data directory is not on this host")
                    .contains("the old server's postgresql.conf and pg_hba.conf");
            Properties p = new Properties();
            p.setProperty("user", TestPg.SUPERUSER);
            p.setProperty("password", new String(TestPg.PASSWORD));
            try (Connection oldC = f.old.connect("ecelerity");
                 Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + r.newPort + "/ecelerity", p)) {
                String sum = UpgradeFixture.ROWS_AND_DELIVERIES;
                assertThat(UpgradeFixture.count(newC, sum)).isEqualTo(UpgradeFixture.count(oldC, sum)).isGreaterThan(0);
            }
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
