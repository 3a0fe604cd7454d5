package io.msyspg.console.ui.server;

import io.msyspg.console.core.cluster.PgCluster.StopMode;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.server.ConfigFiles;
import io.msyspg.console.core.server.ConfigService;
import io.msyspg.console.core.server.MaintenanceService;
import io.msyspg.console.core.server.ServerControl;
import io.msyspg.console.core.server.ServerSettings;
import io.msyspg.console.core.server.Setting;
import io.msyspg.console.core.server.SettingUnits;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/** The Server screen: control, configuration, postgresql.conf, storage and maintenance of a server on this host. */
public final class ServerView implements FeatureView {
    @FXML private TextField dataDirField;
    @FXML private TextField serviceField;
    @FXML private Label restartBanner;
    @FXML private TabPane tabs;
    @FXML private Label statusLabel;
    @FXML private Button refreshStatusButton, startButton, stopButton, restartButton, reloadButton;
    @FXML private ChoiceBox<StopMode> stopModeChoice;
    @FXML private ListView<String> outputList;
    @FXML private ToggleButton filterAll, filterChanged, filterPending, filterRestartOnly, filterLogging;
    @FXML private ComboBox<String> categoryBox;
    @FXML private TextField searchField;
    @FXML private Button refreshConfigButton;
    @FXML private Label configWarnings;
    @FXML private TableView<Setting> settingsTable;
    @FXML private Label selectedLabel;
    @FXML private TextField newValueField;
    @FXML private Button applyButton, resetButton;
    @FXML private ListView<ConfigFiles.ConfigFile> fileList;
    @FXML private TextArea fileText;
    @FXML private Button measureButton;
    @FXML private Label storageWarnings;
    @FXML private TextArea storageText;
    @FXML private Button loadHealthButton, runMaintenanceButton;
    @FXML private ChoiceBox<MaintenanceService.Kind> kindChoice;
    @FXML private CheckBox throttleBox;
    @FXML private Label maintenanceStatus;
    @FXML private TableView<MaintenanceService.TableHealth> healthTable;

    private final AppContext ctx;
    private final ServerViewModel vm;
    private final Parent root;
    private String selectedName;

    public ServerView(AppContext ctx) {
        this.ctx = ctx;
        this.vm = new ServerViewModel(ctx);
        this.root = ViewLoader.load(this);
    }

    public ServerViewModel viewModel() { return vm; }

    @FXML private void initialize() {
        dataDirField.textProperty().bindBidirectional(vm.dataDir);
        serviceField.textProperty().bindBidirectional(vm.serviceCommand);
        dataDirField.setOnAction(e -> { vm.saveTarget(); vm.refreshStatus(); });
        serviceField.setOnAction(e -> vm.saveTarget());
        restartBanner.textProperty().bind(vm.restartBanner);
        restartBanner.visibleProperty().bind(vm.restartBanner.isNotEmpty());
        restartBanner.managedProperty().bind(restartBanner.visibleProperty());
        restartBanner.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));

        // control
        statusLabel.textProperty().bind(vm.statusText);
        vm.status.addListener((o, a, s) -> {
            statusLabel.getStyleClass().removeAll("running", "stopped");
            if (s != null) statusLabel.getStyleClass().add(s.running() ? "running" : "stopped");
        });
        stopModeChoice.getItems().setAll(StopMode.values());
        stopModeChoice.setConverter(new StringConverter<>() {
            @Override public String toString(StopMode m) { return m == null ? "" : m.name().toLowerCase(); }
            @Override public StopMode fromString(String s) { return StopMode.valueOf(s.toUpperCase()); }
        });
        try {
            stopModeChoice.setValue(StopMode.valueOf(ctx.settings().get(ServerSettings.class).stopMode));
        } catch (RuntimeException e) {
            stopModeChoice.setValue(StopMode.FAST);
        }
        stopModeChoice.setTooltip(new Tooltip("smart: wait for sessions to end · fast: roll back and disconnect them · immediate: abort (recovery at next start)"));
        refreshStatusButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshStatusButton.setTooltip(new Tooltip("Refresh the status (F5)"));
        refreshStatusButton.setOnAction(e -> vm.refreshStatus());
        startButton.setGraphic(new FontIcon(Feather.PLAY));
        startButton.setOnAction(e -> vm.perform(ServerControl.Action.START, null));
        stopButton.setGraphic(new FontIcon(Feather.SQUARE));
        stopButton.setOnAction(e -> confirmStop(ServerControl.Action.STOP));
        restartButton.setGraphic(new FontIcon(Feather.ROTATE_CW));
        restartButton.setOnAction(e -> confirmStop(ServerControl.Action.RESTART));
        reloadButton.setGraphic(new FontIcon(Feather.REFRESH_CCW));
        reloadButton.setTooltip(new Tooltip("Re-read the configuration files (pg_ctl reload)"));
        reloadButton.setOnAction(e -> vm.perform(ServerControl.Action.RELOAD, null));
        for (Button b : List.of(startButton, stopButton, restartButton, reloadButton)) b.disableProperty().bind(vm.busy);
        outputList.setItems(vm.output);
        vm.output.addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!vm.output.isEmpty()) outputList.scrollTo(vm.output.size() - 1);
        });

        // configuration
        ToggleGroup g = new ToggleGroup();
        bindFilter(g, filterAll, ConfigService.Filter.ALL);
        bindFilter(g, filterChanged, ConfigService.Filter.CHANGED);
        bindFilter(g, filterPending, ConfigService.Filter.PENDING_RESTART);
        bindFilter(g, filterRestartOnly, ConfigService.Filter.RESTART_ONLY);
        bindFilter(g, filterLogging, ConfigService.Filter.LOGGING);
        filterLogging.setTooltip(new Tooltip("logging_collector, log_directory, log_filename, rotation… (Ctrl+L)"));
        g.selectedToggleProperty().addListener((o, a, b) -> { if (b == null) a.setSelected(true); });
        categoryBox.setItems(vm.categories);
        categoryBox.valueProperty().bindBidirectional(vm.category);
        // filter after a short pause in typing, not on every key
        javafx.animation.PauseTransition typing = new javafx.animation.PauseTransition(javafx.util.Duration.millis(200));
        typing.setOnFinished(e -> vm.search.set(searchField.getText()));
        searchField.textProperty().addListener((o, a, b) -> typing.playFromStart());
        searchField.setOnAction(e -> { typing.stop(); vm.search.set(searchField.getText()); });
        refreshConfigButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshConfigButton.setOnAction(e -> vm.loadConfig());
        configWarnings.textProperty().bind(vm.configWarnings);
        configWarnings.visibleProperty().bind(vm.configWarnings.isNotEmpty());
        configWarnings.managedProperty().bind(configWarnings.visibleProperty());
        settingsTable.setItems(vm.visibleSettings);
        settingsTable.setPlaceholder(new Label("Connect to a server to see its settings."));
        settingsTable.getColumns().setAll(List.of(
                col("Name", Setting::name, 220),
                col("Value", Setting::display, 160),
                col("Default", Setting::displayDefault, 130),
                col("Unit", s -> s.unit() == null ? "" : s.unit(), 50),
                col("Source", Setting::where, 260),
                col("Context", Setting::context, 90),
                col("Restart", s -> s.pendingRestart() ? "PENDING" : s.restartOnly() ? "needed" : "", 70)));
        // description and category sit in the detail line below the table: long clipped texts in every row
        // cost a text layout per cell on each pass
        vm.visibleSettings.addListener((javafx.collections.ListChangeListener<Setting>) c -> {
            // a reload replaces the rows: keep the admin's selection by name
            if (selectedName == null) return;
            vm.visibleSettings.stream().filter(x -> x.name().equals(selectedName)).findFirst()
                    .ifPresent(x -> settingsTable.getSelectionModel().select(x));
        });
        settingsTable.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null) selectedName = s.name();
            if (s == null) {
                selectedLabel.setText("");
                return;
            }
            selectedLabel.setText(details(s));
            newValueField.setText(s.display());
        });
        applyButton.setGraphic(new FontIcon(Feather.CHECK));
        applyButton.setTooltip(new Tooltip("Show the change, then ALTER SYSTEM and reload (Enter in the value field)"));
        applyButton.setOnAction(e -> applySelected(false));
        newValueField.setOnAction(e -> applySelected(false));
        resetButton.setOnAction(e -> applySelected(true));
        applyButton.disableProperty().bind(settingsTable.getSelectionModel().selectedItemProperty().isNull());
        resetButton.disableProperty().bind(settingsTable.getSelectionModel().selectedItemProperty().isNull());

        // files
        fileList.setItems(vm.files);
        fileList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(ConfigFiles.ConfigFile f, boolean empty) {
                super.updateItem(f, empty);
                setText(empty || f == null ? null : f.path() + (f.readable() ? "" : "  — " + f.error()));
            }
        });
        fileList.getSelectionModel().selectedItemProperty().addListener((o, a, f) -> fileText.setText(f == null ? ""
                : (f.includedFrom() != null ? "# included from " + f.includedFrom() + "\n" : "") + (f.readable() ? f.text() : "# " + f.error())));
        vm.files.addListener((javafx.collections.ListChangeListener<ConfigFiles.ConfigFile>) c -> {
            if (!vm.files.isEmpty()) fileList.getSelectionModel().select(0);
        });
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() == 2 && vm.files.isEmpty()) vm.loadFiles();
        });

        // storage
        measureButton.setGraphic(new FontIcon(Feather.HARD_DRIVE));
        measureButton.setOnAction(e -> vm.measure());
        storageText.textProperty().bind(vm.storageText);
        storageWarnings.textProperty().bind(vm.storageWarnings);
        storageWarnings.visibleProperty().bind(vm.storageWarnings.isNotEmpty());
        storageWarnings.managedProperty().bind(storageWarnings.visibleProperty());

        // maintenance
        kindChoice.getItems().setAll(MaintenanceService.Kind.values());
        kindChoice.setValue(MaintenanceService.Kind.VACUUM_ANALYZE);
        kindChoice.setConverter(new StringConverter<>() {
            @Override public String toString(MaintenanceService.Kind k) { return k == null ? "" : k.name().replace('_', ' '); }
            @Override public MaintenanceService.Kind fromString(String s) { return MaintenanceService.Kind.valueOf(s.replace(' ', '_')); }
        });
        loadHealthButton.setOnAction(e -> vm.loadHealth());
        runMaintenanceButton.setGraphic(new FontIcon(Feather.TOOL));
        runMaintenanceButton.setOnAction(e -> runMaintenance());
        maintenanceStatus.textProperty().bind(vm.maintenanceStatus);
        healthTable.setItems(vm.health);
        healthTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        healthTable.setPlaceholder(new Label("Load the list to see dead tuples, last (auto)vacuum and transaction-ID age."));
        healthTable.getColumns().setAll(List.of(
                hcol("Table", h -> h.table().toString(), 260),
                hcol("Dead tuples", h -> Long.toString(h.deadTuples()), 100),
                hcol("Live tuples", h -> Long.toString(h.liveTuples()), 100),
                hcol("Dead %", h -> String.format("%.1f", h.deadRatio() * 100), 60),
                hcol("Size", h -> SettingUnits.bytes(h.sizeBytes()), 80),
                hcol("Last autovacuum", h -> time(h.lastAutovacuum()), 150),
                hcol("Last vacuum", h -> time(h.lastVacuum()), 150),
                hcol("XID age", h -> Long.toString(h.xidAge()), 90),
                hcol("Needs", h -> (h.nearFreeze() ? "FREEZE " : "") + (h.overThreshold() ? "vacuum" : ""), 100)));

        dataDirField.sceneProperty().addListener((o, a, scene) -> {
            if (scene == null) return;
            // scene-wide keys act only while this screen is the one shown (other screens use Ctrl+L too)
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> { if (dataDirField.getScene() != null) vm.refreshStatus(); });
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), () -> {
                if (dataDirField.getScene() != null) filterLogging.fire();
            });
        });
        ctx.session().currentProperty().addListener((o, a, s) -> sessionChanged(s));
    }

    private void sessionChanged(DbSession s) {
        vm.snapshot.set(null);
        vm.files.clear();
        vm.health.clear();
        if (s != null) vm.loadConfig();
    }

    private void bindFilter(ToggleGroup g, ToggleButton b, ConfigService.Filter f) {
        b.setToggleGroup(g);
        b.setUserData(f);
        b.selectedProperty().addListener((o, was, is) -> { if (is) vm.filter.set(f); });
    }

    private void applySelected(boolean reset) {
        Setting s = settingsTable.getSelectionModel().getSelectedItem();
        if (s == null) return;
        vm.change(s.name(), reset ? null : newValueField.getText());
    }

    private void confirmStop(ServerControl.Action action) {
        StopMode mode = stopModeChoice.getValue();
        ServerSettings st = ctx.settings().get(ServerSettings.class);
        st.stopMode = mode.name();
        vm.persist(st);
        vm.countSessions(n -> {
            String who = n < 0 ? "The number of connected sessions is unknown (not connected to this server)."
                    : n == 0 ? "No other session is connected." : n + " other session" + (n == 1 ? " is" : "s are") + " connected"
                    + (mode == StopMode.SMART ? " (smart mode waits for them to disconnect)." : " and will be disconnected.");
            String verb = action == ServerControl.Action.STOP ? "Stop" : "Restart";
            if (ctx.dialogs().confirm(verb + " server", verb + " PostgreSQL in " + vm.dataDir.get() + " (" + mode.name().toLowerCase()
                    + " mode)?\n" + who, verb + " server")) {
                vm.perform(action, mode);
            }
        });
    }

    private void runMaintenance() {
        List<MaintenanceService.TableRef> sel = healthTable.getSelectionModel().getSelectedItems().stream()
                .map(MaintenanceService.TableHealth::table).toList();
        MaintenanceService.Kind k = kindChoice.getValue();
        if (k == MaintenanceService.Kind.VACUUM_FULL && !sel.isEmpty()
                && !ctx.dialogs().confirm("VACUUM FULL", "VACUUM FULL rewrites each table under an ACCESS EXCLUSIVE lock: "
                + "Momentum cannot write to them until it ends, and it needs free space for a full copy. Continue?", "Run VACUUM FULL")) {
            return;
        }
        vm.runMaintenance(k, sel, throttleBox.isSelected());
    }

    /**
     * The detail line of a setting. Built with a StringBuilder on purpose: a long {@code +} chain compiles to an
     * invokedynamic string concatenation whose first linkage took ~250 ms on the FX thread on a loaded machine.
     */
    static String details(Setting s) {
        StringBuilder b = new StringBuilder(256);
        b.append(s.name()).append(" = ").append(s.display()).append(" — ").append(s.description())
                .append("  [").append(s.category()).append("]  (").append(s.context());
        if (s.enumValues() != null) b.append("; one of ").append(s.enumValues());
        if (s.minValue() != null) {
            b.append("; ").append(s.minValue()).append(" … ").append(s.maxValue());
            if (s.unit() != null) b.append(" × ").append(s.unit());
        }
        b.append(')');
        if (s.fileError() != null) b.append("  file error: ").append(s.fileError());
        return b.toString();
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "never" : t.toLocalDateTime().withNano(0).toString().replace('T', ' ');
    }

    private static TableColumn<Setting, String> col(String title, Function<Setting, String> f, double width) {
        TableColumn<Setting, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static TableColumn<MaintenanceService.TableHealth, String> hcol(String title, Function<MaintenanceService.TableHealth, String> f, double width) {
        TableColumn<MaintenanceService.TableHealth, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    @Override public Node root() {
        return root;
    }

    @Override public void onShown() {
        if (vm.status.get() == null && vm.dataDir.get() != null && !vm.dataDir.get().isBlank()) vm.refreshStatus();
        if (vm.snapshot.get() == null && ctx.session().current() != null) vm.loadConfig();
    }

}
