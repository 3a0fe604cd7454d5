package io.msyspg.console.ui.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.stats.Downsampler;
import io.msyspg.console.core.stats.RtLogCatalog;
import io.msyspg.console.core.stats.RtLogPreset;
import io.msyspg.console.core.stats.RtLogQuery;
import io.msyspg.console.core.stats.RtLogService;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Momentum's traffic statistics from the discovered rt_log* tables: pick a table, counters, a filter value
 * (a domain) and a window; the server aggregates by time bucket; counts and averages are charted apart;
 * CSV export writes exactly the rows shown.
 */
public final class MomentumPanel {
    private final AppContext ctx;
    private final ComboBox<RtLogCatalog.Table> table = new ComboBox<>();
    private final ChoiceBox<RtLogQuery.Window> window = new ChoiceBox<>();
    private final ComboBox<String> filterColumn = new ComboBox<>();
    private final ComboBox<String> filterValue = new ComboBox<>();
    private final FlowPane seriesPane = new FlowPane(10, 4);
    private final Button run = new Button("Show", new FontIcon(Feather.PLAY));
    private final Button csv = new Button("Export CSV", new FontIcon(Feather.DOWNLOAD));
    private final TimeChart counts = new TimeChart("stats-rt-chart", "Messages per bucket", DashboardViewModel.Fmt::rate);
    private final TimeChart averages = new TimeChart("stats-rt-avg", "Average delivery time", v -> DashboardViewModel.Fmt.rate(v) + " ms");
    private final Label info = new Label("Connect to see Momentum's statistics.");
    private final Label totals = new Label();
    private final VBox root;
    private final VBox chartBox;
    private final ObjectProperty<RtLogQuery.Result> result = new SimpleObjectProperty<>();
    private final Map<String, CheckBox> checks = new HashMap<>();
    private DbSession db;
    private boolean discovered;

    MomentumPanel(AppContext ctx) {
        this.ctx = ctx;
        table.setId("stats-rt-table");
        window.setId("stats-rt-window");
        filterColumn.setId("stats-rt-filter-col");
        filterValue.setId("stats-rt-filter");
        seriesPane.setId("stats-rt-series");
        run.setId("stats-rt-run");
        csv.setId("stats-rt-csv");
        info.setId("stats-rt-info");
        info.setWrapText(true);
        totals.setId("stats-rt-totals");
        totals.setWrapText(true);
        totals.getStyleClass().add("text-muted");
        window.getItems().setAll(RtLogQuery.Window.values());
        window.setValue(RtLogQuery.Window.LAST_DAY);
        filterValue.setEditable(true);
        filterValue.setPromptText("all");
        filterValue.setTooltip(new Tooltip("Exact value of the filter column (empty: all)"));
        run.setTooltip(new Tooltip("Aggregate on the server and chart (Enter)"));
        run.setDefaultButton(false);
        csv.setTooltip(new Tooltip("Save the rows shown as CSV"));
        csv.disableProperty().bind(result.isNull());
        run.disableProperty().bind(table.valueProperty().isNull());
        table.valueProperty().addListener((o, a, t) -> tableChosen(t));
        filterColumn.valueProperty().addListener((o, a, c) -> loadValues());
        run.setOnAction(e -> query());
        filterValue.setOnAction(e -> { if (table.getValue() != null) query(); });
        csv.setOnAction(e -> exportCsvInteractive());
        HBox bar = new HBox(8, new Label("Table"), table, new Label("Window"), window, new Label("Filter"), filterColumn, filterValue, run, csv);
        bar.getStyleClass().add("stats-toolbar");
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        averages.node().setVisible(false);
        averages.node().setManaged(false);
        chartBox = new VBox(4, counts.node(), averages.node(), totals);
        VBox.setVgrow(counts.node(), Priority.ALWAYS);
        seriesPane.setPadding(new Insets(0, 12, 0, 12));
        info.setPadding(new Insets(0, 12, 0, 12));
        root = new VBox(4, bar, seriesPane, info, chartBox);
        VBox.setVgrow(chartBox, Priority.ALWAYS);
    }

    Node node() { return root; }
    Node chartNode() { return chartBox; }
    public TimeChart countsChart() { return counts; }
    public ObjectProperty<RtLogQuery.Result> resultProperty() { return result; }

    void use(DbSession session) {
        if (session == db) return;
        db = session;
        discovered = false;
        table.getItems().clear();
        result.set(null);
        info.setText(session == null ? "Connect to see Momentum's statistics." : "Looking for rt_log statistics tables…");
    }

    /** Discovery runs the first time the tab is shown for a server. */
    void shown() {
        if (db == null || discovered) return;
        discovered = true;
        DbSession s = db;
        ctx.tasks().task("Discovering rt_log statistics tables", c -> RtLogService.discover(s)).onSuccess(tables -> {
            if (s != db) return;
            table.getItems().setAll(tables);
            if (tables.isEmpty()) {
                info.setText("No statistics tables in database " + s.target().database()
                        + ": no schema named rt_log… holds a table with a time column and numeric counters.");
                return;
            }
            info.setText(tables.size() + " statistics table(s) found in " + tables.stream().map(RtLogCatalog.Table::schema).distinct().toList() + ".");
            table.setValue(RtLogPreset.preferredTable(tables, window.getValue()));
        }).onFailure(e -> info.setText(e.getMessage())).start();
    }

    private void tableChosen(RtLogCatalog.Table t) {
        seriesPane.getChildren().clear();
        checks.clear();
        filterColumn.getItems().clear();
        if (t == null) return;
        java.util.Set<String> defaults = new java.util.HashSet<>();
        for (RtLogPreset.Series s : RtLogPreset.defaults(t)) defaults.add(s.label());
        for (RtLogPreset.Series s : RtLogPreset.offered(t)) {
            CheckBox cb = new CheckBox(s.label());
            cb.setId("stats-rt-series-" + s.label().replaceAll("[^A-Za-z0-9]+", "-"));
            cb.setSelected(defaults.contains(s.label()));
            checks.put(s.label(), cb);
            seriesPane.getChildren().add(cb);
        }
        filterColumn.getItems().add("");
        filterColumn.getItems().addAll(t.filters());
        String f = RtLogPreset.defaultFilter(t);
        filterColumn.setValue(f == null ? "" : f);
    }

    private void loadValues() {
        RtLogCatalog.Table t = table.getValue();
        String col = filterColumn.getValue();
        filterValue.getItems().clear();
        if (t == null || col == null || col.isEmpty() || db == null) return;
        DbSession s = db;
        ctx.tasks().task("Reading " + col + " values", c -> RtLogService.recentValues(s, t, col)).onSuccess(v -> { if (t == table.getValue()) filterValue.getItems().setAll(v); })
                .onFailure(e -> { /* the list is a convenience; typing a value still works */ }).start();
    }

    /** Runs the aggregation for the current choices (background); returns the task. */
    public BackgroundTask<RtLogQuery.Result> query() {
        RtLogCatalog.Table t = table.getValue();
        if (t == null || db == null) return null;
        List<RtLogPreset.Series> chosen = new ArrayList<>();
        for (RtLogPreset.Series s : RtLogPreset.offered(t)) {
            CheckBox cb = checks.get(s.label());
            if (cb != null && cb.isSelected()) chosen.add(s);
        }
        if (chosen.isEmpty()) {
            info.setText("Pick at least one counter to chart.");
            return null;
        }
        Map<String, String> filters = new HashMap<>();
        String col = filterColumn.getValue();
        String val = filterValue.getEditor().getText();
        if (col != null && !col.isEmpty() && val != null && !val.isBlank()) filters.put(col, val.trim());
        RtLogQuery.Window w = window.getValue();
        DbSession s = db;
        info.setText("Aggregating " + t.qualified() + " over the " + w + "…");
        return ctx.tasks().task("Momentum statistics: " + t.qualified(), c -> RtLogService.query(s, t, chosen, filters, w, c)).onSuccess(this::show).onFailure(e -> info.setText(e.getMessage())).inTaskPanel().start();
    }

    private void show(RtLogQuery.Result r) {
        var spec = r.spec();
        double from = spec.from().toEpochMilli() / 1000.0, to = spec.to().toEpochMilli() / 1000.0;
        List<TimeChart.SeriesData> c = new ArrayList<>(), a = new ArrayList<>();
        StringBuilder sb = new StringBuilder("Totals:");
        int px = Math.max(200, counts.plotWidth());
        for (int k = 0; k < spec.series().size(); k++) {
            RtLogPreset.Series s = spec.series().get(k);
            double[][] xy = withGaps(r.buckets(), r.values()[k], spec.bucketSeconds());
            var data = new TimeChart.SeriesData(s.label(), Downsampler.minMax(xy[0], xy[1], px));
            (s.average() ? a : c).add(data);
            if (!s.average()) sb.append("  ").append(s.label()).append(' ').append(String.format(java.util.Locale.ROOT, "%,.0f", r.total(k)));
        }
        counts.show(c, from, to);
        averages.show(a, from, to);
        averages.node().setVisible(!a.isEmpty());
        averages.node().setManaged(!a.isEmpty());
        totals.setText(sb.toString());
        info.setText(r.rows() + " buckets of " + DashboardViewModel.Fmt.seconds(spec.bucketSeconds()) + " s from " + spec.table().qualified()
                + (spec.filters().isEmpty() ? "" : " where " + spec.filters()) + ". Missing buckets are drawn as gaps.");
        result.set(r);   // last: observers see a fully drawn chart
    }

    /** Buckets with no rows are gaps: a NaN between two buckets further apart than one bucket. */
    static double[][] withGaps(long[] buckets, double[] values, long bucketSeconds) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            if (i > 0 && buckets[i] - buckets[i - 1] > bucketSeconds * 1000) pts.add(new double[]{(buckets[i - 1] / 1000.0) + bucketSeconds, Double.NaN});
            pts.add(new double[]{buckets[i] / 1000.0, values[i]});
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { out[0][i] = pts.get(i)[0]; out[1][i] = pts.get(i)[1]; }
        return out;
    }

    private void exportCsvInteractive() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export Momentum statistics as CSV");
        fc.setInitialFileName("momentum-stats.csv");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        var file = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (file != null) exportCsv(file.toPath());
    }

    /** Writes the rows shown (background). */
    public BackgroundTask<Path> exportCsv(Path file) {
        RtLogQuery.Result r = result.get();
        return ctx.tasks().task("Exporting " + file.getFileName(), c -> {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                r.writeCsv(w);
            } catch (IOException e) {
                throw new ConsoleException("Cannot write " + file + ": " + e.getMessage(), e);
            }
            return file;
        }).start();
    }
}
