package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled {@code log_line_prefix}: every escape PostgreSQL documents ({@code %a %u %d %r %h %b %p %P %t %m
 * %n %i %e %c %l %s %v %x %q %Q %%}, with padding such as {@code %-10u}) turned into a regular expression that
 * splits a stderr line into its prefix fields, severity and message. Unknown escapes are literal text, as the
 * server writes them.
 */
public final class LinePrefix {
    /** PostgreSQL's default since 10. */
    public static final String DEFAULT = "%m [%p] ";

    /** Prefixes tried, in order, when none is given and no server tells it. */
    static final List<String> CANDIDATES = List.of(
            "%m [%p] ", "%t [%p] ", "%m [%p] %q%u@%d ", "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
            "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", "%t [%p]: [%l-1] ", "%m [%p]: [%l-1] ",
            "%m %u %d [%p] ", "%t %u %d [%p] ", "< %m >", "%t ", "%m ", "%n [%p] ", "[%p] ");

    record Token(String literal, char escape, int padding, boolean optionalFromHere) {}

    private final String text;
    private final List<Token> tokens;
    private final Pattern pattern;
    private final List<String> groupFields = new ArrayList<>();
    private final int fixedTimeOffset;   // byte offset of a leading %m/%t/%s at a fixed position, -1 when none
    private final char timeEscape;

    private LinePrefix(String text) {
        this.text = text;
        this.tokens = tokenize(text);
        StringBuilder re = new StringBuilder("^");
        int optionalOpen = 0;
        for (Token t : tokens) {
            if (t.optionalFromHere()) {
                re.append("(?:");
                optionalOpen++;
                continue;
            }
            if (t.literal() != null) {
                re.append(Pattern.quote(t.literal()));
                continue;
            }
            String field = field(t.escape());
            String value = valueRegex(t.escape());
            if (field == null) continue;
            groupFields.add(field);
            if (t.padding() != 0) re.append(" *(").append(value).append(") *");
            else re.append('(').append(value).append(')');
        }
        // the severity word then two spaces; (?: ...)? for %q closes before it
        for (int i = 0; i < optionalOpen; i++) re.append(")?");
        re.append("([\\p{L}][\\p{L}\\p{M}\\d]*) ?:  (.*)$");   // " ?": French writes "ASTUCE :  "
        this.pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
        int off = 0;
        int fixed = -1;
        char te = 0;
        for (Token t : tokens) {
            if (t.literal() != null) { off += t.literal().getBytes(StandardCharsets.UTF_8).length; continue; }
            if (t.optionalFromHere()) break;
            if ((t.escape() == 'm' || t.escape() == 't' || t.escape() == 'n') && t.padding() == 0) { fixed = off; te = t.escape(); }
            break;
        }
        this.fixedTimeOffset = fixed;
        this.timeEscape = te;
    }

    public static LinePrefix compile(String logLinePrefix) {
        if (logLinePrefix == null) throw new ConsoleException("No log_line_prefix given.");
        return new LinePrefix(logLinePrefix);
    }

    public String text() { return text; }

    /** Byte offset of a timestamp that starts every line at a fixed place, or -1. */
    public int fixedTimeOffset() { return fixedTimeOffset; }

    /** 'm', 't' or 'n' for {@link #fixedTimeOffset()}. */
    public char fixedTimeEscape() { return timeEscape; }

    /** The prefix fields, severity word and message of one line, or null when the line does not match. */
    public Parsed parse(String line) {
        Matcher m = pattern.matcher(line);
        if (!m.matches()) return null;
        Map<String, String> fields = new LinkedHashMap<>();
        int g = 1;
        for (String f : groupFields) {
            String v = m.group(g++);
            if (v != null) {
                v = v.trim();
                if (!v.isEmpty() && !fields.containsKey(f)) fields.put(f, v);
            }
        }
        return new Parsed(fields, m.group(g), m.group(g + 1));
    }

    public record Parsed(Map<String, String> fields, String severityWord, String message) {}

    static String field(char e) {
        return switch (e) {
            case 'a' -> "application";
            case 'u' -> "user";
            case 'd' -> "database";
            case 'r' -> "remote";
            case 'h' -> "host";
            case 'b' -> "backend_type";
            case 'p' -> "pid";
            case 'P' -> "leader_pid";
            case 't', 'm' -> "time";
            case 'n' -> "epoch";
            case 'i' -> "command_tag";
            case 'e' -> "sqlstate";
            case 'c' -> "session_id";
            case 'l' -> "line_number";
            case 's' -> "session_start";
            case 'v' -> "vxid";
            case 'x' -> "xid";
            case 'Q' -> "query_id";
            default -> null;
        };
    }

    private static final String TS = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";
    private static final String TZ = "(?: [A-Za-z0-9+\\-:/_]+)?";

    private static String valueRegex(char e) {
        return switch (e) {
            case 't', 's' -> TS + TZ;
            case 'm' -> TS + "\\.\\d{3}" + TZ;
            case 'n' -> "\\d+\\.\\d{3}";
            case 'p', 'l', 'x' -> "\\d*";
            case 'P' -> "\\d*";
            case 'Q' -> "-?\\d*";
            case 'e' -> "[0-9A-Z]{5}|";
            case 'c' -> "[0-9a-f]+\\.[0-9a-f]+|";
            case 'v' -> "\\d+/\\d+|";
            default -> ".*?";
        };
    }

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 >= s.length()) { lit.append(c); continue; }
            int j = i + 1;
            int sign = 1;
            if (s.charAt(j) == '-') { sign = -1; j++; }
            int pad = 0;
            while (j < s.length() && Character.isDigit(s.charAt(j))) pad = pad * 10 + (s.charAt(j++) - '0');
            if (j >= s.length()) { lit.append(s, i, s.length()); break; }
            char e = s.charAt(j);
            if (e == '%') { lit.append('%'); i = j; continue; }
            if (e == 'q') {
                flush(lit, out);
                out.add(new Token(null, 'q', 0, true));
                i = j;
                continue;
            }
            if (field(e) == null) {          // unknown escape: the server writes nothing for it
                i = j;
                continue;
            }
            flush(lit, out);
            out.add(new Token(null, e, sign * pad, false));
            i = j;
        }
        flush(lit, out);
        return out;
    }

    private static void flush(StringBuilder lit, List<Token> out) {
        if (lit.length() > 0) {
            out.add(new Token(lit.toString(), (char) 0, 0, false));
            lit.setLength(0);
        }
    }

    /**
     * Picks the prefix among {@link #CANDIDATES} that parses the most of these lines (ties: the first),
     * or {@link #DEFAULT} when none parses any.
     */
    public static LinePrefix guess(List<String> lines) {
        LinePrefix best = null;
        int bestScore = 0;
        for (String c : CANDIDATES) {
            LinePrefix p = compile(c);
            int score = 0;
            for (String l : lines) {
                if (l.isEmpty() || l.charAt(0) == '\t') continue;
                Parsed x = p.parse(l);
                if (x != null && LogSeverity.parse(x.severityWord()) != null || x != null && LogSeverity.isDetailWord(x.severityWord())) {
                    score += 1 + x.fields().size();
                }
            }
            if (score > bestScore) { best = p; bestScore = score; }
        }
        return best != null ? best : compile(DEFAULT);
    }

    @Override public String toString() { return "log_line_prefix '" + text + "'"; }
}
