package io.msyspg.console.core.server;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code postmaster.pid} and the process table say about a server on this host.
 *
 * @param state       running, stopped (no PID file) or stale (a PID file whose process is gone or is not a postmaster)
 * @param pid         the postmaster's PID (also for a stale file), or 0
 * @param startTime   when the postmaster started, or null
 * @param port        the port it listens on, or null
 * @param pmStatus    the status line of the PID file ({@code ready}, {@code starting}, {@code stopping}, {@code standby}) or null
 */
public record ServerStatus(State state, Path dataDir, long pid, Instant startTime, Integer port, String socketDir,
                           String listenAddress, String pmStatus, Instant checkedAt) {

    public enum State { RUNNING, STOPPED, STALE }

    public boolean running() { return state == State.RUNNING; }

    /** How long the server has been up, or null when it is not running. */
    public Duration uptime() {
        return running() && startTime != null ? Duration.between(startTime, checkedAt) : null;
    }

    /** One line: "running (PID 1234, since …, up 2 d 3 h), port 5432, data /var/db/msyspg". */
    public String describe() {
        return switch (state) {
            case STOPPED -> "not running (no postmaster.pid in " + dataDir + ")";
            case STALE -> "not running (stale postmaster.pid from PID " + pid + ")";
            case RUNNING -> "running (PID " + pid
                    + (startTime != null ? ", started " + startTime + ", up " + formatUptime(uptime()) : "")
                    + (pmStatus != null && !"ready".equals(pmStatus) ? ", " + pmStatus : "")
                    + ")" + (port != null ? ", port " + port : "") + ", data " + dataDir;
        };
    }

    public static String formatUptime(Duration d) {
        if (d == null) return "";
        long s = Math.max(0, d.getSeconds());
        long days = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
        if (days > 0) return days + " d " + h + " h";
        if (h > 0) return h + " h " + m + " min";
        if (m > 0) return m + " min " + s % 60 + " s";
        return s + " s";
    }
}
