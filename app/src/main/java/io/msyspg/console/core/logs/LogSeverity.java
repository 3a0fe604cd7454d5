package io.msyspg.console.core.logs;

import java.util.Locale;

/** PostgreSQL message severities, in increasing order, plus UNKNOWN for lines no parser recognises. */
public enum LogSeverity {
    UNKNOWN, DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1, LOG, INFO, NOTICE, WARNING, ERROR, FATAL, PANIC;

    private static final LogSeverity[] VALUES = values();

    public static LogSeverity ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }

    /** True for ERROR, FATAL and PANIC: what "jump to next error" stops at. */
    public boolean isError() {
        return this == ERROR || this == FATAL || this == PANIC;
    }

    /** The severity for a word as PostgreSQL writes it ("ERROR", "debug1"), or null when it is not one. */
    public static LogSeverity parse(String word) {
        if (word == null) return null;
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "DEBUG5" -> DEBUG5;
            case "DEBUG4" -> DEBUG4;
            case "DEBUG3" -> DEBUG3;
            case "DEBUG2" -> DEBUG2;
            case "DEBUG1", "DEBUG" -> DEBUG1;
            case "LOG" -> LOG;
            case "INFO" -> INFO;
            case "NOTICE" -> NOTICE;
            case "WARNING" -> WARNING;
            case "ERROR" -> ERROR;
            case "FATAL" -> FATAL;
            case "PANIC" -> PANIC;
            case "UNKNOWN" -> UNKNOWN;
            default -> null;
        };
    }

    /** Parses a user-given level for --min-severity; throws a clear message for anything else. */
    public static LogSeverity parseLevel(String s) {
        LogSeverity v = parse(s == null ? null : s.trim());
        if (v == null) {
            throw new io.msyspg.console.core.common.ConsoleException("Unknown severity '" + s
                    + "': use DEBUG5..DEBUG1, LOG, INFO, NOTICE, WARNING, ERROR, FATAL or PANIC.");
        }
        return v;
    }

    /** The words that introduce a detail line of the previous record in stderr logs. */
    static boolean isDetailWord(String w) {
        return switch (w) {
            case "DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION" -> true;
            default -> false;
        };
    }
}
