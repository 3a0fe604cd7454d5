package io.msyspg.console.ui.stats;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.stats.RtLogTest;
import io.msyspg.console.core.stats.StatsSettings;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end on a real server: charts fill and grow, sessions can be cancelled, rt_log charts and exports work. */
@ExtendWith(ApplicationExtension.class)
class DashboardViewTest {
    @TempDir static Path dir;


    private AppContext ctx;
    private DashboardView view;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    private PooledDbSession session;
    private String db;

    @Start
    void start(Stage stage) throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        StatsSettings st = new StatsSettings();
        st.intervalSeconds = 0.5;
        st.windowMinutes = 5;
        store.put(st);
        ctx = new AppContext(AppDirs.fromEnvironment(), store, dialogs);
        view = new DashboardView(ctx);
        warmUp();
        stage.setScene(new Scene((javafx.scene.Parent) view.root(), 1280, 900));
        stage.show();
    }

    /**
     * Start-up of a real window loads and JIT-compiles the table and chart classes once; do that here, before the
     * watchdog is reset, so the assertion measures the dashboard's steady-state work rather than class loading.
     */
    private static void warmUp() {
        TableView<String> t = new TableView<>();
        for (int c = 0; c < 8; c++) {
            javafx.scene.control.TableColumn<String, String> col = new javafx.scene.control.TableColumn<>("c" + c);
            col.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(d.getValue()));
            t.getColumns().add(col);
        }
        for (int i = 0; i < 40; i++) t.getItems().add("row " + i);
        javafx.scene.chart.LineChart<Number, Number> chart = new javafx.scene.chart.LineChart<>(new javafx.scene.chart.NumberAxis(), new javafx.scene.chart.NumberAxis());
        chart.setCreateSymbols(false);
        chart.setAnimated(false);
        javafx.scene.chart.XYChart.Series<Number, Number> s = new javafx.scene.chart.XYChart.Series<>();
        for (int i = 0; i < 1000; i++) s.getData().add(new javafx.scene.chart.XYChart.Data<>(i, Math.sin(i / 10.0)));
        chart.getData().add(s);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(t, chart, new TabPane(new javafx.scene.control.Tab("x", new javafx.scene.control.Label("y"))));
        Scene scene = new Scene(box, 1000, 900);
        for (int i = 0; i < 3; i++) {
            box.applyCss();
            box.layout();
            box.snapshot(null, null);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        Platform.runLater(() -> ctx.session().currentProperty().set(null));
        WaitForAsyncUtils.waitForFxEvents();
        view.viewModel().close();
        ctx.close();
        if (session != null) session.close();
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void chartsGrowSessionsCancelMomentumChartAndExports(FxRobot robot) throws Exception {
        db = TestPg.createDatabase("stats_ui");
        try (Connection c = TestPg.shared().connect(db)) {
            RtLogTest.createFixtures(c);
        }
        session = TestPg.session(db);
        assertThat(robot.lookup("#stats-empty").query().isVisible()).isTrue();
        FxWatchdog.get().reset();
        robot.interact(() -> ctx.session().currentProperty().set(session));

        TimeChart tps = view.charts().get(1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> tps.drawnPoints() >= 2);
        int first = tps.drawnPoints();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> tps.drawnPoints() >= first + 4);
        assertThat(view.charts().get(0).drawnPoints()).as("sessions chart").isGreaterThan(0);
        assertThat(robot.lookup("#stats-empty").query().isVisible()).isFalse();
        // never more points than pixels
        for (TimeChart c : view.charts()) assertThat(c.drawnPoints()).isLessThanOrEqualTo(c.plotWidth());
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#stats-kpi-tps").queryLabeled().getText().matches("[0-9.]+[kM]?"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("TPS shows '" + robot.lookup("#stats-kpi-tps").queryLabeled().getText() + "'", e);
        }

        // pause freezes the charts while sampling continues
        robot.clickOn("#stats-pause");
        int frozen = tps.drawnPoints();
        long samples = view.viewModel().currentProperty().get().history().size();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.viewModel().currentProperty().get().history().size() >= samples + 3);
        assertThat(tps.drawnPoints()).isEqualTo(frozen);
        robot.clickOn("#stats-pause");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> tps.drawnPoints() > frozen);

        // PNG export of the overview
        Path png = dir.resolve("dash.png");
        var pngTask = new java.util.concurrent.atomic.AtomicReference<io.msyspg.console.ui.common.BackgroundTask<Path>>();
        robot.interact(() -> pngTask.set(view.exportPng(png)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> pngTask.get().getState()) == javafx.concurrent.Worker.State.SUCCEEDED);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(500);

        // sessions: a long query shows up, Cancel (confirmed) really stops it
        try (Connection sleeper = TestPg.shared().connect(db)) {
            int sleeperPid = pid(sleeper);
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement s = sleeper.createStatement()) {
                    s.execute("SELECT pg_sleep(60)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            robot.clickOn("#stats-tab-sessions");
            @SuppressWarnings("unchecked")
            TableView<io.msyspg.console.core.stats.ActivityReport.SessionRow> table = robot.lookup("#stats-sessions").queryAs(TableView.class);
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().stream()
                    .anyMatch(r -> r.pid() == sleeperPid && "active".equals(r.state())));
            robot.interact(() -> {
                for (int i = 0; i < table.getItems().size(); i++) if (table.getItems().get(i).pid() == sleeperPid) table.getSelectionModel().select(i);
            });
            robot.clickOn("#stats-cancel");
            assertThat(sleeping.get(15, TimeUnit.SECONDS)).hasMessageContaining("canceling statement due to user request");
            assertThat(dialogs.lines()).anyMatch(s -> s.startsWith("confirm: Cancel query") && s.contains("backend " + sleeperPid));
        }

        // Momentum statistics: discovery, aggregation on the server, CSV of what is shown
        robot.clickOn("#stats-tab-momentum");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#stats-rt-table").queryComboBox().getValue() != null);
        assertThat(robot.lookup("#stats-rt-table").queryComboBox().getItems()).hasSize(2);
        robot.interact(() -> robot.lookup("#stats-rt-window").<javafx.scene.control.ChoiceBox<Object>>query().setValue(io.msyspg.console.core.stats.RtLogQuery.Window.LAST_WEEK));
        robot.clickOn("#stats-rt-run");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> view.momentum().resultProperty().get() != null);
        var result = view.momentum().resultProperty().get();
        assertThat(result.rows()).isGreaterThan(100);
        assertThat(view.momentum().countsChart().drawnPoints()).isGreaterThan(100);
        assertThat(robot.lookup("#stats-rt-totals").queryLabeled().getText()).contains("deliveries");
        Path csv = dir.resolve("rt.csv");
        var csvTask = new java.util.concurrent.atomic.AtomicReference<io.msyspg.console.ui.common.BackgroundTask<Path>>();
        robot.interact(() -> csvTask.set(view.momentum().exportCsv(csv)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> csvTask.get().getState()) == javafx.concurrent.Worker.State.SUCCEEDED);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(result.rows() + 1);
        assertThat(lines.get(0)).startsWith("bucket_start,deliveries,bounces");

        // switching away and back keeps the sampler and its history
        int before = view.viewModel().currentProperty().get().history().size();
        robot.interact(() -> ctx.session().currentProperty().set(null));
        assertThat(robot.lookup("#stats-empty").query().isVisible()).isTrue();
        robot.interact(() -> ctx.session().currentProperty().set(session));
        assertThat(view.viewModel().samplerCount()).isEqualTo(1);
        assertThat(view.viewModel().currentProperty().get().history().size()).isGreaterThanOrEqualTo(before);

        assertThat(dialogs.lines()).noneMatch(s -> s.startsWith("error"));
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(FxWatchdog.LIMIT_MILLIS);
    }
}
