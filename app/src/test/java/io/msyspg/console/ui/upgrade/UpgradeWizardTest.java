package io.msyspg.console.ui.upgrade;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.demo.DemoFixtures;
import io.msyspg.console.core.upgrade.DeferredJob;
import io.msyspg.console.core.upgrade.DeferredJobs;
import io.msyspg.console.core.upgrade.JobJournal;
import io.msyspg.console.core.upgrade.UpgradePlanner;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.GuiTestSupport;
import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.App;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade wizard end to end against real servers: a PostgreSQL 13 cluster (zonky binaries) with Momentum-like
 * data, connected as the console's session, upgraded to the system's PostgreSQL 15 by dump and restore through
 * every page (plan, checklist, pre-flight, run, deferred job, report); a blocked pre-flight keeps Start disabled
 * and says why; later checklist ticks land in the report file.
 */
@ExtendWith(ApplicationExtension.class)
class UpgradeWizardTest {
    @TempDir static Path tmp;
    static PgCluster old;
    static PooledDbSession session;
    static Path newData;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    private AppContext ctx;
    private Stage stage;

    @BeforeAll
    static void oldCluster() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        old = PgCluster.builder(PgBinaries.forMajor(13)).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD).start();
        try (Connection c = old.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE ecelerity");
        }
        try (Connection c = old.connect("ecelerity")) {
            DemoFixtures.loadTiny(c);
        }
        session = PooledDbSession.open(TestPg.target(old, "ecelerity"), TestPg.PASSWORD);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (session != null) session.close();
        if (newData != null && Files.exists(newData.resolve("postmaster.pid"))) {
            Processes.run(old.account().wrap(List.of(PgBinaries.forMajor(15).tool("pg_ctl").toString(), "-D", newData.toString(),
                    "-m", "immediate", "-w", "stop")), tmp, null, 60);
        }
        if (old != null) old.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ctx = GuiTestSupport.context(tmp.resolve("home" + System.nanoTime()), dialogs);
        var a = ctx.settings().get(io.msyspg.console.core.settings.AppearanceSettings.class);
        a.windowWidth = 1280;
        a.windowHeight = 800;
        App.showMainWindow(stage, ctx);
        FxWatchdog.start();
    }

    @Test
    void upgradesThirteenToFifteenByDumpRestoreThroughEveryPage(FxRobot robot) throws Exception {
        robot.interact(() -> ctx.session().currentProperty().set(session));
        robot.clickOn("#nav-upgrade");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeStart").queryAs(Button.class).isDisabled());
        FxWatchdog.get().reset();
        robot.clickOn("#upgradeStart");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#upgradeSourceInfo").tryQuery().isPresent());

        // 1. plan: the source is read from the server; the system's 15 is offered as the target
        assertThat(text(robot, "#upgradeSourceInfo")).contains("PostgreSQL 13.", old.dataDir().toString());
        ComboBox<PgBinaries> target = robot.lookup("#upgradeTargetChoice").queryAs(ComboBox.class);
        assertThat(target.getValue().version().major()).isEqualTo(15);
        assertThat(field(robot, "#upgradeNewBin").getText()).isEqualTo(PgBinaries.forMajor(15).binDir().toString());
        newData = tmp.resolve("new15").resolve("data");
        int port = freePort();
        robot.interact(() -> {
            field(robot, "#upgradeOldBin").setText(old.binaries().binDir().toString());
            robot.lookup("#upgradeMethod").queryAs(ComboBox.class).setValue(UpgradePlanner.Method.DUMP_RESTORE);
            field(robot, "#upgradeNewData").setText(newData.toString());
            field(robot, "#upgradeNewPort").setText(Integer.toString(port));
        });
        assertThat(text(robot, "#upgradePlanSummary")).contains("pg_dump 15 dumps 13");
        shot("upgrade-plan");
        robot.interact(() -> field(robot, "#upgradeNewPort").setText("99999"));
        robot.clickOn("#upgradeNext");
        assertThat(text(robot, "#upgradeWizardError")).contains("99999").contains("not a TCP port");
        robot.interact(() -> field(robot, "#upgradeNewPort").setText(Integer.toString(port)));
        robot.clickOn("#upgradeNext");

        // 2. checklist: the database role first is required
        robot.clickOn("#upgradeNext");
        assertThat(text(robot, "#upgradeWizardError")).contains("database role");
        robot.clickOn("#upgradeChecklist0");
        assertThat(robot.lookup("#upgradeChecklist2").queryAs(CheckBox.class).isDisabled()).as("MTAs come after the database").isTrue();
        robot.clickOn("#upgradeNext");

        // 3. pre-flight: real facts, the dry run; backup into our folder
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeRecheck").queryAs(Button.class).isDisabled());
        robot.interact(() -> field(robot, "#upgradeBackupDir").setText(tmp.resolve("backups").toString()));
        robot.clickOn("#upgradeNext");
        assertThat(text(robot, "#upgradeWizardError")).contains("check again");
        robot.clickOn("#upgradeRecheck");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeRecheck").queryAs(Button.class).isDisabled());
        assertThat(robot.lookup("#upgradeNext").queryAs(Button.class).isDisabled()).as(text(robot, "#upgradeWizardError")).isFalse();
        ListView<UpgradeReport.CheckLine> checks = robot.lookup("#upgradeChecks").queryAs(ListView.class);
        assertThat(checks.getItems()).noneMatch(c -> c.verdict().equals("BLOCK"));
        assertThat(checks.getItems()).anyMatch(c -> c.name().equals("disk space"));
        assertThat(robot.lookup("#upgradeDryRun").queryAs(TextArea.class).getText()).contains("initdb", "pg_restore", "--analyze-in-stages");
        assertThat(Files.exists(newData)).as("the pre-flight changes nothing").isFalse();
        shot("upgrade-preflight");

        // 4. run: typed confirmation, then the upgrade as a background task
        robot.clickOn("#upgradeNext");
        assertThat(dialogs.typedConfirmations()).anyMatch(s -> s.contains("data"));
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> !text(robot, "#upgradeRunResult").isEmpty());
        assertThat(text(robot, "#upgradeRunResult")).startsWith("Upgraded:");
        assertThat(robot.lookup("#upgradeLog").queryAs(ListView.class).getItems()).anyMatch(l -> l.toString().contains("verify table by table"));
        assertThat(FxWatchdog.get().maxBlockedMillis()).as("the FX thread never waited on the upgrade").isLessThan(250);
        shot("upgrade-run");

        // the data is really there in the new 15 server
        Properties p = new Properties();
        p.setProperty("user", TestPg.SUPERUSER);
        p.setProperty("password", new String(TestPg.PASSWORD));
        try (Connection oldC = old.connect("ecelerity");
             Connection newC = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/ecelerity", p)) {
            String sum = "SELECT count(*) + coalesce(sum(delivered), 0) FROM rt_log.delivery_stats_hour";
            assertThat(count(newC, "SHOW server_version_num")).isGreaterThanOrEqualTo(150000);
            assertThat(count(newC, sum)).isEqualTo(count(oldC, sum)).isGreaterThan(0);
        }

        // 5. deferred: the job is queued and the jobs list shows it
        robot.clickOn("#upgradeNext");
        assertThat(text(robot, "#upgradeDeferredInfo")).contains("vacuumdb --all --analyze-in-stages");
        String jobId = text(robot, "#upgradeDeferredInfo").replaceAll("^Deferred job (\\S+) .*$", "$1");
        DeferredJobs jobs = new DeferredJobs(JobJournal.jobsDir(ctx.dirs()));
        assertThat(jobs.find(jobId)).isPresent();

        // 6. report: the file, and a later tick written into it
        robot.clickOn("#upgradeNext");
        String files = text(robot, "#upgradeReportFiles");
        assertThat(robot.lookup("#upgradeReportText").queryAs(TextArea.class).getText()).contains("Verification table by table",
                "[x] " + UpgradePlanner.momentumChecklist().get(0));
        Path json = Path.of(files.replaceAll("^.* and (\\S+) \\(for tools\\)\\.$", "$1"));
        shot("upgrade-report");
        robot.clickOn("#upgradeLater1");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> SettingsStore.mapper().readTree(json.toFile()).get("checklist").get(1).get("done").asBoolean());
        assertThat(SettingsStore.mapper().readTree(json.toFile()).get("checklist").get(1).get("at").isNull()).isFalse();
        assertThat(Files.readString(json.resolveSibling("report.txt"))).contains("[x] " + UpgradePlanner.momentumChecklist().get(1));
        assertThat(Files.readString(json.resolveSibling("report.txt"))).doesNotContain(new String(TestPg.PASSWORD));

        // back on the screen, the deferred job finishes (vacuumdb against the new server)
        robot.clickOn("#upgradeClose");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> jobs.find(jobId).orElseThrow().liveness() == DeferredJobs.Liveness.FINISHED);
        assertThat(jobs.find(jobId).orElseThrow().job().status).isEqualTo(DeferredJob.Status.SUCCEEDED);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#jobsTable").queryAs(TableView.class).getItems().size() == 1);
    }

    @Test
    void aBlockedPreflightKeepsStartDisabledAndSaysWhy(FxRobot robot) throws Exception {
        Path occupied = tmp.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("somebody-elses.txt"), "keep me");
        robot.interact(() -> ctx.session().currentProperty().set(session));
        robot.clickOn("#nav-upgrade");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeStart").queryAs(Button.class).isDisabled());
        robot.clickOn("#upgradeStart");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#upgradeSourceInfo").tryQuery().isPresent());
        int port = freePort();
        robot.interact(() -> {
            field(robot, "#upgradeOldBin").setText(old.binaries().binDir().toString());
            robot.lookup("#upgradeMethod").queryAs(ComboBox.class).setValue(UpgradePlanner.Method.DUMP_RESTORE);
            field(robot, "#upgradeNewData").setText(occupied.toString());
            field(robot, "#upgradeNewPort").setText(Integer.toString(port));
        });
        robot.clickOn("#upgradeNext");
        robot.clickOn("#upgradeNotMomentum");
        robot.clickOn("#upgradeNext");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeChecks").queryAs(ListView.class).getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();   // the rest of that FX update (the error line) lands in the same runnable
        assertThat(robot.lookup("#upgradeNext").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(text(robot, "#upgradeWizardError")).contains("cannot start", occupied.toString(), "not empty");
        assertThat(Files.readString(occupied.resolve("somebody-elses.txt"))).isEqualTo("keep me");
        robot.clickOn("#upgradeClose");
        assertThat(robot.lookup("#upgradeHome").query().isVisible()).isTrue();
    }

    @Test
    void dumpRestoreNeedsNoOldBinariesButPgUpgradeDoes(FxRobot robot) throws Exception {
        robot.interact(() -> ctx.session().currentProperty().set(session));
        robot.clickOn("#nav-upgrade");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeStart").queryAs(Button.class).isDisabled());
        robot.clickOn("#upgradeStart");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#upgradeSourceInfo").tryQuery().isPresent());
        int port = freePort();
        Path fresh = tmp.resolve("nobin").resolve("data");
        robot.interact(() -> {
            field(robot, "#upgradeOldBin").setText("");
            robot.lookup("#upgradeMethod").queryAs(ComboBox.class).setValue(UpgradePlanner.Method.PG_UPGRADE_COPY);
            field(robot, "#upgradeNewData").setText(fresh.toString());
            field(robot, "#upgradeNewPort").setText(Integer.toString(port));
        });
        // pg_upgrade without the old binaries: refused on the plan page with the reason
        robot.clickOn("#upgradeNext");
        assertThat(text(robot, "#upgradeWizardError")).contains("pg_upgrade needs the folder of the old server's binaries", "dump and restore");
        assertThat(robot.lookup("#upgradeSourceInfo").query().isVisible()).isTrue();
        // dump and restore: the empty field is fine; the pre-flight runs without old binaries and nothing blocks
        robot.interact(() -> robot.lookup("#upgradeMethod").queryAs(ComboBox.class).setValue(UpgradePlanner.Method.DUMP_RESTORE));
        robot.clickOn("#upgradeNext");
        robot.clickOn("#upgradeNotMomentum");
        robot.clickOn("#upgradeNext");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeChecks").queryAs(ListView.class).getItems().isEmpty()
                && !robot.lookup("#upgradeRecheck").queryAs(Button.class).isDisabled());
        ListView<UpgradeReport.CheckLine> checks = robot.lookup("#upgradeChecks").queryAs(ListView.class);
        assertThat(checks.getItems()).as(checks.getItems().toString()).noneMatch(c -> c.verdict().equals("BLOCK"));
        assertThat(checks.getItems()).anyMatch(c -> c.name().equals("binaries") && c.detail().contains("not needed for dump and restore"));
        assertThat(robot.lookup("#upgradeNext").queryAs(Button.class).isDisabled()).as(text(robot, "#upgradeWizardError")).isFalse();
        assertThat(Files.exists(fresh)).as("the pre-flight changes nothing").isFalse();
        robot.clickOn("#upgradeClose");
    }

    /** With docs/screenshots/regenerate.sh (msyspg.screenshots.dir set): the wizard's pages for the README. */
    private void shot(String name) throws Exception {
        String dir = System.getProperty("msyspg.screenshots.dir");
        if (dir == null || dir.isBlank()) return;
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
        javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
        WaitForAsyncUtils.asyncFx(() -> img[0] = stage.getScene().snapshot(null)).get(10, TimeUnit.SECONDS);
        Path file = Files.createDirectories(Path.of(dir)).resolve(name + ".png");
        javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img[0], null), "png", file.toFile());
    }

    static String text(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : ((TextArea) n).getText();
    }

    static TextField field(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TextField.class);
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
