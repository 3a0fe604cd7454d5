package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a log through rotations ({@code tail -F} done right). Every poll:
 * <ol>
 * <li>re-resolves the current file ({@code current_logfiles} / {@code pg_current_logfile()}, else the newest);</li>
 * <li>lists the files and compares each with what is known: identity (inode, and a hash of the first bytes),
 *     size below the stored offset (truncated: restart at 0), gone (deleted), new;</li>
 * <li>reads every file that grew, oldest modification first and the current file last, each to its end, so an
 *     old file is drained before the switch. A size rotation that appends to an older name (Momentum's
 *     {@code %M} names repeat every hour) makes that file current again: reading continues at its stored
 *     offset.</li>
 * </ol>
 * Only complete lines are indexed; a half-written last line waits for its newline.
 */
public final class LogFollower {
    static final int HEAD = 64;

    private static final class FileState {
        String identity;
        long offset;
        byte[] head = new byte[0];
        long lastSize;

        FileState(String identity, long offset) {
            this.identity = identity;
            this.offset = offset;
        }
    }

    private final LogSource source;
    private final LogDocument doc;
    private final Map<String, FileState> files = new HashMap<>();
    private final Set<String> reportedMissing = new HashSet<>();
    private String current;
    private boolean started;
    private byte[] buf = new byte[1 << 16];
    private String lastProblem;
    private String lastNote;

    public LogFollower(LogSource source, LogDocument doc) {
        this.source = source;
        this.doc = doc;
    }

    public String currentFile() { return current; }

    /** Starts at the beginning of the current file (older files are in the file list, not followed back). */
    public void poll() throws IOException {
        LogFormat format = doc.format();
        String cur;
        List<LogFileInfo> infos;
        try {
            LogSource.Snapshot snap = source.snapshot(format);
            cur = snap.current();
            infos = new ArrayList<>();
            for (LogFileInfo i : snap.files()) if (format.accepts(i.name()) || source instanceof LocalLogSource l && l.isSingleFile()) infos.add(i);
        } catch (ConsoleException e) {
            if (!e.getMessage().equals(lastProblem)) doc.event(e.getMessage());
            lastProblem = e.getMessage();
            return;
        }
        String note = source.note();
        if (note != null && !note.equals(lastNote)) doc.event(note);
        lastNote = note;
        if (lastProblem != null) {
            doc.event("Reading " + source.describe() + " again.");
            lastProblem = null;
        }
        Map<String, LogFileInfo> byName = new HashMap<>();
        for (LogFileInfo i : infos) byName.put(i.name(), i);
        if (!started) {
            started = true;
            for (LogFileInfo i : infos) {
                files.put(i.name(), new FileState(i.identity(), i.name().equals(cur) ? 0 : i.size()));
                files.get(i.name()).lastSize = i.name().equals(cur) ? -1 : i.size();
            }
            if (cur != null) doc.event("Following " + cur + " in " + source.describe() + ".");
            else doc.event("No current " + format.destination() + " log file in " + source.describe() + " yet: waiting for one.");
        } else if (cur != null && !cur.equals(current)) {
            doc.event("Rotation: now following " + cur + (current != null ? " (after " + current + ")" : "") + ".");
        }
        current = cur;
        for (String name : new ArrayList<>(files.keySet())) {
            if (!byName.containsKey(name)) {
                files.remove(name);
                if (reportedMissing.add(name)) doc.event("Log file " + name + " was deleted or renamed.");
            }
        }
        List<LogFileInfo> todo = new ArrayList<>();
        for (LogFileInfo i : infos) {
            FileState st = files.get(i.name());
            if (st == null) {
                st = new FileState(i.identity(), 0);
                files.put(i.name(), st);
                reportedMissing.remove(i.name());
                todo.add(i);
                continue;
            }
            if (i.identity() != null && st.identity != null && !i.identity().equals(st.identity)) {
                doc.event("Log file " + i.name() + " was replaced by a new file: reading it from the start.");
                st.identity = i.identity();
                st.offset = 0;
                st.head = new byte[0];
                todo.add(i);
            } else if (i.size() < st.offset) {
                doc.event("Log file " + i.name() + " was truncated (" + i.size() + " bytes, " + st.offset + " read): reading it from the start.");
                st.offset = 0;
                st.head = new byte[0];
                todo.add(i);
            } else if (i.size() != st.lastSize || i.size() > st.offset) {
                todo.add(i);
            }
        }
        final String c = cur;
        // oldest modification first: the server writes only to the current file, so that is the order the lines
        // were written in, even when the current file was resolved just before a rotation (then "current" is
        // already stale and putting it last would read the new file's lines before the old one's last lines);
        // on equal times (coarse file-system clocks) the current file last
        todo.sort((a, b) -> {
            int t = Long.compare(a.modifiedMillis(), b.modifiedMillis());
            if (t != 0) return t;
            boolean ac = a.name().equals(c), bc = b.name().equals(c);
            if (ac != bc) return ac ? 1 : -1;
            return a.name().compareTo(b.name());
        });
        for (LogFileInfo i : todo) drain(i);
    }

    private void drain(LogFileInfo info) throws IOException {
        FileState st = files.get(info.name());
        st.lastSize = info.size();
        try {
            if (!checkHead(info.name(), st)) return;
        } catch (ConsoleException e) {          // unreadable now (permission denied): say so once, keep following
            if (!e.getMessage().equals(doc.status())) doc.event(e.getMessage());
            return;
        }
        if (st.offset == 0 && info.size() > 0) {
            // a large local file read from its start (opening a log directory): the parallel indexer first
            try {
                long end = doc.bulkIndex(info.name(), info.size(), io.msyspg.console.core.task.JobContext.none());
                if (end > 0) st.offset = end;
            } catch (ConsoleException e) {
                if (!e.getMessage().equals(doc.status())) doc.event(e.getMessage());
                return;
            }
        }
        int have = 0;
        int chunk = source.maxChunk();
        while (true) {
            if (buf.length - have < 65536 && buf.length < chunk) buf = Arrays.copyOf(buf, Math.min(chunk, buf.length * 2));
            int want = Math.min(buf.length - have, chunk);
            int n;
            try {
                n = source.read(info.name(), st.offset + have, buf, have, want);
            } catch (ConsoleException e) {
                if (!e.getMessage().equals(doc.status())) doc.event(e.getMessage());
                return;
            }
            if (n < 0) return;       // deleted between list and read: seen next poll
            have += n;
            if (have > 0) {
                int used = doc.append(info.name(), st.offset, buf, 0, have);
                st.offset += used;
                System.arraycopy(buf, used, buf, 0, have - used);
                have -= used;
            }
            if (n < want || n == 0) break;
            if (have == buf.length && buf.length >= chunk) buf = Arrays.copyOf(buf, buf.length * 2);
        }
    }

    /** Compares the first bytes with those seen before: a different file under the same name restarts at 0. */
    private boolean checkHead(String name, FileState st) throws IOException {
        if (st.head.length >= HEAD && st.offset == 0) return true;
        byte[] h = new byte[HEAD];
        int n = source.read(name, 0, h, 0, HEAD);
        if (n < 0) return false;
        byte[] now = Arrays.copyOf(h, n);
        int common = Math.min(now.length, st.head.length);
        if (!Arrays.equals(now, 0, common, st.head, 0, common) || now.length < st.head.length) {
            doc.event("Log file " + name + " was replaced by a new file: reading it from the start.");
            st.offset = 0;
        }
        st.head = now;
        return true;
    }

    /** Polls until cancelled, every {@code intervalMillis}. */
    public void run(JobContext ctx, long intervalMillis) throws IOException, InterruptedException {
        while (!ctx.isCancelled()) {
            poll();
            Thread.sleep(intervalMillis);
        }
    }
}
