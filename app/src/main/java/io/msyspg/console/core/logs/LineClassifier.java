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
