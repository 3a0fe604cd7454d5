package io.msyspg.console.ui.stats;

import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.core.stats.Downsampler;
import io.msyspg.console.ui.common.Theme;
import javafx.application.Application;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The series drawing of {@link TimeChart}: gaps, spikes, hover, PNG export and theme colours, read back from pixels. */
@ExtendWith(ApplicationExtension.class)
class TimeChartTest {
    @TempDir Path dir;
    private TimeChart chart;
    private Scene scene;
    private String userAgent;

    @Start
    void start(Stage stage) {
        userAgent = Application.getUserAgentStylesheet();
        Theme.apply(AppearanceSettings.Theme.LIGHT);
        chart = new TimeChart("t-chart", "Test chart", DashboardViewModel.Fmt::rate);
        scene = new Scene(new StackPane(chart.node()), 900, 400);
        Theme.style(scene, AppearanceSettings.Theme.LIGHT);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void restoreTheme() throws Exception {
        onFx(() -> { Application.setUserAgentStylesheet(userAgent); return null; });
    }

    private static <T> T onFx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    /** Shows one series and waits until the series layer has been laid out and drawn. */
    private int show(double[] x, double[] y, boolean downsample) throws Exception {
        int budget = onFx(() -> {
            // a first empty frame lays the axes out, so the budget is the real plot width
            chart.show(List.of(), x[0], x[x.length - 1]);
            chart.node().applyCss();
            chart.node().layout();
            return chart.plotWidth();
        });
        onFx(() -> {
            List<Downsampler.Segment> segs = downsample ? Downsampler.minMax(x, y, budget) : Downsampler.split(x, y);
            chart.show(List.of(new TimeChart.SeriesData("value", segs)), x[0], x[x.length - 1]);
            chart.node().applyCss();
            chart.node().layout();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        return budget;
    }

    private PixelReader layerPixels() throws Exception {
        return onFx(() -> chart.seriesLayer().snapshot(null, null)).getPixelReader();
    }

    private double pixelX(double value) throws Exception {
        return onFx(() -> chart.chart().getXAxis().getDisplayPosition(value));
    }

    private double pixelY(double value) throws Exception {
        return onFx(() -> chart.chart().getYAxis().getDisplayPosition(value));
    }

    private static boolean near(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) < 0.15 && Math.abs(a.getGreen() - b.getGreen()) < 0.15
                && Math.abs(a.getBlue() - b.getBlue()) < 0.15 && a.getOpacity() > 0.5;
    }

    /** Whether any pixel of column x (±dx) between rows y0..y1 has the series colour. */
    private boolean coloured(PixelReader r, double x, int dx, double y0, double y1, Color c) throws Exception {
        int w = (int) chart.seriesLayer().getLayoutBounds().getWidth(), h = (int) chart.seriesLayer().getLayoutBounds().getHeight();
        for (int px = (int) x - dx; px <= (int) x + dx; px++) {
            if (px < 0 || px >= w) continue;
            for (int py = Math.max(0, (int) y0); py <= Math.min(h - 1, (int) y1); py++) if (near(r.getColor(px, py), c)) return true;
        }
        return false;
    }

    @Test
    void gapsAreDrawnAsBreaksInTheLine() throws Exception {
        int n = 600;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1_700_000_000 + i;
            y[i] = i >= 200 && i < 300 ? Double.NaN : 50;
        }
        show(x, y, true);
        Color c = chart.seriesColor(0);
        PixelReader r = layerPixels();
        double h = chart.seriesLayer().getLayoutBounds().getHeight();
        assertThat(coloured(r, pixelX(x[100]), 0, 0, h, c)).as("line before the gap").isTrue();
        assertThat(coloured(r, pixelX(x[450]), 0, 0, h, c)).as("line after the gap").isTrue();
        assertThat(coloured(r, pixelX(x[250]), 3, 0, h, c)).as("nothing drawn across the gap").isFalse();
        assertThat(coloured(r, pixelX(x[205]), 1, 0, h, c)).as("nothing drawn just inside the gap").isFalse();
    }

    @Test
    void aSingleSampleSpikeSurvivesMinMaxPerPixelColumn() throws Exception {
        int n = 86_400, spike = 43_210;
        double[] x = new double[n], y = new double[n];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            x[i] = 1_700_000_000 + i;
            y[i] = 10 + rnd.nextDouble();
        }
        y[spike] = 1000;
        for (boolean downsample : new boolean[]{true, false}) {
            int budget = show(x, y, downsample);
            int width = onFx(chart::plotWidth);   // the y labels may have widened meanwhile
            if (downsample) assertThat(chart.drawnPoints()).as("points given, downsampled").isLessThanOrEqualTo(budget);
            else assertThat(chart.drawnPoints()).isEqualTo(n);
            // the layer itself never rasterises more than four vertices per pixel column
            assertThat(chart.drawnVertices()).as("vertices drawn").isLessThanOrEqualTo(4 * width + 4);
            double top = pixelY(1000);
            PixelReader r = layerPixels();
            Color c = chart.seriesColor(0);
            assertThat(coloured(r, pixelX(x[spike]), 1, top - 2, top + 3, c)).as("spike top drawn (downsampled " + downsample + ")").isTrue();
            // and the rest of the line stays down at ~10 (no spike elsewhere)
            assertThat(coloured(r, pixelX(x[spike]) - 40, 0, top - 2, top + 3, c)).isFalse();
        }
    }

    @Test
    void hoverShowsTheValueUnderTheMouseWithCrosshairAndTooltip(FxRobot robot) throws Exception {
        int n = 1000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1_700_000_000 + i * 10;
            y[i] = i < 500 ? 12 : 345;
        }
        show(x, y, true);
        double left = pixelX(x[250]), right = pixelX(x[750]), mid = chart.seriesLayer().getLayoutBounds().getHeight() / 2;
        robot.moveTo(chart.seriesLayer(), Pos.TOP_LEFT, new javafx.geometry.Point2D(left, mid), org.testfx.robot.Motion.DIRECT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> chart.hoverText().contains("value 12.0"));
        assertThat(chart.crosshair().isVisible()).isTrue();
        assertThat(chart.crosshair().getStartX()).isCloseTo(left, org.assertj.core.data.Offset.offset(2.0));
        assertThat(chart.tooltip().isVisible()).isTrue();
        assertThat(chart.tooltip().getText()).contains("value: 12.0");
        robot.moveTo(chart.seriesLayer(), Pos.TOP_LEFT, new javafx.geometry.Point2D(right, mid), org.testfx.robot.Motion.DIRECT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> chart.hoverText().contains("value 345"));
        assertThat(chart.tooltip().getText()).contains("value: 345");
        // leaving the chart hides the crosshair
        robot.moveTo(chart.node(), Pos.TOP_LEFT, new javafx.geometry.Point2D(-20, -20), org.testfx.robot.Motion.DIRECT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chart.crosshair().isVisible());
        assertThat(chart.hoverText()).isEmpty();
    }

    @Test
    void pngExportWritesTheChartAtItsSize() throws Exception {
        int n = 3600;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = 1_700_000_000 + i; y[i] = 50 + 40 * Math.sin(i / 200.0); }
        show(x, y, true);
        WritableImage img = onFx(chart::snapshot);
        double w = onFx(() -> chart.node().getWidth()), h = onFx(() -> chart.node().getHeight());
        Path png = dir.resolve("chart.png");
        TimeChart.writePng(img, png);
        assertThat(Files.size(png)).isGreaterThan(1000);
        BufferedImage read = ImageIO.read(png.toFile());
        assertThat(read.getWidth()).isEqualTo((int) Math.ceil(w));
        assertThat(read.getHeight()).isEqualTo((int) Math.ceil(h));
        // the line is in the image, in the series colour
        Color c = chart.seriesColor(0);
        boolean found = false;
        for (int px = 0; px < read.getWidth() && !found; px++) {
            for (int py = 0; py < read.getHeight() && !found; py++) {
                int argb = read.getRGB(px, py);
                found = near(Color.rgb((argb >> 16) & 255, (argb >> 8) & 255, argb & 255), c);
            }
        }
        assertThat(found).as("series colour in the PNG").isTrue();
    }

    @Test
    void darkThemeColoursAreApplied() throws Exception {
        int n = 600;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = 1_700_000_000 + i; y[i] = 50; }
        show(x, y, true);
        Color light = chart.seriesColor(0);
        assertThat(light).isEqualTo(Color.web("#0969da"));   // Primer light -color-accent-fg
        onFx(() -> {
            Theme.apply(AppearanceSettings.Theme.DARK);
            Theme.style(scene, AppearanceSettings.Theme.DARK);
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(chart.seriesColor(0)).isEqualTo(Color.web("#58a6ff"));   // Primer dark -color-accent-fg
        assertThat(chart.seriesColor(4)).isEqualTo(Color.web("#a371f7"));   // app.css .theme-dark override
        // the layer was redrawn in the dark colour
        PixelReader r = layerPixels();
        double yPx = pixelY(50);
        assertThat(coloured(r, pixelX(x[300]), 0, yPx - 2, yPx + 2, Color.web("#58a6ff"))).isTrue();
        assertThat(coloured(r, pixelX(x[300]), 0, yPx - 2, yPx + 2, light)).isFalse();
        // the legend swatch follows
        javafx.scene.control.Label item = (javafx.scene.control.Label) onFx(() -> chart.node().lookup("#t-chart-legend .stats-legend-item"));
        assertThat(((javafx.scene.shape.Rectangle) item.getGraphic()).getFill()).isEqualTo(Color.web("#58a6ff"));
    }
}
