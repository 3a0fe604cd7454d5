package io.msyspg.console.ui.stats;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.stats.StatsSettings;
import io.msyspg.console.core.stats.StorageTrend;
import io.msyspg.console.core.stats.TopQueries;
import io.msyspg.console.testsupport.GuiTestSupport;
import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End to end on a real server with pg_stat_statements preloaded: the storage trend fills (shortened throttles),
 * the data-directory editor validates and stores, the top-queries table fills with a known workload, the database
 * selector switches the TPS chart to one database, and the trend survives a new dashboard (a console restart).
 */
@ExtendWith(ApplicationExtension.class)
class DashboardMoreViewTest {
    @TempDir static Path home;
    private static PgCluster cluster;

    private AppContext ctx;
    private DashboardView view;
    private Stage stage;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    private PooledDbSession session;

    @BeforeAll
    static void server() throws Exception {
        cluster = PgCluster.builder(PgBinaries.system()).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD)
                .setting("shared_preload_libraries", "pg_stat_statements").start();
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
            s.execute("CREATE TABLE topq_marker (v int)");
            s.execute("INSERT INTO topq_marker SELECT g FROM generate_series(1, 100) g");
            s.execute("CREATE DATABASE busy");
            s.execute("CREATE DATABASE quiet");
        }
        try (Connection c = cluster.connect("busy"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE w (v int)");
        }
    }

    @AfterAll
    static void stopServer() {
        if (cluster != null) cluster.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ctx = GuiTestSupport.context(home, dialogs);
        StatsSettings st = ctx.settings().get(StatsSettings.class);
        st.intervalSeconds = 0.5;
        st.windowMinutes = 5;
        st.sizeIntervalSeconds = 1;        // test-shortened throttles
        st.dataDirIntervalSeconds = 1;
        st.topQueriesIntervalSeconds = 1;
        ctx.settings().put(st);
        view = new DashboardView(ctx);
        stage.setScene(new Scene((javafx.scene.Parent) view.root(), 1280, 900));
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        Platform.runLater(() -> ctx.session().currentProperty().set(null));
        WaitForAsyncUtils.waitForFxEvents();
        view.viewModel().close();
        ctx.close();
        if (session != null) session.close();
    }

    private static void calls(String db, int n) throws Exception {
        try (Connection c = cluster.connect(db); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM topq_marker WHERE v <= ?")) {
            for (int i = 0; i < n; i++) {
                ps.setInt(1, i % 10);
                try (var rs = ps.executeQuery()) { rs.next(); }
            }
        }
    }

    private static void commits(String db, int n, int perSecond) throws Exception {
        try (Connection c = cluster.connect(db); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                s.execute("INSERT INTO w VALUES (" + i + ")");
                long wait = t0 + (i + 1) * 1_000_000_000L / perSecond - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000);
            }
        }
    }

    /** The highest y of the chart's series whose name contains {@code name}. */
    private static double maxY(TimeChart chart, String name) {
        double max = Double.NaN;
        for (TimeChart.SeriesData s : chart.shown()) {
            if (!s.name().contains(name)) continue;
            for (var seg : s.segments()) for (double y : seg.y()) max = Double.isNaN(max) ? y : Math.max(max, y);
        }
        return max;
    }

    @Test
    void storageTrendTopQueriesAndDatabaseSelector(FxRobot robot) throws Exception {
        session = PooledDbSession.open(TestPg.target(cluster, "postgres"), TestPg.PASSWORD);
        String key = session.target().display();
        FxWatchdog.get().reset();
        robot.interact(() -> ctx.session().currentProperty().set(session));
        TimeChart tps = view.charts().get(1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> tps.drawnPoints() >= 2);

        // storage: the trend fills after the (shortened) throttle: database, cluster and the walked data directory
        robot.clickOn("#stats-tab-storage");
        TimeChart storage = view.storageChart();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            StorageTrend.Series readings = view.viewModel().currentProperty().get().storageTrend().series();
            long dirReadings = java.util.Arrays.stream(readings.dataDir()).filter(v -> !Double.isNaN(v)).count();
            long dbReadings = java.util.Arrays.stream(readings.database()).filter(v -> !Double.isNaN(v)).count();
            return dirReadings >= 2 && dbReadings >= 3 && storage.shown().stream()
                    .filter(s -> s.name().equals("data directory on disk")).mapToInt(TimeChart.SeriesData::points).sum() >= 2
                    && storage.drawnPoints() >= 8;
        });
        assertThat(robot.lookup("#stats-datadir").queryTextInputControl().getText()).isEqualTo(cluster.dataDir().toRealPath().toString());
        assertThat(robot.lookup("#stats-datadir-note").queryLabeled().getText()).contains("data_directory");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#stats-projection").queryLabeled().getText().contains("per day"));
        String projection = robot.lookup("#stats-projection").queryLabeled().getText();
        assertThat(projection).contains("Two years of retention at this rate need").contains("Free on the disk holding the data directory");

        // the data-directory editor: a folder that is not a data directory is refused with a clear message
        Path notData = Files.createDirectories(home.resolve("not-a-data-dir"));
        robot.interact(() -> robot.lookup("#stats-datadir").queryTextInputControl().setText(notData.toString()));
        robot.clickOn("#stats-datadir-apply");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#stats-datadir-message").queryLabeled().getText().contains("PG_VERSION"));
        assertThat(ctx.settings().get(StatsSettings.class).dataDirectories).doesNotContainKey(key);
        // the real one is accepted and stored per server
        robot.interact(() -> robot.lookup("#stats-datadir").queryTextInputControl().setText(cluster.dataDir().toString()));
        robot.clickOn("#stats-datadir-apply");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ctx.settings().get(StatsSettings.class).dataDirectories.containsKey(key));
        assertThat(robot.lookup("#stats-datadir-message").queryLabeled().getText()).isEmpty();
        assertThat(robot.lookup("#stats-datadir-note").queryLabeled().getText()).contains("set for this server");
        assertThat(dialogs.lines()).isEmpty();

        // top queries: a known workload of 300 calls is counted within 10%
        calls("postgres", 300);
        robot.clickOn("#stats-tab-topqueries");
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<TopQueries.Row> top = robot.lookup("#stats-topqueries").queryAs(javafx.scene.control.TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> top.isVisible() && top.getItems().stream().anyMatch(r -> r.query().contains("topq_marker")));
        TopQueries.Row marker = top.getItems().stream().filter(r -> r.query().contains("topq_marker")).findFirst().orElseThrow();
        assertThat(marker.calls()).isCloseTo(300, within(30.0));
        assertThat(robot.lookup("#stats-topqueries-note").queryLabeled().getText()).contains("all databases");

        // the database selector: the TPS chart shows the selected database only
        commits("busy", 150, 50);
        robot.clickOn("#stats-tab-overview");
        @SuppressWarnings("unchecked")
        ChoiceBox<String> dbChoice = robot.lookup("#stats-database").queryAs(ChoiceBox.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dbChoice.getItems().contains("busy") && dbChoice.getItems().contains("quiet"));
        robot.interact(() -> dbChoice.setValue("busy"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> maxY(tps, "busy: commits/s") > 25);
        // backends publish about once a second, so one 0.5 s interval may show up to twice the steady 50/s
        assertThat(maxY(tps, "busy: commits/s")).isLessThan(150);
        robot.interact(() -> dbChoice.setValue("quiet"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !Double.isNaN(maxY(tps, "quiet: commits/s")));
        assertThat(maxY(tps, "quiet: commits/s")).as("nothing ran in quiet").isLessThan(5);
        // and the top queries follow the selection
        robot.clickOn("#stats-tab-topqueries");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#stats-topqueries-note").queryLabeled().getText().contains("database quiet"));
        assertThat(top.getItems()).noneMatch(r -> r.query().contains("topq_marker"));
        robot.interact(() -> dbChoice.setValue(dbChoice.getItems().get(0)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> maxY(tps, "commits/s") >= 0 && Double.isNaN(maxY(tps, "busy:")));

        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(FxWatchdog.LIMIT_MILLIS);

        // a console restart: a new dashboard loads the saved trend from the state directory
        int before = storage.drawnPoints();
        assertThat(Files.exists(StorageTrend.fileFor(ctx.dirs().state(), key))).isTrue();
        robot.interact(() -> view.viewModel().close());
        robot.interact(() -> {
            view = new DashboardView(ctx);
            stage.getScene().setRoot((javafx.scene.Parent) view.root());
        });
        robot.clickOn("#stats-tab-storage");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.storageChart().drawnPoints() >= before);
    }
}
