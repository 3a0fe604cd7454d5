package io.msyspg.console.core.logs;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The three log destinations PostgreSQL writes to files. */
public enum LogFormat {
    STDERR("stderr"), CSV("csvlog"), JSON("jsonlog");

    private final String destination;

    LogFormat(String destination) {
        this.destination = destination;
    }

    /** The {@code log_destination} word ({@code stderr}, {@code csvlog}, {@code jsonlog}). */
    public String destination() { return destination; }

    /** By file name: {@code .csv} and {@code .json} as PostgreSQL names them, anything else stderr. */
    public static LogFormat ofFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) return CSV;
        if (n.endsWith(".json")) return JSON;
        return STDERR;
    }

    /** By content when the name says nothing: a JSON object, a CSV timestamp, else stderr. */
    public static LogFormat sniff(String name, byte[] head, int len) {
        LogFormat byName = ofFileName(name);
        if (byName != STDERR) return byName;
        String s = new String(head, 0, Math.min(len, 512), StandardCharsets.UTF_8);
        if (s.startsWith("{\"timestamp\":")) return JSON;
        if (s.matches("(?s)^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} [^,]*,.*") && s.lines().findFirst().orElse("").split(",", -1).length >= 20) return CSV;
        return STDERR;
    }

    public static LogFormat ofDestination(String d) {
        for (LogFormat f : values()) if (f.destination.equalsIgnoreCase(d)) return f;
        return null;
    }

    /** Whether a file name belongs to this format's files in a log directory. */
    public boolean accepts(String fileName) {
        return ofFileName(fileName) == this;
    }
}
