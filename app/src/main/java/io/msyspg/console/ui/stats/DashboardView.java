package io.msyspg.console.ui.stats;

import io.msyspg.console.core.stats.ActivityReport.LockRow;
import io.msyspg.console.core.stats.ActivityReport.SessionRow;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.Sample;
import io.msyspg.console.core.stats.StorageProjection;
import io.msyspg.console.core.stats.TopQueries;
import javafx.scene.control.TextField;
import javafx.scene.layout.Region;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.msyspg.console.ui.stats.DashboardViewModel.Fmt;

/** The DASHBOARD navigation entry: live server charts, sessions, locks, Momentum statistics and storage. */
public final class DashboardView implements FeatureView {
    private final AppContext ctx;
    private final DashboardViewModel vm;
    private final Parent root;
    private final List<TimeChart> charts = new ArrayList<>();
    private final Map<Metric, Label> kpis = new EnumMap<>(Metric.class);
    private final Map<Metric, Node> kpiBoxes = new EnumMap<>(Metric.class);
    private final Label sampleStatus = new Label();
    private final Label progress = new Label();
    private final TableView<SessionRow> sessionTable = new TableView<>();
    private final TableView<LockRow> lockTable = new TableView<>();
    private final TimeChart storageChart = new TimeChart("stats-chart-storage", "Size trend (kept across console restarts)", Fmt::bytes);
    private final Label projection = new Label();
    private final Label storageProblem = new Label();
    private final TextField dataDirField = new TextField();
    private final Label dataDirMessage = new Label();
    private final TableView<TopQueries.Row> topTable = new TableView<>();
    private final Label topNote = new Label();
    private final StackPane topContent = new StackPane();
    private Node topEmpty;
    private String topEmptyTitle;
    private boolean updatingDatabases;
    private final VBox overviewContent = new VBox(6);
    private final MomentumPanel momentum;
    private final Node emptyState;
    private int selectedPid = -1;
    private DashboardViewModel.Frame pendingFrame;
    private int pendingStep;
    /**
     * Applies a frame one chart per pulse: each pulse then lays out one chart instead of all of them, so the
     * FX thread is never busy long even on a loaded machine.
     */
    private final javafx.animation.AnimationTimer painter = new javafx.animation.AnimationTimer() {
        @Override public void handle(long now) {
            DashboardViewModel.Frame f = pendingFrame;
            if (f == null) { stop(); return; }
            // half of the charts per pulse: each pulse lays out and renders less, and a frame still takes only two pulses
            int per = (charts.size() + 1) / 2;
            int from = pendingStep * per, to = Math.min(charts.size(), from + per);
            for (int i = from; i < to; i++) charts.get(i).show(f.charts().get(i), f.fromMillis() / 1000.0, f.toMillis() / 1000.0);
            if (to >= charts.size()) {
                showTexts(f);
                pendingFrame = null;
                stop();
            }
            pendingStep++;
        }
    };

    @FXML private Label serverLabel;
    @FXML private ChoiceBox<String> databaseChoice;
    @FXML private ChoiceBox<Double> intervalChoice;
    @FXML private ChoiceBox<Integer> windowChoice;
    @FXML private ToggleButton pauseButton;
    @FXML private Button exportPngButton;
    @FXML private StackPane content;
    @FXML private TabPane tabs;
    @FXML private Tab overviewTab, sessionsTab, locksTab, topQueriesTab, momentumTab, storageTab;

    public DashboardView(AppContext ctx) {
        this.ctx = ctx;
        this.vm = new DashboardViewModel(ctx);
        this.root = ViewLoader.load(this);
        this.momentum = new MomentumPanel(ctx);
        this.emptyState = EmptyState.of(Feather.ACTIVITY, ViewLoader.bundle().getString("stats.empty.title"),
                ViewLoader.bundle().getString("stats.empty.hint"));
        emptyState.setId("stats-empty");
        content.getChildren().add(emptyState);
        buildHeader();
        buildOverview();
        buildSessions();
        buildLocks();
        buildTopQueries();
        momentumTab.setContent(momentum.node());
        buildStorage();
        vm.frameProperty().addListener((o, a, f) -> { pendingFrame = f; pendingStep = 0; painter.start(); });
        vm.statusProperty().addListener((o, a, s) -> serverLabel.setText(s));
        ctx.session().currentProperty().addListener((o, a, db) -> connect());
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> tabChanged());
        root.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && e.getCode() == KeyCode.P) { pauseButton.setSelected(!pauseButton.isSelected()); e.consume(); }
            if (e.isShortcutDown() && e.isShiftDown() && e.getCode() == KeyCode.E) { exportPngInteractive(); e.consume(); }
        });
        connect();
    }

    @Override public Node root() { return root; }

    @Override public void onShown() {
        if (ctx.session().current() != null && vm.currentProperty().get() == null) connect();
    }

    public DashboardViewModel viewModel() { return vm; }
    public List<TimeChart> charts() { return charts; }
    public MomentumPanel momentum() { return momentum; }
    public TimeChart storageChart() { return storageChart; }
    public TableView<TopQueries.Row> topQueriesTable() { return topTable; }

    private void connect() {
        boolean on = ctx.session().current() != null;
        emptyState.setVisible(on ? false : true);
        tabs.setVisible(on);
        vm.use(ctx.session().current());
        if (!on) serverLabel.setText("");
        momentum.use(ctx.session().current());
        tabChanged();
    }

    private void tabChanged() {
        Tab t = tabs.getSelectionModel().getSelectedItem();
        vm.setActivityWanted(t == sessionsTab || t == locksTab);
        vm.setChartsVisible(t == overviewTab || t == storageTab || t == topQueriesTab);
        vm.setTopVisible(t == topQueriesTab);
        if (t == momentumTab) momentum.shown();
    }

    private static final String ALL = "\u0000all";

    private void buildHeader() {
        databaseChoice.getItems().setAll(ALL);
        databaseChoice.setValue(ALL);
        databaseChoice.setConverter(conv(v -> ALL.equals(v) ? ViewLoader.bundle().getString("stats.database.all") : v));
        databaseChoice.setTooltip(new Tooltip("Show the transactions, tuples and blocks charts and the top queries of one database"));
        databaseChoice.valueProperty().addListener((o, a, v) -> {
            if (!updatingDatabases && v != null) vm.setDatabase(ALL.equals(v) ? null : v);
        });
        intervalChoice.getItems().setAll(0.5, 1.0, 2.0, 5.0, 10.0, 30.0);
        intervalChoice.setConverter(conv(v -> Fmt.seconds(v) + " s"));
        double iv = vm.intervalSeconds();
        if (!intervalChoice.getItems().contains(iv)) intervalChoice.getItems().add(iv);
        intervalChoice.setValue(iv);
        intervalChoice.valueProperty().addListener((o, a, v) -> { if (v != null) vm.setIntervalSeconds(v); });
        intervalChoice.setTooltip(new Tooltip("Sampling interval (the sampler runs in the background, whatever screen is shown)"));
        windowChoice.getItems().setAll(1, 5, 15, 60, 360, 1440);
        windowChoice.setConverter(conv(m -> m < 60 ? m + " min" : (m / 60) + " h"));
        int wm = (int) (vm.windowMillis() / 60_000);
        if (!windowChoice.getItems().contains(wm)) windowChoice.getItems().add(wm);
        windowChoice.setValue(wm);
        windowChoice.valueProperty().addListener((o, a, v) -> { if (v != null) vm.setWindowMinutes(v); });
        pauseButton.setGraphic(new FontIcon(Feather.PAUSE));
        pauseButton.setTooltip(new Tooltip("Freeze the charts; sampling continues (Ctrl+P)"));
        vm.pausedProperty().bind(pauseButton.selectedProperty());
        exportPngButton.setGraphic(new FontIcon(Feather.IMAGE));
        exportPngButton.setTooltip(new Tooltip("Save the overview charts as a PNG image (Ctrl+Shift+E)"));
        exportPngButton.setOnAction(e -> exportPngInteractive());
    }

    private static <T> StringConverter<T> conv(Function<T, String> f) {
        return new StringConverter<>() {
            @Override public String toString(T t) { return t == null ? "" : f.apply(t); }
            @Override public T fromString(String s) { return null; }
        };
    }

    private void buildOverview() {
        FlowPane kpiPane = new FlowPane(8, 8);
        kpiPane.getStyleClass().add("stats-kpis");
        kpiPane.setId("stats-kpis");
        Metric[] shown = {Metric.TPS, Metric.ROLLBACK_RATIO, Metric.CACHE_HIT_RATIO, Metric.SESSIONS_TOTAL, Metric.SESSIONS_WAITING,
                Metric.TUPLES_IN, Metric.TUPLES_OUT, Metric.TEMP_FILES, Metric.TEMP_BYTES, Metric.DEADLOCKS, Metric.LONGEST_XACT_AGE,
                Metric.LONGEST_QUERY_AGE, Metric.WAL_BYTES, Metric.CHECKPOINTS, Metric.STANDBYS, Metric.REPLICATION_LAG_BYTES,
                Metric.REPLICATION_LAG_S, Metric.AUTOVACUUM_WORKERS, Metric.XID_AGE, Metric.DB_SIZE};
        for (Metric m : shown) {
            Label value = new Label("–");
            value.getStyleClass().add("stats-kpi-value");
            value.setId("stats-kpi-" + m.key());
            Label label = new Label(kpiTitle(m));
            label.getStyleClass().add("stats-kpi-label");
            VBox box = new VBox(2, value, label);
            box.getStyleClass().add("stats-kpi");
            kpis.put(m, value);
            kpiBoxes.put(m, box);
            kpiPane.getChildren().add(box);
        }
        sampleStatus.setId("stats-sample-status");
        progress.setId("stats-progress");
        progress.setWrapText(true);
        progress.getStyleClass().add("text-muted");
        HBox statusLine = new HBox(16, sampleStatus, progress);
        statusLine.setPadding(new Insets(0, 12, 0, 12));
        GridPane grid = new GridPane();
        grid.setHgap(4);
        grid.setVgap(4);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        grid.getColumnConstraints().addAll(half, half);
        int i = 0;
        for (DashboardViewModel.ChartSpec spec : DashboardViewModel.CHARTS) {
            TimeChart c = new TimeChart(spec.id(), spec.title(), spec.format());
            charts.add(c);
            grid.add(c.node(), i % 2, i / 2);
            c.chart().widthProperty().addListener((o, a, w) -> vm.setPixels(c.plotWidth()));
            i++;
        }
        overviewContent.getChildren().setAll(kpiPane, statusLine, grid);
        overviewContent.setId("stats-overview");
        ScrollPane sp = new ScrollPane(overviewContent);
        sp.setFitToWidth(true);
        overviewTab.setContent(sp);
    }

    private static String kpiTitle(Metric m) {
        return switch (m) {
            case TPS -> "transactions/s";
            case ROLLBACK_RATIO -> "rollback ratio";
            case CACHE_HIT_RATIO -> "cache hit ratio";
            case SESSIONS_TOTAL -> "sessions (of max)";
            case SESSIONS_WAITING -> "waiting on a lock";
            case TUPLES_IN -> "tuples in/s";
            case TUPLES_OUT -> "tuples out/s";
            case TEMP_FILES -> "temp files/s";
            case TEMP_BYTES -> "temp bytes/s";
            case DEADLOCKS -> "deadlocks/s";
            case LONGEST_XACT_AGE -> "longest transaction";
            case LONGEST_QUERY_AGE -> "longest query";
            case WAL_BYTES -> "WAL/s";
            case CHECKPOINTS -> "checkpoints/min";
            case STANDBYS -> "standbys";
            case REPLICATION_LAG_BYTES -> "replication lag";
            case REPLICATION_LAG_S -> "replay lag";
            case AUTOVACUUM_WORKERS -> "autovacuum workers";
            case XID_AGE -> "oldest xid age";
            case DB_SIZE -> "database size";
            default -> m.key();
        };
    }

    private static String format(Metric m, double v) {
        return switch (m.kind()) {
            case RATIO -> Fmt.percent(v);
            default -> switch (m.unit()) {
                case "B", "B/s" -> Fmt.bytes(v);
                case "s" -> Fmt.seconds(v) + " s";
                default -> m.kind() == Metric.Kind.RATE ? Fmt.rate(v) : Fmt.count(v);
            };
        };
    }

    private void showTexts(DashboardViewModel.Frame f) {
        double from = f.fromMillis() / 1000.0, to = f.toMillis() / 1000.0;
        Sample s = f.latest();
        if (s != null) {
            for (var e : kpis.entrySet()) {
                Metric m = e.getKey();
                boolean available = m.availableOn(f.major())
                        && !((m == Metric.REPLICATION_LAG_BYTES || m == Metric.REPLICATION_LAG_S) && !(s.get(Metric.STANDBYS) > 0));
                kpiBoxes.get(m).setVisible(available);
                kpiBoxes.get(m).setManaged(available);
                String text = s.display(m, v -> format(m, v));
                if (m == Metric.SESSIONS_TOTAL && !Double.isNaN(s.get(m))) text += " / " + Fmt.count(s.get(Metric.MAX_CONNECTIONS));
                if (!text.equals(e.getValue().getText())) e.getValue().setText(text);
            }
            sampleStatus.getStyleClass().removeAll("stats-status-gap", "stats-status-error");
            switch (s.status()) {
                case COLLECTING -> sampleStatus.setText("Collecting: rates need a second sample");
                case GAP -> { sampleStatus.setText("Gap: " + s.reason()); sampleStatus.getStyleClass().add("stats-status-gap"); }
                case ERROR -> { sampleStatus.setText(s.reason()); sampleStatus.getStyleClass().add("stats-status-error"); }
                default -> sampleStatus.setText("");
            }
            String p = s.progressJson();
            progress.setText("[]".equals(p) ? "" : "Running maintenance: " + MaintenanceText.of(p));
        }
        updateDatabases(f);
        if (f.top() != null) showTop(f);
        storageChart.show(f.sizes(), f.sizes().stream().flatMap(x -> x.segments().stream()).mapToDouble(x -> x.x()[0]).min().orElse(from),
                Math.max(to, f.sizes().stream().flatMap(x -> x.segments().stream()).mapToDouble(x -> x.x()[x.size() - 1]).max().orElse(to)));
        String pt = projectionText(f);
        if (!pt.equals(projection.getText())) projection.setText(pt);
        String problems = f.storage().problems();
        if (!problems.equals(storageProblem.getText())) storageProblem.setText(problems);
        storageProblem.setVisible(!problems.isEmpty());
        storageProblem.setManaged(!problems.isEmpty());
    }

    private void updateDatabases(DashboardViewModel.Frame f) {
        List<String> want = new ArrayList<>();
        want.add(ALL);
        f.databases().stream().sorted().forEach(want::add);
        if (want.equals(databaseChoice.getItems())) return;
        updatingDatabases = true;
        try {
            String sel = databaseChoice.getValue();
            databaseChoice.getItems().setAll(want);
            databaseChoice.setValue(want.contains(sel) ? sel : ALL);
        } finally {
            updatingDatabases = false;
        }
    }

    private void showTop(DashboardViewModel.Frame f) {
        TopQueries.Result r = f.top();
        if (!r.availability().available()) {
            if (!r.availability().title().equals(topEmptyTitle)) {
                topEmptyTitle = r.availability().title();
                topContent.getChildren().remove(topEmpty);
                topEmpty = EmptyState.of(Feather.LIST, r.availability().title(), r.availability().hint());
                topEmpty.setId("stats-topqueries-empty");
                topContent.getChildren().add(topEmpty);
            }
            topTable.setVisible(false);
            topNote.setText("");
            return;
        }
        if (topEmpty != null) { topContent.getChildren().remove(topEmpty); topEmpty = null; topEmptyTitle = null; }
        topTable.setVisible(true);
        topTable.getItems().setAll(r.rows());
        String scope = f.database() == null ? "all databases" : "database " + f.database();
        topNote.setText(r.coveredSeconds() <= 0 ? "Collecting: rates need two readings of pg_stat_statements."
                : String.format(java.util.Locale.ROOT, "Top %d statements by time, %s, rates over the last %s of the window%s. Texts are fetched once per query id.",
                        r.rows().size(), scope, Fmt.seconds(r.coveredSeconds()) + " s",
                        r.gaps() > 0 ? " (" + r.gaps() + " interval" + (r.gaps() == 1 ? "" : "s") + " dropped: pg_stat_statements was reset)" : ""));
    }

    private void buildTopQueries() {
        topTable.setId("stats-topqueries");
        topTable.getStyleClass().add("stats-topqueries");
        topTable.setFixedCellSize(24);
        topTable.setPlaceholder(new Label("No statement ran in this window."));
        topTable.getColumns().add(tcol("Time ms/s", 90, r -> small(r.timeMsPerSec())));
        topTable.getColumns().add(tcol("Calls/s", 80, r -> small(r.callsPerSec())));
        topTable.getColumns().add(tcol("Mean ms", 95, r -> Double.isNaN(r.meanMs()) ? "" : String.format(java.util.Locale.ROOT, "%.2f", r.meanMs())));
        topTable.getColumns().add(tcol("Rows/s", 80, r -> small(r.rowsPerSec())));
        topTable.getColumns().add(tcol("Hit blk/s", 95, r -> small(r.sharedHitPerSec())));
        topTable.getColumns().add(tcol("Read blk/s", 100, r -> small(r.sharedReadPerSec())));
        topTable.getColumns().add(tcol("Database", 110, r -> r.database() == null ? "" : r.database()));
        topTable.getColumns().add(tcol("User", 90, r -> r.user() == null ? "" : r.user()));
        TableColumn<TopQueries.Row, String> q = tcol("Query", 520, r -> r.query().replaceAll("\\s+", " "));
        q.getStyleClass().add("stats-query-cell");
        topTable.getColumns().add(q);
        topTable.setRowFactory(t -> {
            TableRow<TopQueries.Row> row = new TableRow<>();
            row.itemProperty().addListener((o, a, r) -> row.setTooltip(r == null ? null : new Tooltip(r.query() + "\n\nqueryid " + r.queryId()
                    + (r.toplevel() ? "" : " (nested)") + ", " + Fmt.count(r.calls()) + " calls in the window")));
            return row;
        });
        topTable.setVisible(false);
        topNote.setId("stats-topqueries-note");
        topNote.getStyleClass().add("text-muted");
        topNote.setWrapText(true);
        topContent.getChildren().add(topTable);
        topEmptyTitle = "loading";
        topEmpty = EmptyState.of(Feather.LIST, "Looking for pg_stat_statements…", "Top queries come from the pg_stat_statements extension, read every few seconds.");
        topEmpty.setId("stats-topqueries-empty");
        topContent.getChildren().add(topEmpty);
        HBox bar = new HBox(8, topNote);
        bar.getStyleClass().add("stats-toolbar");
        VBox box = new VBox(bar, topContent);
        VBox.setVgrow(topContent, Priority.ALWAYS);
        topQueriesTab.setContent(box);
    }

    /** Rates below 0.1 keep three decimals (a statement called every minute is 0.017/s, not "0.0"). */
    private static String small(double v) {
        if (v == 0) return "0";
        if (Math.abs(v) < 0.001) return "<0.001";
        return Math.abs(v) < 0.1 ? String.format(java.util.Locale.ROOT, "%.3f", v) : Fmt.rate(v);
    }

    private static TableColumn<TopQueries.Row, String> tcol(String title, double width, Function<TopQueries.Row, String> f) {
        TableColumn<TopQueries.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private static String projectionText(DashboardViewModel.Frame f) {
        StorageProjection.Projection p = f.projection();
        DashboardViewModel.Storage st = f.storage();
        if (Double.isNaN(p.currentBytes())) return "Sizes are read every " + Fmt.seconds(st.sizeIntervalSeconds()) + " s (pg_database_size is expensive)"
                + (st.walking() ? "; the data directory is being measured" : "") + "; the first reading is pending.";
        StringBuilder sb = new StringBuilder(capitalize(st.basis()) + " " + Fmt.bytes(p.currentBytes()));
        if (Double.isNaN(p.growthPerDay())) sb.append(". Growth: needs two readings.");
        else sb.append(", growing ").append(Fmt.bytes(p.growthPerDay())).append(" per day (median slope over the kept trend)")
                .append(". Two years of retention at this rate need ").append(Fmt.bytes(p.bytesNeededForRetention()))
                .append(" more (").append(Fmt.bytes(p.sizeAfterRetention())).append(" in all).");
        if (!f.projectionKnown()) sb.append(" Free space unknown: the server is not on this host (or its data directory is not visible here).");
        else if (!Double.isNaN(p.freeBytes())) {
            sb.append(" Free on the disk holding the data directory: ").append(Fmt.bytes(p.freeBytes()));
            if (!Double.isInfinite(p.daysUntilFull())) sb.append(String.format(java.util.Locale.ROOT, "; at this rate it is full in %.0f days", p.daysUntilFull()));
            else if (!Double.isNaN(p.growthPerDay())) sb.append("; not growing");
            sb.append(p.fits() ? " — two years fit." : Double.isNaN(p.growthPerDay()) ? "." : " — two years DO NOT FIT.");
        }
        return sb.toString();
    }

    private static String capitalize(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    private void buildSessions() {
        sessionTable.setId("stats-sessions");
        sessionTable.setFixedCellSize(24);
        sessionTable.setPlaceholder(new Label("Sessions appear with the next sample."));
        sessionTable.getColumns().add(col("PID", 90, r -> "  ".repeat(r.depth()) + (r.depth() > 0 ? "└ " : "") + r.pid()));
        sessionTable.getColumns().add(col("Who", 260, r -> (r.user() == null ? "" : r.user()) + (r.database() == null ? "" : "@" + r.database())
                + (r.application() == null || r.application().isBlank() ? "" : "  " + r.application()) + (r.client() == null ? "" : "  " + r.client())));
        sessionTable.getColumns().add(col("State", 110, r -> r.state() == null ? r.backendType() : r.state()));
        sessionTable.getColumns().add(col("Wait", 120, r -> r.waitEventType() == null ? "" : r.waitEventType() + ": " + r.waitEvent()));
        sessionTable.getColumns().add(col("Blocked by", 90, r -> r.blockedBy().isEmpty() ? "" : r.blockedBy().toString()));
        sessionTable.getColumns().add(col("Xact age", 80, r -> Double.isNaN(r.xactAgeSeconds()) ? "" : Fmt.seconds(r.xactAgeSeconds()) + " s"));
        sessionTable.getColumns().add(col("Query age", 80, r -> Double.isNaN(r.queryAgeSeconds()) ? "" : Fmt.seconds(r.queryAgeSeconds()) + " s"));
        sessionTable.getColumns().add(col("Query", 400, r -> r.query() == null ? "" : r.query().replaceAll("\\s+", " ")));
        sessionTable.setRowFactory(t -> new TableRow<>() {
            @Override protected void updateItem(SessionRow r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll("stats-age-warn", "stats-age-danger", "stats-blocked");
                if (empty || r == null) return;
                double age = "active".equals(r.state()) ? r.queryAgeSeconds()
                        : r.state() != null && r.state().startsWith("idle in transaction") ? r.xactAgeSeconds() : 0;
                if (age > 300) getStyleClass().add("stats-age-danger");
                else if (age > 60) getStyleClass().add("stats-age-warn");
                if (!r.blockedBy().isEmpty()) getStyleClass().add("stats-blocked");
            }
        });
        sessionTable.setItems(vm.sessions());
        // the list is replaced every tick: keep the user's selection by pid
        sessionTable.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> { if (r != null) selectedPid = r.pid(); });
        vm.sessions().addListener((javafx.collections.ListChangeListener<SessionRow>) c -> {
            if (selectedPid < 0) return;
            SessionRow sel = sessionTable.getSelectionModel().getSelectedItem();
            if (sel != null && sel.pid() == selectedPid) return;
            for (int i = 0; i < vm.sessions().size(); i++) {
                if (vm.sessions().get(i).pid() == selectedPid) { sessionTable.getSelectionModel().select(i); return; }
            }
        });
        Button cancel = new Button("Cancel query", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("stats-cancel");
        cancel.setTooltip(new Tooltip("pg_cancel_backend: stop the selected session's current query (Delete)"));
        Button terminate = new Button("Terminate session", new FontIcon(Feather.SLASH));
        terminate.setId("stats-terminate");
        terminate.getStyleClass().add("danger");
        terminate.setTooltip(new Tooltip("pg_terminate_backend: end the selected session (Shift+Delete)"));
        cancel.disableProperty().bind(sessionTable.getSelectionModel().selectedItemProperty().isNull());
        terminate.disableProperty().bind(sessionTable.getSelectionModel().selectedItemProperty().isNull());
        cancel.setOnAction(e -> signalSelected(false));
        terminate.setOnAction(e -> signalSelected(true));
        sessionTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) signalSelected(e.isShiftDown());
        });
        Label note = new Label();
        note.getStyleClass().add("text-muted");
        note.textProperty().bind(vm.activityNoteProperty());
        HBox bar = new HBox(8, cancel, terminate, new Pane(), note);
        HBox.setHgrow(bar.getChildren().get(2), Priority.ALWAYS);
        bar.getStyleClass().add("stats-toolbar");
        VBox box = new VBox(bar, sessionTable);
        VBox.setVgrow(sessionTable, Priority.ALWAYS);
        sessionsTab.setContent(box);
    }

    private void signalSelected(boolean terminate) {
        SessionRow r = sessionTable.getSelectionModel().getSelectedItem();
        if (r == null) return;
        String who = "backend " + r.pid() + " (" + (r.user() == null ? "" : r.user() + "@") + (r.database() == null ? "" : r.database())
                + (r.application() == null || r.application().isBlank() ? "" : ", " + r.application()) + ")";
        boolean ok = terminate
                ? ctx.dialogs().confirm("Terminate session", "End the session of " + who + "? Its open transaction is rolled back and the client is disconnected.", "Terminate")
                : ctx.dialogs().confirm("Cancel query", "Cancel the running query of " + who + "? The session stays connected.", "Cancel query");
        if (ok) vm.signal(r.pid(), terminate, () -> { });
    }

    private void buildLocks() {
        lockTable.setId("stats-locks");
        lockTable.setFixedCellSize(24);
        lockTable.setPlaceholder(new Label("Locks appear with the next sample (grouped on the server by mode, type and relation)."));
        lockTable.getColumns().add(lcol("Lock type", 120, LockRow::lockType));
        lockTable.getColumns().add(lcol("Mode", 160, LockRow::mode));
        lockTable.getColumns().add(lcol("Relation", 240, r -> r.relation() == null ? "" : r.relation()));
        lockTable.getColumns().add(lcol("Granted", 80, r -> r.granted() ? "yes" : "WAITING"));
        lockTable.getColumns().add(lcol("Count", 80, r -> Long.toString(r.count())));
        lockTable.setItems(vm.locks());
        locksTab.setContent(lockTable);
    }

    private void buildStorage() {
        projection.setId("stats-projection");
        projection.setWrapText(true);
        projection.setPadding(new Insets(8, 12, 8, 12));
        storageProblem.setId("stats-storage-problem");
        storageProblem.setWrapText(true);
        storageProblem.getStyleClass().add("stats-storage-problem");
        storageProblem.setVisible(false);
        storageProblem.setManaged(false);
        dataDirField.setId("stats-datadir");
        dataDirField.setPromptText("/var/db/msyspg/data (the folder holding PG_VERSION)");
        dataDirField.setPrefColumnCount(36);
        dataDirField.textProperty().bindBidirectional(vm.dataDirTextProperty());
        Button apply = new Button(ViewLoader.bundle().getString("stats.datadir.apply"), new FontIcon(Feather.CHECK));
        apply.setId("stats-datadir-apply");
        apply.setTooltip(new Tooltip("Use this data directory for the size trend and the free-space projection (Enter); empty = the server's own"));
        apply.setOnAction(e -> applyDataDir());
        dataDirField.setOnAction(e -> applyDataDir());
        Button browse = new Button(ViewLoader.bundle().getString("stats.datadir.browse"), new FontIcon(Feather.FOLDER));
        browse.setId("stats-datadir-browse");
        browse.setOnAction(e -> {
            javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
            dc.setTitle("Data directory of the server");
            var picked = dc.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (picked != null) { dataDirField.setText(picked.getPath()); applyDataDir(); }
        });
        Label note = new Label();
        note.setId("stats-datadir-note");
        note.getStyleClass().add("text-muted");
        note.textProperty().bind(vm.dataDirNoteProperty());
        note.setMinWidth(0);
        Label title = new Label(ViewLoader.bundle().getString("stats.datadir"));
        title.setMinWidth(Region.USE_PREF_SIZE);
        apply.setMinWidth(Region.USE_PREF_SIZE);
        browse.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, title, dataDirField, apply, browse);
        HBox.setHgrow(dataDirField, Priority.ALWAYS);
        dataDirField.setMaxWidth(640);
        note.setPadding(new Insets(0, 12, 0, 12));
        note.setWrapText(true);
        row.getStyleClass().add("stats-datadir-row");
        dataDirMessage.setId("stats-datadir-message");
        dataDirMessage.getStyleClass().add("stats-datadir-message");
        dataDirMessage.setWrapText(true);
        dataDirMessage.setManaged(false);
        VBox box = new VBox(4, row, note, dataDirMessage, projection, storageProblem, storageChart.node());
        VBox.setVgrow(storageChart.node(), Priority.ALWAYS);
        storageTab.setContent(box);
    }

    private void applyDataDir() {
        dataDirMessage.setText("");
        dataDirMessage.setManaged(false);
        vm.setDataDirectory(dataDirField.getText(), msg -> {
            dataDirMessage.setText(msg == null ? "" : msg);
            dataDirMessage.setManaged(msg != null);
        });
    }

    private static TableColumn<SessionRow, String> col(String title, double width, Function<SessionRow, String> f) {
        TableColumn<SessionRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private static TableColumn<LockRow, String> lcol(String title, double width, Function<LockRow, String> f) {
        TableColumn<LockRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        return c;
    }

    private void exportPngInteractive() {
        if (vm.currentProperty().get() == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Export charts as PNG");
        fc.setInitialFileName("dashboard.png");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        var file = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (file != null) exportPng(file.toPath());
    }

    /** Snapshots the visible overview (FX thread) and writes the PNG in the background. */
    public BackgroundTask<Path> exportPng(Path file) {
        Node target = tabs.getSelectionModel().getSelectedItem() == storageTab ? storageChart.node()
                : tabs.getSelectionModel().getSelectedItem() == momentumTab ? momentum.chartNode() : overviewContent;
        WritableImage img = target.snapshot(null, null);
        return ctx.tasks().task("Exporting " + file.getFileName(), c -> {
            try {
                if (!ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile()))
                    throw new IOException("no PNG writer available");
            } catch (IOException e) {
                throw new io.msyspg.console.core.common.ConsoleException("Cannot write " + file + ": " + e.getMessage(), e);
            }
            return file;
        }).start();
    }
}
