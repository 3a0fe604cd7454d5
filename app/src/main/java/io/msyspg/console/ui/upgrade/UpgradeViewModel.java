package io.msyspg.console.ui.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.upgrade.DeferredJobs;
import io.msyspg.console.core.upgrade.UpgradeExecutor;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.core.upgrade.UpgradeReports;
import io.msyspg.console.core.upgrade.UpgradeSource;
import io.msyspg.console.core.upgrade.JobJournal;
import io.msyspg.console.ui.AppContext;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The deferred jobs found in the state directory, refreshed in the background: the console reattaches to
 * jobs started by an earlier console (or the CLI), shows their progress and log, and can stop or resume them.
 */
public final class UpgradeViewModel {
    private final AppContext ctx;
    private final DeferredJobs jobs;
    private final ObservableList<DeferredJobs.View> items = FXCollections.observableArrayList();
    private final ObjectProperty<DeferredJobs.View> selected = new SimpleObjectProperty<>();
    private final StringProperty logTail = new SimpleStringProperty("");
    private final BooleanProperty refreshing = new SimpleBooleanProperty();
    private final ObservableList<UpgradeReport> reports = FXCollections.observableArrayList();
    private final StringProperty reportText = new SimpleStringProperty("");
    private final BooleanProperty reportsLoading = new SimpleBooleanProperty();

    public UpgradeViewModel(AppContext ctx) {
        this.ctx = ctx;
        this.jobs = new DeferredJobs(JobJournal.jobsDir(ctx.dirs()));
    }

    public ObservableList<DeferredJobs.View> items() { return items; }
    public ObjectProperty<DeferredJobs.View> selectedProperty() { return selected; }
    public StringProperty logTailProperty() { return logTail; }
    public Path jobsDir() { return jobs.jobsDir(); }
    /** The kept upgrade reports (newest first), as of the last {@link #refreshReports()}. */
    public ObservableList<UpgradeReport> reports() { return reports; }
    /** The text of the report last opened ({@link #openReport}). */
    public StringProperty reportTextProperty() { return reportText; }
    public BooleanProperty reportsLoadingProperty() { return reportsLoading; }

    /** Lists the reports under {@link #reportsDir()} off the FX thread (each run's report.json). */
    public void refreshReports() {
        if (reportsLoading.get()) return;
        reportsLoading.set(true);
        Path dir = reportsDir();
        ctx.tasks().task("Reading upgrade reports", jc -> UpgradeReports.list(dir))
                .onSuccess(list -> {
                    String shown = openedRunId;
                    reports.setAll(list);
                    if (shown != null && list.stream().noneMatch(r -> shown.equals(r.runId))) {
                        openedRunId = null;
                        reportText.set("");
                    }
                })
                .onFinished(() -> reportsLoading.set(false)).start();
    }

    private String openedRunId;

    /** Reads the report's text file off the FX thread (its JSON rendered as text when report.txt is missing) and shows it. */
    public void openReport(UpgradeReport r) {
        if (r == null) return;
        ctx.tasks().task("Opening upgrade report " + r.runId, jc -> {
                    Path text = r.textFile;
                    if (text != null && Files.isRegularFile(text)) return Files.readString(text);
                    return UpgradeReports.text(r);
                })
                .onSuccess(t -> {
                    openedRunId = r.runId;
                    reportText.set(t);
                })
                .onFailure(e -> ctx.dialogs().showError("Cannot read the upgrade report " + r.textFile, e))
                .start();
    }

    private record Snapshot(List<DeferredJobs.View> views, String tail) {}

    /** Reads journals and the selected job's log off the FX thread; skipped while a refresh is under way. */
    public void refresh() {
        if (refreshing.get()) return;
        refreshing.set(true);
        String selectedId = pendingSelection != null ? pendingSelection : selected.get() == null ? null : selected.get().id();
        pendingSelection = null;
        ctx.tasks().task("Reading deferred jobs", jc -> {
            List<DeferredJobs.View> views = jobs.list();
            DeferredJobs.View sel = views.stream().filter(v -> v.id().equals(selectedId)).findFirst()
                    .orElse(views.isEmpty() ? null : views.get(0));
            String tail = "";
            if (sel != null) {
                var step = sel.job().currentStep();
                if (step == null && !sel.job().steps.isEmpty()) step = sel.job().steps.get(sel.job().steps.size() - 1);
                tail = step == null ? "" : DeferredJobs.tail(Path.of(step.logFile), 16 * 1024);
            }
            return new Snapshot(views, tail);
        }).onSuccess(s -> {
            String keep = selectedId;
            items.setAll(s.views());
            DeferredJobs.View sel = s.views().stream().filter(v -> Objects.equals(v.id(), keep)).findFirst()
                    .orElse(s.views().isEmpty() ? null : s.views().get(0));
            selected.set(sel);
            logTail.set(s.tail());
        }).onFinished(() -> refreshing.set(false)).start();
    }

    /** The wizard's inputs, read off the FX thread: the connected server's facts and an executor. */
    record Prepared(UpgradeSource source, UpgradeExecutor executor) {}

    private DbSession wizardSession;

    Prepared prepare(DbSession session) throws Exception {
        UpgradeSource source = UpgradeSource.read(session);
        wizardSession = session;
        UpgradeExecutor executor = new UpgradeExecutor(ctx.dirs(), ctx.tools(), BackupHistory.in(ctx.dirs()),
                MountTable.read(MountTable.PROC_MOUNTS), Clock.systemUTC());
        return new Prepared(source, executor);
    }

    /** A copy of the wizard session's password for one call (the caller wipes it), or null (pgpass, trust). */
    char[] password() {
        return wizardSession == null ? null : UpgradeSource.password(wizardSession);
    }

    AppContext context() { return ctx; }

    Path reportsDir() { return ctx.dirs().state().resolve("upgrade").resolve("reports"); }

    /** Selects the job {@code id} once the next refresh has listed it. */
    void select(String id) {
        pendingSelection = id;
        refresh();
    }

    private String pendingSelection;

    public void stopSelected() {
        DeferredJobs.View v = selected.get();
        if (v == null) return;
        if (!ctx.dialogs().confirm("Stop deferred job",
                "Stop job " + v.id() + " (" + v.job().title + ")? It records its checkpoint and can be resumed later.", "Stop job")) return;
        ctx.tasks().task("Stopping job " + v.id(), jc -> {
            jobs.stop(v.journal(), 20);
            return null;
        }).inTaskPanel().onFinished(this::refresh).start();
    }

    public void resumeSelected() {
        DeferredJobs.View v = selected.get();
        if (v == null) return;
        ctx.tasks().task("Resuming job " + v.id(), jc -> {
            jobs.launch(v.journal());
            jobs.awaitRunning(v.journal(), 20_000);
            return null;
        }).inTaskPanel().onFinished(this::refresh).start();
    }
}
