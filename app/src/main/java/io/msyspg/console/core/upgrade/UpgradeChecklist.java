package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.common.JsonFiles;
import io.msyspg.console.core.settings.SettingsStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Momentum role order as a checklist the admin ticks, item by item, and the report that records it. The
 * database role comes first (ticked before the run); the manager, web UI and MTAs are upgraded afterwards, so
 * those items are ticked on the report page later, and every tick rewrites the report files with its time.
 */
public final class UpgradeChecklist {
    private UpgradeChecklist() {}

    /** Every item of the guide, none ticked. */
    public static List<UpgradeReport.ChecklistTick> fresh() {
        List<UpgradeReport.ChecklistTick> l = new ArrayList<>();
        for (String item : UpgradePlanner.momentumChecklist()) l.add(new UpgradeReport.ChecklistTick(item, false, null));
        return l;
    }

    /** The list with {@code index} ticked (at {@code at}) or unticked. */
    public static List<UpgradeReport.ChecklistTick> tick(List<UpgradeReport.ChecklistTick> list, int index, boolean done, Instant at) {
        List<UpgradeReport.ChecklistTick> l = new ArrayList<>(list);
        l.set(index, new UpgradeReport.ChecklistTick(l.get(index).item(), done, done ? at : null));
        return l;
    }

    /**
     * Records a tick made after the run in the report and rewrites {@code report.json} and {@code report.txt}
     * (each replaced atomically: a crash leaves the old or the new file, never half of one).
     */
    public static void record(UpgradeReport report, int index, boolean done, Instant at) throws IOException {
        if (report.checklist.isEmpty()) report.checklist = fresh();
        report.checklist = tick(report.checklist, index, done, at);
        write(report);
    }

    /** Writes the report's two files where it was written before (nothing when it was never written). */
    public static void write(UpgradeReport report) throws IOException {
        if (report.jsonFile == null) return;
        JsonFiles.writeAtomically(SettingsStore.mapper(), report.jsonFile, report);
        Path text = report.textFile != null ? report.textFile : report.jsonFile.resolveSibling("report.txt");
        Path tmp = text.resolveSibling(text.getFileName() + ".tmp");
        Files.writeString(tmp, UpgradeReports.text(report), StandardCharsets.UTF_8);
        Files.move(tmp, text, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
