package io.msyspg.console.core.logs;

import java.util.Map;
import java.util.TreeMap;

/** Records per minute and severity, from the index alone (no text is read). */
public final class LogHistogram {
    private final TreeMap<Long, int[]> minutes = new TreeMap<>();

    public static LogHistogram of(LogIndex ix, IntList only, int from, int to) {
        LogHistogram h = new LogHistogram();
        if (only != null) {
            for (int k = 0; k < only.size(); k++) h.add(ix, only.get(k));
        } else {
            for (int i = from; i < to; i++) h.add(ix, i);
        }
        return h;
    }

    private void add(LogIndex ix, int i) {
        long t = ix.time(i);
        if (t == LogTime.NONE) return;
        long minute = Math.floorDiv(t, 60_000L) * 60_000L;
        minutes.computeIfAbsent(minute, m -> new int[LogSeverity.values().length])[ix.severity(i).ordinal()]++;
    }

    /** Minute start (epoch millis) → counts indexed by {@link LogSeverity#ordinal()}. */
    public Map<Long, int[]> minutes() { return minutes; }
}
