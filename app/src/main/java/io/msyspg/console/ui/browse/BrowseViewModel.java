package io.msyspg.console.ui.browse;

import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.CatalogService;
import io.msyspg.console.core.browse.Csv;
import io.msyspg.console.core.browse.DataPreview;
import io.msyspg.console.core.browse.Folder;
import io.msyspg.console.core.browse.ObjectDetails;
import io.msyspg.console.core.browse.Page;
import io.msyspg.console.core.browse.SchemaInfo;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.Job;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.TaskExecutor;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * State of the schema browser (FX thread): which session, the name filter, the selected object's details and
 * its data preview. All catalog and data work runs through {@link TaskExecutor}; results that arrive after the
 * user moved on are dropped.
 */
public final class BrowseViewModel {
    public static final int PAGE_SIZE = 500;
    public static final int FETCH_SIZE = DataPreview.DEFAULT_FETCH;
    static final Duration PREVIEW_IDLE = Duration.minutes(2);

    private final AppContext ctx;
    private final Map<String, CatalogService> catalogs = new ConcurrentHashMap<>();
    private final ObjectProperty<DbSession> session = new SimpleObjectProperty<>();
    private final BooleanProperty showSystem = new SimpleBooleanProperty(false);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObservableList<BackgroundTask<?>> loads = FXCollections.observableArrayList();
    private final BooleanProperty loading = new SimpleBooleanProperty(false);

    private final ObjectProperty<CatalogObject> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<ObjectDetails> details = new SimpleObjectProperty<>();
    private final StringProperty detailsStatus = new SimpleStringProperty("");
    private String selectedDb;

    private final ObjectProperty<List<DataPreview.Column>> previewColumns = new SimpleObjectProperty<>(List.of());
    private final ObservableList<DataPreview.Row> rows = FXCollections.observableArrayList();
    private final StringProperty previewStatus = new SimpleStringProperty("");
    private final BooleanProperty previewExhausted = new SimpleBooleanProperty(true);
    private final BooleanProperty previewBusy = new SimpleBooleanProperty(false);
    private DataPreview preview;
    private CatalogObject previewObject;
    private long previewGeneration;
    private final PauseTransition idle = new PauseTransition(PREVIEW_IDLE);

    public BrowseViewModel(AppContext ctx) {
        this.ctx = ctx;
        loads.addListener((ListChangeListener<BackgroundTask<?>>) c -> loading.set(!loads.isEmpty()));
        idle.setOnFinished(e -> closePreview("Preview closed after 2 minutes idle (its transaction and lock are released): Reload to start again."));
    }

    public ObjectProperty<DbSession> sessionProperty() { return session; }
    public BooleanProperty showSystemProperty() { return showSystem; }
    public StringProperty filterProperty() { return filter; }
    public ReadOnlyBooleanProperty loadingProperty() { return loading; }
    public ObjectProperty<CatalogObject> selectedProperty() { return selected; }
    public ObjectProperty<ObjectDetails> detailsProperty() { return details; }
    public StringProperty detailsStatusProperty() { return detailsStatus; }
    public ObjectProperty<List<DataPreview.Column>> previewColumnsProperty() { return previewColumns; }
    public ObservableList<DataPreview.Row> rows() { return rows; }
    public StringProperty previewStatusProperty() { return previewStatus; }
    public BooleanProperty previewExhaustedProperty() { return previewExhausted; }
    public BooleanProperty previewBusyProperty() { return previewBusy; }

    /** The current filter text, or null. */
    String filterText() {
        String f = filter.get();
        return f == null || f.isBlank() ? null : f.strip();
    }

    /** Switches to another session (or none): forgets every cached catalog and closes the preview. */
    public void setSession(DbSession s) {
        cancelLoads();
        catalogs.clear();
        closePreview("");
        selected.set(null);
        details.set(null);
        session.set(s);
    }

    /** Background only: the catalog of one database of the current server. */
    CatalogService catalog(String database) throws Exception {
        DbSession s = session.get();
        if (s == null) throw new io.msyspg.console.core.common.ConsoleException("Not connected: connect to a server first.");
        CatalogService c = catalogs.get(database);
        if (c == null) {
            c = new CatalogService(s.forDatabase(database));
            catalogs.put(database, c);
        }
        return c;
    }

    /** Runs a tree load: tracked so the Cancel button and Esc reach it. */
    <T> BackgroundTask<T> load(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure, Runnable onCancelled) {
        BackgroundTask<?>[] holder = new BackgroundTask<?>[1];
        BackgroundTask<T> t = ctx.tasks().task(title, job)
                .onSuccess(onSuccess)
                .onFailure(onFailure)
                .onCancelled(onCancelled)
                .onFinished(() -> loads.remove(holder[0]))
                .inTaskPanel()
                .start();
        holder[0] = t;
        loads.add(t);
        return t;
    }

    public void cancelLoads() {
        for (BackgroundTask<?> t : List.copyOf(loads)) t.cancel(false); // no interrupt: the cancel hooks stop the statement
    }

    // ---- tree loads (jobs; the view builds the items) -------------------------------------------------------

    Job<List<String>> databasesJob() {
        return c -> catalog(session.get().target().database()).databases(c);
    }

    Job<List<SchemaInfo>> schemasJob(String db) {
        boolean sys = showSystem.get();
        return c -> catalog(db).schemas(sys, c);
    }

    Job<Map<Folder, Long>> countsJob(String db, String schema) {
        String f = filterText();
        return c -> catalog(db).counts(schema, f, c);
    }

    Job<Page> folderJob(String db, String schema, Folder folder, Page.PageKey after) {
        String f = filterText();
        return c -> catalog(db).folder(schema, folder, f, after, PAGE_SIZE, c);
    }

    Job<Page> partitionsJob(String db, long parentOid, Page.PageKey after) {
        String f = filterText();
        return c -> catalog(db).partitions(parentOid, f, after, PAGE_SIZE, c);
    }

    Job<Long> partitionCountJob(String db, long parentOid) {
        String f = filterText();
        return c -> catalog(db).partitionCount(parentOid, f, c);
    }

    Job<List<CatalogObject>> searchJob(String db, String text) {
        boolean sys = showSystem.get();
        return c -> catalog(db).search(text, sys, 200, c);
    }

    // ---- details ------------------------------------------------------------------------------------------

    private BackgroundTask<ObjectDetails> detailsTask;

    /** Shows an object's details (null clears). Closes the previous object's preview. */
    public void select(String db, CatalogObject o) {
        if (o != null && o.equals(selected.get())) return;
        if (detailsTask != null) detailsTask.cancel(false);
        closePreview("");
        selected.set(o);
        selectedDb = db;
        details.set(null);
        if (o == null) {
            detailsStatus.set("");
            return;
        }
        detailsStatus.set("Loading details…");
        detailsTask = ctx.tasks().task("Details of " + o.schema() + "." + o.displayName(), c -> catalog(db).details(o, c))
                .onSuccess(d -> {
                    if (o.equals(selected.get())) {
                        details.set(d);
                        detailsStatus.set("");
                    }
                })
                .onFailure(e -> {
                    if (o.equals(selected.get())) detailsStatus.set(io.msyspg.console.core.common.ConsoleException.userMessage(e));
                })
                .onCancelled(() -> { })
                .start();
    }

    // ---- data preview -------------------------------------------------------------------------------------

    /** Opens the preview of the selected object (when it has rows and none is open) and fetches the first batch. */
    public void openPreview() {
        CatalogObject o = selected.get();
        if (o == null || !o.kind().hasData()) {
            previewStatus.set(o == null ? "" : "A " + o.kind().label() + " has no rows to preview.");
            return;
        }
        if (o.equals(previewObject) && (preview != null || previewBusy.get())) return;
        startPreview(o, null, false);
    }

    /** Sorts on the server: a new cursor ordered by the column, in the same snapshot. */
    public void sort(String column, boolean descending) {
        CatalogObject o = selected.get();
        if (o == null || previewBusy.get()) return;
        DataPreview p = preview;
        if (p == null) {
            startPreview(o, column, descending);
            return;
        }
        rows.clear();
        previewBusy.set(true);
        previewStatus.set("Sorting on the server by " + column + (descending ? " (descending)…" : "…"));
        ctx.tasks().task("Sort preview of " + o.name(), c -> {
            p.sort(column, descending, c);
            return p.fetch(FETCH_SIZE, c);
        }).onSuccess(b -> acceptBatch(p, b)).onFailure(this::previewFailed).onCancelled(() -> previewCancelled(p))
                .onFinished(() -> previewBusy.set(false)).start();
    }

    private void startPreview(CatalogObject o, String sortColumn, boolean desc) {
        closePreview("");
        String db = selectedDb;
        previewObject = o;
        long generation = ++previewGeneration;
        previewBusy.set(true);
        previewStatus.set("Opening a read-only cursor…");
        ctx.tasks().task("Preview of " + o.schema() + "." + o.name(), c -> {
            DataPreview p = DataPreview.open(catalog(db).session(), o, c);
            try {
                if (sortColumn != null) p.sort(sortColumn, desc, c);
                return new Object[] {p, p.fetch(FETCH_SIZE, c)};
            } catch (Exception e) {
                p.close();
                throw e;
            }
        }).onSuccess(r -> {
            DataPreview p = (DataPreview) r[0];
            if (generation != previewGeneration || !o.equals(selected.get())) {
                // the user moved on (or asked again) while this one opened: end its transaction
                closeInBackground(p);
                return;
            }
            preview = p;
            previewColumns.set(p.columns());
            acceptBatch(p, (DataPreview.Batch) r[1]);
        }).onFailure(e -> {
            if (generation == previewGeneration) previewFailed(e);
        }).onCancelled(() -> previewStatus.set("Cancelled."))
                .onFinished(() -> {
                    if (generation == previewGeneration) previewBusy.set(false);
                }).inTaskPanel().start();
    }

    /** The next batch from the same cursor. */
    public void loadMore() {
        DataPreview p = preview;
        if (p == null || previewBusy.get() || previewExhausted.get()) return;
        previewBusy.set(true);
        previewStatus.set("Fetching…");
        ctx.tasks().task("Fetch rows of " + p.object().name(), c -> p.fetch(FETCH_SIZE, c))
                .onSuccess(b -> acceptBatch(p, b)).onFailure(this::previewFailed).onCancelled(() -> previewCancelled(p))
                .onFinished(() -> previewBusy.set(false)).inTaskPanel().start();
    }

    private void acceptBatch(DataPreview p, DataPreview.Batch b) {
        if (p != preview) return;
        if (p.fetched() == b.rows().size()) rows.setAll(b.rows());
        else rows.addAll(b.rows());
        previewExhausted.set(b.exhausted());
        String order = p.sortColumn() == null ? "" : ", ordered by " + p.sortColumn() + (p.descending() ? " desc" : "");
        previewStatus.set(String.format("%,d rows%s%s", rows.size(), b.exhausted() ? " (all)" : "", order));
        idle.playFromStart();
    }

    private void previewFailed(Throwable e) {
        if (Boolean.getBoolean("msyspg.debug.preview")) e.printStackTrace();
        previewStatus.set(io.msyspg.console.core.common.ConsoleException.userMessage(e));
        closePreview(previewStatus.get());
    }

    private void previewCancelled(DataPreview p) {
        // a cancelled FETCH aborts the transaction: the preview is closed (DataPreview does it)
        if (p == preview) closePreview("Cancelled: Reload to start again.");
    }

    /** Full value of one cell (background), given to {@code onValue} on the FX thread. */
    public void fullValue(DataPreview.Row row, int column, Consumer<String> onValue) {
        DataPreview p = preview;
        if (p == null) return;
        ctx.tasks().task("Full value", c -> p.fullValue(row, column, c)).onSuccess(onValue)
                .onFailure(e -> ctx.dialogs().showError("Cannot show the full value", e)).start();
    }

    /** Writes what is shown (header + loaded rows, masked and cut as displayed) to a CSV file, in the background. */
    public void exportCsv(Path file, Runnable done) {
        List<String> header = previewColumns.get().stream().map(DataPreview.Column::name).toList();
        List<List<String>> data = new ArrayList<>(rows.size());
        for (DataPreview.Row r : rows) data.add(r.values());
        ctx.tasks().task("Export CSV to " + file.getFileName(), c -> {
            writeCsv(file, header, data);
            return file;
        }).onSuccess(f -> done.run()).start();
    }

    static void writeCsv(Path file, List<String> header, List<List<String>> data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            Csv.write(w, header, data);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Ends the preview's transaction (in the background) and clears the grid state. */
    public void closePreview(String status) {
        idle.stop();
        previewGeneration++;
        previewBusy.set(false);
        DataPreview p = preview;
        preview = null;
        previewObject = null;
        if (p != null) closeInBackground(p);
        rows.clear();
        previewColumns.set(List.of());
        previewExhausted.set(true);
        previewStatus.set(status);
    }

    private void closeInBackground(DataPreview p) {
        ctx.tasks().task("Close preview", c -> {
            p.close();
            return null;
        }).onFailure(e -> { }).start();
    }

    boolean hasPreview() { return preview != null; }

    static JobContext none() { return JobContext.none(); }
}
