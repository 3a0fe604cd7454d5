package io.msyspg.console.core.upgrade;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The human-readable form of an {@link UpgradeReport} ({@code report.txt}): what the admin keeps and reads. */
public final class UpgradeReports {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").withZone(ZoneId.systemDefault());

    private UpgradeReports() {}

    static String time(Instant i) { return i == null ? "-" : TIME.format(i); }

    static String seconds(long millis) { return String.format(Locale.ROOT, "%.1f s", millis / 1000.0); }

    /** The reports kept under {@code reportsDir} (each {@code <run id>/report.json}), newest first; unreadable ones skipped. */
    public static java.util.List<UpgradeReport> list(java.nio.file.Path reportsDir) {
        java.util.List<UpgradeReport> out = new java.util.ArrayList<>();
        if (!java.nio.file.Files.isDirectory(reportsDir)) return out;
        try (var ds = java.nio.file.Files.newDirectoryStream(reportsDir)) {
            for (java.nio.file.Path d : ds) {
                java.nio.file.Path json = d.resolve("report.json");
                if (!java.nio.file.Files.isRegularFile(json)) continue;
                try {
                    UpgradeReport r = io.msyspg.console.core.settings.SettingsStore.mapper().readValue(json.toFile(), UpgradeReport.class);
                    r.jsonFile = json;
                    r.textFile = d.resolve("report.txt");
                    out.add(r);
                } catch (java.io.IOException e) {
                    // a report being written or damaged: skipped
                }
            }
        } catch (java.io.IOException e) {
            return out;
        }
        out.sort(java.util.Comparator.comparing((UpgradeReport r) -> r.runId == null ? "" : r.runId).reversed());
        return out;
    }

    public static String text(UpgradeReport r) {
        StringBuilder b = new StringBuilder();
        b.append("msyspg-console upgrade report ").append(r.runId).append('\n');
        b.append("=".repeat(72)).append('\n');
        b.append("Result:   ").append(r.result == null ? "RUNNING" : r.result).append(r.message != null ? " — " + r.message : "").append('\n');
        b.append("Started:  ").append(time(r.startedAt)).append('\n');
        b.append("Finished: ").append(time(r.finishedAt)).append('\n');
        b.append("Method:   ").append(r.method).append('\n');
        b.append("Source:   PostgreSQL ").append(r.sourceVersion == null ? "?" : r.sourceVersion);
        if (r.sourceServer != null) b.append(" at ").append(r.sourceServer);
        if (r.sourceLocation != null) b.append(", ").append(r.sourceLocation);
        else b.append(" in ").append(r.oldDataDir);
        b.append('\n');
        b.append("Target:   PostgreSQL ").append(r.targetVersion == null ? "?" : r.targetVersion).append(" in ").append(r.newDataDir)
                .append(" (port ").append(r.newPort).append(")\n");
        if (!r.checklist.isEmpty()) {
            b.append("\nMomentum checklist\n");
            for (UpgradeReport.ChecklistTick t : r.checklist) {
                b.append("  [").append(t.done() ? 'x' : ' ').append("] ").append(t.item());
                if (t.done()) b.append("  (ticked ").append(time(t.at())).append(')');
                b.append('\n');
            }
        }
        if (!r.checks.isEmpty()) {
            b.append("\nPre-flight checks\n");
            for (UpgradeReport.CheckLine c : r.checks) b.append(String.format("  %-5s %-14s %s%n", c.verdict(), c.name(), c.detail()));
        }
        b.append("\nSteps\n");
        int i = 1;
        for (UpgradeReport.Step s : r.steps) {
            b.append(String.format(Locale.ROOT, "  %d. %-28s %-9s %9s  started %s%n", i++, s.name(), s.result(), seconds(s.durationMillis()), time(s.startedAt())));
            if (s.command() != null && !s.command().isBlank()) s.command().lines().forEach(l -> b.append("       $ ").append(l).append('\n'));
            if (s.detail() != null && !s.detail().isBlank()) s.detail().lines().forEach(l -> b.append("       ").append(l).append('\n'));
            if (s.outputTail() != null && !s.outputTail().isBlank() && s.result() != UpgradeReport.Result.OK) {
                b.append("       output (last lines):\n");
                s.outputTail().lines().forEach(l -> b.append("       | ").append(l).append('\n'));
            }
        }
        if (!r.tables.isEmpty()) {
            b.append("\nVerification table by table: ").append(r.tables.size()).append(" tables, ").append(r.mismatchedTables()).append(" mismatched\n");
            b.append(String.format("  %-6s %-50s %12s %12s  %s%n", "", "table", "source rows", "target rows", "md5"));
            for (UpgradeReport.TableCheck t : r.tables) {
                String md5 = t.sourceMd5() == null ? "-" : t.sourceMd5().equals(t.targetMd5()) ? "same " + t.sourceMd5().substring(0, 8) : "DIFFERS";
                b.append(String.format(Locale.ROOT, "  %-6s %-50s %12d %12d  %s%n", t.matches() ? "ok" : "DIFF", t.qualifiedName(), t.sourceRows(), t.targetRows(), md5));
            }
        }
        if (!r.backups.isEmpty()) {
            b.append("\nBackups (backup first)\n");
            r.backups.forEach(x -> b.append("  ").append(x).append('\n'));
        }
        if (!r.scripts.isEmpty()) {
            b.append("\nScripts left by pg_upgrade\n");
            r.scripts.forEach(x -> b.append("  ").append(x).append('\n'));
        }
        if (r.pgUpgradeLogDir != null) b.append("\npg_upgrade logs: ").append(r.pgUpgradeLogDir).append('\n');
        if (r.deferredJobId != null) {
            b.append("\nDeferred job: ").append(r.deferredJobId).append("  (msyspg-console upgrade status ").append(r.deferredJobId)
                    .append(" / upgrade attach ").append(r.deferredJobId).append(")\n");
        }
        if (!r.notes.isEmpty()) {
            b.append("\nNotes\n");
            r.notes.forEach(n -> b.append("  - ").append(n).append('\n'));
        }
        return b.toString();
    }
}
