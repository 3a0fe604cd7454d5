package io.msyspg.console.ui.upgrade;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.core.upgrade.UpgradeChecklist;
import io.msyspg.console.core.upgrade.UpgradeExecutor;
import io.msyspg.console.core.upgrade.UpgradePlanner;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.core.upgrade.UpgradeReports;
import io.msyspg.console.core.upgrade.UpgradeRequest;
import io.msyspg.console.core.upgrade.UpgradeResult;
import io.msyspg.console.core.upgrade.UpgradeSource;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.LiveLog;
import io.msyspg.console.ui.common.WizardPane;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The guided major upgrade, one step per page: plan → Momentum checklist → pre-flight (checks with their numbers,
 * pg_upgrade --check, the dry run) → the upgrade as a background task with progress and its log → the deferred
 * job that outlives the console → the report the admin keeps (where the later checklist items are ticked).
 * All work runs through {@code ctx.tasks()}; the pages only read and write controls.
 */
final class UpgradeWizard {
    private final UpgradeViewModel vm;
    private final UpgradeSource source;
    private final UpgradeExecutor executor;
    private final WizardPane pane;
    private final Consumer<String> showJob;

    // plan
    final Label sourceInfo = new Label();
    final TextField oldBin = new TextField();
    final ComboBox<PgBinaries> targetChoice = new ComboBox<>();
    final TextField newBin = new TextField();
    final ComboBox<Method> method = new ComboBox<>(FXCollections.observableArrayList(Method.values()));
    final TextField newData = new TextField();
    final TextField newPort = new TextField();
    final TextField script = new TextField();
    final CheckBox analyze = new CheckBox("Queue vacuumdb --all --analyze-in-stages afterwards (planner statistics are not carried over)");
    final Label planSummary = new Label();
    // checklist
    final List<CheckBox> checklistBoxes = new ArrayList<>();
    final CheckBox notMomentum = new CheckBox("This server is not part of a Momentum cluster (no role order to follow)");
    private List<UpgradeReport.ChecklistTick> ticks = UpgradeChecklist.fresh();
    // pre-flight
    final RadioButton useRecent = new RadioButton("Use a verified backup of every database younger than");
    final Spinner<Integer> maxAgeHours = new Spinner<>(1, 24 * 30, 24);
    final RadioButton takeNow = new RadioButton("Take one now (pg_dump -Fc -Z 9 of every database, verified) into");
    final TextField backupDir = new TextField();
    final CheckBox stopOld = new CheckBox("Let the console stop the old server right before pg_upgrade (pg_ctl -m fast)");
    final ListView<UpgradeReport.CheckLine> checks = new ListView<>();
    final TextArea dryRun = new TextArea();
    final Button recheck = new Button("Check again", new FontIcon(Feather.REFRESH_CW));
    // run
    final ProgressBar progress = new ProgressBar(0);
    final Label runMessage = new Label("Not started");
    final ListView<String> log = new ListView<>();
    final Label runResult = new Label();
    final Button cancel = new Button("Cancel upgrade", new FontIcon(Feather.X_CIRCLE));
    // deferred + report
    final Label deferredInfo = new Label();
    final Button showJobButton = new Button("Show in the jobs list", new FontIcon(Feather.CLOCK));
    final TextArea reportText = new TextArea();
    final Label reportFiles = new Label();
    final List<CheckBox> laterBoxes = new ArrayList<>();

    private UpgradeExecutor.Preview preview;
    private UpgradeRequest previewed;
    private BackgroundTask<UpgradeResult> running;
    private UpgradeResult result;
    private WizardPane.Step checksStep;
    private WizardPane.Step runStep;

    UpgradeWizard(UpgradeViewModel vm, UpgradeSource source, UpgradeExecutor executor, Runnable onClose, Consumer<String> showJob) {
        this.vm = vm;
        this.source = source;
        this.executor = executor;
        this.showJob = showJob;
        this.pane = new WizardPane("upgrade", "Major upgrade", () -> {
            if (running != null && running.isRunning()) {
                pane().showError("The upgrade is still running: cancel it first (or let it finish).");
                return;
            }
            onClose.run();
        });
        ids();
        for (var l : List.of(analyze, notMomentum, useRecent, takeNow, stopOld)) l.setMnemonicParsing(false);
        buildPlan();
        buildChecklist();
        buildPreflight();
        buildRun();
        buildDeferred();
        buildReport();
        pane.start();
    }

    WizardPane pane() { return pane; }

    private void ids() {
        sourceInfo.setId("upgradeSourceInfo");
        oldBin.setId("upgradeOldBin");
        targetChoice.setId("upgradeTargetChoice");
        newBin.setId("upgradeNewBin");
        method.setId("upgradeMethod");
        newData.setId("upgradeNewData");
        newPort.setId("upgradeNewPort");
        script.setId("upgradeScript");
        analyze.setId("upgradeAnalyze");
        planSummary.setId("upgradePlanSummary");
        notMomentum.setId("upgradeNotMomentum");
        useRecent.setId("upgradeUseRecent");
        maxAgeHours.setId("upgradeMaxAge");
        takeNow.setId("upgradeTakeNow");
        backupDir.setId("upgradeBackupDir");
        stopOld.setId("upgradeStopOld");
        checks.setId("upgradeChecks");
        dryRun.setId("upgradeDryRun");
        recheck.setId("upgradeRecheck");
        progress.setId("upgradeProgress");
        runMessage.setId("upgradeRunMessage");
        log.setId("upgradeLog");
        runResult.setId("upgradeRunResult");
        cancel.setId("upgradeCancel");
        deferredInfo.setId("upgradeDeferredInfo");
        showJobButton.setId("upgradeShowJob");
        reportText.setId("upgradeReportText");
        reportFiles.setId("upgradeReportFiles");
    }

    // ------------------------------------------------------------------------------------------------ 1. plan

    private void buildPlan() {
        sourceInfo.setText(source.describe());
        sourceInfo.setWrapText(true);
        sourceInfo.getStyleClass().add("text-bold");
        if (source.oldBinDir() != null) oldBin.setText(source.oldBinDir().toString());
        oldBin.setPromptText("pg_upgrade only: folder of the old server's postgres, pg_ctl, pg_controldata (dump and restore needs none)");
        targetChoice.getItems().setAll(source.newerBinaries());
        targetChoice.setCellFactory(l -> new BinCell());
        targetChoice.setButtonCell(new BinCell());
        targetChoice.setPromptText(source.newerBinaries().isEmpty() ? "none installed: enter the folder below" : "choose");
        targetChoice.valueProperty().addListener((o, a, b) -> {
            if (b == null) return;
            newBin.setText(b.binDir().toString());
            Path suggested = source.suggestedNewDataDir(b.version().major());
            if (suggested != null && (newData.getText().isBlank() || a != null && newData.getText().equals(String.valueOf(source.suggestedNewDataDir(a.version().major()))))) {
                newData.setText(suggested.toString());
            }
        });
        newBin.setPromptText("folder of the new server's initdb, pg_ctl, pg_upgrade");
        method.setCellFactory(l -> new MethodCell());
        method.setButtonCell(new MethodCell());
        method.setValue(source.dataDirHere() ? Method.PG_UPGRADE_COPY : Method.DUMP_RESTORE);
        newPort.setText(Integer.toString(source.suggestedNewPort()));
        script.setPromptText("optional: Momentum's 33_deferred_migration or another program, run as the last deferred step");
        analyze.setSelected(true);
        planSummary.setWrapText(true);
        planSummary.getStyleClass().add("upgrade-plan");
        Button browseScript = new Button("Browse…", new FontIcon(Feather.FILE));
        browseScript.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Migration script");
            File f = fc.showOpenDialog(pane.getScene().getWindow());
            if (f != null) script.setText(f.getAbsolutePath());
        });
        Button browseData = new Button("Browse…", new FontIcon(Feather.FOLDER));
        browseData.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder to create the new cluster in");
            File f = dc.showDialog(pane.getScene().getWindow());
            if (f != null) newData.setText(new File(f, "data").getAbsolutePath());
        });
        GridPane g = WizardPane.grid();
        int r = 0;
        g.addRow(r++, new Label("Old binaries"), oldBin);
        g.addRow(r++, new Label("Target version"), targetChoice);
        g.addRow(r++, new Label("New binaries"), newBin);
        g.addRow(r++, new Label("Method"), method);
        g.addRow(r++, new Label("New data directory"), grow(newData, browseData));
        g.addRow(r++, new Label("New port"), newPort);
        g.addRow(r++, new Label("Migration script"), grow(script, browseScript));
        VBox notes = new VBox(4);
        for (String n : source.notes()) notes.getChildren().add(WizardPane.muted(n));
        VBox box = new VBox(10, sourceInfo, notes, g, analyze, planSummary,
                WizardPane.muted("pg_upgrade (copy, link, clone) needs both versions' server binaries on this host and the old server stopped;"
                        + " dump and restore keeps the old server running and works across machines."));
        for (var p : List.of(oldBin.textProperty(), newBin.textProperty(), newData.textProperty(), newPort.textProperty())) {
            p.addListener((o, a, b) -> updatePlan());
        }
        method.valueProperty().addListener((o, a, b) -> updatePlan());
        if (!source.newerBinaries().isEmpty()) targetChoice.setValue(source.newerBinaries().get(source.newerBinaries().size() - 1));
        updatePlan();
        WizardPane.Step s = new WizardPane.Step("Plan", box);
        s.leave = this::planProblem;
        pane.add(s);
    }

    /** The target version as far as it is known on the plan page (from the chosen binaries). */
    private PgVersion targetVersion() {
        PgBinaries b = targetChoice.getValue();
        return b != null && b.binDir().toString().equals(newBin.getText().trim()) ? b.version() : null;
    }

    private void updatePlan() {
        PgVersion target = targetVersion();
        if (target == null) {
            planSummary.setText(newBin.getText().isBlank() ? "Choose the target version." : "The target version is read from "
                    + newBin.getText().trim() + " in the pre-flight.");
            return;
        }
        try {
            UpgradePlanner.Plan p = plan(target);
            List<Path> hopDirs = hopBinDirs(p);
            StringBuilder b = new StringBuilder();
            if (!hopDirs.isEmpty()) {
                b.append("• pg_upgrade in ").append(p.hops().size()).append(" hops, one run:\n");
                for (int i = 0; i < p.hops().size(); i++) {
                    UpgradePlanner.Hop h = p.hops().get(i);
                    boolean last = i == p.hops().size() - 1;
                    String into = newData.getText().isBlank() ? "(the new data directory)" : last ? newData.getText().trim()
                            : UpgradeExecutor.intermediateDataDir(Path.of(newData.getText().trim()), h.toolMajor()).toString();
                    b.append("   ").append(i + 1).append(". ").append(h.from().majorLabel()).append(" → ").append(h.to().majorLabel())
                            .append(": pg_upgrade ").append(h.toolMajor()).append(" (").append(last ? newBin.getText().trim() : hopDirs.get(i))
                            .append(") into ").append(into).append(last ? "" : " on a free port; removed once the next hop succeeded").append('\n');
                }
            } else {
                for (UpgradePlanner.Hop h : p.hops()) b.append("• ").append(h.from().majorLabel()).append(" → ").append(h.to().majorLabel())
                        .append(": ").append(h.why()).append('\n');
            }
            b.append("• Free space needed at the new data directory: about ").append(UpgradePlanner.bytes(p.requiredFreeBytes()))
                    .append(" (measured exactly in the pre-flight)\n");
            for (String n : p.notes()) b.append("• ").append(n).append('\n');
            planSummary.setText(b.toString().strip());
        } catch (ConsoleException e) {
            planSummary.setText(e.getMessage());
        }
    }

    /** The plan from what the page holds (pure: the installed majors were read with the source, off the FX thread). */
    private UpgradePlanner.Plan plan(PgVersion target) {
        List<Integer> installed = new ArrayList<>(source.newerBinaries().stream().map(b -> b.version().major()).toList());
        if (!oldBin.getText().isBlank()) installed.add(source.version().major());
        return UpgradePlanner.plan(source.version(), target, method.getValue(), installed, source.databasesBytes());
    }

    /** The intermediate servers' bin folders of a multi-hop pg_upgrade plan (from the binaries read with the source); empty for one hop. */
    private List<Path> hopBinDirs(UpgradePlanner.Plan p) {
        if (!p.method().usesPgUpgrade() || p.hops().size() < 2) return List.of();
        List<Path> dirs = new ArrayList<>();
        for (UpgradePlanner.Hop h : p.hops().subList(0, p.hops().size() - 1)) {
            source.newerBinaries().stream().filter(b -> b.version().major() == h.toolMajor()).findFirst().ifPresent(b -> dirs.add(b.binDir()));
        }
        return dirs.size() == p.hops().size() - 1 ? dirs : List.of();
    }

    String planProblem() {
        if (method.getValue() == null) return "Choose the upgrade method.";
        if (method.getValue().usesPgUpgrade() && !source.dataDirHere()) {
            return "pg_upgrade needs the old data directory on this host"
                    + (source.dataDir() == null ? "" : " (" + source.dataDir() + " is not here)") + "; choose dump and restore.";
        }
        if (method.getValue().usesPgUpgrade() && oldBin.getText().isBlank()) {
            return "pg_upgrade needs the folder of the old server's binaries (pg_ctl, pg_controldata, pg_resetwal): enter it, or choose dump and restore.";
        }
        if (newBin.getText().isBlank()) return "Choose the target version or enter the folder of its binaries.";
        if (newData.getText().isBlank()) return "Enter the data directory for the new cluster.";
        try {
            int p = Integer.parseInt(newPort.getText().trim());
            if (p < 1 || p > 65535) return "The new port " + p + " is not a TCP port (1-65535).";
        } catch (NumberFormatException e) {
            return "The new port '" + newPort.getText().trim() + "' is not a number.";
        }
        PgVersion t = targetVersion();
        if (t != null) {
            try {
                plan(t);
            } catch (ConsoleException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ 2. checklist

    private void buildChecklist() {
        VBox box = new VBox(10, WizardPane.muted("Momentum's upgrade guide gives the order of the roles. The database role goes first: tick it to"
                + " confirm no other role has been upgraded yet. The manager, web UI and MTAs follow the database; tick them on the"
                + " report page as they are done: each tick is recorded in the report with its time."));
        List<String> items = UpgradePlanner.momentumChecklist();
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            CheckBox cb = new CheckBox((i + 1) + ". " + items.get(i));
            cb.setId("upgradeChecklist" + i);
            cb.setMnemonicParsing(false);
            cb.setWrapText(true);
            cb.setDisable(i > 0);
            cb.selectedProperty().addListener((o, a, b) -> ticks = UpgradeChecklist.tick(ticks, index, b, Instant.now()));
            if (i > 0) cb.setTooltip(new Tooltip("After the database upgrade: tick it on the report page"));
            checklistBoxes.add(cb);
            box.getChildren().add(cb);
        }
        box.getChildren().add(notMomentum);
        WizardPane.Step s = new WizardPane.Step("Momentum checklist", box);
        s.leave = () -> checklistBoxes.get(0).isSelected() || notMomentum.isSelected() ? null
                : "Tick the first item (the database role is upgraded first), or say this is not a Momentum cluster.";
        pane.add(s);
    }

    // ------------------------------------------------------------------------------------------------ 3. pre-flight

    private void buildPreflight() {
        ToggleGroup tg = new ToggleGroup();
        useRecent.setToggleGroup(tg);
        takeNow.setToggleGroup(tg);
        takeNow.setSelected(true);
        maxAgeHours.setEditable(true);
        maxAgeHours.setPrefWidth(90);
        maxAgeHours.disableProperty().bind(useRecent.selectedProperty().not());
        backupDir.disableProperty().bind(takeNow.selectedProperty().not());
        backupDir.setPromptText("default: the run's report folder");
        stopOld.setSelected(true);
        stopOld.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> method.getValue() == null || !method.getValue().usesPgUpgrade(), method.valueProperty()));
        checks.setCellFactory(l -> {
            CheckCell c = new CheckCell();
            c.prefWidthProperty().bind(l.widthProperty().subtract(24));
            return c;
        });
        checks.setPrefHeight(240);
        dryRun.setEditable(false);
        dryRun.setWrapText(true);
        dryRun.setPrefRowCount(8);
        dryRun.getStyleClass().add("monospace");
        recheck.setOnAction(e -> runPreflight());
        recheck.setTooltip(new Tooltip("Measure and check again (F5)"));
        HBox recent = new HBox(8, useRecent, maxAgeHours, new Label("hours"));
        HBox now = new HBox(8, takeNow, backupDir);
        HBox.setHgrow(backupDir, Priority.ALWAYS);
        VBox box = new VBox(10, new Label("Backup first"), recent, now, stopOld, new HBox(8, recheck), checks,
                new Label("Dry run: every step and command, in order (nothing has run yet)"), dryRun);
        WizardPane.Step s = new WizardPane.Step("Pre-flight", box);
        s.nextLabel = "Start upgrade";
        s.onEnter = this::runPreflight;
        s.leave = () -> preview == null ? "The pre-flight has not finished."
                : preview.blocked() ? "Fix what blocks first: " + firstBlock() : !request().sameAs(previewed) ? "The choices changed: check again." : null;
        s.confirm = () -> vm.context().dialogs().confirmByTyping("Start the upgrade",
                "This upgrades PostgreSQL " + source.version() + " (" + source.dataDir() + ") with " + method.getValue().label
                        + (method.getValue() == Method.PG_UPGRADE_LINK ? ". With --link the old cluster cannot be started again once the new one has run." : ".")
                        + " Type the new data directory's folder name to go on.", Path.of(newData.getText().trim()).getFileName().toString());
        pane.add(s);
        checksStep = s;
        pane.sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) sc.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F5),
                    () -> { if (pane.isVisible() && pane.index() == 2 && !recheck.isDisabled()) runPreflight(); });
        });
    }

    private String firstBlock() {
        return preview.checks().stream().filter(c -> "BLOCK".equals(c.verdict())).map(c -> c.name() + ": " + c.detail()).findFirst().orElse("");
    }

    /** The request from what the pages hold (no password: that goes to the executor separately). */
    Request request() {
        UpgradeRequest r = new UpgradeRequest();
        r.source = source.target();
        // not on this host (dump and restore from another machine): the executor reads the source over the network
        r.oldDataDir = source.dataDirHere() ? source.dataDir() : null;
        r.oldBinDir = oldBin.getText().isBlank() ? null : Path.of(oldBin.getText().trim());
        r.newBinDir = Path.of(newBin.getText().trim());
        r.newDataDir = Path.of(newData.getText().trim());
        r.newPort = Integer.parseInt(newPort.getText().trim());
        r.method = method.getValue();
        PgVersion t = targetVersion();
        if (t != null && r.method != null) {
            try {
                r.hopBinDirs = new ArrayList<>(hopBinDirs(plan(t)));   // the hops the plan page showed
            } catch (ConsoleException e) {
                r.hopBinDirs = new ArrayList<>();                      // the pre-flight says why
            }
        }
        r.backup = takeNow.isSelected() ? UpgradeRequest.BackupChoice.TAKE_NOW : UpgradeRequest.BackupChoice.USE_RECENT;
        r.maxBackupAge = Duration.ofHours(maxAgeHours.getValue());
        r.backupDir = backupDir.getText().isBlank() ? null : Path.of(backupDir.getText().trim());
        r.migrationScript = script.getText().isBlank() ? null : Path.of(script.getText().trim());
        r.database = source.target().database();
        r.analyzeAfter = analyze.isSelected();
        r.stopOldServer = stopOld.isSelected();
        r.checklist = notMomentum.isSelected() ? List.of() : List.copyOf(ticks);
        return new Request(r);
    }

    /** The request and a comparison of what matters for the pre-flight (not the checklist's tick times). */
    record Request(UpgradeRequest r) {
        boolean sameAs(UpgradeRequest o) {
            return o != null && java.util.Objects.equals(key(r), key(o));
        }

        static List<Object> key(UpgradeRequest r) {
            return java.util.Arrays.asList(r.oldBinDir, r.newBinDir, r.hopBinDirs, r.newDataDir, r.newPort, r.method, r.backup, r.maxBackupAge,
                    r.backupDir, r.migrationScript, r.analyzeAfter, r.stopOldServer);
        }
    }

    private void runPreflight() {
        preview = null;
        previewed = null;
        pane.showError("");
        checks.getItems().clear();
        dryRun.setText("Checking: measuring the data directory, free space, tools, backups" + (method.getValue().usesPgUpgrade() ? ", pg_upgrade --check" : "") + "…");
        checksStep.ready.set(false);
        recheck.setDisable(true);
        UpgradeRequest r = request().r();
        vm.context().tasks().task("Upgrade pre-flight", c -> {
                    char[] pw = vm.password();
                    try {
                        return executor.preflight(r, pw, c);
                    } finally {
                        if (pw != null) java.util.Arrays.fill(pw, '\0');
                    }
                })
                .onSuccess(p -> {
                    preview = p;
                    previewed = r;
                    checks.getItems().setAll(p.checks());
                    StringBuilder b = new StringBuilder();
                    for (String l : p.dryRun()) b.append(l).append('\n');
                    if (p.pgUpgradeCheckOutput() != null && !p.pgUpgradeCheckOutput().isBlank()) {
                        b.append("\npg_upgrade --check said:\n").append(p.pgUpgradeCheckOutput().strip()).append('\n');
                    }
                    if (p.pgUpgradeLogDir() != null) b.append("pg_upgrade's logs: ").append(p.pgUpgradeLogDir()).append('\n');
                    dryRun.setText(b.toString().strip());
                    checksStep.ready.set(!p.blocked());
                    if (p.blocked()) pane.showError("The upgrade cannot start: " + firstBlock());
                })
                .onFailure(e -> {
                    dryRun.setText("");
                    pane.showError("The pre-flight failed: " + ConsoleException.userMessage(e));
                })
                .onFinished(() -> recheck.setDisable(false))
                .inTaskPanel()
                .start();
    }

    // ------------------------------------------------------------------------------------------------ 4. run

    private void buildRun() {
        progress.setMaxWidth(Double.MAX_VALUE);
        log.setPrefHeight(280);
        log.getStyleClass().add("monospace");
        runResult.setWrapText(true);
        runResult.getStyleClass().add("backup-result");
        cancel.setDisable(true);
        cancel.setOnAction(e -> {
            if (running != null && vm.context().dialogs().confirm("Cancel the upgrade",
                    "Stop the running step? The old cluster is left as it is where the method allows it; the report says what was done.", "Cancel upgrade")) {
                running.cancel();
            }
        });
        VBox box = new VBox(10, progress, runMessage, new Label("Output"), log, new HBox(8, cancel), runResult);
        WizardPane.Step s = new WizardPane.Step("Upgrade", box);
        s.onEnter = this::startRun;
        s.leave = () -> result == null ? "The upgrade has not finished." : null;
        pane.add(s);
        runStep = s;
    }

    private void startRun() {
        if (result != null || (running != null && running.isRunning())) return;
        UpgradeRequest r = request().r();
        pane.lockBack(true);
        runStep.ready.set(false);
        cancel.setDisable(false);
        runResult.setText("");
        log.getItems().clear();
        Consumer<String> line = LiveLog.sink(log);
        UpgradeExecutor.Listener listener = new UpgradeExecutor.Listener() {
            @Override public void stepStarted(String name, int index, int total) { line.accept("== step " + index + "/" + total + ": " + name); }
            @Override public void stepFinished(UpgradeReport.Step step) {
                line.accept("== " + step.name() + ": " + step.result() + " in " + step.duration().toSeconds() + " s"
                        + (step.detail() == null ? "" : " — " + step.detail()));
            }
            @Override public void line(String l) { line.accept(l); }
        };
        running = vm.context().tasks().task("Upgrade to " + Path.of(newBin.getText().trim()), c -> {
                    char[] pw = vm.password();
                    try {
                        return executor.run(r, pw, c, listener);
                    } finally {
                        if (pw != null) java.util.Arrays.fill(pw, '\0');
                    }
                })
                .onSuccess(res -> {
                    result = res;
                    UpgradeReport rep = res.report();
                    runResult.setText((res.succeeded() ? "Upgraded: " : "The upgrade did not complete: ") + rep.result
                            + (rep.message == null ? "" : " — " + rep.message) + ". Report: " + res.textFile());
                    runResult.getStyleClass().removeAll("upgrade-ok", "upgrade-failed");
                    runResult.getStyleClass().add(res.succeeded() ? "upgrade-ok" : "upgrade-failed");
                    showResult(res);
                })
                .onFailure(e -> runResult.setText("The upgrade could not run: " + ConsoleException.userMessage(e)))
                .onCancelled(() -> runResult.setText("Cancelled. The report in " + executor.reportsDir() + " says which steps ran."))
                .onFinished(() -> {
                    cancel.setDisable(true);
                    runStep.ready.set(result != null);
                    pane.lockBack(result != null);
                    vm.refresh();
                })
                .inTaskPanel()
                .start();
        progress.progressProperty().bind(running.progressProperty());
        runMessage.textProperty().bind(running.messageProperty());
    }

    // ------------------------------------------------------------------------------------------------ 5. deferred

    private void buildDeferred() {
        deferredInfo.setWrapText(true);
        showJobButton.setDisable(true);
        showJobButton.setOnAction(e -> {
            if (result != null && result.deferredJobId() != null) showJob.accept(result.deferredJobId());
        });
        VBox box = new VBox(10, deferredInfo, new HBox(8, showJobButton),
                WizardPane.muted("The deferred job runs as its own process (setsid), its output in files: closing the console, or losing the SSH or X"
                        + " session, does not stop it. The Upgrade screen (and 'msyspg-console upgrade status|attach') finds it again."));
        WizardPane.Step s = new WizardPane.Step("Deferred steps", box);
        pane.add(s);
    }

    // ------------------------------------------------------------------------------------------------ 6. report

    private void buildReport() {
        reportText.setEditable(false);
        reportText.setPrefRowCount(18);
        reportText.getStyleClass().add("monospace");
        reportFiles.setWrapText(true);
        VBox later = new VBox(6);
        List<String> items = UpgradePlanner.momentumChecklist();
        for (int i = 1; i < items.size(); i++) {
            int index = i;
            CheckBox cb = new CheckBox((i + 1) + ". " + items.get(i));
            cb.setId("upgradeLater" + i);
            cb.setMnemonicParsing(false);
            cb.setWrapText(true);
            cb.selectedProperty().addListener((o, a, b) -> recordLater(index, b));
            laterBoxes.add(cb);
            later.getChildren().add(cb);
        }
        VBox box = new VBox(10, reportFiles, new Label("Momentum roles after the database (each tick is written to the report)"), later, reportText);
        WizardPane.Step s = new WizardPane.Step("Report", box);
        pane.add(s);
    }

    private void recordLater(int index, boolean done) {
        if (result == null) return;
        UpgradeReport rep = result.report();
        Instant at = Instant.now();
        vm.context().tasks().task("Recording the checklist", c -> {
            synchronized (rep) {
                UpgradeChecklist.record(rep, index, done, at);
                return UpgradeReports.text(rep);
            }
        }).onSuccess(reportText::setText).start();
    }

    private void showResult(UpgradeResult res) {
        UpgradeReport rep = res.report();
        reportText.setText(UpgradeReports.text(rep));
        reportFiles.setText("Keep these files: " + res.textFile() + " (for people) and " + res.jsonFile() + " (for tools).");
        if (res.deferredJobId() != null) {
            deferredInfo.setText("Deferred job " + res.deferredJobId() + " was queued" + (request().r().launchDeferred ? " and started" : "")
                    + ": " + (analyze.isSelected() ? "vacuumdb --all --analyze-in-stages against the new server" : "")
                    + (rep.scripts.isEmpty() ? "" : ", pg_upgrade's scripts " + rep.scripts)
                    + (script.getText().isBlank() ? "" : ", then " + script.getText().trim()) + ".");
            showJobButton.setDisable(false);
        } else {
            deferredInfo.setText(res.succeeded() ? "No deferred step was queued." : "No deferred job: the upgrade did not complete.");
        }
        for (CheckBox cb : laterBoxes) cb.setDisable(!res.succeeded() || notMomentum.isSelected());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static HBox grow(TextField f, Button b) {
        HBox h = new HBox(8, f, b);
        HBox.setHgrow(f, Priority.ALWAYS);
        f.setPrefColumnCount(36);
        return h;
    }


    private static final class BinCell extends ListCell<PgBinaries> {
        @Override protected void updateItem(PgBinaries b, boolean empty) {
            super.updateItem(b, empty);
            setText(empty || b == null ? null : "PostgreSQL " + b.version() + " — " + b.binDir());
        }
    }

    private static final class MethodCell extends ListCell<Method> {
        @Override protected void updateItem(Method m, boolean empty) {
            super.updateItem(m, empty);
            setText(empty || m == null ? null : m.label);
        }
    }

    static final class CheckCell extends ListCell<UpgradeReport.CheckLine> {
        @Override protected void updateItem(UpgradeReport.CheckLine c, boolean empty) {
            super.updateItem(c, empty);
            getStyleClass().removeAll("check-ok", "check-warn", "check-block");
            if (empty || c == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            setText(c.name() + ": " + c.detail());
            setWrapText(true);
            setTooltip(new Tooltip(c.detail()));
            Feather icon = switch (c.verdict()) {
                case "BLOCK" -> Feather.X_OCTAGON;
                case "WARN" -> Feather.ALERT_TRIANGLE;
                case "INFO" -> Feather.INFO;
                default -> Feather.CHECK_CIRCLE;
            };
            setGraphic(new FontIcon(icon));
            getStyleClass().add(switch (c.verdict()) {
                case "BLOCK" -> "check-block";
                case "WARN" -> "check-warn";
                default -> "check-ok";
            });
        }
    }
}
