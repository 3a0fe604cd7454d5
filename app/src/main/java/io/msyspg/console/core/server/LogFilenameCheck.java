package io.msyspg.console.core.server;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finds {@code log_filename} patterns whose names repeat. PostgreSQL expands the pattern with strftime at
 * each rotation; when the new name exists, a size rotation (and a time rotation without
 * {@code log_truncate_on_rotation}) APPENDS to the old file. Momentum's {@code postgresql-%Y-%m-%d-%M.log}
 * has the minute but not the hour: names repeat every hour, so each file mixes 24 hours of a day, and two
 * size rotations within one minute reuse the same name (a file can pass log_rotation_size).
 */
public final class LogFilenameCheck {
    private LogFilenameCheck() {}

    /** Time units, finest first. */
    enum Unit {
        SECOND("second"), MINUTE("minute"), HOUR("hour"), DAY("day"), MONTH("month"), YEAR("year");
        final String label;
        Unit(String label) { this.label = label; }
    }

    /** The units a pattern distinguishes; {@code %s} (epoch) and {@code %c} make every second unique. */
    static Set<Unit> units(String pattern) {
        Set<Unit> u = EnumSet.noneOf(Unit.class);
        for (int i = 0; i < pattern.length() - 1; i++) {
            if (pattern.charAt(i) != '%') continue;
            char c = pattern.charAt(++i);
            if (c == 'E' || c == 'O') {   // modifiers: %Ey, %OH
                if (i + 1 >= pattern.length()) break;
                c = pattern.charAt(++i);
            }
            switch (c) {
                case 's', 'c' -> u.addAll(EnumSet.allOf(Unit.class));
                case 'S' -> u.add(Unit.SECOND);
                case 'M' -> u.add(Unit.MINUTE);
                case 'H', 'k' -> u.add(Unit.HOUR);
                case 'I', 'l' -> { if (pattern.contains("%p") || pattern.contains("%P")) u.add(Unit.HOUR); }
                case 'T' -> u.addAll(EnumSet.of(Unit.HOUR, Unit.MINUTE, Unit.SECOND));
                case 'R' -> u.addAll(EnumSet.of(Unit.HOUR, Unit.MINUTE));
                case 'r' -> u.addAll(EnumSet.of(Unit.HOUR, Unit.MINUTE, Unit.SECOND));
                case 'd', 'e' -> u.add(Unit.DAY);
                case 'j' -> u.addAll(EnumSet.of(Unit.DAY, Unit.MONTH));   // day of year
                case 'm', 'b', 'B', 'h' -> u.add(Unit.MONTH);
                case 'Y', 'y', 'G', 'g' -> u.add(Unit.YEAR);
                case 'F' -> u.addAll(EnumSet.of(Unit.YEAR, Unit.MONTH, Unit.DAY));
                case 'D', 'x' -> u.addAll(EnumSet.of(Unit.YEAR, Unit.MONTH, Unit.DAY));
                default -> { }   // %a/%A (weekday), %U/%W/%V (week) and %% do not make names unique on their own
            }
        }
        return u;
    }

    /** How often names repeat: the first missing unit above the finest one present, or null when they never do. */
    static Unit repeatsEvery(Set<Unit> units) {
        Unit finest = null;
        for (Unit x : Unit.values()) if (units.contains(x)) { finest = x; break; }
        if (finest == null) return null;
        for (Unit x : Unit.values()) {
            if (x.ordinal() > finest.ordinal() && !units.contains(x)) return x;
        }
        return null;
    }

    /**
     * @param rotationSizeKb  log_rotation_size in kB (0: no size rotation)
     * @param rotationAgeMin  log_rotation_age in minutes (0: no time rotation)
     */
    public static List<String> warnings(String pattern, long rotationSizeKb, long rotationAgeMin, boolean truncateOnRotation) {
        List<String> w = new ArrayList<>();
        if (pattern == null || pattern.isBlank()) return w;
        Set<Unit> u = units(pattern);
        if (u.isEmpty() && pattern.matches(".*%[aAuw].*")) {
            if (!truncateOnRotation) {
                w.add("log_filename '" + pattern + "' names files by weekday: without log_truncate_on_rotation each file "
                        + "collects every week's logs of that day (appended), and never shrinks.");
            }
            return w;
        }
        if (u.isEmpty()) {
            w.add("log_filename '" + pattern + "' has no time escape: every rotation writes to the same file name, "
                    + "so rotation never starts a new file (add %Y-%m-%d_%H%M%S).");
            return w;
        }
        Unit repeat = repeatsEvery(u);
        if (repeat != null) {
            Unit finest = null;
            for (Unit x : Unit.values()) if (u.contains(x)) { finest = x; break; }
            String missing = switch (repeat) {
                case MINUTE -> "%M"; case HOUR -> "%H"; case DAY -> "%d"; case MONTH -> "%m"; case YEAR -> "%Y"; default -> "%S";
            };
            String what = truncateOnRotation
                    ? "a time-based rotation onto an existing name truncates it (older logs are lost), and a size rotation appends to it"
                    : "a rotation onto an existing name appends to the older file, mixing logs of different " + repeat.label + "s";
            w.add("log_filename '" + pattern + "' repeats every " + repeat.label + " (it has the " + finest.label
                    + " but no " + missing + "): " + what + ". Use postgresql-%Y-%m-%d_%H%M%S.log for unique names.");
        }
        if (rotationSizeKb > 0 && !u.contains(Unit.SECOND)) {
            Unit finest = null;
            for (Unit x : Unit.values()) if (u.contains(x)) { finest = x; break; }
            w.add("log_rotation_size is set but log_filename '" + pattern + "' has no seconds (%S): two size rotations within one "
                    + finest.label + " get the same name, so the file keeps growing past log_rotation_size.");
        }
        return w;
    }
}
