package io.msyspg.console.ui.backup;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.backup.Bytes;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.property.SimpleStringProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** The BACKUP screen: start the backup or restore wizard, and the history of backups made by this console. */
public final class BackupView implements FeatureView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @FXML private StackPane root;
    @FXML private VBox home;
    @FXML private StackPane body;
    @FXML private VBox historyBox;
    @FXML private Label target;
    @FXML private Button backupButton;
    @FXML private Button restoreButton;
    @FXML private TableView<BackupHistory.Entry> history;
    @FXML private StackPane wizardHost;

    private final BackupViewModel vm;
    private final Node notConnected;
    private BackupWizard backupWizard;
    private RestoreWizard restoreWizard;

    public BackupView(AppContext ctx) {
        this.vm = new BackupViewModel(ctx);
        Parent loaded = ViewLoader.load(this);
        assert loaded == root;
        var bundle = ViewLoader.bundle();
        notConnected = EmptyState.of(Feather.ARCHIVE, bundle.getString("backup.notConnected"), bundle.getString("backup.notConnectedHint"));
        notConnected.setId("backupNotConnected");
        body.getChildren().add(notConnected);
        backupButton.setGraphic(new FontIcon(Feather.DOWNLOAD));
        restoreButton.setGraphic(new FontIcon(Feather.UPLOAD));
        backupButton.setTooltip(new Tooltip("Start the backup wizard (Ctrl+Shift+B)"));
        restoreButton.setTooltip(new Tooltip("Start the restore wizard (Ctrl+Shift+R)"));
        backupButton.setOnAction(e -> openBackup());
        restoreButton.setOnAction(e -> openRestore());
        root.sceneProperty().addListener((o, a, s) -> {
            if (s == null) return;
            s.getAccelerators().put(new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                    () -> { if (root.isVisible() && !backupButton.isDisabled() && !wizardHost.isVisible()) openBackup(); });
            s.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                    () -> { if (root.isVisible() && !restoreButton.isDisabled() && !wizardHost.isVisible()) openRestore(); });
        });
        history.getColumns().setAll(List.of(
                col("When", e -> e.startedAt == null ? "" : WHEN.format(e.startedAt), 150),
                col("Database", e -> e.database, 130),
                col("Format", e -> e.format, 110),
                col("Size", e -> e.sizeBytes > 0 ? Bytes.human(e.sizeBytes) : "", 80),
                col("Duration", e -> String.format("%.1f s", e.durationMillis / 1000.0), 80),
                col("Verified", e -> e.verified ? "yes" : "no", 70),
                col("Status", e -> e.status, 90),
                col("Path", e -> e.path, 260),
                col("Message", e -> e.message, 300)));
        history.setItems(vm.history());
        history.setPlaceholder(new Label("No backups yet: the ones made here (and with 'msyspg-console backup') are listed with size, duration and verification."));
        ctx.session().currentProperty().addListener((o, a, s) -> sessionChanged(s));
        sessionChanged(ctx.session().current());
        vm.refreshHistory();
        ctx.tasks().task("Preparing the backup screen", c -> {
            SkinClasses.preload();
            return null;
        }).start();
    }

    private static TableColumn<BackupHistory.Entry, String> col(String title, Function<BackupHistory.Entry, String> f, double width) {
        TableColumn<BackupHistory.Entry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new SimpleStringProperty(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private void sessionChanged(DbSession s) {
        boolean connected = s != null;
        backupButton.setDisable(!connected);
        restoreButton.setDisable(!connected);
        historyBox.setVisible(connected);
        notConnected.setVisible(!connected);
        target.setText(connected ? s.target().display() + " · PostgreSQL " + s.serverVersion() : "");
    }

    /*
     * The wizards' controls are built on a background thread (allowed for nodes not yet in a scene) and attached
     * when ready: building a few dozen controls is cheap, but not on a busy machine's FX thread.
     */
    void openBackup() {
        DbSession s = vm.session();
        if (s == null || opening) return;
        opening = true;
        vm.context().tasks().task("Opening the backup wizard", c -> {
                    SkinClasses.preload();
                    return new BackupWizard(vm, s, this::closeWizard);
                })
                .onSuccess(w -> {
                    backupWizard = w;
                    showWizard(w.pane());
                })
                .onFinished(() -> opening = false)
                .start();
    }

    void openRestore() {
        DbSession s = vm.session();
        if (s == null || opening) return;
        opening = true;
        vm.context().tasks().task("Opening the restore wizard", c -> {
                    SkinClasses.preload();
                    return new RestoreWizard(vm, s, this::closeWizard);
                })
                .onSuccess(w -> {
                    restoreWizard = w;
                    showWizard(w.pane());
                })
                .onFinished(() -> opening = false)
                .start();
    }

    private boolean opening;

    private void showWizard(Node n) {
        wizardHost.getChildren().setAll(n);
        wizardHost.setManaged(true);
        wizardHost.setVisible(true);
        home.setVisible(false);
    }

    private void closeWizard() {
        wizardHost.getChildren().clear();
        wizardHost.setVisible(false);
        wizardHost.setManaged(false);
        home.setVisible(true);
        vm.refreshHistory();
    }

    BackupViewModel viewModel() { return vm; }

    @Override public Node root() { return root; }

    @Override public void onShown() { vm.refreshHistory(); }
}
