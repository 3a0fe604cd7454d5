package io.msyspg.console.ui.backup;

import io.msyspg.console.ui.common.LiveLog;
import io.msyspg.console.ui.common.WizardPane;
import io.msyspg.console.core.backup.ArchiveInfo;
import io.msyspg.console.core.backup.Check;
import io.msyspg.console.core.backup.RestoreError;
import io.msyspg.console.core.backup.RestoreOptions;
import io.msyspg.console.core.backup.RestoreReport;
import io.msyspg.console.core.backup.RestoreService;
import io.msyspg.console.core.backup.TocEntry;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.ui.common.BackgroundTask;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The restore wizard: archive → objects → target → checks and command (typed confirmation) → run and report. */
final class RestoreWizard {
    /** One TOC entry in the checkable, reorderable list. */
    static final class Item {
        final TocEntry entry;
        final BooleanProperty selected = new SimpleBooleanProperty(true);

        Item(TocEntry e) { this.entry = e; }

        @Override public String toString() { return entry.id() + "  " + entry.desc() + "  " + entry.object() + (entry.owner().isEmpty() ? "" : "  (" + entry.owner() + ")"); }
    }

    private final BackupViewModel vm;
    private final DbSession session;
    private final WizardPane pane;

    final TextField archive = new TextField();
    final GridPane header = WizardPane.grid();
    final ListView<Item> toc = new ListView<>();
    final RadioButton targetNew = new RadioButton("A new database (created from template0)");
    final RadioButton targetExisting = new RadioButton("An existing database (its objects from the archive are dropped first with --clean --if-exists)");
    final TextField targetDb = new TextField();
    final CheckBox clean = new CheckBox("Clean first (--clean --if-exists)");
    final Spinner<Integer> jobs = new Spinner<>(1, 16, 1);
    final CheckBox single = new CheckBox("Single transaction (-1): all or nothing; not with parallel jobs");
    final CheckBox exitOnError = new CheckBox("Stop at the first error (--exit-on-error)");
    final CheckBox noOwner = new CheckBox("No owner (--no-owner): objects belong to the restoring role");
    final CheckBox safety = new CheckBox("Take a safety backup of the existing database first");
    final TextField safetyPath = new TextField();
    final ListView<Check> checks = new ListView<>();
    final TextArea command = new TextArea();
    final ProgressBar progress = new ProgressBar(0);
    final Label runMessage = new Label("Not started");
    final ListView<String> log = new ListView<>();
    final Label result = new Label();
    final TableView<RestoreError> errors = new TableView<>();
    final Button cancel = new Button("Cancel restore");
    final Button analyze = new Button("Run ANALYZE");
    private ArchiveInfo info;
    private RestoreService.Plan plan;
    private BackgroundTask<RestoreReport> running;
    private WizardPane.Step archiveStep;
    private WizardPane.Step commandStep;

    RestoreWizard(BackupViewModel vm, DbSession session, Runnable onClose) {
        this.vm = vm;
        this.session = session;
        this.pane = new WizardPane("restore", "Restore", () -> {
            if (running != null && running.isRunning()) {
                pane().showError("The restore is still running: cancel it first.");
                return;
            }
            onClose.run();
        });
        archive.setId("restoreArchive");
        header.setId("restoreHeader");
        toc.setId("restoreToc");
        targetNew.setId("restoreTargetNew");
        targetExisting.setId("restoreTargetExisting");
        targetDb.setId("restoreTargetDb");
        clean.setId("restoreClean");
        jobs.setId("restoreJobs");
        single.setId("restoreSingle");
        exitOnError.setId("restoreExitOnError");
        noOwner.setId("restoreNoOwner");
        safety.setId("restoreSafety");
        safetyPath.setId("restoreSafetyPath");
        checks.setId("restoreChecks");
        command.setId("restoreCommand");
        progress.setId("restoreProgress");
        runMessage.setId("restoreRunMessage");
        log.setId("restoreLog");
        result.setId("restoreResult");
        errors.setId("restoreErrors");
        cancel.setId("restoreCancel");
        analyze.setId("restoreAnalyze");
        buildArchive();
        buildObjects();
        buildTarget();
        buildCommand();
        buildRun();
        pane.start();
    }

    WizardPane pane() { return pane; }

    private void buildArchive() {
        Button file = new Button("File…", new FontIcon(Feather.FILE));
        Button folder = new Button("Folder…", new FontIcon(Feather.FOLDER));
        Button inspect = new Button("Inspect", new FontIcon(Feather.SEARCH));
        inspect.setId("restoreInspect");
        inspect.setTooltip(new Tooltip("Read the archive's header and table of contents (Enter in the path field)"));
        file.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Archive to restore");
            File f = fc.showOpenDialog(pane.getScene().getWindow());
            if (f != null) {
                archive.setText(f.getAbsolutePath());
                inspect();
            }
        });
        folder.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Directory-format archive");
            File f = dc.showDialog(pane.getScene().getWindow());
            if (f != null) {
                archive.setText(f.getAbsolutePath());
                inspect();
            }
        });
        inspect.setOnAction(e -> inspect());
        archive.setOnAction(e -> inspect());
        archive.setPromptText("/var/backups/ecelerity.dump");
        HBox row = new HBox(8, archive, file, folder, inspect);
        HBox.setHgrow(archive, Priority.ALWAYS);
        VBox box = new VBox(12, row, header, WizardPane.muted("Custom, directory, tar, plain SQL and gzip'd plain SQL are recognised. "
                + "An archive the installed pg_restore cannot read, or whose compression it lacks, is refused here, before anything is touched."));
        archiveStep = new WizardPane.Step("Archive", box);
        archiveStep.ready.set(false);
        archive.textProperty().addListener((o, a, b) -> {
            info = null;
            archiveStep.ready.set(false);
            header.getChildren().clear();
        });
        pane.add(archiveStep);
    }

    void inspect() {
        String p = archive.getText().trim();
        if (p.isEmpty()) {
            pane.showError("Enter the path of an archive.");
            return;
        }
        header.getChildren().clear();
        header.add(new Label("Reading the archive…"), 0, 0);
        vm.context().tasks().task("Inspecting " + Path.of(p).getFileName(), c -> vm.inspector().inspect(Path.of(p), c))
                .onSuccess(i -> {
                    info = i;
                    header.getChildren().clear();
                    int r = 0;
                    for (String[] row : i.headerRows()) {
                        Label v = new Label(row[1]);
                        v.setWrapText(true);
                        v.setId("restoreHeader" + row[0].replace(" ", ""));
                        header.addRow(r++, new Label(row[0]), v);
                    }
                    for (String w : i.warnings()) header.addRow(r++, new Label("Warning"), new Label(w));
                    toc.getItems().setAll(i.entries().stream().map(Item::new).toList());
                    if (targetDb.getText().isBlank() && i.database() != null) targetDb.setText(i.database() + "_restored");
                    archiveStep.ready.set(true);
                    pane.showError("");
                })
                .onFailure(e -> {
                    header.getChildren().clear();
                    pane.showError(ConsoleException.userMessage(e));
                })
                .start();
    }

    private void buildObjects() {
        toc.setCellFactory(CheckBoxListCell.forListView(i -> i.selected));
        toc.setPrefHeight(360);
        Button all = new Button("All");
        Button none = new Button("None");
        Button up = new Button("Up", new FontIcon(Feather.ARROW_UP));
        Button down = new Button("Down", new FontIcon(Feather.ARROW_DOWN));
        all.setId("restoreTocAll");
        none.setId("restoreTocNone");
        up.setId("restoreTocUp");
        down.setId("restoreTocDown");
        up.setTooltip(new Tooltip("Move the selected entry up (Alt+Up)"));
        down.setTooltip(new Tooltip("Move the selected entry down (Alt+Down)"));
        all.setOnAction(e -> toc.getItems().forEach(i -> i.selected.set(true)));
        none.setOnAction(e -> toc.getItems().forEach(i -> i.selected.set(false)));
        up.setOnAction(e -> move(-1));
        down.setOnAction(e -> move(1));
        toc.setOnKeyPressed(e -> {
            if (e.isAltDown() && e.getCode() == javafx.scene.input.KeyCode.UP) { move(-1); e.consume(); }
            if (e.isAltDown() && e.getCode() == javafx.scene.input.KeyCode.DOWN) { move(1); e.consume(); }
        });
        Label plainNote = WizardPane.muted("A plain SQL dump has no table of contents: it is restored as a whole by psql.");
        VBox box = new VBox(10, new HBox(8, all, none, up, down), toc, plainNote,
                WizardPane.muted("Unchecked entries are left out; the order here is the order of restore (a pg_restore -L list)."));
        WizardPane.Step s = new WizardPane.Step("Objects", box);
        s.onEnter = () -> plainNote.setVisible(info != null && info.kind().isPlain());
        s.leave = () -> info != null && !info.kind().isPlain() && toc.getItems().stream().noneMatch(i -> i.selected.get())
                ? "Select at least one object to restore." : null;
        pane.add(s);
    }

    void move(int delta) {
        int i = toc.getSelectionModel().getSelectedIndex();
        int j = i + delta;
        if (i < 0 || j < 0 || j >= toc.getItems().size()) return;
        Item it = toc.getItems().remove(i);
        toc.getItems().add(j, it);
        toc.getSelectionModel().clearAndSelect(j);
    }

    private void buildTarget() {
        ToggleGroup g = new ToggleGroup();
        targetNew.setToggleGroup(g);
        targetExisting.setToggleGroup(g);
        targetNew.setSelected(true);
        clean.setSelected(true);
        clean.disableProperty().bind(targetNew.selectedProperty());
        safety.disableProperty().bind(targetNew.selectedProperty());
        safetyPath.disableProperty().bind(safety.selectedProperty().not().or(targetNew.selectedProperty()));
        safetyPath.setPromptText("/var/backups/before-restore.dump");
        targetDb.setPromptText("database name");
        jobs.setEditable(true);
        GridPane grid = WizardPane.grid();
        grid.addRow(0, new Label("Database"), targetDb);
        grid.addRow(1, new Label("Parallel jobs (-j)"), jobs);
        VBox box = new VBox(10, targetNew, targetExisting, grid, clean, single, exitOnError, noOwner, safety, safetyPath,
                WizardPane.muted("Restoring into " + session.target().host() + ":" + session.target().port() + "."));
        WizardPane.Step s = new WizardPane.Step("Target", box);
        s.leave = () -> {
            if (targetDb.getText().isBlank()) return "Enter the database to restore into.";
            if (single.isSelected() && jobs.getValue() > 1) return "A single transaction cannot go with parallel jobs.";
            if (safety.isSelected() && targetExisting.isSelected() && safetyPath.getText().isBlank()) return "Enter where the safety backup goes.";
            return null;
        };
        pane.add(s);
    }

    RestoreOptions options() {
        RestoreOptions o = new RestoreOptions();
        o.database = targetDb.getText().trim();
        o.createNew = targetNew.isSelected();
        o.clean = targetExisting.isSelected() && clean.isSelected();
        o.jobs = jobs.getValue();
        o.singleTransaction = single.isSelected();
        o.exitOnError = exitOnError.isSelected();
        o.noOwner = noOwner.isSelected();
        if (info != null && !info.kind().isPlain()) {
            boolean reordered = false;
            List<Integer> ids = new ArrayList<>();
            List<TocEntry> original = info.entries();
            for (int k = 0; k < toc.getItems().size(); k++) {
                Item it = toc.getItems().get(k);
                if (it.selected.get()) ids.add(it.entry.id());
                if (k < original.size() && original.get(k).id() != it.entry.id()) reordered = true;
            }
            if (reordered || ids.size() != original.size()) o.selection = ids;
        }
        if (safety.isSelected() && targetExisting.isSelected()) o.safetyBackup = Path.of(safetyPath.getText().trim());
        return o;
    }

    private void buildCommand() {
        checks.setCellFactory(l -> new BackupWizard.CheckCell());
        checks.setPrefHeight(240);
        command.setEditable(false);
        command.setWrapText(true);
        command.setPrefRowCount(4);
        command.getStyleClass().add("monospace");
        VBox box = new VBox(10, checks, new Label("The command that will run"), command);
        commandStep = new WizardPane.Step("Checks and command", box);
        commandStep.nextLabel = "Start restore";
        commandStep.onEnter = this::runChecks;
        commandStep.leave = () -> plan == null ? "The checks have not finished." : plan.blocked() ? "Fix the blocking problems first: " + plan.blocking().get(0).message() : null;
        commandStep.confirm = () -> {
            if (plan.options().createNew) return true;
            return vm.context().dialogs().confirmByTyping("Restore into " + plan.options().database,
                    "This changes the existing database \"" + plan.options().database + "\" on " + session.target().host() + ":" + session.target().port()
                            + (plan.options().clean ? ": the archive's objects are dropped and recreated." : ".")
                            + (plan.options().safetyBackup == null ? " No safety backup will be taken." : " A safety backup goes to " + plan.options().safetyBackup + " first.")
                            + " Type the database name to go on.", plan.options().database);
        };
        pane.add(commandStep);
    }

    private void runChecks() {
        plan = null;
        RestoreOptions o = options();
        ArchiveInfo i = info;
        pane.loadChecks(vm.context().tasks(), "restore", c -> vm.restores().plan(session, i, o), commandStep, checks, command, p -> plan = p);
    }

    private void buildRun() {
        progress.setMaxWidth(Double.MAX_VALUE);
        log.setPrefHeight(180);
        log.getStyleClass().add("monospace");
        result.setWrapText(true);
        result.getStyleClass().add("backup-result");
        TableColumn<RestoreError, String> kind = new TableColumn<>("Class");
        kind.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().expected() ? "expected" : "ERROR"));
        TableColumn<RestoreError, String> obj = new TableColumn<>("Object");
        obj.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().object()));
        TableColumn<RestoreError, String> msg = new TableColumn<>("Message");
        msg.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().message()
                + (c.getValue().expected() ? " — " + c.getValue().expectedReason() : "")));
        TableColumn<RestoreError, String> entry = new TableColumn<>("TOC entry");
        entry.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().tocLine()));
        kind.setPrefWidth(80);
        obj.setPrefWidth(200);
        msg.setPrefWidth(380);
        entry.setPrefWidth(260);
        errors.getColumns().setAll(List.of(kind, obj, msg, entry));
        errors.setPlaceholder(new Label("No errors"));
        errors.setPrefHeight(180);
        cancel.setGraphic(new FontIcon(Feather.X_CIRCLE));
        cancel.setDisable(true);
        cancel.setOnAction(e -> { if (running != null) running.cancel(); });
        analyze.setGraphic(new FontIcon(Feather.BAR_CHART_2));
        analyze.setVisible(false);
        analyze.setOnAction(e -> runAnalyze());
        VBox box = new VBox(10, progress, runMessage, log, new HBox(8, cancel, analyze), result, errors);
        WizardPane.Step s = new WizardPane.Step("Run", box);
        s.onEnter = this::start;
        pane.add(s);
    }

    private void start() {
        RestoreService.Plan p = plan;
        pane.lockBack(true);
        cancel.setDisable(false);
        analyze.setVisible(false);
        result.setText("");
        errors.getItems().clear();
        log.getItems().clear();
        running = vm.context().tasks().task("Restore of " + p.archive().path().getFileName() + " into " + p.options().database,
                        c -> vm.restores().run(p, c, LiveLog.sink(log)))
                .onSuccess(r -> {
                    result.setText("Restore " + r.headline() + " in " + r.duration().toSeconds() + " s."
                            + (r.status() == RestoreReport.Status.FAILED ? "" : " Planner statistics are not in a dump: run ANALYZE now."));
                    result.getStyleClass().removeAll("restore-failed", "restore-errors", "restore-ok");
                    result.getStyleClass().add(switch (r.status()) {
                        case COMPLETED -> "restore-ok";
                        case COMPLETED_WITH_ERRORS -> "restore-errors";
                        case FAILED -> "restore-failed";
                    });
                    errors.getItems().setAll(r.errors());
                    analyze.setVisible(r.status() != RestoreReport.Status.FAILED);
                })
                .onFailure(e -> result.setText("Restore failed: " + ConsoleException.userMessage(e)))
                .onCancelled(() -> result.setText("Restore cancelled; \"" + p.options().database + "\" may be partially restored."))
                .onFinished(() -> {
                    cancel.setDisable(true);
                    pane.lockBack(false);
                })
                .inTaskPanel()
                .start();
        progress.progressProperty().bind(running.progressProperty());
        runMessage.textProperty().bind(running.messageProperty());
    }

    private void runAnalyze() {
        String db = plan.options().database;
        analyze.setDisable(true);
        vm.context().tasks().task("ANALYZE " + db, c -> {
                    vm.restores().analyze(session, db, c);
                    return db;
                })
                .onSuccess(d -> result.setText(result.getText() + " ANALYZE done."))
                .onFinished(() -> analyze.setDisable(false))
                .inTaskPanel()
                .start();
    }
}
