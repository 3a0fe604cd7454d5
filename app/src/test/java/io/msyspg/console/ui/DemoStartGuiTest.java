package io.msyspg.console.ui;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.demo.DemoSandbox;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import io.msyspg.console.ui.shell.MainView;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --demo}: the window starts the sandbox in the task panel, connects, and the status bar says so. */
@ExtendWith(ApplicationExtension.class)
class DemoStartGuiTest {
    static Path base;
    static Path home;
    static Path cancelHome;
    final RecordingDialogService dialogs = new RecordingDialogService();
    { dialogs.confirmAnswer = false; dialogs.typedAnswer = false; }   // these flows never agree to a question
    static String demoDirBefore;

    AppContext ctx;
    MainView main;

    @BeforeAll
    static void dirs() throws Exception {
        // under java.io.tmpdir: the postgres account (when tests run as root) can reach it
        base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "msyspg-demo-gui-");
        io.msyspg.console.core.common.FilePermissions.set(base, "rwx--x--x");
        home = base.resolve("demo");
        demoDirBefore = System.getProperty(DemoSandbox.DIR_PROPERTY);
        cancelHome = base.resolve("demo-cancelled");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (demoDirBefore == null) System.clearProperty(DemoSandbox.DIR_PROPERTY);
        else System.setProperty(DemoSandbox.DIR_PROPERTY, demoDirBefore);
        AppDirs dirs = new AppDirs(base.resolve("config"), base.resolve("state"), base.resolve("cache"));
        for (Path h : List.of(home, cancelHome)) new DemoSandbox(dirs, h).reset();
        try (Stream<Path> w = Files.walk(base)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Start
    void start(Stage stage) {
        AppDirs dirs = new AppDirs(base.resolve("config"), base.resolve("state"), base.resolve("cache"));
        ctx = new AppContext(dirs, new SettingsStore(base.resolve("config/settings.json")), dialogs);
        main = App.showMainWindow(stage, ctx);
    }

    /** Loads the task panel's classes once (first-use class loading is not what the watchdog looks for). */
    static void warmUp(AppContext ctx, FxRobot robot) throws Exception {
        robot.interact(() -> ctx.tasks().task("warm-up", j -> { Thread.sleep(300); return null; }).inTaskPanel().start());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ctx.tasks().running().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(List.of(1)).isNotEmpty();
    }

    @Test
    void aNewcomerWithNoProfileGetsTheDemoAndOneWithAProfileDoesNot() {
        assertThat(FeatureViews.nothingConfigured(ctx)).isTrue();
        var cs = ctx.settings().get(io.msyspg.console.core.connect.ConnectionSettings.class);
        cs.profiles.add(io.msyspg.console.core.connect.ConnectionProfile.of(
                io.msyspg.console.core.connect.ConnectionProfile.DEMO_NAME, "127.0.0.1", 5999, "ecelerity", "msyspg"));
        assertThat(FeatureViews.nothingConfigured(ctx)).as("only the demo's own profile").isTrue();
        cs.profiles.add(io.msyspg.console.core.connect.ConnectionProfile.of("prod", "db1", 5432, "ecelerity", "ecuser"));
        assertThat(FeatureViews.nothingConfigured(ctx)).isFalse();
        cs.profiles.clear();
    }

    @Test
    void demoFlagOpensTheWindowOnTheSandbox(FxRobot robot) throws Exception {
        System.setProperty(DemoSandbox.DIR_PROPERTY, home.toString());
        warmUp(ctx, robot);
        FxWatchdog.get().reset();
        List<String> titles = new CopyOnWriteArrayList<>();
        String[] state = new String[1];
        robot.interact(() -> {
            FeatureViews.afterStart(ctx, main, new String[] {"--demo"});
            ctx.tasks().panelTasks().forEach(t -> titles.add(t.getTitle()));
            state[0] = ctx.session().connectionStateProperty().get();
        });
        // the task panel lists the start
        assertThat(titles).singleElement().asString().containsIgnoringCase("demo");
        assertThat(state[0]).isEqualTo("connecting");
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> ctx.session().current() != null || !dialogs.errors().isEmpty());
        assertThat(dialogs.errors()).isEmpty();
        DemoSandbox.Status st = new DemoSandbox(ctx.dirs(), home).status();
        assertThat(st.running()).isTrue();
        Label connection = robot.lookup("#statusConnection").queryAs(Label.class);
        Label version = robot.lookup("#statusVersion").queryAs(Label.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(connection.getText()).containsIgnoringCase("demo").contains("msyspg@127.0.0.1:" + st.port() + "/ecelerity");
        assertThat(version.getText()).startsWith("PostgreSQL 1");
        assertThat(ctx.session().connectionStateProperty().get()).isEqualTo("connected");
        // the sandbox's data directory goes with the session (the Logs and Server screens find its files)
        assertThat(ctx.session().profileDataDirectory()).isEqualTo(home.resolve("pg/data").toString());
        DbSession db = ctx.session().current();
        try (Connection c = db.borrow(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM rt_log.delivery_stats_hour")) {
            rs.next();
            assertThat(rs.getLong(1)).isPositive();
        }
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations()))
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
        db.close();
    }

    @Test
    void startingTheSandboxCanBeCancelled(FxRobot robot) throws Exception {
        DemoSandbox sandbox = new DemoSandbox(ctx.dirs(), cancelHome);
        warmUp(ctx, robot);
        FxWatchdog.get().reset();
        System.setProperty(DemoSandbox.DIR_PROPERTY, cancelHome.toString());
        BackgroundTask<?>[] task = new BackgroundTask<?>[1];
        java.util.concurrent.atomic.AtomicReference<String> message = new java.util.concurrent.atomic.AtomicReference<>("");
        robot.interact(() -> {
            FeatureViews.afterStart(ctx, main, new String[] {"--demo"});
            task[0] = ctx.tasks().panelTasks().get(0);
            task[0].messageProperty().addListener((o, old, m) -> message.set(m));
        });
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> {
            String m = message.get();
            return m != null && (m.contains("partitions") || m.contains("loading")) || task[0].isDone();
        });
        assertThat(task[0].isDone()).as("the load was still running when cancelled").isFalse();
        String cancelledAt = message.get();
        robot.interact(() -> task[0].cancel());
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !sandbox.status().running() && !ctx.tasks().panelTasks().contains(task[0]));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("after a cancel at '" + cancelledAt + "': server running " + sandbox.status().running()
                    + ", task still listed " + ctx.tasks().panelTasks().contains(task[0]) + ", last message '" + message.get() + "'", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ctx.session().current()).isNull();
        assertThat(ctx.session().connectionProperty().get()).isEqualTo("Not connected");
        assertThat(ctx.session().connectionStateProperty().get()).isEqualTo("disconnected");
        assertThat(dialogs.errors()).isEmpty();
        // the half-built sandbox is not reported as usable; the next start loads it again
        assertThat(sandbox.status().exists()).isFalse();
        assertThat(FxWatchdog.get().maxBlockedMillis()).isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

}
