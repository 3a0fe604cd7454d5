package io.msyspg.console.core.logs;

import java.time.Instant;
import java.util.Map;

/**
 * One parsed log record: where it is ({@code file}, byte {@code offset}), its severity and time, the prefix or
 * CSV/JSON fields that were present (canonical names: pid, user, database, application, sqlstate, remote,
 * session_id, line_number, command_tag, backend_type, leader_pid, query_id, vxid, xid, detail, hint, context,
 * statement, query, location…), the message with its continuation lines joined by {@code \n}, and the raw
 * text exactly as it is in the file (undecodable bytes shown as U+FFFD).
 */
public record LogRecord(String file, long offset, LogSeverity severity, long epochMillis, String message,
                        Map<String, String> fields, String raw) {

    public Instant time() {
        return epochMillis == LogTime.NONE ? null : Instant.ofEpochMilli(epochMillis);
    }

    public String field(String name) {
        return fields.get(name);
    }

    public Integer pid() {
        String p = fields.get("pid");
        if (p == null) return null;
        try {
            return Integer.valueOf(p.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
