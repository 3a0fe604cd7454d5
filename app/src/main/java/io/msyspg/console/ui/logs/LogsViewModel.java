package io.msyspg.console.ui.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.LocalServer;
import io.msyspg.console.core.logs.IntList;
import io.msyspg.console.core.logs.LocalLogSource;
import io.msyspg.console.core.logs.LogDocument;
import io.msyspg.console.core.logs.LogFileInfo;
import io.msyspg.console.core.logs.LogFilter;
import io.msyspg.console.core.logs.LogFollower;
import io.msyspg.console.core.logs.LogHistogram;
import io.msyspg.console.core.logs.LogIndex;
import io.msyspg.console.core.logs.LogOpener;
import io.msyspg.console.core.logs.LogSource;
import io.msyspg.console.core.logs.LogTime;
import io.msyspg.console.core.logs.LogsSettings;
import io.msyspg.console.core.logs.RemoteLogSource;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The log viewer's state (FX thread): the open {@link LogDocument}, the follow task, the filter and its matches,
 * the file list, the histogram, and a bounded cache of record texts that cells read. Every file or SQL read
 * runs in a task of {@code ctx.tasks()}; the FX thread only reads the in-memory index.
 */
public final class LogsViewModel {
    private static final int TEXT_CACHE = 4000;

    private final AppContext ctx;
    final VirtualRecordList items = new VirtualRecordList();
    final ObservableList<LogFileInfo> files = FXCollections.observableArrayList();
    final StringProperty status = new SimpleStringProperty("");
    final StringProperty source = new SimpleStringProperty("");
    final StringProperty counts = new SimpleStringProperty("");
    final BooleanProperty following = new SimpleBooleanProperty();
    final BooleanProperty followable = new SimpleBooleanProperty();
    final BooleanProperty problem = new SimpleBooleanProperty();
    final ObjectProperty<LogHistogram> histogram = new SimpleObjectProperty<>();
    /** The connected server's data directory when it is on this host (the view opens its log when shown), or null. */
    final StringProperty suggestedPath = new SimpleStringProperty();
    /** Bumped when cached texts arrive: the view refreshes its cells. */
    final ObjectProperty<Object> textsArrived = new SimpleObjectProperty<>();

    private LogSource src;
    private LogDocument doc;
    private LogFollower follower;
    private BackgroundTask<?> followTask;
    private BackgroundTask<?> filterTask;
    private BackgroundTask<?> fetchTask;
    private LogFilter filter = LogFilter.ALL;
    private int filteredUpTo;
    private int generation;
    private long lastHistogramSize = -1;
    private long lastHistogramAt;
    private final Map<Integer, Cached> texts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, Cached> e) { return size() > TEXT_CACHE; }
    };
    private final Set<Integer> wanted = new HashSet<>();
    private final Timeline tick;

    private record Cached(long end, String text) {}

    LogsViewModel(AppContext ctx) {
        this.ctx = ctx;
        this.tick = new Timeline(new KeyFrame(Duration.millis(100), e -> onTick()));
        tick.setCycleCount(Timeline.INDEFINITE);
        following.addListener((o, a, on) -> {
            if (on) startFollowing();
            else stopFollowing();
        });
    }

    LogDocument document() { return doc; }

    /** Nothing was opened (or tried) in this view yet. */
    boolean nothingOpened() { return generation == 0; }

    LogsSettings settings() { return ctx.settings().get(LogsSettings.class); }

    // ---- opening

    /** A log directory, a data directory or one file on this machine. */
    void openLocal(Path path, String prefix) {
        LogsSettings s = settings();
        s.lastPath = path.toString();
        s.prefix = prefix == null ? "" : prefix;
        ctx.settings().put(s);
        open("Opening " + path, () -> LocalLogSource.open(path), null, prefix);
    }

    /**
     * Looks for the data directory of {@code session}'s server on this host — the profile's, else the server's own
     * {@code data_directory} — in the background, for {@link #suggestedPath}.
     */
    void suggestLocal(DbSession session, String profileDataDir) {
        suggestedPath.set(null);
        ctx.tasks().task("Looking for the server's log on this host",
                        job -> LocalServer.dataDirectory(session, profileDataDir).map(Path::toString).orElse(null))
                .onSuccess(p -> {
                    if (ctx.session().current() == session) suggestedPath.set(p);
                })
                .onFailure(e -> { })     // only a suggestion: nothing to report (the task executor logs it)
                .start();
    }

    /** The server's log over SQL, through the current session. */
    void openRemote(DbSession session, String prefix) {
        open("Opening the server log of " + session.target().display(), () -> RemoteLogSource.open(session), null, prefix);
    }

    /** An older file of the open source (no following). */
    void openFile(String name, String prefix) {
        LogSource s = src;
        if (s == null) return;
        open("Opening " + name, () -> s, name, prefix);
    }

    interface SourceFactory { LogSource create() throws Exception; }

    private record Opened(LogSource src, LogDocument doc, LogFollower follower, List<LogFileInfo> files, String prefixNote) {}

    private void open(String title, SourceFactory factory, String file, String prefix) {
        stopFollowing();
        int gen = ++generation;
        boolean follow = file == null && settings().follow;
        ctx.tasks().task(title, job -> {
            LogSource s = factory.create();
            List<LogFileInfo> list = new ArrayList<>();
            try {
                list.addAll(s.list());
            } catch (ConsoleException e) {
                if (file != null || !(s instanceof LocalLogSource l && l.isSingleFile())) throw e;
            }
            LogOpener.Choice c = LogOpener.choose(s, file, null, prefix == null || prefix.isBlank() ? null : prefix);
            LogDocument d = new LogDocument(s, c.format(), c.prefix());
            LogFollower f = null;
            if (file == null) {
                f = new LogFollower(s, d);
                f.poll();                      // indexes the current file
            } else {
                d.load(c.file(), job);
            }
            String note = c.prefix() == null ? c.format().destination()
                    : "log_line_prefix '" + c.prefix().text() + "' (" + c.prefixOrigin() + ")";
            return new Opened(s, d, f, list, note);
        }).inTaskPanel().onSuccess(o -> {
            if (gen != generation) return;
            installed(o, follow);
        }).onFailure(ex -> {
            if (gen != generation) return;
            problem(ConsoleException.userMessage(ex));
        }).start();
    }

    private void installed(Opened o, boolean follow) {
        if (src != null && src != o.src) src.close();
        src = o.src;
        doc = o.doc;
        follower = o.follower;
        synchronized (texts) { texts.clear(); }
        source.set(src.describe() + "  ·  " + o.prefixNote);
        files.setAll(o.files.stream().sorted(Comparator.comparingLong(LogFileInfo::modifiedMillis).reversed()).toList());
        doc.onEvent(m -> Platform.runLater(() -> {
            if (doc == o.doc) status(m);
        }));
        problem.set(false);
        status.set(doc.status().isEmpty() ? "Opened " + src.describe() : doc.status());
        followable.set(follower != null);
        items.reset(filter.isAll() ? null : new IntList(), filter.isAll() ? doc.index().size() : 0);
        filteredUpTo = 0;
        if (!filter.isAll()) runFilter(); else filteredUpTo = doc.index().size();
        lastHistogramSize = -1;
        updateCounts();
        if (follower != null && follow) {
            if (following.get()) startFollowing(); else following.set(true);
        } else {
            following.set(false);
        }
        tick.play();
    }

    private void status(String m) {
        status.set(m);
        String l = m.toLowerCase();
        problem.set(l.contains("may not") || l.contains("cannot") || l.contains("does not exist") || l.contains("permission denied"));
    }

    private void problem(String m) {
        status.set(m);
        problem.set(true);
    }

    // ---- following

    private void startFollowing() {
        if (follower == null || followTask != null) return;
        LogFollower f = follower;
        followTask = ctx.tasks().task("Following " + src.describe(), job -> {
            f.run(job, 100);
            return null;
        }).onFailure(ex -> {
            followTask = null;
            problem(ConsoleException.userMessage(ex));
            following.set(false);
        }).onCancelled(() -> followTask = null).onSuccess(v -> followTask = null).start();
    }

    private void stopFollowing() {
        if (followTask != null) {
            followTask.cancel(true);
            followTask = null;
        }
    }

    private void onTick() {
        if (doc == null) return;
        int n = doc.index().size();
        if (!items.filtered()) {
            items.grow(n);
            filteredUpTo = n;
        } else if (n > filteredUpTo && filterTask == null) {
            runFilterFrom(filteredUpTo, n, items.matches());
        }
        long now = System.currentTimeMillis();
        if (n != lastHistogramSize && now - lastHistogramAt > 2000) refreshHistogram();
        updateCounts();
    }

    private void updateCounts() {
        if (doc == null) return;
        int n = doc.index().size();
        counts.set(items.filtered() ? String.format("%,d of %,d records", items.size(), n) : String.format("%,d records", n));
    }

    // ---- filtering

    void applyFilter(LogFilter f) {
        filter = f;
        if (doc == null) return;
        if (filterTask != null) { filterTask.cancel(true); filterTask = null; }
        if (f.isAll()) {
            items.reset(null, doc.index().size());
            filteredUpTo = doc.index().size();
            lastHistogramSize = -1;
            refreshHistogram();
            updateCounts();
            return;
        }
        runFilter();
    }

    private void runFilter() {
        IntList fresh = new IntList();
        items.reset(fresh, 0);
        filteredUpTo = 0;
        runFilterFrom(0, doc.index().size(), fresh);
    }

    private void runFilterFrom(int from, int to, IntList into) {
        LogFilter f = filter;
        LogDocument d = doc;
        int gen = generation;
        filterTask = ctx.tasks().task("Filtering " + String.format("%,d", to - from) + " records", job -> f.run(d, from, to, job))
                .onSuccess(m -> {
                    filterTask = null;
                    if (gen != generation || f != filter || items.matches() != into) return;
                    for (int k = 0; k < m.size(); k++) into.add(m.get(k));
                    items.grow(into.size());
                    filteredUpTo = to;
                    lastHistogramSize = -1;
                    updateCounts();
                })
                .onFailure(ex -> {
                    filterTask = null;
                    problem(ConsoleException.userMessage(ex));
                })
                .onCancelled(() -> filterTask = null)
                .start();
    }

    private void refreshHistogram() {
        if (doc == null) return;
        LogIndex ix = doc.index();
        int n = ix.size();
        lastHistogramSize = n;
        lastHistogramAt = System.currentTimeMillis();
        IntList only = null;
        if (items.filtered()) {
            only = new IntList(items.size());
            for (int k = 0; k < items.size(); k++) only.add(items.get(k));
        }
        IntList o = only;
        ctx.tasks().task("Severity histogram", job -> LogHistogram.of(ix, o, 0, n)).onSuccess(histogram::set)
                .onFailure(ex -> { /* the histogram is optional; the list stays usable */ }).start();
    }

    // ---- record texts for cells

    /** The cached text of record {@code rec}, or null (then it is fetched in the background). */
    String textOf(int rec) {
        if (doc == null || rec >= doc.index().size()) return null;
        long end = doc.index().end(rec);
        Cached c;
        synchronized (texts) { c = texts.get(rec); }
        if (c != null && c.end == end) return c.text;
        wanted.add(rec);
        if (fetchTask == null) Platform.runLater(this::fetch);
        return c == null ? null : c.text;
    }

    private void fetch() {
        if (closed || fetchTask != null || wanted.isEmpty() || doc == null) return;
        List<Integer> batch = new ArrayList<>(wanted);
        wanted.clear();
        LogDocument d = doc;
        fetchTask = ctx.tasks().task("Reading log records", job -> {
            Map<Integer, Long> ends = new LinkedHashMap<>();
            for (int rec : batch) ends.put(rec, d.index().end(rec));
            Map<Integer, Cached> got = new LinkedHashMap<>();
            d.texts(batch, LogDocument.DISPLAY_LIMIT).forEach((rec, t) -> got.put(rec, new Cached(ends.get(rec), t)));
            return got;
        }).onSuccess(got -> {
            fetchTask = null;
            if (d != doc) return;
            synchronized (texts) { texts.putAll(got); }
            textsArrived.set(new Object());
            if (!wanted.isEmpty()) fetch();
        }).onFailure(ex -> {
            fetchTask = null;
            problem(ConsoleException.userMessage(ex));
        }).onCancelled(() -> fetchTask = null).start();
    }

    // ---- navigation, copy, export

    /** The next (dir 1) or previous (dir -1) list position after {@code pos} whose record is ERROR or worse; -1 when none. */
    int findError(int pos, int dir) {
        if (doc == null) return -1;
        LogIndex ix = doc.index();
        for (int k = pos + dir; k >= 0 && k < items.size(); k += dir) {
            if (ix.severity(items.get(k)).isError()) return k;
        }
        return -1;
    }

    /**
     * The position of the first listed record logged at or after {@code time}, or -1: a binary search over the list
     * (records are in the log's order; one without a time takes the next one's).
     */
    int findTime(long time) {
        if (doc == null || items.size() == 0) return -1;
        LogIndex ix = doc.index();
        int lo = 0, hi = items.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long t = LogTime.NONE;
            for (int k = mid; k < hi && k < mid + 64 && t == LogTime.NONE; k++) t = ix.time(items.get(k));
            if (t == LogTime.NONE || t >= time) hi = mid;
            else lo = mid + 1;
        }
        return lo < items.size() ? lo : -1;
    }

    /** Copies the whole text of these records (read in the background) to the clipboard. */
    void copy(List<Integer> recs, java.util.function.Consumer<String> toClipboard) {
        LogDocument d = doc;
        if (d == null || recs.isEmpty()) return;
        List<Integer> sorted = recs.stream().sorted().toList();
        ctx.tasks().task("Copying " + sorted.size() + " records", job -> {
            StringBuilder sb = new StringBuilder();
            for (int r : sorted) {
                String t = d.text(r);
                sb.append(t);
                if (!t.endsWith("\n")) sb.append('\n');
            }
            return sb.toString();
        }).onSuccess(t -> {
            toClipboard.accept(t);
            status.set("Copied " + sorted.size() + " record(s).");
        }).start();
    }

    /** Writes the filtered records (all when no filter), as they are in the file, to {@code target}. */
    void export(Path target) {
        LogDocument d = doc;
        if (d == null) return;
        int[] recs = new int[items.size()];
        for (int k = 0; k < recs.length; k++) recs[k] = items.get(k);
        ctx.tasks().task("Exporting " + recs.length + " records", job -> {
            try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                for (int k = 0; k < recs.length; k++) {
                    if ((k & 1023) == 0) { job.checkCancelled(); job.progress(k, recs.length); }
                    String t = d.text(recs[k]);
                    w.write(t);
                    if (!t.endsWith("\n")) w.write('\n');
                }
            }
            return recs.length;
        }).inTaskPanel().onSuccess(n -> status.set("Exported " + n + " records to " + target + "."))
                .onFailure(ex -> problem("Could not export to " + target + ": " + ConsoleException.userMessage(ex))).start();
    }

    private boolean closed;

    void close() {
        closed = true;
        tick.stop();
        stopFollowing();
        if (src != null) src.close();
    }
}
