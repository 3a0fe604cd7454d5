package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;
import io.msyspg.console.core.upgrade.UpgradePlanner.Plan;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The upgrade's pre-flight: every check with the numbers behind it, and the dry run (the steps and commands
 * in order) — nothing is run. A BLOCK verdict stops the upgrade and says what to do; a WARN is shown and
 * recorded. Inputs that come from the machine (free space, the mount table, the backup history, the clock)
 * are passed in, so each rule is tested on its own.
 */
public final class UpgradePreflight {
    public enum Verdict { PASS, INFO, WARN, BLOCK }

    public record Check(String name, Verdict verdict, String detail) {
        public String line() { return String.format("%-5s %-16s %s", verdict, name, detail); }
    }

    /**
     * What the admin chose. {@code workDir} is where the new cluster (and the dump) will be written; {@code sourceDataDir}
     * is null when the source is read over the network (dump/restore from another machine: no file-system check for it).
     */
    public record Request(Path sourceDataDir, PgVersion source, PgVersion target, Method method, Path workDir,
                          String database, Duration maxBackupAge, Path migrationScript) {}

    /** What was measured on this machine. */
    public record Facts(long dataDirBytes, long freeBytesAtWorkDir, List<Integer> installedMajors) {}

    public record Report(Plan plan, List<Check> checks, List<String> dryRun) {
        public boolean blocked() { return checks.stream().anyMatch(c -> c.verdict() == Verdict.BLOCK); }
    }

    private final MountTable mounts;
    private final BackupHistory history;
    private final PgToolLocator tools;
    private final Clock clock;

    public UpgradePreflight(MountTable mounts, BackupHistory history, PgToolLocator tools, Clock clock) {
        this.mounts = mounts;
        this.history = history;
        this.tools = tools;
        this.clock = clock;
    }

    public Report run(Request r, Facts f) {
        List<Check> checks = new ArrayList<>();
        Plan plan = null;
        try {
            plan = UpgradePlanner.plan(r.source(), r.target(), r.method(), f.installedMajors(), f.dataDirBytes());
            StringBuilder hops = new StringBuilder();
            for (UpgradePlanner.Hop h : plan.hops()) {
                hops.append(hops.isEmpty() ? "" : "; ").append(h.from().majorLabel()).append(" -> ").append(h.to().majorLabel())
                        .append(" with tools ").append(h.toolMajor()).append(" (").append(h.why()).append(')');
            }
            checks.add(new Check("plan", Verdict.PASS, r.method().label + ": " + hops));
            for (String n : plan.notes()) checks.add(new Check("plan", n.contains("--link") ? Verdict.WARN : Verdict.INFO, n));
        } catch (ConsoleException e) {
            checks.add(new Check("plan", Verdict.BLOCK, e.getMessage()));
        }
        if (plan != null) {
            long need = plan.requiredFreeBytes();
            checks.add(f.freeBytesAtWorkDir() >= need
                    ? new Check("disk space", Verdict.PASS, UpgradePlanner.bytes(f.freeBytesAtWorkDir()) + " free at " + r.workDir()
                            + ", " + UpgradePlanner.bytes(need) + " needed (data directory " + UpgradePlanner.bytes(f.dataDirBytes()) + ")")
                    : new Check("disk space", Verdict.BLOCK, "only " + UpgradePlanner.bytes(f.freeBytesAtWorkDir()) + " free at "
                            + r.workDir() + " but " + UpgradePlanner.bytes(need) + " are needed for " + r.method().label
                            + " (data directory " + UpgradePlanner.bytes(f.dataDirBytes()) + "): free space, choose another folder,"
                            + (r.method() == Method.PG_UPGRADE_COPY ? " or use --link / --clone." : " or use pg_upgrade --link.")));
        }
        if (r.sourceDataDir() != null) nfs(checks, "data directory", r.sourceDataDir());
        if (!r.workDir().equals(r.sourceDataDir())) nfs(checks, "work folder", r.workDir());
        toolChecks(checks, r);
        backupCheck(checks, r);
        if (r.migrationScript() != null) {
            boolean ok = java.nio.file.Files.isRegularFile(r.migrationScript());
            checks.add(new Check("migration", ok ? Verdict.PASS : Verdict.BLOCK, ok
                    ? r.migrationScript() + " will run as a deferred job after the upgrade"
                    : "the migration script " + r.migrationScript() + " does not exist"));
        }
        return new Report(plan, List.copyOf(checks), plan == null ? List.of() : dryRun(r, plan, f.installedMajors()));
    }

    private void nfs(List<Check> checks, String what, Path p) {
        Optional<MountTable.Mount> m = mounts.mountOf(p);
        if (m.isPresent() && m.get().network()) {
            checks.add(new Check("file system", Verdict.WARN, "the " + what + " " + p + " is on " + m.get().type() + " (" + m.get().device()
                    + " at " + m.get().mountPoint() + "): the vendor warns against running the database on network storage"));
        } else {
            checks.add(new Check("file system", Verdict.PASS, "the " + what + " " + p + " is on " + m.map(x -> x.type() + " (" + x.mountPoint() + ")")
                    .orElse("a local file system")));
        }
    }

    private void toolChecks(List<Check> checks, Request r) {
        if (r.method().usesPgUpgrade()) {
            Optional<PgTool> up = tools.findAll("pg_upgrade").stream().filter(t -> t.version().major() == r.target().major()).findFirst();
            checks.add(up.map(t -> new Check("tools", Verdict.PASS, "pg_upgrade " + t.version() + " at " + t.path()))
                    .orElseGet(() -> new Check("tools", Verdict.BLOCK, "no pg_upgrade of PostgreSQL " + r.target().majorLabel()
                            + " is installed: install the PostgreSQL " + r.target().majorLabel() + " server package")));
        } else {
            Optional<PgTool> dump = tools.forServer("pg_dump", r.source());
            checks.add(dump.map(t -> new Check("tools", Verdict.PASS, "pg_dump " + t.version() + " at " + t.path() + " can dump " + r.source()))
                    .orElseGet(() -> new Check("tools", Verdict.BLOCK, tools.explainMissing("pg_dump", r.source()))));
            Optional<PgTool> restore = tools.forServer("pg_restore", r.target());
            checks.add(restore.map(t -> new Check("tools", Verdict.PASS, "pg_restore " + t.version() + " at " + t.path() + " can restore into " + r.target().majorLabel()))
                    .orElseGet(() -> new Check("tools", Verdict.BLOCK, tools.explainMissing("pg_restore", r.target()))));
        }
    }

    private void backupCheck(List<Check> checks, Request r) {
        Instant now = clock.instant();
        Optional<BackupHistory.Entry> latest = history.list().stream()
                .filter(e -> e.verified && "succeeded".equals(e.status) && e.startedAt != null)
                .filter(e -> r.database() == null || r.database().equals(e.database))
                .max(Comparator.comparing(e -> e.startedAt));
        long maxHours = r.maxBackupAge().toHours();
        if (latest.isEmpty()) {
            checks.add(new Check("backup", Verdict.BLOCK, "no verified backup" + (r.database() != null ? " of " + r.database() : "")
                    + " in " + history.file() + ": take one first (Backup & Restore, or msyspg-console backup)"));
            return;
        }
        BackupHistory.Entry e = latest.get();
        Duration age = Duration.between(e.startedAt, now);
        String when = e.startedAt + " (" + age.toHours() + " h " + age.toMinutesPart() + " min ago)";
        checks.add(age.compareTo(r.maxBackupAge()) <= 0
                ? new Check("backup", Verdict.PASS, "verified " + e.format + " backup of " + e.database + " at " + when + ": " + e.path)
                : new Check("backup", Verdict.BLOCK, "the newest verified backup of " + e.database + " is from " + when
                        + ", older than " + maxHours + " h: take a new one first"));
    }

    /** The steps and commands in the order they would run, for the dry run. Nothing here is executed. */
    static List<String> dryRun(Request r, Plan plan, List<Integer> installed) {
        List<String> s = new ArrayList<>();
        String src = r.sourceDataDir() == null ? "<old data directory>" : r.sourceDataDir().toString();
        String dst = r.workDir().resolve("data-" + r.target().majorLabel()).toString();
        String newBin = "/usr/lib/postgresql/" + r.target().majorLabel() + "/bin";
        int n = 1;
        s.add(n++ + ". check: a verified backup younger than " + r.maxBackupAge().toHours() + " h, disk space, tools (above)");
        s.add(n++ + ". Momentum: upgrade this database role first; stop the manager, web UI and MTAs' statistics writers");
        if (plan.method().usesPgUpgrade()) {
            for (UpgradePlanner.Hop h : plan.hops()) {
                String bin = "/usr/lib/postgresql/" + h.to().majorLabel() + "/bin";
                // an intermediate cluster goes where the run puts it: <new data dir>.hop<major>
                boolean last = h.to().equals(plan.target());
                String hopDst = last ? dst : UpgradeExecutor.intermediateDataDir(Path.of(dst), h.to().major()).toString();
                String oldData = plan.hops().indexOf(h) == 0 ? src : UpgradeExecutor.intermediateDataDir(Path.of(dst), h.from().major()).toString();
                s.add(n++ + ". " + bin + "/initdb -D " + hopDst + " --encoding=UTF8 (the old cluster's locale and encoding)"
                        + (last ? "" : "; an intermediate cluster on a free port, removed once the next hop succeeded"));
                s.add(n++ + ". pg_ctl -D " + oldData + " -m fast stop");
                String oldBin = h.from().major() >= 10 && installed.contains(h.from().major())
                        ? "/usr/lib/postgresql/" + h.from().majorLabel() + "/bin" : "<bin of " + h.from().majorLabel() + ">";
                s.add(n++ + ". " + bin + "/pg_upgrade -d " + oldData + " -D " + hopDst + " -b " + oldBin + " -B " + bin + " --check");
                s.add(n++ + ". " + bin + "/pg_upgrade -d " + oldData + " -D " + hopDst + " -b " + oldBin + " -B " + bin + " " + plan.method().flag);
            }
            s.add(n++ + ". " + newBin + "/pg_ctl -D " + dst + " start");
        } else {
            int tool = plan.hops().get(0).toolMajor();
            String dumpBin = "/usr/lib/postgresql/" + tool + "/bin";
            String dumpDir = r.workDir().resolve("dump").toString();
            s.add(n++ + ". " + dumpBin + "/pg_dumpall --globals-only -f " + dumpDir + "/globals.sql");
            s.add(n++ + ". " + dumpBin + "/pg_dump -Fc -Z 9 -f " + dumpDir + "/<database>.dump <database>   (each database; SHA-256 beside it, verified)");
            s.add(n++ + ". " + newBin + "/initdb -D " + dst + " --encoding=UTF8 ; " + newBin + "/pg_ctl -D " + dst + " start");
            s.add(n++ + ". " + newBin + "/psql -X -v ON_ERROR_STOP=1 -f " + dumpDir + "/globals.sql postgres");
            s.add(n++ + ". " + newBin + "/pg_restore --create -d postgres " + dumpDir + "/<database>.dump   (each database; errors classed)");
        }
        s.add(n++ + ". deferred (survives the console): vacuumdb --all --analyze-in-stages");
        if (r.migrationScript() != null) s.add(n++ + ". deferred (survives the console): " + r.migrationScript());
        s.add(n + ". report: every step, command, duration and result in the job folder");
        return s;
    }
}
