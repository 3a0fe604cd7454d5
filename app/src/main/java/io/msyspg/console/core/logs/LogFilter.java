package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the viewer and the CLI keep: severities, a time range, pid, database, user, a regex that must match
 * and one that must not (both on the record's raw text, as grep does). Severity and time are checked on the
 * index alone; the rest reads the record text (sequentially, in large blocks).
 */
public record LogFilter(Set<LogSeverity> severities, long fromMillis, long toMillis, Integer pid, String database,
                        String user, Pattern include, Pattern exclude) {

    public static final LogFilter ALL = new LogFilter(null, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, null, null);

    public static Set<LogSeverity> atLeast(LogSeverity min) {
        EnumSet<LogSeverity> s = EnumSet.noneOf(LogSeverity.class);
        for (LogSeverity v : LogSeverity.values()) if (v.ordinal() >= min.ordinal()) s.add(v);
        if (min != LogSeverity.UNKNOWN) s.add(LogSeverity.UNKNOWN);   // unrecognised lines are never hidden silently
        return s;
    }

    public static Pattern regex(String what, String re) {
        if (re == null || re.isEmpty()) return null;
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new ConsoleException("The " + what + " regular expression is invalid: " + e.getDescription() + " near position " + e.getIndex() + ".");
        }
    }

    public boolean isAll() {
        return severities == null && fromMillis == Long.MIN_VALUE && toMillis == Long.MAX_VALUE && pid == null
                && database == null && user == null && include == null && exclude == null;
    }

    public boolean needsText() { return include != null || exclude != null || needsParse(); }

    boolean needsParse() { return pid != null || database != null || user != null; }

    public boolean matchesIndex(LogIndex ix, int i) {
        if (severities != null && !severities.contains(ix.severity(i))) return false;
        if (fromMillis != Long.MIN_VALUE || toMillis != Long.MAX_VALUE) {
            long t = ix.time(i);
            if (t == LogTime.NONE || t < fromMillis || t > toMillis) return false;
        }
        return true;
    }

    public boolean matchesText(String raw) {
        if (include != null && !include.matcher(raw).find()) return false;
        return exclude == null || !exclude.matcher(raw).find();
    }

    public boolean matchesFields(LogRecord r) {
        if (pid != null && !pid.equals(r.pid())) return false;
        if (database != null && !database.equals(r.field("database"))) return false;
        return user == null || user.equals(r.field("user"));
    }

    /** Record numbers in [from, to) that match, ascending. */
    public IntList run(LogDocument doc, int from, int to, JobContext ctx) throws IOException {
        LogIndex ix = doc.index();
        IntList out = new IntList();
        if (!needsText()) {
            for (int i = from; i < to; i++) {
                if ((i & 0xFFFF) == 0) { ctx.checkCancelled(); ctx.progress(i - from, to - from); }
                if (matchesIndex(ix, i)) out.add(i);
            }
            return out;
        }
        // read the text in blocks of whole records
        byte[] buf = new byte[8 << 20];
        int i = from;
        while (i < to) {
            ctx.checkCancelled();
            ctx.progress(i - from, to - from);
            int seg = ix.segmentOf(i);
            long start = ix.offset(i);
            int j = i;
            while (j < to && ix.segmentOf(j) == seg && ix.end(j) - start <= buf.length) j++;
            if (j == i) {                          // one record larger than the buffer
                if (matchesIndex(ix, i)) {
                    String raw = doc.text(i);
                    if (matchesText(raw) && (!needsParse() || matchesFields(doc.parser().parse(doc.index().segment(seg).file(), start, raw)))) out.add(i);
                }
                i++;
                continue;
            }
            int len = (int) (ix.end(j - 1) - start);
            String file = ix.segment(seg).file();
            int n = doc.source().read(file, start, buf, 0, len);
            for (int k = i; k < j; k++) {
                if (!matchesIndex(ix, k)) continue;
                int a = (int) (ix.offset(k) - start), b = (int) Math.min(n, ix.end(k) - start);
                String raw = n < 0 || a >= b ? "" : new String(buf, a, b - a, StandardCharsets.UTF_8);
                if (!matchesText(raw)) continue;
                if (needsParse() && !matchesFields(doc.parser().parse(file, ix.offset(k), raw))) continue;
                out.add(k);
            }
            i = j;
        }
        return out;
    }
}
