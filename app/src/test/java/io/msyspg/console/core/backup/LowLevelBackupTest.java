package io.msyspg.console.core.backup;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** pg_backup_start/stop on one session, the copy, and the label written into the backup (private cluster). */
class LowLevelBackupTest {
    @Test void copiesTheDataDirectoryAndWritesTheLabelIntoTheBackup(@TempDir Path dir) throws Exception {
        try (PgCluster c = TestPg.privateCluster();
             PooledDbSession s = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD)) {
            BackupService svc = BackupFixtures.service(dir);
            BackupOptions o = new BackupOptions();
            o.format = BackupFormat.LOWLEVEL;
            o.output = dir.resolve("fs-copy");
            BackupService.Plan p = svc.plan(s, o);
            assertThat(p.blocked()).as(p.checks().toString()).isFalse();
            assertThat(p.commandLine()).contains("SELECT pg_backup_start('msyspg-console <time>', true)").contains("pg_backup_stop(true)");
            List<String> lines = new ArrayList<>();
            BackupService.Result r = svc.run(p, JobContext.none(), lines::add);
            Path copy = r.path();
            assertThat(Files.readString(copy.resolve("backup_label"))).contains("LABEL: msyspg-console").contains("BACKUP METHOD: streamed");
            assertThat(c.dataDir().resolve("backup_label")).doesNotExist();
            assertThat(copy.resolve("postmaster.pid")).doesNotExist();
            assertThat(copy.resolve("postmaster.opts")).doesNotExist();
            assertThat(copy.resolve("PG_VERSION")).exists();
            assertThat(copy.resolve("global/pg_control")).exists();
            try (var w = Files.list(copy.resolve("pg_wal"))) {
                assertThat(w.map(x -> x.getFileName().toString()).toList()).containsExactly("archive_status");
            }
            // archiving is off in the test cluster: the server's NOTICE is passed on as it came
            assertThat(r.verification()).contains("WAL archiving is not enabled");
            assertThat(lines).anyMatch(l -> l.startsWith("server NOTICE: WAL archiving is not enabled"));
            assertThat(BackupService.partialOf(o.output)).doesNotExist();
            // the session left backup mode: a second backup can start
            try (var con = s.borrow(); var st = con.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'BackupWaitWalArchive'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            o.output = dir.resolve("fs-copy-2");
            assertThat(svc.run(svc.plan(s, o), JobContext.none(), l -> { }).path()).exists();
        }
    }
}
