package io.msyspg.console.cli;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.upgrade.UpgradeFixtureAccess;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole upgrade from the command line, in a child JVM as a script would run it: usage errors, check, dry run, run. */
class UpgradeRunCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    Run run(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dmsyspg.home=" + home, "io.msyspg.console.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PGPASSWORD", new String(TestPg.PASSWORD));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("msyspg-console " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void usageCheckDryRunAndAFullDumpRestoreUpgrade() throws Exception {
        Path home = tmp.resolve("home");
        Run usage = run(home, "upgrade", "run", "-D", "/nonexistent", "--new-bindir", "/usr/lib/postgresql/15/bin");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("pg_upgrade (--method copy) needs --old-bindir", "--method dump works without them");
        Run noData = run(home, "upgrade", "run", "--new-bindir", "/usr/lib/postgresql/15/bin", "--new-data-dir", "/tmp/x", "--new-port", "5999");
        assertThat(noData.code()).isEqualTo(2);
        assertThat(noData.err()).contains("needs -D", "for a server on another machine use --method dump");
        Run dumpNoPort = run(home, "upgrade", "run", "--method", "dump", "--new-bindir", "/usr/lib/postgresql/15/bin", "--new-data-dir", "/tmp/x");
        assertThat(dumpNoPort.code()).isEqualTo(2);
        assertThat(dumpNoPort.err()).contains("a full upgrade needs --new-port").doesNotContain("-D");
        Run checkNoDir = run(home, "upgrade", "check", "--method", "dump", "--new-bindir", "/usr/lib/postgresql/15/bin");
        assertThat(checkNoDir.code()).isEqualTo(2);
        assertThat(checkNoDir.err()).contains("without -D, give --new-data-dir");

        try (var f = UpgradeFixtureAccess.open(tmp)) {
            String zonky13 = PgBinaries.forMajor(13).binDir().toString();
            String new15 = PgBinaries.forMajor(15).binDir().toString();
            List<String> conn = List.of("-h", f.host(), "-p", Integer.toString(f.port()), "-U", TestPg.SUPERUSER, "-d", "postgres");

            // check with bindirs: the real pre-flight; zonky's 13 lacks pg_controldata, so pg_upgrade is blocked by name;
            // given as an intermediate hop (--hop-bindir) it lacks pg_upgrade too, and the hop says so
            List<String> check = new ArrayList<>(List.of("upgrade", "check", "-D", f.dataDir().toString(), "--old-bindir", zonky13, "--new-bindir", new15,
                    "--method", "copy", "--hop-bindir", zonky13));
            check.addAll(conn);
            Run c = run(home, check.toArray(String[]::new));
            assertThat(c.code()).as(c.out() + c.err()).isEqualTo(1);
            assertThat(c.out()).contains("BLOCK", "lacks pg_controldata, pg_resetwal", "BLOCKED")
                    .contains("hop 1/2: " + zonky13 + " lacks pg_upgrade, pg_controldata, pg_resetwal");

            Path newData = f.base().resolve("cli15/data");
            List<String> up = new ArrayList<>(List.of("upgrade", "run", "-D", f.dataDir().toString(), "--old-bindir", zonky13, "--new-bindir", new15,
                    "--new-data-dir", newData.toString(), "--new-port", Integer.toString(f.freePort()), "--new-socket-dir", f.base().resolve("cli-sock").toString(),
                    "--method", "dump", "--backup-dir", f.base().resolve("cli-backup").toString(), "--checklist-done", "--queue-only"));
            up.addAll(conn);
            // the dry run as from another machine: no -D, no --old-bindir (dump and restore reads the server over the network)
            List<String> dry = new ArrayList<>(up);
            dry.removeAll(List.of("-D", f.dataDir().toString(), "--old-bindir", zonky13));
            dry.add("--dry-run");
            Run d = run(home, dry.toArray(String[]::new));
            assertThat(d.code()).as(d.out() + d.err()).isZero();
            assertThat(d.out()).contains("Dry run (nothing was run):", "pg_restore", "vacuumdb", "Ready: nothing blocks the upgrade.")
                    .contains("INFO  old cluster", "the old data directory is not on this host: dump and restore reads the server over the network");
            assertThat(Files.exists(newData)).isFalse();

            Run r = run(home, up.toArray(String[]::new));
            f.track(newData);
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("[1/8] pre-flight", "verify table by table", "UPGRADED: ", "report: " + home.resolve("state/upgrade/reports"),
                    "queued: start it with msyspg-console upgrade run --job");
            assertThat(r.out() + r.err()).doesNotContain(new String(TestPg.PASSWORD));
            String report = Files.readString(Path.of(r.out().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow()
                    .substring(8).replaceFirst(" \\(and .*", "")));
            assertThat(report).contains("Result:   OK", "[x] Upgrade the database role", "0 mismatched");
            Run rep = run(home, "upgrade", "report", "last");
            assertThat(rep.code()).isZero();
            assertThat(rep.out()).isEqualTo(report);
            Run st = run(home, "upgrade", "status");
            assertThat(st.out()).contains("NOT_STARTED", "after the upgrade to 15.");
        }
    }
}
