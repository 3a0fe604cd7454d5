package io.msyspg.console.ui.backup;

import io.msyspg.console.ui.common.LiveLog;
import io.msyspg.console.ui.common.WizardPane;
import io.msyspg.console.core.backup.BackupFormat;
import io.msyspg.console.core.backup.BackupOptions;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.Bytes;
import io.msyspg.console.core.backup.Check;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.TaskExecutor;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
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
import java.util.Arrays;
import java.util.List;

/** The backup wizard: what → where → checks and command → run with progress, live output and Cancel. */
final class BackupWizard {
    private final BackupViewModel vm;
    private final WizardPane pane;
    private final DbSession session;

    final ComboBox<BackupFormat> format = new ComboBox<>(FXCollections.observableArrayList(BackupFormat.values()));
    final TextField compression = new TextField();
    final Spinner<Integer> jobs = new Spinner<>(1, 16, 1);
    final CheckBox schemaOnly = new CheckBox("Schema only (no data)");
    final CheckBox dataOnly = new CheckBox("Data only (no definitions)");
    final CheckBox noOwner = new CheckBox("No owner (--no-owner)");
    final CheckBox noPrivileges = new CheckBox("No privileges (--no-privileges)");
    final TextField includeSchemas = new TextField();
    final TextField excludeSchemas = new TextField();
    final TextField includeTables = new TextField();
    final TextField excludeTables = new TextField();
    final TextField output = new TextField();
    final CheckBox overwrite = new CheckBox("Replace an existing backup of this name (only after the new one is verified)");
    final CheckBox verify = new CheckBox("Verify: read the whole archive back after writing it");
    final ListView<Check> checks = new ListView<>();
    final TextArea command = new TextArea();
    final ProgressBar progress = new ProgressBar(0);
    final Label runMessage = new Label("Not started");
    final ListView<String> log = new ListView<>();
    final Label result = new Label();
    final Button cancel = new Button("Cancel backup");
    private BackupService.Plan plan;
    private BackgroundTask<BackupService.Result> running;

    BackupWizard(BackupViewModel vm, DbSession session, Runnable onClose) {
        this.vm = vm;
        this.session = session;
        this.pane = new WizardPane("backup", "Back up " + session.target().database(), () -> {
            if (running != null && running.isRunning()) {
                pane().showError("The backup is still running: cancel it first.");
                return;
            }
            onClose.run();
        });
        format.setId("backupFormat");
        compression.setId("backupCompression");
        jobs.setId("backupJobs");
        schemaOnly.setId("backupSchemaOnly");
        dataOnly.setId("backupDataOnly");
        noOwner.setId("backupNoOwner");
        noPrivileges.setId("backupNoPrivileges");
        includeSchemas.setId("backupIncludeSchemas");
        excludeSchemas.setId("backupExcludeSchemas");
        includeTables.setId("backupIncludeTables");
        excludeTables.setId("backupExcludeTables");
        output.setId("backupOutput");
        overwrite.setId("backupOverwrite");
        verify.setId("backupVerify");
        checks.setId("backupChecks");
        command.setId("backupCommand");
        progress.setId("backupProgress");
        runMessage.setId("backupRunMessage");
        log.setId("backupLog");
        result.setId("backupResult");
        cancel.setId("backupCancel");
        buildWhat();
        buildWhere();
        buildChecks();
        buildRun();
        pane.start();
    }

    WizardPane pane() { return pane; }

    private void buildWhat() {
        format.setValue(BackupFormat.CUSTOM);
        format.setCellFactory(l -> new FormatCell());
        format.setButtonCell(new FormatCell());
        compression.setPromptText("default; 0..9, or gzip|lz4|zstd[:level] with pg_dump 16+");
        jobs.setEditable(true);
        jobs.disableProperty().bind(format.valueProperty().isNotEqualTo(BackupFormat.DIRECTORY));
        var cluster = javafx.beans.binding.Bindings.createBooleanBinding(() -> format.getValue() != null && format.getValue().isCluster(), format.valueProperty());
        compression.disableProperty().bind(format.valueProperty().isEqualTo(BackupFormat.TAR).or(cluster));
        for (TextField f : List.of(includeSchemas, excludeSchemas, includeTables, excludeTables)) f.setPromptText("comma-separated names or patterns (* and ?)");
        GridPane g = WizardPane.grid();
        int r = 0;
        g.addRow(r++, new Label("Format"), format);
        g.addRow(r++, new Label("Compression (-Z)"), compression);
        g.addRow(r++, new Label("Parallel jobs (-j)"), jobs);
        g.addRow(r++, new Label("Only schemas (-n)"), includeSchemas);
        g.addRow(r++, new Label("Except schemas (-N)"), excludeSchemas);
        g.addRow(r++, new Label("Only tables (-t)"), includeTables);
        g.addRow(r++, new Label("Except tables (-T)"), excludeTables);
        VBox box = new VBox(10, g, schemaOnly, dataOnly, noOwner, noPrivileges,
                WizardPane.muted("Directory format with -j N opens N+1 connections; the checks page compares that with max_connections."));
        for (var n : List.of(schemaOnly, dataOnly, noOwner, noPrivileges, includeSchemas, excludeSchemas, includeTables, excludeTables)) {
            n.disableProperty().bind(cluster);
        }
        WizardPane.Step s = new WizardPane.Step("What to back up", box);
        s.leave = () -> schemaOnly.isSelected() && dataOnly.isSelected() ? "Schema only and data only exclude each other." : null;
        pane.add(s);
    }

    private void buildWhere() {
        verify.setSelected(true);
        Button browse = new Button("Browse…", new FontIcon(Feather.FOLDER));
        browse.setId("backupBrowse");
        browse.setOnAction(e -> browse());
        HBox row = new HBox(8, output, browse);
        HBox.setHgrow(output, Priority.ALWAYS);
        output.setPromptText("/var/backups/" + session.target().database() + ".dump");
        VBox box = new VBox(10, new Label("Backup file (a folder for the directory and file-system formats)"), row, overwrite, verify,
                WizardPane.muted("The tool writes to a hidden '.name.partial' first; the backup gets its name only when it is complete and verified. "
                        + "A name.sha256 file (sha256sum format) is written beside it."));
        WizardPane.Step s = new WizardPane.Step("Where", box);
        s.leave = () -> output.getText().isBlank() ? "Choose where the backup goes." : null;
        pane.add(s);
    }

    private void browse() {
        File f;
        if (format.getValue().isDirectory()) {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder to create the backup in");
            f = dc.showDialog(pane.getScene().getWindow());
            if (f != null) f = new File(f, session.target().database() + (format.getValue().isCluster() ? "-base" : ".dir"));
        } else {
            FileChooser fc = new FileChooser();
            fc.setTitle("Backup file");
            fc.setInitialFileName(session.target().database() + (format.getValue() == BackupFormat.PLAIN ? ".sql" : format.getValue() == BackupFormat.TAR ? ".tar" : ".dump"));
            f = fc.showSaveDialog(pane.getScene().getWindow());
        }
        if (f != null) output.setText(f.getAbsolutePath());
    }

    private void buildChecks() {
        checks.setCellFactory(l -> new CheckCell());
        checks.setPrefHeight(260);
        command.setEditable(false);
        command.setWrapText(true);
        command.setPrefRowCount(4);
        command.getStyleClass().add("monospace");
        VBox box = new VBox(10, checks, new Label("The command that will run (the password is never on it: the tool reads a temporary 0600 PGPASSFILE)"), command);
        WizardPane.Step s = new WizardPane.Step("Checks and command", box);
        s.nextLabel = "Start backup";
        s.onEnter = this::runChecks;
        s.leave = () -> plan == null ? "The checks have not finished." : plan.blocked() ? "Fix the blocking problems first: " + plan.blocking().get(0).message() : null;
        pane.add(s);
        this.checksStep = s;
    }

    private WizardPane.Step checksStep;

    BackupOptions options() {
        BackupOptions o = new BackupOptions();
        o.format = format.getValue();
        o.compression = compression.getText().isBlank() ? null : compression.getText().trim();
        o.jobs = jobs.getValue();
        o.schemaOnly = schemaOnly.isSelected();
        o.dataOnly = dataOnly.isSelected();
        o.noOwner = noOwner.isSelected();
        o.noPrivileges = noPrivileges.isSelected();
        o.includeSchemas = split(includeSchemas.getText());
        o.excludeSchemas = split(excludeSchemas.getText());
        o.includeTables = split(includeTables.getText());
        o.excludeTables = split(excludeTables.getText());
        o.output = Path.of(output.getText().trim());
        o.overwrite = overwrite.isSelected();
        o.verify = verify.isSelected();
        return o;
    }

    static List<String> split(String s) {
        List<String> l = new ArrayList<>();
        for (String p : s.split(",")) if (!p.isBlank()) l.add(p.trim());
        return l;
    }

    private void runChecks() {
        plan = null;
        BackupOptions o = options();
        pane.loadChecks(vm.context().tasks(), "backup", c -> vm.backups().plan(session, o), checksStep, checks, command, p -> plan = p);
    }

    private void buildRun() {
        progress.setMaxWidth(Double.MAX_VALUE);
        log.setPrefHeight(252);
        log.getStyleClass().add("monospace");
        result.setWrapText(true);
        result.getStyleClass().add("backup-result");
        cancel.setGraphic(new FontIcon(Feather.X_CIRCLE));
        cancel.setDisable(true);
        cancel.setOnAction(e -> {
            if (running != null) running.cancel();
        });
        VBox box = new VBox(10, progress, runMessage, new Label("Tool output"), log, new HBox(8, cancel), result);
        WizardPane.Step s = new WizardPane.Step("Run", box);
        s.onEnter = this::start;
        pane.add(s);
    }

    private void start() {
        BackupService.Plan p = plan;
        pane.lockBack(true);
        cancel.setDisable(false);
        result.setText("");
        log.getItems().clear();
        running = vm.context().tasks().task("Backup of " + session.target().database() + " to " + p.options().output.getFileName(),
                        c -> vm.backups().run(p, c, LiveLog.sink(log)))
                .onSuccess(r -> result.setText("Backup complete: " + r.path() + " — " + Bytes.human(r.sizeBytes()) + " in "
                        + r.duration().toSeconds() + " s. " + (r.verified() ? "Verified: " + r.verification() + "." : "Not verified.")
                        + (r.sha256() != null ? " SHA-256 " + r.sha256() + " in " + r.checksumFile().getFileName() + "." : "")))
                .onFailure(e -> result.setText("Backup failed: " + ConsoleException.userMessage(e)))
                .onCancelled(() -> result.setText("Backup cancelled. The partial output was removed; no backup file was written."))
                .onFinished(() -> {
                    cancel.setDisable(true);
                    pane.lockBack(false);
                    vm.refreshHistory();
                })
                .inTaskPanel()
                .start();
        progress.progressProperty().bind(running.progressProperty());
        runMessage.textProperty().bind(running.messageProperty());
    }


    private static final class FormatCell extends ListCell<BackupFormat> {
        @Override protected void updateItem(BackupFormat f, boolean empty) {
            super.updateItem(f, empty);
            setText(empty || f == null ? null : f.label());
        }
    }

    static final class CheckCell extends ListCell<Check> {
        @Override protected void updateItem(Check c, boolean empty) {
            super.updateItem(c, empty);
            getStyleClass().removeAll("check-ok", "check-warn", "check-block");
            if (empty || c == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText(c.name() + ": " + c.message());
            setTooltip(new javafx.scene.control.Tooltip(c.message()));
            Feather icon = switch (c.level()) {
                case OK -> Feather.CHECK_CIRCLE;
                case WARN -> Feather.ALERT_TRIANGLE;
                case BLOCK -> Feather.X_OCTAGON;
            };
            setGraphic(new FontIcon(icon));
            getStyleClass().add("check-" + c.level().name().toLowerCase());
        }
    }

    static String join(String... parts) { return String.join(" ", Arrays.asList(parts)); }

    static boolean isRunning(BackgroundTask<?> t) { return t != null && t.isRunning() && !TaskExecutor.wasCancelled(t); }
}
