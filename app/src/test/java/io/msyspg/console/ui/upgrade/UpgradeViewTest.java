package io.msyspg.console.ui.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.upgrade.DeferredJob;
import io.msyspg.console.core.upgrade.UpgradeExecutor;
import io.msyspg.console.core.upgrade.UpgradePlanner;
import io.msyspg.console.core.upgrade.UpgradeReport;
import io.msyspg.console.core.upgrade.UpgradeRequest;
import io.msyspg.console.core.upgrade.UpgradeResult;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.core.upgrade.DeferredJobs;
import io.msyspg.console.core.upgrade.JobJournal;
import io.msyspg.console.testsupport.GuiTestSupport;
import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.ui.App;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.FxWatchdog;
import io.msyspg.console.ui.shell.MainView;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A job started elsewhere (the CLI, an earlier console) is found, followed, stopped and resumed from the GUI. */
@ExtendWith(ApplicationExtension.class)
class UpgradeViewTest {
    @TempDir static Path home;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    private AppContext ctx;
    private MainView main;

    @Start
    void start(Stage stage) {
        ctx = GuiTestSupport.context(home.resolve("h" + System.nanoTime()), dialogs);
        main = App.showMainWindow(stage, ctx);
        FxWatchdog.start();
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    /**
     * The Upgrade home page lists kept reports: empty state first; then a real run of the executor (against a real
     * PostgreSQL 13 server, blocked by its pre-flight: a non-empty new data directory) writes report.json/.txt, Refresh
     * lists it with its time, result, method and versions, and Open shows the report file's text.
     */
    @Test
    void listsKeptReportsAndOpensOne(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nav-upgrade");
        TableView<UpgradeReport> table = robot.lookup("#upgradeReportsTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#upgradeRefreshReports").queryAs(javafx.scene.control.Button.class).isDisabled());
        assertThat(table.getItems()).isEmpty();
        assertThat(robot.lookup("#upgradeReportsTable .empty-state-title").queryAs(Label.class).getText()).isEqualTo("No upgrade reports yet");

        // a real run whose pre-flight blocks: the executor writes its report where the screen looks
        PgCluster old = TestPg.major(13);
        Path occupied = home.resolve("occupied-" + System.nanoTime());
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("keep.txt"), "keep");
        UpgradeRequest r = new UpgradeRequest();
        r.source = ConnectionTarget.of(old.host(), old.port(), "postgres", TestPg.SUPERUSER);
        r.newBinDir = PgBinaries.forMajor(15).binDir();
        r.newDataDir = occupied;
        r.newPort = 1;
        r.method = UpgradePlanner.Method.DUMP_RESTORE;
        r.analyzeAfter = false;
        UpgradeExecutor ex = new UpgradeExecutor(ctx.dirs(), PgToolLocator.standard(null), BackupHistory.in(ctx.dirs()),
                MountTable.read(MountTable.PROC_MOUNTS), Clock.systemUTC());
        UpgradeResult res = ex.run(r, TestPg.PASSWORD, JobContext.none(), UpgradeExecutor.Listener.NONE);
        assertThat(res.report().result).isEqualTo(UpgradeReport.Result.BLOCKED);
        assertThat(res.textFile()).startsWith(ctx.dirs().state().resolve("upgrade/reports"));

        FxWatchdog.get().reset();
        robot.clickOn("#upgradeRefreshReports");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        UpgradeReport listed = table.getItems().get(0);
        assertThat(listed.runId).isEqualTo(res.report().runId);
        assertThat(table.getColumns().get(1).getCellData(0)).isEqualTo("BLOCKED");
        assertThat(table.getColumns().get(2).getCellData(0)).isEqualTo(UpgradePlanner.Method.DUMP_RESTORE.label);
        assertThat((String) table.getColumns().get(3).getCellData(0)).startsWith("13.").contains("→ 15.").contains("remote source");
        assertThat(robot.lookup("#upgradeOpenReport").queryAs(javafx.scene.control.Button.class).isDisabled()).as("nothing selected").isTrue();

        robot.interact(() -> table.getSelectionModel().select(0));
        robot.clickOn("#upgradeOpenReport");
        TextArea view = robot.lookup("#upgradeReportView").queryAs(TextArea.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !view.getText().isEmpty());
        assertThat(view.getText()).isEqualTo(Files.readString(res.textFile()))
                .contains("msyspg-console upgrade report " + res.report().runId, "BLOCKED", occupied.toString(), "not empty");
        assertThat(view.isEditable()).isFalse();
        assertThat(Files.readString(occupied.resolve("keep.txt"))).isEqualTo("keep");
        assertThat(dialogs.errors()).isEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations()))
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

    @Test
    void reattachesToARunningJobStopsAndResumesIt(FxRobot robot) throws Exception {
        Path script = home.resolve("migrate-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\ni=${MSYSPG_CHECKPOINT:-0}\nwhile [ $i -lt 400 ]; do i=$((i+1)); echo \"migrated batch $i\";"
                + " echo $i > \"$MSYSPG_CHECKPOINT_FILE\"; sleep 0.05; done\necho all done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        DeferredJob job = new DeferredJob();
        job.title = "33_deferred_migration";
        DeferredJob.Step step = new DeferredJob.Step("script", DeferredJob.StepKind.COMMAND);
        step.command.add(script.toString());
        job.steps.add(step);
        DeferredJobs jobs = new DeferredJobs(JobJournal.jobsDir(ctx.dirs()));
        JobJournal j = jobs.create(job);
        jobs.launch(j);                       // as 'upgrade run' from a shell would
        assertThat(jobs.awaitRunning(j, 20_000)).isTrue();

        WaitForAsyncUtils.waitForFxEvents();
        FxWatchdog.get().reset();
        robot.clickOn("#nav-upgrade");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#jobsTable").queryAs(TableView.class).getItems().size() == 1);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#jobLog").queryAs(TextArea.class).getText().contains("migrated batch"));
        assertThat(robot.lookup("#jobSummary").queryAs(Label.class).getText()).contains("33_deferred_migration").contains("running step 1/1");
        // the runner journals the script's checkpoint (read once a second); stop once there is one to keep
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#jobSummary").queryAs(Label.class).getText().contains("checkpoint"));

        robot.clickOn("#stopJobButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#jobSummary").queryAs(Label.class).getText().contains("stopped"));
        assertThat(dialogs.shown).anyMatch(s -> s.kind().equals("confirm") && s.message().contains("checkpoint"));
        long checkpoint = j.read().steps.get(0).checkpoint;
        assertThat(checkpoint).isBetween(1L, 399L);

        robot.clickOn("#resumeJobButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#jobSummary").queryAs(Label.class).getText().contains("running"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> j.read().steps.get(0).attempts == 2
                && Files.readString(Path.of(j.read().steps.get(0).logFile)).contains("migrated batch " + (checkpoint + 1)));
        assertThat(Files.readString(Path.of(j.read().steps.get(0).logFile))).contains("migrated batch " + (checkpoint + 1));
        jobs.stop(j, 20);   // do not leave it running after the test
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialogs.errors()).isEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations()))
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
    }
}
