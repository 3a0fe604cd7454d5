package io.msyspg.console.ui.stats;

import io.msyspg.console.core.stats.Downsampler;
import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.StyleConverter;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.css.StyleableProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.util.StringConverter;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A JavaFX XY chart for time series (x = epoch seconds) whose lines are rasterised into one image layer inside
 * the plot area ({@link SeriesRaster}) instead of one {@code Path} element per point: axes, time labels, grid,
 * title and theme come from the regular chart machinery; the series cost one pixel-column pass per frame and no
 * scene-graph nodes, CSS, layout or path tessellation per point (a canvas would still tessellate every stroked
 * path on the render thread: ~30 ms for 12 x 1,000-vertex polylines in the software pipeline).
 * <ul>
 *   <li>Data arrive already reduced and split at gaps ({@link SeriesData}, one {@link Downsampler.Segment} per
 *   gap-free run): each segment is its own stroke, so a gap breaks the line; a lone sample between two gaps is a
 *   dot.</li>
 *   <li>Drawing never emits more than four vertices per pixel column per series (first, min, max, last of the
 *   column, M4): whatever the caller passes, a single-sample spike stays visible and the cost stays bounded by
 *   the width.</li>
 *   <li>Colours are CSS properties of the chart ({@code -stats-series-1..8}, {@code -stats-crosshair}), set
 *   from the theme's {@code -color-*} in app.css, so light and dark themes both apply.</li>
 *   <li>Hover: a crosshair, a dot on each series and a tooltip with the time and every value under the mouse;
 *   the same text in the read-out line below the legend.</li>
 * </ul>
 */
public final class TimeChart {
    /** Fallback palette when no stylesheet is applied (the app's CSS overrides it per theme). */
    public static final String[] COLORS = {"#2f81f7", "#3fb950", "#d29922", "#f85149", "#a371f7", "#db61a2", "#39c5cf", "#8b949e"};
    private static final double LINE_WIDTH = 1.6;
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** One series prepared off the FX thread: its segments (x = epoch seconds). */
    public record SeriesData(String name, List<Downsampler.Segment> segments) {
        public int points() { return segments.stream().mapToInt(Downsampler.Segment::size).sum(); }
    }

    private final NumberAxis xAxis = new NumberAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final CanvasChart chart;
    private final Label hover = new Label(" ");
    private final FlowPane legend = new FlowPane(14, 2);
    private final VBox box;
    private final DoubleFunction<String> valueFormat;
    private List<SeriesData> shown = List.of();
    private boolean longSpan;
    private int vertices;

    public TimeChart(String id, String title, DoubleFunction<String> valueFormat) {
        this.valueFormat = valueFormat;
        chart = new CanvasChart(xAxis, yAxis);
        chart.setId(id);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setAlternativeRowFillVisible(false);
        chart.setAlternativeColumnFillVisible(false);
        chart.setVerticalZeroLineVisible(false);
        // explicit sizes: parents (grid, scroll pane) then never ask the axes to measure their tick labels
        chart.setMinSize(100, 170);
        chart.setPrefSize(400, 210);
        chart.getStyleClass().add("stats-chart");
        xAxis.setAutoRanging(false);
        xAxis.setForceZeroInRange(false);
        xAxis.setMinorTickVisible(false);
        xAxis.setAnimated(false);
        yAxis.setAutoRanging(false);
        yAxis.setMinorTickVisible(false);
        yAxis.setAnimated(false);
        yAxis.setLowerBound(0);
        yAxis.setUpperBound(1);
        yAxis.setTickUnit(0.25);
        xAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return time(n.doubleValue()); }
            @Override public Number fromString(String s) { return 0; }
        });
        yAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return valueFormat.apply(n.doubleValue()); }
            @Override public Number fromString(String s) { return 0; }
        });
        hover.getStyleClass().addAll("stats-hover", "text-muted");
        hover.setId(id + "-hover");
        legend.getStyleClass().add("stats-legend");
        legend.setId(id + "-legend");
        box = new VBox(2, chart, legend, hover);
        box.getStyleClass().add("stats-chart-box");
        VBox.setVgrow(chart, Priority.ALWAYS);
        chart.setOnMouseMoved(e -> showHover(e.getSceneX(), e.getSceneY()));
        chart.setOnMouseExited(e -> clearHover());
        for (StyleableObjectProperty<Paint> p : chart.palette) p.addListener((o, a, b) -> { recolourLegend(); chart.redraw(); });
    }

    public VBox node() { return box; }
    public XYChart<Number, Number> chart() { return chart; }
    /** The image layer the series are drawn on, the size of the plot area (tests read its pixels). */
    public ImageView seriesLayer() { return chart.layer; }

    /** Width in pixels the plot can use (the downsampling budget); read on the FX thread. */
    public int plotWidth() {
        double w = xAxis.getWidth() > 0 ? xAxis.getWidth() : chart.getWidth() - 60;
        return (int) Math.max(200, w);
    }

    /** Total points currently given to the chart (tests: grows as samples arrive; never more than the plot's pixels). */
    public int drawnPoints() {
        int n = 0;
        for (SeriesData s : shown) n += s.points();
        return n;
    }

    /** The series shown (name and points, as given to {@link #show}). */
    public List<SeriesData> shown() { return shown; }

    /** Vertices rasterised by the last draw (at most four per pixel column and series). */
    public int drawnVertices() { return vertices; }

    /** The colour series {@code k} is drawn in (from the theme's CSS). */
    public Color seriesColor(int k) {
        Paint p = chart.palette.get(k % chart.palette.size()).get();
        return p instanceof Color c ? c : Color.web(COLORS[k % COLORS.length]);
    }

    /** The hover read-out below the chart (empty when the mouse is outside). */
    public String hoverText() { return hover.getText().trim(); }

    /** The crosshair line (visible while hovering the plot). */
    public Line crosshair() { return chart.crosshair; }

    /** The hover tooltip inside the plot. */
    public Label tooltip() { return chart.tip; }

    /** Replaces the data (FX thread): sets the axes and schedules one redraw of the series layer in the chart's layout pass. */
    public void show(List<SeriesData> data, double fromSec, double toSec) {
        this.shown = data;
        longSpan = toSec - fromSec > 36 * 3600;
        // a "nice" tick unit and bounds snapped to it: the tick labels (Text nodes) stay the same from frame to
        // frame instead of all being recreated, which is most of a chart's layout cost
        double unit = niceUnit((toSec - fromSec) / 6);
        double lo = Math.floor(fromSec / unit) * unit, hi = Math.ceil(toSec / unit) * unit;
        if (hi <= lo) hi = lo + unit;
        if (xAxis.getLowerBound() != lo) xAxis.setLowerBound(lo);
        if (xAxis.getUpperBound() != hi) xAxis.setUpperBound(hi);
        if (xAxis.getTickUnit() != unit) xAxis.setTickUnit(unit);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (SeriesData s : data) {
            for (Downsampler.Segment seg : s.segments()) {
                for (double v : seg.y()) {
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            }
        }
        double[] y = niceRange(min, max);
        if (yAxis.getLowerBound() != y[0]) yAxis.setLowerBound(y[0]);
        if (yAxis.getUpperBound() != y[1]) yAxis.setUpperBound(y[1]);
        if (yAxis.getTickUnit() != y[2]) yAxis.setTickUnit(y[2]);
        if (legend.getChildren().size() != data.size() || !sameNames(data)) {
            legend.getChildren().clear();
            for (int k = 0; k < data.size(); k++) {
                Rectangle swatch = new Rectangle(12, 3);
                swatch.setArcWidth(2);
                swatch.setArcHeight(2);
                Label l = new Label(data.get(k).name(), swatch);
                l.setGraphicTextGap(5);
                l.getStyleClass().add("stats-legend-item");
                legend.getChildren().add(l);
            }
            recolourLegend();
        }
        chart.redraw();
        if (chart.crosshair.isVisible()) chart.refreshHover();
    }

    /** A snapshot of the whole chart (title, axes, legend) as shown (FX thread). */
    public WritableImage snapshot() {
        // the chart's own box only: a tick label overhanging the edge does not widen the image
        javafx.scene.SnapshotParameters p = new javafx.scene.SnapshotParameters();
        javafx.geometry.Bounds b = box.localToParent(box.getLayoutBounds());
        p.setViewport(new javafx.geometry.Rectangle2D(b.getMinX(), b.getMinY(), Math.ceil(b.getWidth()), Math.ceil(b.getHeight())));
        return box.snapshot(p, null);
    }

    /** Writes an image as PNG (any thread). */
    public static void writePng(Image img, Path file) throws IOException {
        if (!ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile())) throw new IOException("no PNG writer available");
    }

    private static final double[] UNITS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
            172800, 604800, 1209600, 2592000, 7776000, 15552000, 31536000};

    static double niceUnit(double raw) {
        for (double u : UNITS) if (u >= raw) return u;
        return Math.ceil(raw / 31536000) * 31536000;
    }

    /** {lower, upper, tick unit} covering [min, max] with zero included and about five "nice" ticks. */
    static double[] niceRange(double min, double max) {
        if (!(min <= max)) return new double[]{0, 1, 0.25};
        min = Math.min(0, min);
        max = Math.max(0, max);
        if (max - min < 1e-12) max = min + 1;
        // 5 % headroom: the highest value is never drawn on the plot's top edge
        if (max > 0) max += (max - min) * 0.05;
        double raw = (max - min) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = mag * 10;
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * mag >= raw) { unit = m * mag; break; }
        double lo = Math.floor(min / unit) * unit, hi = Math.ceil(max / unit) * unit;
        return new double[]{lo, hi, unit};
    }

    private String time(double sec) {
        Instant t = Instant.ofEpochMilli((long) (sec * 1000));
        return longSpan ? DAY.format(t) : HMS.format(t);
    }

    private boolean sameNames(List<SeriesData> data) {
        for (int k = 0; k < data.size(); k++) {
            if (!((Label) legend.getChildren().get(k)).getText().equals(data.get(k).name())) return false;
        }
        return true;
    }

    private void recolourLegend() {
        for (int k = 0; k < legend.getChildren().size(); k++) {
            if (legend.getChildren().get(k) instanceof Label l && l.getGraphic() instanceof Rectangle r) r.setFill(seriesColor(k));
        }
    }

    private double hoverSceneX = Double.NaN, hoverSceneY;

    private void clearHover() {
        hoverSceneX = Double.NaN;
        hover.setText(" ");
        chart.crosshair.setVisible(false);
        chart.tip.setVisible(false);
        chart.dots.forEach(d -> d.setVisible(false));
    }

    private void showHover(double sceneX, double sceneY) {
        hoverSceneX = sceneX;
        hoverSceneY = sceneY;
        Point2D p = xAxis.sceneToLocal(sceneX, sceneY);
        if (p == null || p.getX() < 0 || p.getX() > xAxis.getWidth()) { clearHover(); return; }
        double x = xAxis.getValueForDisplay(p.getX()).doubleValue();
        StringBuilder line = new StringBuilder(time(x));
        StringBuilder tip = new StringBuilder(time(x));
        double span = xAxis.getUpperBound() - xAxis.getLowerBound();
        double plotH = yAxis.getHeight();
        for (int k = 0; k < shown.size(); k++) {
            SeriesData s = shown.get(k);
            double best = Double.NaN, dist = Double.MAX_VALUE;
            for (Downsampler.Segment seg : s.segments()) {
                double[] xs = seg.x();
                if (xs.length == 0 || xs[0] - x > dist || x - xs[xs.length - 1] > dist) continue;
                int i = Arrays.binarySearch(xs, x);
                if (i < 0) i = -i - 1;
                for (int j = Math.max(0, i - 1); j <= Math.min(xs.length - 1, i); j++) {
                    double d = Math.abs(xs[j] - x);
                    if (d < dist) { dist = d; best = seg.y()[j]; }
                }
            }
            boolean known = !Double.isNaN(best) && dist <= span / 50;
            String v = known ? valueFormat.apply(best) : "–";
            line.append("   ").append(s.name()).append(' ').append(v);
            tip.append('\n').append(s.name()).append(": ").append(v);
            Circle dot = chart.dot(k);
            dot.setFill(seriesColor(k));
            dot.setVisible(known);
            if (known) {
                dot.setCenterX(p.getX());
                dot.setCenterY(Math.max(0, Math.min(plotH, yAxis.getDisplayPosition(best))));
            }
        }
        for (int k = shown.size(); k < chart.dots.size(); k++) chart.dots.get(k).setVisible(false);
        hover.setText(line.toString());
        chart.crosshair.setStartX(p.getX());
        chart.crosshair.setEndX(p.getX());
        chart.crosshair.setStartY(0);
        chart.crosshair.setEndY(plotH);
        chart.crosshair.setVisible(true);
        chart.tip.setText(tip.toString());
        chart.tip.setVisible(true);
        double w = chart.tip.prefWidth(-1), h = chart.tip.prefHeight(-1);
        double tx = p.getX() + 12 + w > xAxis.getWidth() ? p.getX() - 12 - w : p.getX() + 12;
        Point2D inY = yAxis.sceneToLocal(sceneX, sceneY);
        double ty = inY == null ? 4 : Math.max(2, Math.min(plotH - h - 2, inY.getY() - h / 2));
        chart.tip.resizeRelocate(Math.max(2, tx), ty, w, h);
    }

    /** The XY chart whose plot content is the series image layer (plus the hover nodes). */
    private final class CanvasChart extends XYChart<Number, Number> {
        final ImageView layer = new ImageView();
        final SeriesRaster raster = new SeriesRaster();
        PixelBuffer<IntBuffer> buffer;
        private double laidOutW, laidOutH;
        final Line crosshair = new Line();
        final Label tip = new Label();
        final List<Circle> dots = new ArrayList<>();
        final List<StyleableObjectProperty<Paint>> palette = new ArrayList<>();
        final StyleableObjectProperty<Paint> crosshairColor;
        private boolean dirty = true;

        CanvasChart(NumberAxis x, NumberAxis y) {
            super(x, y);
            setData(javafx.collections.FXCollections.observableArrayList());
            for (int i = 0; i < PALETTE_META.size(); i++) {
                palette.add(new SimpleStyleableObjectProperty<>(PALETTE_META.get(i), this, "series" + (i + 1), Color.web(COLORS[i])));
            }
            crosshairColor = new SimpleStyleableObjectProperty<>(CROSSHAIR_META, this, "crosshair", Color.GRAY);
            layer.setMouseTransparent(true);
            layer.setManaged(false);
            crosshair.getStyleClass().add("stats-crosshair");
            crosshair.strokeProperty().bind(crosshairColor);
            crosshair.setMouseTransparent(true);
            crosshair.setVisible(false);
            crosshair.setManaged(false);
            tip.getStyleClass().add("stats-tooltip");
            tip.setMouseTransparent(true);
            tip.setVisible(false);
            tip.setManaged(false);
            getPlotChildren().addAll(layer, crosshair, tip);
        }

        Circle dot(int k) {
            while (dots.size() <= k) {
                Circle c = new Circle(3.5);
                c.getStyleClass().add("stats-hover-dot");
                c.setMouseTransparent(true);
                c.setManaged(false);
                c.setVisible(false);
                dots.add(c);
                getPlotChildren().add(getPlotChildren().indexOf(tip), c);
            }
            return dots.get(k);
        }

        void redraw() {
            dirty = true;
            requestChartLayout();
        }

        void refreshHover() {
            if (!Double.isNaN(hoverSceneX)) showHover(hoverSceneX, hoverSceneY);
        }

        @Override protected void layoutPlotChildren() {
            double w = Math.floor(xAxis.getWidth()), h = Math.floor(yAxis.getHeight());
            if (w <= 0 || h <= 0) return;
            if (laidOutW != w || laidOutH != h) dirty = true;
            if (dirty) {
                dirty = false;
                draw(w, h);
            }
        }

        /** Rasterises every segment, at most first/min/max/last per pixel column (M4), into the layer's pixels. */
        private void draw(double w, double h) {
            double scale = renderScale();
            int pw = (int) Math.round(w * scale), ph = (int) Math.round(h * scale);
            raster.reset(pw, ph);
            // linear maps value -> device pixel, from the laid-out axes
            double x0 = xAxis.getDisplayPosition(xAxis.getLowerBound()), x1 = xAxis.getDisplayPosition(xAxis.getUpperBound());
            double xs = (x1 - x0) / (xAxis.getUpperBound() - xAxis.getLowerBound()) * scale;
            double xo = x0 * scale - xs * xAxis.getLowerBound();
            double y0 = yAxis.getDisplayPosition(yAxis.getLowerBound()), y1 = yAxis.getDisplayPosition(yAxis.getUpperBound());
            double ys = (y1 - y0) / (yAxis.getUpperBound() - yAxis.getLowerBound()) * scale;
            double yo = y0 * scale - ys * yAxis.getLowerBound();
            int n = 0;
            for (int k = 0; k < shown.size(); k++) {
                raster.beginSeries();
                for (Downsampler.Segment seg : shown.get(k).segments()) n += stroke(seg, xs, xo, ys, yo, scale);
                Color c = seriesColor(k);
                int argb = ((int) Math.round(c.getOpacity() * 255) << 24) | ((int) Math.round(c.getRed() * 255) << 16)
                        | ((int) Math.round(c.getGreen() * 255) << 8) | (int) Math.round(c.getBlue() * 255);
                raster.paint(argb, LINE_WIDTH * scale);
            }
            vertices = n;
            if (buffer == null || buffer.getWidth() != pw || buffer.getHeight() != ph) {
                buffer = new PixelBuffer<>(pw, ph, IntBuffer.wrap(raster.pixels()), PixelFormat.getIntArgbPreInstance());
                layer.setImage(new WritableImage(buffer));
            } else {
                buffer.updateBuffer(b -> null);
            }
            // scaled only on HiDPI (device pixels -> layout pixels); at scale 1 the image is drawn 1:1, unfiltered
            layer.setFitWidth(scale == 1 ? 0 : w);
            layer.setFitHeight(scale == 1 ? 0 : h);
            layer.setSmooth(scale != 1);
            laidOutW = w;
            laidOutH = h;
        }

        private double renderScale() {
            return getScene() != null && getScene().getWindow() != null ? Math.max(1, getScene().getWindow().getRenderScaleX()) : 1;
        }

        private int stroke(Downsampler.Segment seg, double xs, double xo, double ys, double yo, double scale) {
            double[] x = seg.x(), y = seg.y();
            int len = x.length;
            if (len == 0) return 0;
            if (len == 1) {
                raster.dot(xs * x[0] + xo, ys * y[0] + yo, 1.75 * scale);
                return 1;
            }
            int n = 0;
            long col = Long.MIN_VALUE;
            double firstY = 0, minY = 0, maxY = 0, lastX = 0, lastY = 0, colX = 0;
            boolean started = false;
            for (int i = 0; i < len; i++) {
                double px = xs * x[i] + xo, py = ys * y[i] + yo;
                long c = (long) Math.floor(px);
                if (c == col) {
                    if (py < minY) minY = py;
                    if (py > maxY) maxY = py;
                    lastX = px;
                    lastY = py;
                    continue;
                }
                if (started) n += flush(colX, firstY, minY, maxY, lastX, lastY);
                col = c;
                colX = px;
                firstY = minY = maxY = lastY = py;
                lastX = px;
                if (!started) { raster.moveTo(px, py); started = true; }
                else raster.lineTo(px, py);
                n++;
            }
            n += flush(colX, firstY, minY, maxY, lastX, lastY);
            return n;
        }

        /** The rest of one pixel column after its first vertex: the vertical extent, then the last point. */
        private int flush(double colX, double firstY, double minY, double maxY, double lastX, double lastY) {
            int n = 0;
            if (minY < maxY) {
                double cx = (colX + lastX) / 2;
                if (firstY - minY < maxY - firstY) { raster.lineTo(cx, minY); raster.lineTo(cx, maxY); }
                else { raster.lineTo(cx, maxY); raster.lineTo(cx, minY); }
                n += 2;
            }
            if (lastX != colX || lastY != firstY) { raster.lineTo(lastX, lastY); n++; }
            return n;
        }

        @Override protected void dataItemAdded(Series<Number, Number> s, int i, Data<Number, Number> d) { }
        @Override protected void dataItemRemoved(Data<Number, Number> d, Series<Number, Number> s) { }
        @Override protected void dataItemChanged(Data<Number, Number> d) { }
        @Override protected void seriesAdded(Series<Number, Number> s, int i) { }
        @Override protected void seriesRemoved(Series<Number, Number> s) { }

        @Override public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() { return CSS_META; }
    }

    private static final List<CssMetaData<CanvasChart, Paint>> PALETTE_META = new ArrayList<>();
    private static final CssMetaData<CanvasChart, Paint> CROSSHAIR_META;
    private static final List<CssMetaData<? extends Styleable, ?>> CSS_META;

    static {
        for (int i = 0; i < COLORS.length; i++) {
            final int k = i;
            PALETTE_META.add(new CssMetaData<>("-stats-series-" + (i + 1), StyleConverter.getPaintConverter(), Color.web(COLORS[i])) {
                @Override public boolean isSettable(CanvasChart c) { return !c.palette.get(k).isBound(); }
                @Override public StyleableProperty<Paint> getStyleableProperty(CanvasChart c) { return c.palette.get(k); }
            });
        }
        CROSSHAIR_META = new CssMetaData<>("-stats-crosshair", StyleConverter.getPaintConverter(), Color.GRAY) {
            @Override public boolean isSettable(CanvasChart c) { return !c.crosshairColor.isBound(); }
            @Override public StyleableProperty<Paint> getStyleableProperty(CanvasChart c) { return c.crosshairColor; }
        };
        List<CssMetaData<? extends Styleable, ?>> all = new ArrayList<>(XYChart.getClassCssMetaData());
        all.addAll(PALETTE_META);
        all.add(CROSSHAIR_META);
        CSS_META = Collections.unmodifiableList(all);
    }
}
