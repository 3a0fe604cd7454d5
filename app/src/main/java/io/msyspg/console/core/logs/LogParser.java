package io.msyspg.console.core.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text of one record (as {@link LogIndex} delimits it) of any format into a {@link LogRecord}.
 * Never throws on bad input: what cannot be parsed becomes an UNKNOWN record with the raw text as message.
 */
public final class LogParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogFormat format;
    private final LinePrefix prefix;
    private final LogTime times;

    public LogParser(LogFormat format, LinePrefix prefix, ZoneId zone) {
        this.format = format;
        this.prefix = prefix == null ? LinePrefix.compile(LinePrefix.DEFAULT) : prefix;
        this.times = new LogTime(zone);
    }

    public LogFormat format() { return format; }

    public LinePrefix prefix() { return prefix; }

    public LogTime times() { return times; }

    public LogRecord parse(String file, long offset, String raw) {
        return switch (format) {
            case STDERR -> parseStderr(file, offset, raw);
            case CSV -> parseCsv(file, offset, raw);
            case JSON -> parseJson(file, offset, raw);
        };
    }

    private static String stripEol(String s) {
        int n = s.length();
        while (n > 0 && (s.charAt(n - 1) == '\n' || s.charAt(n - 1) == '\r')) n--;
        return s.substring(0, n);
    }

    LogRecord parseStderr(String file, long offset, String raw) {
        String body = stripEol(raw);
        String[] lines = body.split("\r?\n", -1);
        Map<String, String> fields = new LinkedHashMap<>();
        LogSeverity sev = LogSeverity.UNKNOWN;
        long time = LogTime.NONE;
        StringBuilder message = new StringBuilder();
        StringBuilder target = message;
        String targetField = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i > 0 && line.startsWith("\t")) {
                target.append('\n').append(line, 1, line.length());
                continue;
            }
            LinePrefix.Parsed p = prefix.parse(line);
            if (i == 0) {
                if (p != null && LogSeverity.parse(p.severityWord()) != null) {
                    fields.putAll(p.fields());
                    sev = LogSeverity.parse(p.severityWord());
                    if (!sev.isEnglishWord(p.severityWord())) fields.put("severity_word", p.severityWord());   // translated: kept as written
                    message.append(p.message());
                } else if (p != null && !LogSeverity.isDetailWord(p.severityWord())) {
                    fields.putAll(p.fields());          // a translated severity word: keep it visible
                    fields.put("severity_word", p.severityWord());
                    message.append(p.message());
                } else {
                    message.append(line);
                }
                continue;
            }
            if (targetField != null) fields.put(targetField, target.toString());
            if (p != null && LogSeverity.isDetailWord(p.severityWord())) {
                targetField = LogSeverity.detailField(p.severityWord());
                target = new StringBuilder(p.message());
            } else {
                targetField = null;
                target = message;
                target.append('\n').append(line);
            }
        }
        if (targetField != null) fields.put(targetField, target.toString());
        String t = fields.get("time");
        if (t != null) time = times.parse(t);
        else if (fields.containsKey("epoch")) time = LogTime.parseEpoch(fields.get("epoch"));
        if (time == LogTime.NONE && !lines[0].isEmpty()) {
            byte[] b = lines[0].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            time = times.parse(b, 0, b.length);
        }
        return new LogRecord(file, offset, sev, time, message.toString(), fields, raw);
    }

    LogRecord parseCsv(String file, long offset, String raw) {
        List<String> cols = CsvLine.parse(raw);
        Map<String, String> fields = new LinkedHashMap<>();
        if (cols.size() < 14) {
            return new LogRecord(file, offset, LogSeverity.UNKNOWN, LogTime.NONE, stripEol(raw),
                    Map.of("problem", "not a csvlog record (" + cols.size() + " columns, expected 23-26)"), raw);
        }
        for (int i = 0; i < cols.size() && i < CsvLine.COLUMNS.size(); i++) {
            String v = cols.get(i);
            if (v != null && !v.isEmpty()) fields.put(CsvLine.COLUMNS.get(i), v);
        }
        LogSeverity sev = LogSeverity.parse(fields.get("severity"));
        String msg = fields.getOrDefault("message", "");
        fields.remove("message");
        String word = fields.remove("severity");
        if (word != null && (sev == null || !sev.isEnglishWord(word))) fields.put("severity_word", word);
        return new LogRecord(file, offset, sev == null ? LogSeverity.UNKNOWN : sev, times.parse(fields.get("time")), msg, fields, raw);
    }

    private static final Map<String, String> JSON_NAMES = Map.ofEntries(
            Map.entry("timestamp", "time"), Map.entry("dbname", "database"), Map.entry("remote_host", "host"),
            Map.entry("line_num", "line_number"), Map.entry("ps", "command_tag"), Map.entry("txid", "xid"),
            Map.entry("state_code", "sqlstate"), Map.entry("application_name", "application"),
            Map.entry("statement", "query"), Map.entry("cursor_position", "query_position"),
            Map.entry("internal_position", "internal_position"));

    LogRecord parseJson(String file, long offset, String raw) {
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode n;
        try {
            n = JSON.readTree(raw);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            return new LogRecord(file, offset, LogSeverity.UNKNOWN, LogTime.NONE, stripEol(raw),
                    Map.of("problem", "not a jsonlog object"), raw);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = JSON_NAMES.getOrDefault(e.getKey(), e.getKey());
            fields.put(k, e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
        }
        String word = fields.remove("error_severity");
        LogSeverity sev = LogSeverity.parse(word);
        if (word != null && (sev == null || !sev.isEnglishWord(word))) fields.put("severity_word", word);
        String msg = fields.remove("message");
        return new LogRecord(file, offset, sev == null ? LogSeverity.UNKNOWN : sev, times.parse(fields.get("time")),
                msg == null ? "" : msg, fields, raw);
    }
}
