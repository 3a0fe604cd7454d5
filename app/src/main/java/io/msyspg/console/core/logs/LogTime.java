package io.msyspg.console.core.logs;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Timestamps as PostgreSQL writes them in logs ({@code 2026-11-21 10:15:03.123 UTC}, zone abbreviation last),
 * to epoch milliseconds, fast: the day's start is cached per date and zone. {@link #NONE} when absent.
 */
public final class LogTime {
    public static final long NONE = Long.MIN_VALUE;

    private final ZoneId fallbackZone;
    private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
    // one-entry cache: the epoch millis of the last day seen, keyed by (y,m,d,zone)
    private int cY = -1, cM, cD;
    private String cZone;
    private long cDayStart;

    private final boolean confined;

    public LogTime(ZoneId fallbackZone) {
        this(fallbackZone, false);
    }

    private LogTime(ZoneId fallbackZone, boolean confined) {
        this.fallbackZone = fallbackZone == null ? ZoneId.systemDefault() : fallbackZone;
        this.confined = confined;
    }

    /** A parser with the same zone for one thread only (no locking around its day cache): for indexer workers. */
    LogTime confinedCopy() {
        return new LogTime(fallbackZone, true);
    }

    /** A parser for one thread at a time (the index writer): no locking, and a minute cache on top of the day's. */
    static LogTime confined(ZoneId fallbackZone) {
        return new LogTime(fallbackZone, true);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    // confined only: "YYYY-MM-DD HH:MM" of the last timestamp as two longs, its zone bytes, and the minute's start
    long mA, mB;
    byte[] mZone;
    long mStart;

    /** Parses a timestamp at {@code pos} of a byte line; NONE when it is not one. */
    public long parse(byte[] b, int pos, int end) {
        if (confined && mZone != null && end - pos >= 24 && (long) LONGS.get(b, pos) == mA && (long) LONGS.get(b, pos + 8) == mB) {
            long v = sameMinute(b, pos, end);
            if (v != NONE) return v;
        }
        if (end - pos < 19) return NONE;
        int y = d4(b, pos);
        if (y < 0 || b[pos + 4] != '-' || b[pos + 7] != '-' || b[pos + 10] != ' ' || b[pos + 13] != ':' || b[pos + 16] != ':') return NONE;
        int mo = d2(b, pos + 5), d = d2(b, pos + 8), h = d2(b, pos + 11), mi = d2(b, pos + 14), s = d2(b, pos + 17);
        if ((mo | d | h | mi | s) < 0) return NONE;
        int p = pos + 19;
        int ms = 0;
        if (p < end && b[p] == '.') {
            int q = p + 1, digits = 0, frac = 0;
            while (q < end && b[q] >= '0' && b[q] <= '9') {
                if (digits < 3) { frac = frac * 10 + (b[q] - '0'); digits++; }
                q++;
            }
            while (digits < 3 && digits > 0) { frac *= 10; digits++; }
            ms = frac;
            p = q;
        }
        int zs = 0, ze = 0;
        if (p < end && b[p] == ' ') {
            int q = p + 1;
            while (q < end && q - p <= 40 && isZoneChar(b[q])) q++;
            if (q > p + 1) { zs = p + 1; ze = q; }
        }
        if (!confined) return epoch(y, mo, d, b, zs, ze) + h * 3_600_000L + mi * 60_000L + s * 1000L + ms;
        long minute = epoch0(y, mo, d, b, zs, ze) + h * 3_600_000L + mi * 60_000L;
        if (end - pos >= 24 && b[pos + 16] == ':' && b[pos + 19] == '.' && ze > zs) {
            mA = (long) LONGS.get(b, pos);
            mB = (long) LONGS.get(b, pos + 8);
            mZone = java.util.Arrays.copyOfRange(b, zs, ze);
            long zlong = 0;
            for (int i = Math.min(7, mZone.length) - 1; i >= 0; i--) zlong = zlong << 8 | (mZone[i] & 0xFF);
            mZoneLong = zlong;
            mStart = minute;
        }
        return minute + s * 1000L + ms;
    }

    /**
     * The same as {@link #parse(byte[], int, int)} for a timestamp in the cached minute, read from a (mapped)
     * buffer in little-endian order; NONE when it is not in the cached minute (then parse a copy of the bytes).
     */
    long parseCachedMinute(java.nio.ByteBuffer bb, int pos, int end) {
        byte[] z = mZone;
        if (!confined || z == null || end - pos < 24 || bb.getLong(pos) != mA || bb.getLong(pos + 8) != mB) return NONE;
        int zl = z.length;
        if (zl <= 7 && pos + 32 <= bb.limit() && pos + 24 + zl <= end) {
            // ":SS.fff " and the zone as two longs (little-endian: byte k is bits 8k..8k+7)
            long w = bb.getLong(pos + 16);
            if ((w & 0xFF00_0000_FF00_00FFL) != 0x2000_0000_2E00_003AL) return parseCachedMinuteBytes(bb, pos, end);
            int s1 = (int) (w >>> 8 & 0xFF) - '0', s2 = (int) (w >>> 16 & 0xFF) - '0';
            int f1 = (int) (w >>> 32 & 0xFF) - '0', f2 = (int) (w >>> 40 & 0xFF) - '0', f3 = (int) (w >>> 48 & 0xFF) - '0';
            if ((s1 | s2 | f1 | f2 | f3) < 0 || s1 > 9 || s2 > 9 || f1 > 9 || f2 > 9 || f3 > 9) return parseCachedMinuteBytes(bb, pos, end);
            long v = bb.getLong(pos + 24);
            long mask = (1L << (8 * zl)) - 1;
            if ((v & mask) != mZoneLong) return NONE;
            int after = pos + 24 + zl;
            if (after < end && isZoneChar((byte) (v >>> (8 * zl)))) return NONE;
            return mStart + (s1 * 10 + s2) * 1000L + f1 * 100 + f2 * 10 + f3;
        }
        return parseCachedMinuteBytes(bb, pos, end);
    }

    long mZoneLong;

    private long parseCachedMinuteBytes(java.nio.ByteBuffer bb, int pos, int end) {
        byte[] z = mZone;
        if (bb.get(pos + 16) != ':' || bb.get(pos + 19) != '.') return NONE;
        int a = bb.get(pos + 17) - '0', c = bb.get(pos + 18) - '0';
        if (a < 0 || a > 9 || c < 0 || c > 9) return NONE;
        int q = pos + 20, digits = 0, frac = 0;
        while (q < end) {
            int d = bb.get(q) - '0';
            if (d < 0 || d > 9) break;
            if (digits < 3) { frac = frac * 10 + d; digits++; }
            q++;
        }
        if (digits != 3) return NONE;
        if (q + 1 + z.length > end || bb.get(q) != ' ') return NONE;
        for (int i = 0; i < z.length; i++) if (bb.get(q + 1 + i) != z[i]) return NONE;
        int after = q + 1 + z.length;
        if (after < end && after - q <= 40 && isZoneChar(bb.get(after))) return NONE;
        return mStart + (a * 10 + c) * 1000L + frac;
    }

    /** ":SS.fff ZONE" after a cached minute (same zone bytes, then a non-zone byte): the time, else NONE. */
    private long sameMinute(byte[] b, int pos, int end) {
        if (b[pos + 16] != ':' || b[pos + 19] != '.') return NONE;
        int s = d2(b, pos + 17);
        if (s < 0) return NONE;
        int q = pos + 20, digits = 0, frac = 0;
        while (q < end && b[q] >= '0' && b[q] <= '9') {
            if (digits < 3) { frac = frac * 10 + (b[q] - '0'); digits++; }
            q++;
        }
        if (digits != 3) return NONE;
        byte[] z = mZone;
        if (q + 1 + z.length > end || b[q] != ' ') return NONE;
        for (int i = 0; i < z.length; i++) if (b[q + 1 + i] != z[i]) return NONE;
        int after = q + 1 + z.length;
        if (after < end && after - q <= 40 && isZoneChar(b[after])) return NONE;
        return mStart + s * 1000L + frac;
    }

    /** Parses a timestamp string ({@code 2026-11-21 10:15:03.123 UTC}); NONE when it is not one. */
    public long parse(String s) {
        if (s == null) return NONE;
        byte[] b = s.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /** {@code %n}: seconds since the epoch with milliseconds ("1700000000.123"). */
    public static long parseEpoch(String s) {
        try {
            return Math.round(Double.parseDouble(s.trim()) * 1000.0);
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    static boolean isZoneChar(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ':' || c == '/' || c == '_';
    }

    private byte[] cZoneBytes = new byte[0];

    private boolean sameZone(byte[] b, int zs, int ze) {
        byte[] z = cZoneBytes;
        if (ze - zs != z.length) return false;
        for (int i = 0; i < z.length; i++) if (b[zs + i] != z[i]) return false;
        return true;
    }

    private synchronized long epoch(int y, int mo, int d, byte[] b, int zs, int ze) {
        return epoch0(y, mo, d, b, zs, ze);
    }

    private long epoch0(int y, int mo, int d, byte[] b, int zs, int ze) {
        if (y == cY && mo == cM && d == cD && sameZone(b, zs, ze)) return cDayStart;
        String zone = ze > zs ? new String(b, zs, ze - zs, java.nio.charset.StandardCharsets.US_ASCII) : null;
        cZoneBytes = java.util.Arrays.copyOfRange(b, zs, ze);
        long v;
        try {
            v = LocalDate.of(y, mo, d).atStartOfDay(zone(zone)).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            v = LocalDate.of(1970, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        cY = y; cM = mo; cD = d; cZone = zone; cDayStart = v;
        return v;
    }

    ZoneId zone(String abbr) {
        if (abbr == null || abbr.isEmpty()) return fallbackZone;
        return zones.computeIfAbsent(abbr, a -> {
            if (a.equals("UTC") || a.equals("GMT") || a.equals("Z") || a.equals("UCT")) return ZoneOffset.UTC;
            if (a.startsWith("+") || a.startsWith("-")) {
                try {
                    String o = a;
                    if (o.length() == 3) o = o + ":00";
                    return ZoneOffset.of(o);
                } catch (DateTimeException e) {
                    return fallbackZone;
                }
            }
            String mapped = ZoneId.SHORT_IDS.get(a);
            try {
                if (mapped != null) return ZoneId.of(mapped);
                return switch (a) {
                    case "CEST" -> ZoneId.of("Europe/Paris");
                    case "BST" -> ZoneId.of("Europe/London");
                    case "EDT" -> ZoneId.of("America/New_York");
                    case "CDT" -> ZoneId.of("America/Chicago");
                    case "MDT" -> ZoneId.of("America/Denver");
                    case "PDT" -> ZoneId.of("America/Los_Angeles");
                    case "MSK" -> ZoneId.of("Europe/Moscow");
                    case "EEST" -> ZoneId.of("Europe/Helsinki");
                    default -> ZoneId.of(a);
                };
            } catch (DateTimeException e) {
                return fallbackZone;
            }
        });
    }

    private static int d2(byte[] b, int p) {
        int a = b[p] - '0', c = b[p + 1] - '0';
        if (a < 0 || a > 9 || c < 0 || c > 9) return -1;
        return a * 10 + c;
    }

    private static int d4(byte[] b, int p) {
        int x = d2(b, p), z = d2(b, p + 2);
        return x < 0 || z < 0 ? -1 : x * 100 + z;
    }
}
