package io.msyspg.console.core.tools;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as major and minor (10+ numbering; 9.x keeps two-part majors as 90, 92… internally
 * via {@link #major()} returning 9 and {@link #minor()} the second part).
 */
public record PgVersion(int major, int minor, String text) implements Comparable<PgVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
    private static final Pattern TOOL_LINE = Pattern.compile("\\(PostgreSQL\\)\\s+(\\S+)");

    /** Parses "15.18", "17beta1", "9.0.23", "15.18 (Debian 15.18-0+deb12u1)". */
    public static PgVersion parse(String text) {
        Matcher m = VERSION.matcher(text.trim());
        if (!m.lookingAt()) throw new IllegalArgumentException("not a PostgreSQL version: '" + text + "'");
        int a = Integer.parseInt(m.group(1));
        int b = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        // before 10 the major is two numbers (9.6); we keep 9 as major and 6 as minor, which orders correctly
        return new PgVersion(a, b, text.trim().split("\\s+")[0]);
    }

    /** From {@code server_version_num} (150018 → 15.18; 90023 → 9.0). */
    public static PgVersion fromVersionNum(int num) {
        if (num >= 100000) return new PgVersion(num / 10000, num % 10000, (num / 10000) + "." + (num % 10000));
        int major = num / 10000, minor = (num / 100) % 100, patch = num % 100;
        return new PgVersion(major, minor, major + "." + minor + "." + patch);
    }

    /** From a tool's {@code --version} output: "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
    public static PgVersion fromToolOutput(String output) {
        Matcher m = TOOL_LINE.matcher(output);
        if (!m.find()) throw new IllegalArgumentException("no version in: " + output.strip());
        return parse(m.group(1));
    }

    /** The major as people say it: "15", or "9.0" before 10. */
    public String majorLabel() {
        return major >= 10 ? Integer.toString(major) : major + "." + minor;
    }

    @Override public int compareTo(PgVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override public String toString() { return text; }
}
