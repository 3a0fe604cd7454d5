package io.msyspg.console.core.logs;

import java.util.ArrayList;
import java.util.List;

/** A real CSV parser for csvlog records: quoted fields, doubled quotes, newlines inside quotes. */
public final class CsvLine {
    private CsvLine() {}

    /** The fields of one record (the record's text, possibly spanning several lines). */
    public static List<String> parse(String s) {
        List<String> out = new ArrayList<>(26);
        StringBuilder f = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        int n = s.length();
        if (n > 0 && s.charAt(n - 1) == '\n') n--;
        if (n > 0 && s.charAt(n - 1) == '\r') n--;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && s.charAt(i + 1) == '"') { f.append('"'); i++; }
                    else quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(f.length() == 0 && !wasQuoted ? null : f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else {
                f.append(c);
            }
        }
        out.add(f.length() == 0 && !wasQuoted ? null : f.toString());
        return out;
    }

    /** csvlog columns in order (PostgreSQL 14+: 26; 13: the first 24; 12: the first 23). */
    public static final List<String> COLUMNS = List.of("time", "user", "database", "pid", "remote", "session_id",
            "line_number", "command_tag", "session_start", "vxid", "xid", "severity", "sqlstate", "message", "detail",
            "hint", "internal_query", "internal_position", "context", "query", "query_position", "location",
            "application", "backend_type", "leader_pid", "query_id");
}
