package io.msyspg.console.cli;

import io.msyspg.console.core.backup.BackupFixtures;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup and restore subcommands against the shared cluster (over its Unix socket). */
class BackupRestoreCommandTest {
    @TempDir static Path home;
    static String db;
    static String socket;

    record Run(int code, String out, String err) {}

    @BeforeAll static void fixture() throws Exception {
        db = TestPg.createDatabase("cli_src");
        try (PooledDbSession s = TestPg.session(db)) {
            BackupFixtures.representative(s);
        }
        // TCP with a password: the child gets it from $PGPASSWORD, the tools only through a temporary PGPASSFILE
        socket = TestPg.shared().host();
    }

    /** Runs {@code msyspg-console ARGS} in a child JVM, as cron would, with the password in $PGPASSWORD. */
    static Run run(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dmsyspg.home=" + home.resolve("home"), "io.msyspg.console.Main"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PGPASSWORD", new String(TestPg.PASSWORD));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path out = Files.createTempFile(home, "out", ".txt"), err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("msyspg-console " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> conn(String database, String... rest) {
        List<String> a = new ArrayList<>(List.of("-h", socket, "-p", Integer.toString(TestPg.shared().port()), "-U", TestPg.SUPERUSER, "-d", database));
        a.addAll(List.of(rest));
        return a;
    }

    static Run cmd(String sub, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(sub);
        all.addAll(args);
        return run(all.toArray(String[]::new));
    }

    @Test void backupThenRestoreIntoNewDatabaseThenAgainWithErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cli.dump");
        Run b = cmd("backup", conn(db, "--format", "custom", "-Z", "9", "-f", f.toString()));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).contains("check ok: Tool version: pg_dump 15.").contains("command: LC_ALL=C PG_COLOR=never ")
                .contains("backup: ").contains("100% done");
        assertThat(b.out()).contains("backup written: " + f).contains("verified: yes");
        assertThat(Files.readString(home.resolve("home/state/backup-history.json"))).contains(f.toString());

        String target = "cli_new_" + Long.toHexString(System.nanoTime());
        Run r = cmd("restore", conn(target, "--create", "--analyze", f.toString()));
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.err()).contains("Source server:").contains("Written by:").contains("Entries:");
        assertThat(r.out()).contains("restore completed").contains("ANALYZE done");
        try (PooledDbSession a = TestPg.session(db); PooledDbSession c = TestPg.session(target)) {
            assertThat(BackupFixtures.contentChecksums(c)).isEqualTo(BackupFixtures.contentChecksums(a));
        }

        Run again = cmd("restore", conn(target, f.toString()));
        assertThat(again.code()).as(again.err()).isEqualTo(3);
        assertThat(again.out()).containsPattern("restore completed with \\d+ errors \\(\\d+ expected, \\d+ real\\)")
                .contains("ERROR:    SCHEMA app: schema \"app\" already exists").contains("(TOC entry ");

        Run clean = cmd("restore", conn(target, "--clean", "-j", "2", f.toString()));
        assertThat(clean.code()).as(clean.err() + clean.out()).isZero();
    }

    @Test void damagedArchiveFailsWithOneLineAndExitOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.dump");
        assertThat(cmd("backup", conn(db, "-f", f.toString())).code()).isZero();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        Files.delete(f.resolveSibling("t.dump.sha256"));
        Run r = cmd("restore", conn(db, "--clean", f.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("msyspg-console: The archive t.dump is damaged; nothing was restored and \"" + db + "\" was not touched.");
    }

    @Test void badUsageIsExitTwo(@TempDir Path dir) {
        assertThat(cmd("backup", conn(db)).code()).isEqualTo(2);
        Run bad = cmd("backup", conn(db, "--format", "zip", "-f", dir.resolve("x").toString()));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown format 'zip'");
        Run none = cmd("restore", conn(db, dir.resolve("missing.dump").toString()));
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("missing.dump does not exist");
    }

    @Test void baseBackupIsVerifiedWithItsManifest(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("base");
        Run dry = cmd("backup", conn("postgres", "--format", "base", "-f", target.toString(), "--dry-run"));
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.err()).contains("PGPASSFILE=<temporary 0600 file>").doesNotContain(new String(TestPg.PASSWORD));
        assertThat(target).doesNotExist();
        Run real = cmd("backup", conn("postgres", "--format", "base", "-f", target.toString()));
        assertThat(real.code()).as(real.err()).isZero();
        assertThat(real.err()).contains("--manifest-checksums=SHA256").contains("-X stream").contains("check ok: Replication");
        assertThat(real.out()).contains("verified: yes, pg_verifybackup");
        assertThat(target.resolve("backup_manifest")).exists();
        assertThat(target.resolve("PG_VERSION")).exists();
    }

    /**
     * SIGTERM (what Ctrl-C and a killed cron job amount to) during a backup: the tool is stopped and the JVM waits
     * for the clean-up, so no hidden partial file is left and the final name never appears.
     */
    @Test void aBackupStoppedBySigtermLeavesNoPartialFile(@TempDir Path dir) throws Exception {
        String locked = TestPg.createDatabase("cli_cancel");
        try (java.sql.Connection c = TestPg.shared().connect(locked); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE SEQUENCE held");
            c.setAutoCommit(false);
            // the checks before the dump do not read sequences; pg_dump waits here when it reads the sequence's
            // state, its output file already open
            st.execute("ALTER SEQUENCE held RENAME TO held_meanwhile");     // an ACCESS EXCLUSIVE lock until rollback
            Path f = dir.resolve("stopped.dump");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dmsyspg.home=" + home.resolve("home"), "io.msyspg.console.Main", "backup"));
            cmd.addAll(conn(locked, "--format", "custom", "-f", f.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PGPASSWORD", new String(TestPg.PASSWORD));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(err.toFile());
            Process p = pb.start();
            Path partial = dir.resolve(".stopped.dump.partial");
            try (java.sql.Connection w = TestPg.shared().connect("postgres"); java.sql.Statement ws = w.createStatement()) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                boolean waiting = false;
                while (!waiting && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(100);
                    try (var rs = ws.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + locked
                            + "' AND wait_event_type = 'Lock'")) {
                        rs.next();
                        waiting = rs.getInt(1) > 0;
                    }
                }
                assertThat(waiting).as("pg_dump waits on the held lock; stderr: %s", Files.readString(err)).isTrue();
                assertThat(partial).as("the tool writes under the hidden name").exists();
                p.destroy();                                                          // SIGTERM
                assertThat(p.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("the console exits").isTrue();
                assertThat(partial).as("removed before the JVM exited; stderr: %s", Files.readString(err)).doesNotExist();
                assertThat(f).doesNotExist();
                // the tool itself was stopped (its backend lingers until the lock is released: it waits without reading)
                assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(partial.toString())))
                        .as("pg_dump still running").isEmpty();
            } finally {
                p.destroyForcibly();
                c.rollback();
            }
        }
    }
}
