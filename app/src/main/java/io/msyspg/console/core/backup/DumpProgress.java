package io.msyspg.console.core.backup;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns pg_dump's {@code -v} lines and the bytes written so far into a fraction done and an ETA. The plan is the
 * tables from the catalog weighted by size; a table counts as done when the next one starts (serial dumps) or
 * when pg_dump says "finished item … TABLE DATA" (parallel dumps). The table in progress is credited from the
 * bytes written since it started (serial) or from the throughput seen so far (parallel), never fully.
 */
public final class DumpProgress {
    private static final Pattern DUMPING = Pattern.compile("dumping contents of table \"(.*)\"\\s*$");
    private static final Pattern FINISHED = Pattern.compile("finished item \\d+ TABLE DATA (.*)$");

    private final Map<String, PlannedTable> byName = new LinkedHashMap<>();
    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Long> startBytes = new HashMap<>();
    private final Map<String, Boolean> finished = new HashMap<>();
    private final long totalWeight;
    private final long catalogWeight;
    private final boolean parallel;
    private final double initialBytesPerWeight;
    private final long startNanos;
    private boolean catalogDone;
    private String current;
    private long finishedWeight;
    private long finishedBytesMark;
    private long busyNanosFinished;
    private long lastBytes;
    private int tablesDone;
    private final Map<String, Long> copiedRows = new HashMap<>();

    public DumpProgress(List<PlannedTable> tables, boolean parallel, boolean compressed, long startNanos) {
        long sum = 0;
        for (PlannedTable t : tables) {
            byName.put(t.qualified(), t);
            sum += t.weight();
        }
        // reading the catalog before any data: a share that grows slowly with the number of tables
        this.catalogWeight = Math.max(256 * 1024, Math.min(sum / 20, 64L * 1024 * 1024)) + tables.size() * 4096L;
        this.totalWeight = sum + catalogWeight;
        this.parallel = parallel;
        this.initialBytesPerWeight = compressed ? 0.35 : 1.0;
        this.startNanos = startNanos;
    }

    public int plannedTables() { return byName.size(); }

    public int tablesDone() { return tablesDone; }

    public String currentTable() { return current; }

    /** Feeds one stderr line of pg_dump; returns true when it changed the estimate. */
    public synchronized boolean line(String line, long nanos) {
        Matcher m = DUMPING.matcher(line);
        if (m.find()) {
            catalogDone = true;
            String name = m.group(1);
            if (!parallel && current != null) finish(current, nanos);
            current = name;
            startedAt.put(name, nanos);
            startBytes.put(name, lastBytes);
            return true;
        }
        m = FINISHED.matcher(line);
        if (m.find() && parallel) {
            String rel = m.group(1).trim();
            // the line names the table without its schema: take the first started, unfinished table of that name
            for (String q : startedAt.keySet()) {
                if (!finished.containsKey(q) && (q.endsWith("." + rel) || q.equals(rel))) {
                    finish(q, nanos);
                    return true;
                }
            }
            return false;
        }
        if (line.contains("saving database definition")) {
            catalogDone = true;
            return true;
        }
        return false;
    }

    private void finish(String name, long nanos) {
        if (finished.put(name, true) != null) return;
        PlannedTable t = byName.get(name);
        long w = t != null ? t.weight() : 0;
        finishedWeight += w;
        tablesDone++;
        Long s = startedAt.get(name);
        if (s != null) busyNanosFinished += nanos - s;
        if (!parallel) finishedBytesMark = lastBytes;
    }

    /**
     * Rows copied so far per table being dumped, from the server's {@code pg_stat_progress_copy} (14+): the most
     * exact measure of a table in progress, independent of compression.
     */
    public synchronized void copied(Map<String, Long> rowsByTable) {
        copiedRows.clear();
        copiedRows.putAll(rowsByTable);
    }

    /** Records the bytes written so far (file size or directory total). */
    public synchronized void bytes(long written) { lastBytes = written; }

    public synchronized long bytesWritten() { return lastBytes; }

    /** The fraction done in [0, 0.99] until {@link #complete()}. */
    public synchronized double fraction(long nanos) {
        double done = catalogDone ? catalogWeight : catalogWeight * Math.min(0.9, (nanos - startNanos) / 2e9 / 10);
        done += finishedWeight;
        for (Map.Entry<String, Long> e : startedAt.entrySet()) {
            String name = e.getKey();
            if (finished.containsKey(name)) continue;
            PlannedTable t = byName.get(name);
            if (t == null) continue;
            double credit;
            Long rows = copiedRows.get(name);
            if (rows != null && t.rows() > 0) {
                credit = t.weight() * Math.min(1.0, rows / t.rows());
            } else if (!parallel) {
                double bytesPerWeight = finishedWeight > 0 && finishedBytesMark > 0
                        ? (double) finishedBytesMark / Math.max(1, finishedWeight + catalogWeight) : initialBytesPerWeight;
                credit = (lastBytes - startBytes.getOrDefault(name, 0L)) / Math.max(1e-6, bytesPerWeight);
            } else {
                double weightPerNano = busyNanosFinished > 0 ? finishedWeight / (double) busyNanosFinished : 0;
                credit = weightPerNano * (nanos - e.getValue());
            }
            done += Math.max(0, Math.min(0.95 * t.weight(), credit));
        }
        return Math.min(0.99, done / totalWeight);
    }

    /** Seconds left from the fraction and the time spent; -1 while too early to say. */
    public synchronized long etaSeconds(long nanos) {
        double f = fraction(nanos);
        double elapsed = (nanos - startNanos) / 1e9;
        if (f < 0.02 || elapsed < 1) return -1;
        return Math.round(elapsed * (1 - f) / f);
    }

    public static String formatEta(long seconds) {
        if (seconds < 0) return "estimating…";
        if (seconds < 60) return seconds + " s left";
        if (seconds < 3600) return (seconds / 60) + " min " + (seconds % 60) + " s left";
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min left";
    }
}
