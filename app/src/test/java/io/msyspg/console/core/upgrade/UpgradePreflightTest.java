package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;
import io.msyspg.console.core.upgrade.UpgradePreflight.Check;
import io.msyspg.console.core.upgrade.UpgradePreflight.Verdict;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each pre-flight rule on its own, with the machine's facts injected; then the command on a real data directory. */
class UpgradePreflightTest {
    @TempDir Path tmp;
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final long GIB = 1L << 30;

    private UpgradePreflight preflight(String mounts, BackupHistory history) throws Exception {
        Path m = tmp.resolve("mounts");
        Files.writeString(m, mounts);
        return new UpgradePreflight(MountTable.read(m), history, PgToolLocator.standard(null), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static final String LOCAL = "/dev/vda / ext4 rw 0 0\n";
    private static final String NFS = LOCAL + "filer:/export/msyspg /var/db nfs4 rw,vers=4.2 0 0\n";

    private BackupHistory history(Duration age, boolean verified) {
        BackupHistory h = new BackupHistory(tmp.resolve("history-" + System.nanoTime() + ".json"));
        if (age != null) {
            BackupHistory.Entry e = new BackupHistory.Entry();
            e.startedAt = NOW.minus(age);
            e.database = "ecelerity";
            e.format = "custom";
            e.path = "/backup/ecelerity.dump";
            e.verified = verified;
            e.status = "succeeded";
            h.add(e);
        }
        return h;
    }

    private static UpgradePreflight.Request request(Method m, Path workDir, Duration maxAge) {
        return new UpgradePreflight.Request(Path.of("/var/db/msyspg"), PgVersion.parse("13.23"), PgVersion.parse("15"), m,
                workDir, "ecelerity", maxAge, null);
    }

    private static Check check(UpgradePreflight.Report r, String name, Verdict v) {
        return r.checks().stream().filter(c -> c.name().equals(name) && c.verdict() == v).findFirst()
                .orElseThrow(() -> new AssertionError("no " + v + " " + name + " in\n" + String.join("\n", r.checks().stream().map(Check::line).toList())));
    }

    @Test
    void tooLittleDiskBlocksWithTheNumbers() throws Exception {
        var r = preflight(LOCAL, history(Duration.ofHours(2), true)).run(request(Method.PG_UPGRADE_COPY, Path.of("/srv"), Duration.ofHours(24)),
                new UpgradePreflight.Facts(10 * GIB, 4 * GIB, List.of(13, 15)));
        assertThat(r.blocked()).isTrue();
        assertThat(check(r, "disk space", Verdict.BLOCK).detail()).contains("only 4.0 GiB free at /srv").contains("10.0 GiB are needed")
                .contains("--link");
        // the same with link mode needs little: not blocked by disk
        var link = preflight(LOCAL, history(Duration.ofHours(2), true)).run(request(Method.PG_UPGRADE_LINK, Path.of("/srv"), Duration.ofHours(24)),
                new UpgradePreflight.Facts(10 * GIB, 4 * GIB, List.of(13, 15)));
        assertThat(check(link, "disk space", Verdict.PASS).detail()).contains("4.0 GiB free");
    }

    @Test
    void dataDirectoryOnNfsIsWarned() throws Exception {
        var r = preflight(NFS, history(Duration.ofHours(2), true)).run(request(Method.DUMP_RESTORE, Path.of("/srv"), Duration.ofHours(24)),
                new UpgradePreflight.Facts(GIB, 100 * GIB, List.of(15)));
        assertThat(check(r, "file system", Verdict.WARN).detail()).contains("/var/db/msyspg").contains("nfs4").contains("filer:/export/msyspg");
        assertThat(check(r, "file system", Verdict.PASS).detail()).contains("/srv");
    }

    @Test
    void aVerifiedRecentBackupIsRequired() throws Exception {
        UpgradePreflight.Facts f = new UpgradePreflight.Facts(GIB, 100 * GIB, List.of(15));
        var none = preflight(LOCAL, history(null, false)).run(request(Method.DUMP_RESTORE, tmp, Duration.ofHours(24)), f);
        assertThat(check(none, "backup", Verdict.BLOCK).detail()).contains("no verified backup of ecelerity");
        var old = preflight(LOCAL, history(Duration.ofHours(30), true)).run(request(Method.DUMP_RESTORE, tmp, Duration.ofHours(24)), f);
        assertThat(check(old, "backup", Verdict.BLOCK).detail()).contains("30 h 0 min ago").contains("older than 24 h");
        var unverified = preflight(LOCAL, history(Duration.ofHours(1), false)).run(request(Method.DUMP_RESTORE, tmp, Duration.ofHours(24)), f);
        assertThat(check(unverified, "backup", Verdict.BLOCK).detail()).contains("no verified backup");
        var fresh = preflight(LOCAL, history(Duration.ofHours(3), true)).run(request(Method.DUMP_RESTORE, tmp, Duration.ofHours(24)), f);
        assertThat(check(fresh, "backup", Verdict.PASS).detail()).contains("/backup/ecelerity.dump").contains("3 h 0 min ago");
        assertThat(fresh.blocked()).as(String.join("\n", fresh.checks().stream().map(Check::line).toList())).isFalse();
    }

    @Test
    void toolsAreCheckedForTheMethod() throws Exception {
        UpgradePreflight.Facts f = new UpgradePreflight.Facts(GIB, 100 * GIB, List.of(13, 15));
        var to15 = preflight(LOCAL, history(Duration.ofHours(1), true)).run(request(Method.PG_UPGRADE_LINK, tmp, Duration.ofHours(24)), f);
        assertThat(check(to15, "tools", Verdict.PASS).detail()).startsWith("pg_upgrade 15.");
        var to17 = preflight(LOCAL, history(Duration.ofHours(1), true)).run(new UpgradePreflight.Request(Path.of("/var/db/msyspg"),
                PgVersion.parse("13.2"), PgVersion.parse("17"), Method.PG_UPGRADE_COPY, tmp, "ecelerity", Duration.ofHours(24), null), f);
        assertThat(check(to17, "tools", Verdict.BLOCK).detail()).contains("no pg_upgrade of PostgreSQL 17");
    }

    @Test
    void dryRunListsTheStepsInOrder() throws Exception {
        var r = preflight(LOCAL, history(Duration.ofHours(1), true)).run(new UpgradePreflight.Request(Path.of("/var/db/msyspg"),
                PgVersion.parse("9.0.23"), PgVersion.parse("15"), Method.PG_UPGRADE_COPY, Path.of("/srv"), "ecelerity", Duration.ofHours(24),
                Path.of("/nonexistent/33_deferred_migration")), new UpgradePreflight.Facts(GIB, 100 * GIB, List.of(14, 15)));
        List<String> d = r.dryRun();
        assertThat(String.join("\n", d)).containsSubsequence("Momentum: upgrade this database role first",
                "/usr/lib/postgresql/14/bin/pg_upgrade -d /var/db/msyspg -D /srv/data-15.hop14", "--check",
                "/usr/lib/postgresql/15/bin/pg_upgrade -d /srv/data-15.hop14 -D /srv/data-15", "--copy",
                "vacuumdb --all --analyze-in-stages", "33_deferred_migration", "report");
        assertThat(check(r, "migration", Verdict.BLOCK).detail()).contains("does not exist");
        assertThat(check(r, "plan", Verdict.INFO).detail()).contains("analyze-in-stages");
        // the second hop's old binaries are installed (14): named; the 9.0 ones are not: a placeholder
        assertThat(String.join("\n", d)).contains("-b /usr/lib/postgresql/14/bin -B /usr/lib/postgresql/15/bin --copy")
                .contains("-b <bin of 9.0>");
    }

    @Test
    void commandChecksARealOlderMajorDataDirectory() throws Exception {
        PgCluster pg13 = TestPg.major(13);
        picocli.CommandLine cl = io.msyspg.console.cli.ConsoleCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("upgrade", "check", "-D", pg13.dataDir().toString(), "--target-major", "15", "--method", "dump",
                "--database", "db_without_backup_" + System.nanoTime());
        String text = out.toString();
        assertThat(text).contains("PostgreSQL 13 (" + pg13.dataDir() + ") -> 15")
                .containsPattern("PASS\\s+tools\\s+pg_dump 15\\.\\d+ .* can dump 13")
                .containsPattern("BLOCK\\s+backup\\s+no verified backup of db_without_backup_")
                .contains("Dry run (nothing was run):").contains("pg_dumpall --globals-only")
                .contains("BLOCKED");
        assertThat(code).isEqualTo(1);
        int bad = cl.execute("upgrade", "check", "-D", tmp.toString(), "--target-major", "15");
        assertThat(bad).isEqualTo(1);
    }
}
