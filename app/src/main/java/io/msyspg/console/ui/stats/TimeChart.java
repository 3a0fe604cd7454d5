package io.msyspg.console.ui.stats;

import io.msyspg.console.core.stats.Downsampler;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Point2D;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A LineChart for time series that are already downsampled and split at gaps: each gap-free segment is its
 * own XY series drawn in its metric's colour, so a gap breaks the line and nothing is interpolated across it.
 * Symbols, animation and the built-in legend are off; a small legend and a hover read-out sit below.
 * x values are epoch seconds.
 */
public final class TimeChart {
    public static final String[] COLORS = {"#2f81f7", "#3fb950", "#d29922", "#f85149", "#a371f7", "#db61a2", "#39c5cf", "#8b949e"};
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** One series prepared off the FX thread: its segments (x = epoch seconds). */
    public record SeriesData(String name, List<Downsampler.Segment> segments) {
        public int points() { return segments.stream().mapToInt(Downsampler.Segment::size).sum(); }
    }

    private final NumberAxis xAxis = new NumberAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
    private final Label hover = new Label(" ");
    private final FlowPane legend = new FlowPane(10, 2);
    private final VBox box;
    private final DoubleFunction<String> valueFormat;
    private List<SeriesData> shown = List.of();
    private boolean longSpan;

    public TimeChart(String id, String title, DoubleFunction<String> valueFormat) {
        this.valueFormat = valueFormat;
        chart.setId(id);
        chart.setTitle(title);
        chart.setCreateSymbols(false);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        // explicit sizes: parents (grid, scroll pane) then never ask the axes to measure their tick labels
        chart.setMinSize(100, 170);
        chart.setPrefSize(400, 210);
        chart.getStyleClass().add("stats-chart");
        xAxis.setAutoRanging(false);
        xAxis.setForceZeroInRange(false);
        xAxis.setMinorTickVisible(false);
        xAxis.setAnimated(false);
        yAxis.setAnimated(false);
        yAxis.setForceZeroInRange(true);
        xAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) {
                Instant t = Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
                return longSpan ? DAY.format(t) : HMS.format(t);
            }
            @Override public Number fromString(String s) { return 0; }
        });
        yAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return valueFormat.apply(n.doubleValue()); }
            @Override public Number fromString(String s) { return 0; }
        });
        hover.getStyleClass().addAll("stats-hover", "text-muted");
        hover.setId(id + "-hover");
        legend.getStyleClass().add("stats-legend");
        box = new VBox(2, chart, legend, hover);
        box.getStyleClass().add("stats-chart-box");
        VBox.setVgrow(chart, Priority.ALWAYS);
        chart.setOnMouseMoved(e -> showHover(e.getSceneX(), e.getSceneY()));
        chart.setOnMouseExited(e -> hover.setText(" "));
    }

    public VBox node() { return box; }
    public LineChart<Number, Number> chart() { return chart; }

    /** Width in pixels the plot can use (the downsampling budget); read on the FX thread. */
    public int plotWidth() { return (int) Math.max(200, chart.getWidth() - 60); }

    /** Total points currently drawn (tests: grows as samples arrive; never more than the plot's pixels). */
    public int drawnPoints() {
        return chart.getData().stream().mapToInt(s -> s.getData().size()).sum();
    }

    /** Replaces the data (FX thread). */
    public void show(List<SeriesData> data, double fromSec, double toSec) {
        this.shown = data;
        longSpan = toSec - fromSec > 36 * 3600;
        // a "nice" tick unit and bounds snapped to it: the tick labels (Text nodes) stay the same from frame to
        // frame instead of all being recreated, which is most of a chart's layout cost
        double unit = niceUnit((toSec - fromSec) / 6);
        double lo = Math.floor(fromSec / unit) * unit, hi = Math.ceil(toSec / unit) * unit;
        if (xAxis.getLowerBound() != lo) xAxis.setLowerBound(lo);
        if (xAxis.getUpperBound() != hi) xAxis.setUpperBound(hi);
        if (xAxis.getTickUnit() != unit) xAxis.setTickUnit(unit);
        // reuse the chart's series (one per gap-free segment) instead of replacing them: fewer nodes, less CSS
        ObservableList<XYChart.Series<Number, Number>> all = chart.getData();
        int used = 0;
        for (int k = 0; k < data.size(); k++) {
            String style = "-fx-stroke: " + COLORS[k % COLORS.length] + ";";
            for (Downsampler.Segment seg : data.get(k).segments()) {
                List<XYChart.Data<Number, Number>> pts = new ArrayList<>(seg.size());
                double[] x = seg.x(), y = seg.y();
                for (int i = 0; i < x.length; i++) pts.add(new XYChart.Data<>(x[i], y[i]));
                XYChart.Series<Number, Number> series;
                if (used < all.size()) {
                    series = all.get(used);
                    series.setName(data.get(k).name());
                    series.getData().setAll(pts);
                } else {
                    series = new XYChart.Series<>(data.get(k).name(), FXCollections.observableArrayList(pts));
                    all.add(series);
                }
                if (series.getNode() != null && !style.equals(series.getNode().getStyle())) series.getNode().setStyle(style);
                used++;
            }
        }
        if (used < all.size()) all.remove(used, all.size());
        if (legend.getChildren().size() != data.size() || !sameNames(data)) {
            legend.getChildren().clear();
            for (int k = 0; k < data.size(); k++) {
                Label l = new Label("\u25A0 " + data.get(k).name());
                l.setStyle("-fx-text-fill: " + COLORS[k % COLORS.length] + ";");
                l.getStyleClass().add("stats-legend-item");
                legend.getChildren().add(l);
            }
        }
    }

    private static final double[] UNITS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
            172800, 604800, 1209600, 2592000, 7776000, 15552000, 31536000};

    static double niceUnit(double raw) {
        for (double u : UNITS) if (u >= raw) return u;
        return Math.ceil(raw / 31536000) * 31536000;
    }

    private boolean sameNames(List<SeriesData> data) {
        for (int k = 0; k < data.size(); k++) {
            if (!((Label) legend.getChildren().get(k)).getText().endsWith(data.get(k).name())) return false;
        }
        return true;
    }

    private void showHover(double sceneX, double sceneY) {
        Point2D p = xAxis.sceneToLocal(sceneX, sceneY);
        if (p == null) return;
        double x = xAxis.getValueForDisplay(p.getX()).doubleValue();
        StringBuilder sb = new StringBuilder(longSpan ? DAY.format(Instant.ofEpochMilli((long) (x * 1000))) : HMS.format(Instant.ofEpochMilli((long) (x * 1000))));
        for (SeriesData s : shown) {
            double best = Double.NaN, dist = Double.MAX_VALUE;
            for (Downsampler.Segment seg : s.segments()) {
                double[] xs = seg.x();
                int i = java.util.Arrays.binarySearch(xs, x);
                if (i < 0) i = -i - 1;
                for (int j = Math.max(0, i - 1); j <= Math.min(xs.length - 1, i); j++) {
                    double d = Math.abs(xs[j] - x);
                    if (d < dist) { dist = d; best = seg.y()[j]; }
                }
            }
            double span = xAxis.getUpperBound() - xAxis.getLowerBound();
            sb.append("   ").append(s.name()).append(' ')
                    .append(Double.isNaN(best) || dist > span / 50 ? "–" : valueFormat.apply(best));
        }
        hover.setText(sb.toString());
    }
}
