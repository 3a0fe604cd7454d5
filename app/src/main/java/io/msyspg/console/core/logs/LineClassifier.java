package io.msyspg.console.core.logs;

import java.nio.charset.StandardCharsets;

/**
 * What the index needs from the first bytes of one line: does it start a record (then its severity and time)
 * or continue the previous one (a TAB line, or a DETAIL/HINT/CONTEXT/STATEMENT/QUERY/LOCATION line, English or
 * translated)? No allocation for English severity words. One instance per thread (it keeps its results in fields
 * and its {@link LogTime} day cache is not shared).
 */
final class LineClassifier {
    static final int RECORD = 0;
    static final int TAB = 1;
    static final int DETAIL = 2;
    /** Only from {@link #classify} with {@code truncated}: the head given was too short to decide; give more. */
    static final int NEED_MORE = 3;

    private static final byte[] JSON_SEV = "\"error_severity\":\"".getBytes(StandardCharsets.US_ASCII);

    private final LogFormat format;
    private final LinePrefix prefix;
    private final LogTime times;
    private final boolean prefixTimeVariable;
    /** How many head bytes decide a line when a ":  " is found in them (see {@link #shortHeadOk()}). */
    private final int fixedOffset;

    /** Results of the last {@link #classify}. */
    LogSeverity sev;
    long time;

    LineClassifier(LogFormat format, LinePrefix prefix, LogTime times) {
        this.format = format;
        this.prefix = prefix;
        this.times = times;
        this.prefixTimeVariable = prefix != null && prefix.fixedTimeOffset() < 0
                && (prefix.text().contains("%m") || prefix.text().contains("%t") || prefix.text().contains("%n"));
        this.fixedOffset = prefix == null ? 0 : Math.max(0, prefix.fixedTimeOffset());
        this.fast = format == LogFormat.STDERR && prefix != null && prefix.fixedTimeOffset() >= 0
                && prefix.fixedTimeEscape() != 'n';
    }

    private final boolean fast;

    /** A copy for another thread. */
    LineClassifier forWorker() {
        return new LineClassifier(format, prefix, times.confinedCopy());
    }

    /**
     * True when a short head (see {@link #classify}) can decide: the time is found at a fixed place near the
     * start, or not looked for at all. Otherwise (a variable prefix parsed by regex, jsonlog) the full head is
     * needed.
     */
    boolean shortHeadOk(int headBytes) {
        return format == LogFormat.STDERR && !prefixTimeVariable && fixedOffset + 80 <= headBytes;
    }

    // little-endian packings of the words matched by classifyHead (byte k of the word = bits 8k..8k+7)
    private static long le(String w) {
        long v = 0;
        for (int k = w.length() - 1; k >= 0; k--) v = v << 8 | (w.charAt(k) & 0xFF);
        return v;
    }

    private static final long W_LOG = le("LOG"), W_ERROR = le("ERROR"), W_WARNING = le("WARNING"), W_FATAL = le("FATAL"),
            W_INFO = le("INFO"), W_NOTICE = le("NOTICE"), W_PANIC = le("PANIC"), W_DEBUG = le("DEBUG"),
            W_DETAIL = le("DETAIL"), W_HINT = le("HINT"), W_CONTEXT = le("CONTEXT"), W_QUERY = le("QUERY"),
            W_LOCATION = le("LOCATION"), W_TATEMENT = le("TATEMENT");
    /** ASCII bytes that end a severity word on its left (anything but a letter or digit); non-ASCII is not. */
    private static final boolean[] WORD_EDGE = new boolean[256];
    static {
        for (int c = 0; c < 128; c++) WORD_EDGE[c] = !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }
    private static final long COLONS = 0x3A3A3A3A3A3A3A3AL, LOW7 = 0x7F7F7F7F7F7F7F7FL;
    // ":SS.fff " as read little-endian: ':' at byte 0, '.' at 3, ' ' at 7, digits at 1, 2, 4, 5, 6
    private static final long SEC_SHAPE_MASK = 0xFF00_0000_FF00_00FFL, SEC_SHAPE = 0x2000_0000_2E00_003AL;
    private static final long SEC_DIGITS = 0x00FF_FFFF_00FF_FF00L;

    static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** 0x80 in each byte of v that is zero, 0 elsewhere (exact: no false positives after a zero byte). */
    static long zeroBytes(long v) {
        return ~(((v & LOW7) + LOW7) | v | LOW7);
    }

    /** Kind of the line decided by the last {@link #classifyHead} (RECORD, TAB or DETAIL). */
    int headKind;

    /**
     * The commonest line, decided from its head with eight-byte reads only, before its end is known: a TAB line;
     * or a timestamp in the cached minute at the prefix's fixed place with a 3-digit fraction and the cached zone,
     * then an English severity or detail word ending at the first ":  " (within {@link LogIndexer#HEAD} bytes).
     * Returns -1 when undecided (then find the line's end and use {@link #classifyFast} / {@link #classify});
     * otherwise a position q > s such that [s, q) holds no newline (so the line's end is at or after q), with
     * {@link #headKind}, {@link #sev} and {@link #time} set exactly as {@link #classify} sets them for the whole line.
     * Reads the mapped bytes at {@code addr + s} up to {@code addr + limit} (exclusive) and nothing else: every
     * eight-byte read below starts at or before {@code limit - 8}, every single-byte read between {@code s} and it.
     */
    int classifyHead(long addr, int s, int limit) {
        if (!fast) return -1;
        int lim = limit - 8;
        if (s > lim) return -1;
        long a = NativeMemory.getLong(addr + s);
        if ((a & 0xFF) == '\t') {
            headKind = TAB;
            return s + 1;
        }
        int p = s + fixedOffset;
        // no newline before the timestamp (the timestamp, zone, and word checks below exclude one after it)
        for (int j = s; j < p; j += 8) {
            if (j > lim) return -1;
            long m = zeroBytes(NativeMemory.getLong(addr + j) ^ NEWLINES);
            if (p - j < 8) m &= (1L << (8 * (p - j))) - 1;
            if (m != 0) return -1;
        }
        byte[] z = times.mZone;
        if (z == null || p + 24 > lim) return -1;
        int zl = z.length;
        if (zl > 7) return -1;
        if (NativeMemory.getLong(addr + p) != times.mA || NativeMemory.getLong(addr + p + 8) != times.mB) return -1;
        long w = NativeMemory.getLong(addr + p + 16);
        if ((w & SEC_SHAPE_MASK) != SEC_SHAPE) return -1;
        long d = w & SEC_DIGITS;
        if ((d & 0xF0F0F0F0F0F0F0F0L) != (0x3030303030303030L & SEC_DIGITS)
                || ((d + (0x0606060606060606L & SEC_DIGITS)) & 0xF0F0F0F0F0F0F0F0L) != (0x3030303030303030L & SEC_DIGITS)) return -1;
        long zv = NativeMemory.getLong(addr + p + 24);
        if ((zv & ((1L << (8 * zl)) - 1)) != times.mZoneLong) return -1;
        // the byte after the zone: when the line goes on, not a zone character (a newline there is caught below)
        if (LogTime.isZoneChar((byte) (zv >>> (8 * zl)))) return -1;
        long t = times.mStart + (((w >>> 8) & 0xF) * 10 + ((w >>> 16) & 0xF)) * 1000L
                + ((w >>> 32) & 0xF) * 100 + ((w >>> 40) & 0xF) * 10 + ((w >>> 48) & 0xF);
        // the first ":  " after the seconds, before any newline; a ':' before it must follow an ASCII byte
        int i = p + 19;
        int last = s + LogIndexer.HEAD - 2;
        while (true) {
            long m;
            while (true) {
                if (i > lim || i >= last) return -1;
                long v = NativeMemory.getLong(addr + i);
                m = zeroBytes(v ^ COLONS);
                long nl = zeroBytes(v ^ NEWLINES);
                if (nl != 0 && (m == 0 || Long.numberOfTrailingZeros(nl) < Long.numberOfTrailingZeros(m))) return -1;
                if (m != 0) break;
                i += 8;
            }
            i += Long.numberOfTrailingZeros(m) >>> 3;
            if (i >= last || i > lim) return -1;
            long after = NativeMemory.getLong(addr + i);
            if ((after & 0xFFFF00L) == 0x202000L) break;
            if (NativeMemory.getByte(addr + i - 1) < 0) return -1;
            i++;
        }
        // the word before the colon: i - 8 >= s + 11, so the eight bytes before it are in the line
        int k = kind(NativeMemory.getLong(addr + i - 8), addr, i);
        if (k == 0) return -1;
        time = t;
        if (k < 0) {
            sev = LogSeverity.UNKNOWN;
            headKind = DETAIL;
        } else {
            sev = LogSeverity.ofCode(k);
            headKind = RECORD;
        }
        return i + 3;
    }

    /** What word x (the eight bytes before the colon at i) ends with: a severity code, -1 for a detail word, 0 for other. */
    private static int kind(long x, long addr, int i) {
        // a word of n letters is x >>> 8(8-n); the byte before it, x >>> 8(7-n), must end it
        if (x >>> 40 == W_LOG) return edge(x, 3) ? LogSeverity.LOG.ordinal() : 0;
        long x5 = x >>> 24, x4 = x >>> 32, x6 = x >>> 16, x7 = x >>> 8;
        if (x5 == W_ERROR) return edge(x, 5) ? LogSeverity.ERROR.ordinal() : 0;
        if (x7 == W_WARNING) return edge(x, 7) ? LogSeverity.WARNING.ordinal() : 0;
        if (x5 == W_FATAL) return edge(x, 5) ? LogSeverity.FATAL.ordinal() : 0;
        if (x4 == W_INFO) return edge(x, 4) ? LogSeverity.INFO.ordinal() : 0;
        if (x6 == W_NOTICE) return edge(x, 6) ? LogSeverity.NOTICE.ordinal() : 0;
        if (x5 == W_PANIC) return edge(x, 5) ? LogSeverity.PANIC.ordinal() : 0;
        if ((x6 & 0xFF_FFFF_FFFFL) == W_DEBUG) {
            int dg = (int) (x6 >>> 40) - '1';
            return dg >= 0 && dg <= 4 && edge(x, 6) ? LogSeverity.DEBUG1.ordinal() - dg : 0;
        }
        if (x6 == W_DETAIL || x7 == W_CONTEXT || x5 == W_QUERY || x4 == W_HINT) {
            int n = x6 == W_DETAIL ? 6 : x7 == W_CONTEXT ? 7 : x5 == W_QUERY ? 5 : 4;
            return edge(x, n) ? -1 : 0;
        }
        if (x == W_LOCATION) return WORD_EDGE[NativeMemory.getByte(addr + i - 9) & 0xFF] ? -1 : 0;
        if (x == W_TATEMENT) return NativeMemory.getByte(addr + i - 9) == 'S' && WORD_EDGE[NativeMemory.getByte(addr + i - 10) & 0xFF] ? -1 : 0;
        return 0;
    }

    private static boolean edge(long x, int n) {
        return WORD_EDGE[(int) (x >>> (8 * (7 - n))) & 0xFF];
    }

    /**
     * The common case read straight from a (mapped, little-endian) buffer, without copying: a timestamp at the
     * prefix's fixed place in the minute seen last, then an English severity word before the first ":  ". Returns
     * RECORD or TAB exactly as {@link #classify} would, or NEED_MORE for anything else (then classify a copy).
     */
    int classifyFast(java.nio.ByteBuffer bb, int s, int e) {
        if (!fast) return NEED_MORE;
        int stop = Math.min(e, s + LogIndexer.HEAD);
        if (stop > s && bb.get(stop - 1) == '\r') stop--;
        if (s < stop && bb.get(s) == '\t') return TAB;
        int p = s + fixedOffset;
        if (stop - s <= fixedOffset + 19) return NEED_MORE;
        long t = times.parseCachedMinute(bb, p, stop);
        if (t == LogTime.NONE) return NEED_MORE;
        int i = p + 19;
        int last = stop - 2;            // a ':' must be before this, as in classify
        int lim = bb.limit() - 8;
        while (true) {
            // the next ':' eight bytes at a time (exact zero-byte test of v ^ "::::::::")
            while (i < last) {
                if (i <= lim) {
                    long v = bb.getLong(i) ^ 0x3A3A3A3A3A3A3A3AL;
                    long z = ~(((v & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | v | 0x7F7F7F7F7F7F7F7FL);
                    if (z == 0) { i += 8; continue; }
                    i += Long.numberOfTrailingZeros(z) >>> 3;
                    break;
                }
                if (bb.get(i) == ':') break;
                i++;
            }
            if (i >= last) return NEED_MORE;
            if (bb.get(i - 1) < 0) return NEED_MORE;                   // a non-ASCII word: the general way
            if (bb.get(i + 1) == ' ' && bb.get(i + 2) == ' ') break;
            i++;
        }
        int we = i;
        int ws = we;
        while (ws > s) {
            byte c = bb.get(ws - 1);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ws--;
            else if (c < 0 || c == ' ' && ws == we) return NEED_MORE;   // non-ASCII, or "WORD :  "
            else break;
        }
        int n = we - ws;
        if (n < 3 || n > 7) return NEED_MORE;
        for (int k = 0; k < n; k++) word[k] = bb.get(ws + k);
        LogSeverity x = LogIndexer.severityWord(word, 0, n);
        if (x == null) return NEED_MORE;
        sev = x;
        time = t;
        return RECORD;
    }

    private final byte[] word = new byte[8];

    /**
     * Classifies the line b[s, e) (without its newline; only its first {@link LogIndexer#HEAD} bytes matter). With
     * {@code truncated} the bytes given are a cut head of a longer line: NEED_MORE when they cannot decide.
     */
    int classify(byte[] b, int s, int e, boolean truncated) {
        int stop = Math.min(e, s + LogIndexer.HEAD);
        if (stop > s && b[stop - 1] == '\r' && !truncated) stop--;
        sev = LogSeverity.UNKNOWN;
        time = LogTime.NONE;
        if (format == LogFormat.JSON) {
            if (stop - s > 14 && b[s] == '{' && b[s + 1] == '"' && b[s + 2] == 't') time = times.parse(b, s + 14, stop);
            int k = find(b, JSON_SEV, s, stop);
            if (k >= 0) {
                int ws = k + JSON_SEV.length, we = ws;
                while (we < stop && b[we] != '"') we++;
                LogSeverity x = LogSeverity.parse(new String(b, ws, we - ws, StandardCharsets.UTF_8));
                if (x != null) sev = x;
            }
            return RECORD;
        }
        if (s < stop && b[s] == '\t') return TAB;
        // the severity word: letters before the first ":  "
        int from = s;
        // skip a fixed-place timestamp (its colons are not the severity's)
        if (prefix != null && prefix.fixedTimeOffset() >= 0 && prefix.fixedTimeEscape() != 'n' && stop - s > prefix.fixedTimeOffset() + 19) {
            from = s + prefix.fixedTimeOffset() + 19;
        }
        boolean found = false;
        boolean detail = false;
        while (true) {
            int i = LogIndexer.indexOf(b, (byte) ':', from, stop - 2);
            if (i < 0) break;
            if (b[i + 1] == ' ' && b[i + 2] == ' ') {
                found = true;
                int we = i;
                if (we - 1 > s && b[we - 1] == ' ') we--;            // French: "ASTUCE :  "
                int ws = we;
                while (ws > s && isWordByte(b[ws - 1])) ws--;
                if (ws < we) {
                    LogSeverity x = LogIndexer.severityWord(b, ws, we);
                    if (x != null) sev = x;
                    else {
                        String w = new String(b, ws, we - ws, StandardCharsets.UTF_8);
                        x = LogSeverity.parse(w);
                        if (x != null) sev = x;
                        else if (LogSeverity.isDetailWord(w)) detail = true;
                    }
                }
                break;
            }
            // Russian and Korean write some detail words with one space ("ПОЛОЖЕНИЕ: ", "쿼리:"): non-ASCII only
            if (i > s && b[i - 1] < 0) {
                int ws = i;
                while (ws > s && isWordByte(b[ws - 1])) ws--;
                if (b[ws] < 0 && LogSeverity.isDetailWord(new String(b, ws, i - ws, StandardCharsets.UTF_8))) {
                    found = true;
                    detail = true;
                    break;
                }
            }
            from = i + 1;
        }
        if (!found && truncated) return NEED_MORE;
        if (prefix != null && prefix.fixedTimeOffset() >= 0) {
            int p = s + prefix.fixedTimeOffset();
            if (prefix.fixedTimeEscape() == 'n') {
                int q = p;
                while (q < stop && (b[q] == '.' || (b[q] >= '0' && b[q] <= '9'))) q++;
                if (q > p) time = LogTime.parseEpoch(new String(b, p, q - p, StandardCharsets.ISO_8859_1));
            } else {
                time = times.parse(b, p, stop);
            }
        } else if (prefixTimeVariable) {
            LinePrefix.Parsed x = prefix.parse(new String(b, s, stop - s, StandardCharsets.UTF_8));
            if (x != null) {
                String ts = x.fields().get("time");
                time = ts != null ? times.parse(ts) : x.fields().containsKey("epoch") ? LogTime.parseEpoch(x.fields().get("epoch")) : LogTime.NONE;
            }
        } else if (prefix == null) {
            time = times.parse(b, s, stop);
        }
        return detail ? DETAIL : RECORD;
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c < 0;
    }

    private static int find(byte[] b, byte[] pat, int from, int to) {
        outer:
        for (int i = from; i + pat.length <= to; i++) {
            for (int j = 0; j < pat.length; j++) if (b[i + j] != pat[j]) continue outer;
            return i;
        }
        return -1;
    }
}
