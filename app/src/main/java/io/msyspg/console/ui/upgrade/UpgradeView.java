package io.msyspg.console.ui.upgrade;

import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.upgrade.DeferredJobs;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The Upgrade screen: the guided major-upgrade wizard ({@link UpgradeWizard}: plan, Momentum checklist,
 * pre-flight, pg_upgrade or dump/restore, deferred steps, report) shown in place of the home page, and the
 * deferred jobs (post-upgrade ANALYZE, Momentum's deferred migration) that run detached from the console —
 * found again on start, with progress, log, Stop and Resume.
 */
public final class UpgradeView implements FeatureView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @FXML private TableView<DeferredJobs.View> jobsTable;
    @FXML private TableColumn<DeferredJobs.View, String> idColumn;
    @FXML private TableColumn<DeferredJobs.View, String> titleColumn;
    @FXML private TableColumn<DeferredJobs.View, String> stateColumn;
    @FXML private TableColumn<DeferredJobs.View, Double> progressColumn;
    @FXML private TableColumn<DeferredJobs.View, String> startedColumn;
    @FXML private Label summaryLabel;
    @FXML private TextArea logArea;
    @FXML private Button stopButton;
    @FXML private Button resumeButton;
    @FXML private Label hintLabel;
    @FXML private StackPane root;
    @FXML private VBox home;
    @FXML private StackPane wizardHost;
    @FXML private Button wizardButton;
    @FXML private Label targetLabel;
    @FXML private TableView<UpgradeReport> reportsTable;
    @FXML private TableColumn<UpgradeReport, String> reportTimeColumn;
    @FXML private TableColumn<UpgradeReport, String> reportResultColumn;
    @FXML private TableColumn<UpgradeReport, String> reportMethodColumn;
    @FXML private TableColumn<UpgradeReport, String> reportVersionsColumn;
    @FXML private TextArea reportArea;
    @FXML private Button openReportButton;
    @FXML private Button refreshReportsButton;

    private final UpgradeViewModel vm;
    private final AppContext ctx;
    private final Timeline poll;
    private boolean opening;
    UpgradeWizard wizard;

    public UpgradeView(AppContext ctx) {
        this.ctx = ctx;
        this.vm = new UpgradeViewModel(ctx);
        ViewLoader.load(this);
        this.poll = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.refresh()));
        poll.setCycleCount(Timeline.INDEFINITE);
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene == null) poll.stop();
        });
    }

    @FXML private void initialize() {
        idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        titleColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().job().title));
        stateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().liveness() == DeferredJobs.Liveness.FINISHED
                ? c.getValue().job().status.name().toLowerCase() : c.getValue().liveness().name().toLowerCase().replace('_', ' ')));
        startedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().job().createdAt == null ? "" : TIME.format(c.getValue().job().createdAt)));
        progressColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().progress()));
        progressColumn.setCellFactory(col -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar();
            { bar.setMaxWidth(Double.MAX_VALUE); }
            @Override protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null) { setGraphic(null); setText(null); return; }
                bar.setProgress(v);
                setGraphic(bar);
            }
        });
        jobsTable.setItems(vm.items());
        Node empty = EmptyState.of(Feather.CLOCK, "No deferred jobs",
                "Long post-upgrade work (ANALYZE in stages, Momentum's deferred migration) runs here, detached from the console:"
                        + " closing the console or losing the SSH session does not stop it. Start one with"
                        + " 'msyspg-console upgrade run --analyze' or '--migration-script FILE'.");
        jobsTable.setPlaceholder(empty);
        jobsTable.getSelectionModel().selectedItemProperty().addListener((o, a, v) -> {
            if (v != null && (vm.selectedProperty().get() == null || !v.id().equals(vm.selectedProperty().get().id()))) {
                vm.selectedProperty().set(v);
                vm.refresh();
            }
        });
        vm.selectedProperty().addListener((o, a, v) -> {
            if (v != null && jobsTable.getSelectionModel().getSelectedItem() != v) {
                jobsTable.getItems().stream().filter(x -> x.id().equals(v.id())).findFirst().ifPresent(x -> jobsTable.getSelectionModel().select(x));
            }
        });
        summaryLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            DeferredJobs.View v = vm.selectedProperty().get();
            return v == null ? "" : v.job().title + ": " + v.summary();
        }, vm.selectedProperty()));
        logArea.textProperty().bind(vm.logTailProperty());
        logArea.textProperty().addListener((o, a, b) -> logArea.setScrollTop(Double.MAX_VALUE));
        stopButton.setGraphic(new FontIcon(Feather.SQUARE));
        resumeButton.setGraphic(new FontIcon(Feather.PLAY));
        stopButton.disableProperty().bind(Bindings.createBooleanBinding(() -> vm.selectedProperty().get() == null
                || vm.selectedProperty().get().liveness() != DeferredJobs.Liveness.RUNNING, vm.selectedProperty()));
        resumeButton.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            DeferredJobs.View v = vm.selectedProperty().get();
            return v == null || v.liveness() == DeferredJobs.Liveness.RUNNING
                    || (v.liveness() == DeferredJobs.Liveness.FINISHED && v.job().status == io.msyspg.console.core.upgrade.DeferredJob.Status.SUCCEEDED);
        }, vm.selectedProperty()));
        stopButton.setOnAction(e -> vm.stopSelected());
        resumeButton.setOnAction(e -> vm.resumeSelected());
        stopButton.setTooltip(new Tooltip("Stop the job; it keeps its checkpoint"));
        resumeButton.setTooltip(new Tooltip("Resume from the last checkpoint; finished steps are not redone"));
        hintLabel.setText("Jobs folder: " + vm.jobsDir() + ". Reports of upgrade runs: " + vm.reportsDir() + ".");
        wizardButton.setGraphic(new FontIcon(Feather.ARROW_UP_CIRCLE));
        wizardButton.setTooltip(new Tooltip("Plan, check and run a PostgreSQL major upgrade of the connected server (Ctrl+Shift+U)"));
        wizardButton.setOnAction(e -> openWizard());
        root.sceneProperty().addListener((o, a, s) -> {
            if (s == null) return;
            s.getAccelerators().put(new KeyCodeCombination(KeyCode.U, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                    () -> { if (root.isVisible() && !wizardButton.isDisabled() && !wizardHost.isVisible()) openWizard(); });
        });
        ctx.session().currentProperty().addListener((o, a, s) -> sessionChanged(s));
        sessionChanged(ctx.session().current());
        initReports();
    }

    /** The kept reports of earlier runs (newest first): Open shows one's report.txt, read off the FX thread. */
    private void initReports() {
        reportTimeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().startedAt == null ? c.getValue().runId
                : TIME.format(c.getValue().startedAt)));
        reportResultColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().result == null ? "unfinished"
                : c.getValue().result.name()));
        reportMethodColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().method == null ? "" : c.getValue().method));
        reportVersionsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(versions(c.getValue())));
        reportsTable.setItems(vm.reports());
        reportsTable.setPlaceholder(EmptyState.of(Feather.FILE_TEXT, "No upgrade reports yet",
                "Every upgrade run (wizard or 'msyspg-console upgrade run') writes report.txt and report.json into "
                        + vm.reportsDir() + "; they are listed here, newest first."));
        reportArea.textProperty().bind(vm.reportTextProperty());
        reportArea.setPromptText("Select a report and press Open (Enter, or double-click) to read it here.");
        openReportButton.setGraphic(new FontIcon(Feather.FILE_TEXT));
        openReportButton.setTooltip(new Tooltip("Show the selected report (Enter, or double-click)"));
        openReportButton.disableProperty().bind(reportsTable.getSelectionModel().selectedItemProperty().isNull());
        openReportButton.setOnAction(e -> vm.openReport(reportsTable.getSelectionModel().getSelectedItem()));
        refreshReportsButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshReportsButton.setTooltip(new Tooltip("Read the reports folder again"));
        refreshReportsButton.disableProperty().bind(vm.reportsLoadingProperty());
        refreshReportsButton.setOnAction(e -> vm.refreshReports());
        reportsTable.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) vm.openReport(reportsTable.getSelectionModel().getSelectedItem());
        });
        reportsTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) vm.openReport(reportsTable.getSelectionModel().getSelectedItem());
        });
    }

    static String versions(UpgradeReport r) {
        String from = r.sourceVersion == null ? "?" : r.sourceVersion;
        String to = r.targetVersion == null ? "?" : r.targetVersion;
        return from + " → " + to + (r.sourceLocation != null && r.sourceLocation.startsWith("read over the network") ? " (remote source)" : "");
    }

    private void sessionChanged(DbSession s) {
        wizardButton.setDisable(s == null);
        targetLabel.setText(s == null ? "not connected: the wizard needs the server to upgrade" : s.target().display() + " · PostgreSQL " + s.serverVersion());
    }

    /** Reads the connected server and builds the wizard off the FX thread; shows it when ready. */
    void openWizard() {
        DbSession s = ctx.session().current();
        if (s == null || opening) return;
        opening = true;
        ctx.tasks().task("Opening the upgrade wizard", c -> {
                    UpgradeViewModel.Prepared p = vm.prepare(s);
                    return new UpgradeWizard(vm, p.source(), p.executor(), this::closeWizard, this::showJob);
                })
                .onSuccess(w -> {
                    wizard = w;
                    wizardHost.getChildren().setAll(w.pane());
                    wizardHost.setManaged(true);
                    wizardHost.setVisible(true);
                    home.setVisible(false);
                })
                .onFailure(e -> ctx.dialogs().showError("Cannot open the upgrade wizard", e))
                .onFinished(() -> opening = false)
                .start();
    }

    private void closeWizard() {
        wizardHost.getChildren().clear();
        wizardHost.setVisible(false);
        wizardHost.setManaged(false);
        home.setVisible(true);
        wizard = null;
        vm.refresh();
        vm.refreshReports();
    }

    /** Closes the wizard and selects the deferred job {@code id} in the jobs list. */
    private void showJob(String id) {
        closeWizard();
        vm.select(id);
    }

    @Override public Node root() { return root; }

    @Override public void onShown() {
        vm.refresh();
        vm.refreshReports();
        poll.play();
    }
}
