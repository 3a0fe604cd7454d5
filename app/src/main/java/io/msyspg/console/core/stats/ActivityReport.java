package io.msyspg.console.core.stats;

import java.util.List;

/** What the Sessions and Locks tabs show: sessions in blocking-tree order and the server-side lock summary. */
public record ActivityReport(long serverTimeMillis, List<SessionRow> sessions, List<LockRow> locks, boolean lockWaits) {

    /**
     * One backend from pg_stat_activity. {@code blockedBy} is filled only when some session waits on a lock
     * ({@code pg_blocking_pids} is not called otherwise); {@code depth} is the level in the blocking tree
     * (0 = not blocked).
     */
    public record SessionRow(int pid, String user, String database, String application, String client, String state,
                             String waitEventType, String waitEvent, double xactAgeSeconds, double queryAgeSeconds,
                             String backendType, String query, List<Integer> blockedBy, int depth) {
        public boolean waitingOnLock() { return "Lock".equals(waitEventType); }
    }

    /** Locks grouped on the server by mode, type, relation and granted. */
    public record LockRow(String lockType, String mode, String relation, boolean granted, long count) {}
}
