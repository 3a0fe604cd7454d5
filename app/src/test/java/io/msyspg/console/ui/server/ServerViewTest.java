package io.msyspg.console.ui.server;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.server.ServerSettings;
import io.msyspg.console.core.server.Setting;
import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.App;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.control.Label;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Server screen end to end against the shared real cluster: status, the settings table, the "changed" filter, an edit. */
@ExtendWith(ApplicationExtension.class)
class ServerViewTest {
    @TempDir static Path home;


    AppContext ctx;
    RecordingDialogService dialogs;
    PooledDbSession session;

    @Start void start(Stage stage) {
        AppDirs dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        SettingsStore store = new SettingsStore(dirs.config().resolve("settings.json"));
        AppearanceSettings a = store.get(AppearanceSettings.class);
        a.lastView = "connections";
        store.put(a);
        ServerSettings s = store.get(ServerSettings.class);
        s.dataDirectory = TestPg.shared().dataDir().toString();
        store.put(s);
        dialogs = new RecordingDialogService();
        dialogs.typedAnswer = false;
        ctx = new AppContext(dirs, store, dialogs);
        App.showMainWindow(stage, ctx);
    }

    @AfterEach void close() {
        if (session != null) session.close();
    }

    private static String show(String name) throws Exception {
        try (Connection c = TestPg.shared().connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void stopAndStartFromTheControlTabWithConfirmation(FxRobot robot) throws Exception {
        try (var cluster = TestPg.privateCluster()) {
            session = PooledDbSession.open(TestPg.target(cluster, "postgres"), TestPg.PASSWORD);
            Connection other = cluster.connect("postgres");   // a session the confirmation must count
            try {
                robot.clickOn("#nav-server");
                robot.interact(() -> {
                    robot.lookup("#serverDataDir").queryAs(javafx.scene.control.TextField.class).setText(cluster.dataDir().toString());
                    ctx.session().currentProperty().set(session);
                });
                Label status = robot.lookup("#serverStatus").queryAs(Label.class);
                robot.clickOn("#serverRefreshStatus");
                WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> status.getText().startsWith("running (PID"));
                // tabs build their controls' skins when first shown: a one-time cost, reported, not held to the limit
                robot.clickOn("Configuration");
                robot.clickOn("Control");
                // so is the task panel's first progress bar: a reload is the first (harmless) panel task
                javafx.scene.control.ListView<?> out = robot.lookup("#serverOutput").queryAs(javafx.scene.control.ListView.class);
                robot.clickOn("#serverReload");
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> out.getItems().stream().anyMatch(l -> l.toString().startsWith("Configuration reloaded")));
                WaitForAsyncUtils.waitForFxEvents();
                System.out.println("server view: FX thread max blocked during first show of the tabs and the first panel task: "
                        + FxWatchdog.get().maxBlockedMillis() + " ms");
                FxWatchdog.get().reset();

                robot.clickOn("#serverStop");
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status.getText().startsWith("not running"));
                assertThat(dialogs.confirms()).anyMatch(m -> m.contains("Stop PostgreSQL in " + cluster.dataDir() + " (fast mode)")
                        && m.matches("(?s).*\\d+ other sessions? (is|are) connected.*"));
                assertThat(out.getItems()).anyMatch(l -> l.toString().contains("pg_ctl") && l.toString().contains("stop"));

                robot.clickOn("#serverStart");
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status.getText().startsWith("running (PID"));
                assertThat(out.getItems()).anyMatch(l -> l.toString().startsWith("Server started"));

                // a restart-only change shows the banner until a restart from the screen
                var cfg = new io.msyspg.console.core.server.ConfigService(session);
                cfg.apply(io.msyspg.console.core.server.ConfigService.plan(cfg.load(),
                        List.of(new io.msyspg.console.core.server.ConfigService.Change("max_connections", "65"))), true);
                WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> cfg.pendingRestart().contains("max_connections"));
                Label banner = robot.lookup("#serverRestartBanner").queryAs(Label.class);
                robot.clickOn("Configuration");
                robot.clickOn("#serverRefreshConfig");
                WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> banner.isVisible() && banner.getText().contains("max_connections"));
                assertThat(banner.getText()).startsWith("Restart needed: max_connections");
                robot.clickOn("Control");
                String before = status.getText();
                robot.clickOn("#serverRestart");
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status.getText().startsWith("running (PID") && !status.getText().equals(before));
                assertThat(dialogs.confirms()).anyMatch(m -> m.startsWith("Restart PostgreSQL in "));
                robot.clickOn("Configuration");
                robot.clickOn("#serverRefreshConfig");
                WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !banner.isVisible());
                assertThat(dialogs.errors()).isEmpty();
                assertThat(FxWatchdog.get().maxBlockedMillis()).as("FX thread blocked: %s", FxWatchdog.get().violations())
                        .isLessThan(FxWatchdog.LIMIT_MILLIS);
            } finally {
                try {
                    other.close();
                } catch (java.sql.SQLException stoppedUnderUs) {
                    // the server closed it at the stop
                }
            }
        }
    }

    @Test
    void showsStatusAndSettingsWithTheChangedFilter(FxRobot robot) throws Exception {
        session = TestPg.session("postgres");
        robot.clickOn("#nav-server");
        robot.lookup("#serverStatus").queryAs(Label.class);
        WaitForAsyncUtils.waitForFxEvents();
        // the screen is built on first use (FXML, CSS of five tabs): that one-time cost is start-up, not interaction
        FxWatchdog.get().reset();
        robot.interact(() -> ctx.session().currentProperty().set(session));

        Label status = robot.lookup("#serverStatus").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> status.getText().startsWith("running (PID"));
        assertThat(status.getText()).contains("port " + TestPg.shared().port());
        assertThat(status.getStyleClass()).contains("running");

        robot.clickOn("Configuration");
        @SuppressWarnings("unchecked")
        TableView<Setting> table = robot.lookup("#serverSettingsTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() > 200);
        WaitForAsyncUtils.waitForFxEvents();
        // first build and first fill of the table are one-time costs (class loading, lambda linkage, CSS): report
        // them, then hold every interaction after that to the limit
        System.out.println("server view: FX thread max blocked during first show and first table fill: "
                + FxWatchdog.get().maxBlockedMillis() + " ms");
        FxWatchdog.get().reset();

        robot.clickOn("#serverFilterChanged");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().size() < 100);
        assertThat(table.getItems()).allMatch(Setting::changedFromDefault);
        assertThat(table.getItems()).extracting(Setting::name).contains("log_filename", "logging_collector").doesNotContain("work_mem");
        Label warnings = robot.lookup("#serverConfigWarnings").queryAs(Label.class);
        assertThat(warnings.getText()).contains("repeats every hour");

        robot.clickOn("#serverFilterLogging");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().stream().allMatch(Setting::logging)
                && table.getItems().stream().anyMatch(s -> s.name().equals("log_rotation_size")));

        // edit: ALTER SYSTEM work_mem with a diff first, then reset it
        robot.clickOn("#serverFilterAll");
        robot.clickOn("#serverSettingSearch").write("work_mem");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().size() < 10);
        assertThat(table.getItems()).allMatch(x -> x.name().contains("work_mem") || x.description().contains("work_mem"));
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(x -> x.name().equals("work_mem")).findFirst().orElseThrow()));
        robot.doubleClickOn("#serverNewValue").eraseText(10).write("5MB");
        robot.clickOn("#serverApply");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> "5MB".equals(show("work_mem")) || !dialogs.errors().isEmpty());
        assertThat(dialogs.errors()).isEmpty();
        assertThat(dialogs.confirms()).anyMatch(m -> m.contains("- work_mem = 4MB") && m.contains("+ work_mem = 5MB"));
        robot.clickOn("#serverReset");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> "4MB".equals(show("work_mem")));
        assertThat(dialogs.errors()).isEmpty();

        assertThat(FxWatchdog.get().maxBlockedMillis()).as("FX thread blocked: %s", FxWatchdog.get().violations())
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
    }
}
