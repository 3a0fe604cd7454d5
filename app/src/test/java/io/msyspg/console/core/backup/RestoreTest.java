package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restore on a real server: damaged archives refused before touching anything, errors reported and classed. */
class RestoreTest {
    @TempDir static Path dir;
    static PooledDbSession source;
    static Path dump;
    static BackupService svc;
    static ArchiveInspector inspector = new ArchiveInspector(BackupFixtures.TOOLS);

    @BeforeAll static void fixture() throws Exception {
        source = TestPg.session(TestPg.createDatabase("rs_src"));
        BackupFixtures.representative(source);
        svc = BackupFixtures.service(dir);
        BackupOptions o = new BackupOptions();
        o.output = dir.resolve("src.dump");
        dump = svc.run(svc.plan(source, o), JobContext.none(), l -> { }).path();
    }

    @AfterAll static void close() {
        if (source != null) source.close();
    }

    /** An existing database with a sentinel table; returns its name. */
    static String existingTarget() throws Exception {
        String name = TestPg.createDatabase("rs_target");
        try (PooledDbSession s = TestPg.session(name); Connection c = s.borrow(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sentinel(v text); INSERT INTO sentinel VALUES ('untouched')");
        }
        return name;
    }

    static Map<String, String> contents(String db) throws Exception {
        try (PooledDbSession s = TestPg.session(db)) {
            return BackupFixtures.contentChecksums(s);
        }
    }

    @Test void truncatedArchiveIsRefusedAndTargetUntouched() throws Exception {
        Path bad = dir.resolve("truncated.dump");
        byte[] all = Files.readAllBytes(dump);
        Files.write(bad, java.util.Arrays.copyOf(all, all.length * 6 / 10));
        String target = existingTarget();
        Map<String, String> before = contents(target);
        ArchiveInfo info = inspector.inspect(bad, JobContext.none());   // the TOC at the front still reads
        RestoreOptions o = new RestoreOptions();
        o.database = target;
        o.clean = true;
        RestoreService rs = new RestoreService(svc);
        RestoreService.Plan p = rs.plan(source, info, o);
        assertThat(p.blocked()).isFalse();
        assertThatThrownBy(() -> rs.run(p, JobContext.none(), l -> { }))
                .isInstanceOf(ConsoleException.class)
                .hasMessageContaining("The archive truncated.dump is damaged; nothing was restored and \"" + target + "\" was not touched.");
        assertThat(contents(target)).isEqualTo(before).containsKey("public.sentinel");
    }

    @Test void corruptedBytesAreCaughtByTheChecksumFile() throws Exception {
        Path bad = dir.resolve("flipped.dump");
        Files.copy(dump, bad);
        Files.copy(BackupService.checksumFile(dump), BackupService.checksumFile(bad));
        Files.writeString(BackupService.checksumFile(bad), Files.readString(BackupService.checksumFile(bad)).replace("src.dump", "flipped.dump"));
        try (RandomAccessFile raf = new RandomAccessFile(bad.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0xff);
        }
        String target = existingTarget();
        Map<String, String> before = contents(target);
        RestoreOptions o = new RestoreOptions();
        o.database = target;
        o.clean = true;
        RestoreService rs = new RestoreService(svc);
        RestoreService.Plan p = rs.plan(source, inspector.inspect(bad, JobContext.none()), o);
        assertThatThrownBy(() -> rs.run(p, JobContext.none(), l -> { })).isInstanceOf(ConsoleException.class)
                .hasMessageContaining("does not match its checksum").hasMessageContaining("nothing was restored");
        assertThat(contents(target)).isEqualTo(before);
    }

    @Test void notAnArchiveAndNewerFormatAreRefusedWithReasons() throws Exception {
        Path junk = dir.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> inspector.inspect(junk, JobContext.none())).hasMessageContaining("junk.bin is not a pg_dump archive");
        // an archive header of version 1.16 (what pg_dump 17 writes); pg_restore 15 reads up to 1.14
        Path v116 = dir.resolve("from17.dump");
        byte[] all = Files.readAllBytes(dump);
        all[6] = 16;
        Files.write(v116, all);
        assertThatThrownBy(() -> inspector.inspect(v116, JobContext.none()))
                .hasMessageContaining("format version 1.16").hasMessageContaining("written by pg_dump 17")
                .hasMessageContaining("reads up to 1.14").hasMessageContaining("Install the PostgreSQL 17 client tools");
        assertThatThrownBy(() -> inspector.inspect(dir.resolve("nope.dump"), JobContext.none())).hasMessageContaining("does not exist");
    }

    @Test void errorsAreReportedWithTocEntriesAndClassed() throws Exception {
        String target = TestPg.createDatabase("rs_twice");
        RestoreService rs = new RestoreService(svc);
        ArchiveInfo info = inspector.inspect(dump, JobContext.none());
        RestoreOptions o = new RestoreOptions();
        o.database = target;
        assertThat(rs.run(rs.plan(source, info, o), JobContext.none(), l -> { }).status()).isEqualTo(RestoreReport.Status.COMPLETED);
        // again, without --clean: every CREATE fails with "already exists" and pg_restore goes on
        RestoreReport r = rs.run(rs.plan(source, info, o), JobContext.none(), l -> { });
        assertThat(r.status()).isEqualTo(RestoreReport.Status.COMPLETED_WITH_ERRORS);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errorsReported()).isPositive().isEqualTo(r.errors().size());
        assertThat(r.headline()).startsWith("completed with " + r.errorsReported() + " errors");
        assertThat(r.errors()).anySatisfy(e -> {
            assertThat(e.entry()).isNotNull();
            assertThat(e.entry().desc()).isEqualTo("SCHEMA");
            assertThat(e.message()).isEqualTo("schema \"app\" already exists");
            assertThat(e.command()).isEqualTo("CREATE SCHEMA app;");
            assertThat(e.expected()).isFalse();
        });
        assertThat(r.errors()).allSatisfy(e -> assertThat(e.tocLine()).isNotBlank());
        // with --clean --if-exists the same restore is clean
        o.clean = true;
        RestoreReport clean = rs.run(rs.plan(source, info, o), JobContext.none(), l -> { });
        assertThat(clean.status()).as(clean.errors().toString()).isEqualTo(RestoreReport.Status.COMPLETED);
        assertThat(contents(target)).isEqualTo(BackupFixtures.contentChecksums(source));
        // exit on error turns the first error into a failure
        o.clean = false;
        o.exitOnError = true;
        RestoreReport failed = rs.run(rs.plan(source, info, o), JobContext.none(), l -> { });
        assertThat(failed.status()).isEqualTo(RestoreReport.Status.FAILED);
        assertThat(failed.message()).contains("already exists");
    }

    @Test void expectedErrorsAreRecognised() {
        var p = new RestoreOutputParser(List.of("public"));
        for (String l : List.of(
                "pg_restore: creating SCHEMA \"public\"",
                "pg_restore: while PROCESSING TOC:",
                "pg_restore: from TOC entry 5; 2615 2200 SCHEMA public pg_database_owner",
                "pg_restore: error: could not execute query: ERROR:  schema \"public\" already exists",
                "Command was: CREATE SCHEMA public;",
                "",
                "",
                "pg_restore: dropping TABLE t",
                "pg_restore: from TOC entry 215; 1259 16386 TABLE t postgres",
                "pg_restore: error: could not execute query: ERROR:  table \"t\" does not exist",
                "Command was: DROP TABLE public.t;",
                "pg_restore: from TOC entry 216; 1259 16387 TABLE u postgres",
                "pg_restore: error: could not execute query: ERROR:  role \"ecuser\" does not exist",
                "Command was: ALTER TABLE public.u OWNER TO ecuser;",
                "",
                "pg_restore: warning: errors ignored on restore: 3")) p.line(l);
        p.finish();
        assertThat(p.ignoredCount()).isEqualTo(3);
        assertThat(p.errors()).hasSize(3);
        assertThat(p.errors().get(0).expected()).isTrue();
        assertThat(p.errors().get(0).object()).isEqualTo("SCHEMA public");
        assertThat(p.errors().get(1).expected()).isTrue();
        assertThat(p.errors().get(2).expected()).isFalse();
        assertThat(p.errors().get(2).object()).isEqualTo("TABLE u");
    }

    @Test void selectedAndReorderedEntriesGoThroughAListFile() throws Exception {
        ArchiveInfo info = inspector.inspect(dump, JobContext.none());
        List<Integer> ids = new ArrayList<>();
        for (TocEntry e : info.entries()) {
            boolean custSchema = e.object().equals("app.customers") || e.schema().equals("app") && e.desc().equals("SCHEMA");
            if (e.desc().equals("SCHEMA") && e.name().equals("app") || (e.desc().startsWith("TABLE") && e.object().equals("app.customers"))
                    || e.desc().equals("SEQUENCE") || e.desc().equals("SEQUENCE OWNED BY") || custSchema && e.desc().equals("DEFAULT")) ids.add(e.id());
        }
        assertThat(ids).isNotEmpty();
        RestoreOptions o = new RestoreOptions();
        o.database = "rs_sel_" + Long.toHexString(System.nanoTime());
        o.createNew = true;
        o.selection = ids;
        RestoreService rs = new RestoreService(svc);
        RestoreService.Plan p = rs.plan(source, info, o);
        assertThat(p.commandLine()).contains("-L '<selection list>'");
        assertThat(p.listFile()).hasSize(ids.size() + 1);
        RestoreReport r = rs.run(p, JobContext.none(), l -> { });
        assertThat(r.status()).as(r.errors().toString()).isEqualTo(RestoreReport.Status.COMPLETED);
        try (PooledDbSession s = TestPg.session(o.database); Connection c = s.borrow(); Statement st = c.createStatement();
             ResultSet rs2 = st.executeQuery("SELECT string_agg(format('%I.%I', schemaname, tablename), ',' ORDER BY 1) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema')")) {
            rs2.next();
            assertThat(rs2.getString(1)).isEqualTo("app.customers");
        }
        new RestoreService(svc).analyze(source, o.database, JobContext.none());
    }

    @Test void safetyBackupIsTakenBeforeTouchingAnExistingDatabase() throws Exception {
        String target = existingTarget();
        RestoreOptions o = new RestoreOptions();
        o.database = target;
        o.clean = true;
        o.safetyBackup = dir.resolve("safety-" + target + ".dump");
        RestoreService rs = new RestoreService(svc);
        RestoreReport r = rs.run(rs.plan(source, inspector.inspect(dump, JobContext.none()), o), JobContext.none(), l -> { });
        assertThat(r.status()).isEqualTo(RestoreReport.Status.COMPLETED);
        ArchiveInfo safety = inspector.inspect(o.safetyBackup, JobContext.none());
        assertThat(safety.entries()).anyMatch(e -> e.desc().equals("TABLE DATA") && e.object().equals("public.sentinel"));
    }

    @Test void impossibleOptionsAreBlocked() throws Exception {
        ArchiveInfo info = inspector.inspect(dump, JobContext.none());
        RestoreOptions o = new RestoreOptions();
        o.database = "does_not_exist_" + System.nanoTime();
        o.jobs = 2;
        o.singleTransaction = true;
        RestoreService.Plan p = new RestoreService(svc).plan(source, info, o);
        assertThat(p.blocking()).extracting(Check::message)
                .anyMatch(m -> m.contains("does not exist on 127.0.0.1:"))
                .anyMatch(m -> m.contains("single transaction (-1) cannot go with parallel jobs"));
    }
}
