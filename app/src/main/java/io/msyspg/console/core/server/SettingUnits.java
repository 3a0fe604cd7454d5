package io.msyspg.console.core.server;

/** Formats a raw pg_settings value with its unit the way the server's SHOW does ("16384" × 8kB → "128MB"). */
public final class SettingUnits {
    private SettingUnits() {}

    public static String format(String raw, String unit, String vartype) {
        if (raw == null) return "";
        if (unit == null || unit.isBlank() || !("integer".equals(vartype) || "real".equals(vartype))) return raw;
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return raw;
        }
        if (v < 0) return raw;   // -1 and friends mean "disabled"/"default"
        switch (unit) {
            case "B", "kB", "MB", "8kB", "16MB" -> {
                double bytes = v * switch (unit) {
                    case "B" -> 1L;
                    case "kB" -> 1024L;
                    case "8kB" -> 8192L;
                    case "MB" -> 1024L * 1024;
                    default -> 16L * 1024 * 1024;
                };
                String[] units = {"B", "kB", "MB", "GB", "TB"};
                int i = 0;
                while (i < units.length - 1 && bytes >= 1024 && bytes % 1024 == 0) {
                    bytes /= 1024;
                    i++;
                }
                return trim(bytes) + units[i];
            }
            case "ms", "s", "min" -> {
                double ms = v * switch (unit) {
                    case "ms" -> 1L;
                    case "s" -> 1000L;
                    default -> 60_000L;
                };
                if (ms == 0) return "0";
                if (ms % 86_400_000 == 0) return trim(ms / 86_400_000) + "d";
                if (ms % 3_600_000 == 0) return trim(ms / 3_600_000) + "h";
                if (ms % 60_000 == 0) return trim(ms / 60_000) + "min";
                if (ms % 1000 == 0) return trim(ms / 1000) + "s";
                return trim(ms) + "ms";
            }
            default -> {
                return raw + " " + unit;
            }
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Bytes in a human unit (1.5 GB). */
    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] u = {"kB", "MB", "GB", "TB", "PB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, u[i]);
    }
}
