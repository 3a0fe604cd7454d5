package io.msyspg.console.ui.backup;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.backup.BackupFixtures;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup and restore wizards end to end, headless, against the shared test cluster. */
@ExtendWith(ApplicationExtension.class)
class BackupViewTest {
    @TempDir static Path tmp;
    static String db;
    static PooledDbSession session;


    AppContext ctx;
    BackupView view;
    RecordingDialogService dialogs = new RecordingDialogService();

    @BeforeAll static void fixture() throws Exception {
        db = TestPg.createDatabase("ui_src");
        session = TestPg.session(db);
        BackupFixtures.representative(session);
    }

    @AfterAll static void close() {
        if (session != null) session.close();
    }

    @Start void start(Stage stage) throws Exception {
        Path home = Files.createTempDirectory(tmp, "home");
        AppDirs dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        ctx = new AppContext(dirs, new SettingsStore(dirs.config().resolve("settings.json")), dialogs);
        ctx.session().currentProperty().set(session);
        view = new BackupView(ctx);
        stage.setScene(new Scene((javafx.scene.Parent) view.root(), 1200, 850));
        stage.show();
        FxWatchdog.start();
    }

    static void waitFor(long seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    @Test void backupWizardRunsChecksShowsCommandAndRecordsHistory(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        FxWatchdog.get().reset();
        robot.clickOn("#backupStart");
        waitFor(30, () -> robot.lookup("#backupFormat").tryQuery().isPresent());
        ComboBox<?> format = robot.lookup("#backupFormat").queryAs(ComboBox.class);
        assertThat(format.getValue().toString()).isEqualTo("CUSTOM");
        robot.clickOn("#backupCompression").write("9");
        robot.clickOn("#backupNext");
        Path out = tmp.resolve("ui-" + System.nanoTime() + ".dump");
        robot.clickOn("#backupNext");
        assertThat(robot.lookup("#backupWizardError").queryAs(Label.class).getText()).contains("Choose where");
        robot.clickOn("#backupOutput").write(out.toString());
        robot.clickOn("#backupNext");
        ListView<?> checks = robot.lookup("#backupChecks").queryAs(ListView.class);
        waitFor(30, () -> robot.lookup("#backupCommand").queryTextInputControl().getText().contains("pg_dump"));
        String cmd = robot.lookup("#backupCommand").queryTextInputControl().getText();
        assertThat(cmd).contains("pg_dump").contains("-Z 9").contains("PGPASSFILE=<temporary 0600 file>").doesNotContain(new String(TestPg.PASSWORD));
        assertThat(checks.getItems().toString()).contains("Free space").contains("Tool version");
        robot.clickOn("#backupNext");
        Label result = robot.lookup("#backupResult").queryAs(Label.class);
        waitFor(60, () -> !result.getText().isEmpty());
        assertThat(result.getText()).startsWith("Backup complete: " + out).contains("Verified: ");
        assertThat(out).exists();
        robot.clickOn("#backupClose");
        TableView<?> history = robot.lookup("#backupHistory").queryAs(TableView.class);
        waitFor(10, () -> history.getItems().size() == 1);
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(250);
        assertThat(dialogs.errors()).isEmpty();
    }

    @Test void blockedBackupCannotStart(FxRobot robot) throws Exception {
        Path existing = tmp.resolve("exists.dump");
        Files.writeString(existing, "keep me");
        robot.clickOn("#backupStart");
        waitFor(30, () -> robot.lookup("#backupNext").tryQuery().isPresent());
        robot.clickOn("#backupNext");
        robot.clickOn("#backupOutput").write(existing.toString());
        robot.clickOn("#backupNext");
        waitFor(30, () -> !robot.lookup("#backupWizardError").queryAs(Label.class).getText().isEmpty());
        assertThat(robot.lookup("#backupNext").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#backupWizardError").queryAs(Label.class).getText()).contains("already exists");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test void restoreWizardInspectsSelectsAndConfirmsByTyping(FxRobot robot) throws Exception {
        // an archive to restore, made by the core service
        Path dump = tmp.resolve("for-restore-" + System.nanoTime() + ".dump");
        var svc = BackupFixtures.service(tmp.resolve("svc" + System.nanoTime()));
        var o = new io.msyspg.console.core.backup.BackupOptions();
        o.output = dump;
        svc.run(svc.plan(session, o), io.msyspg.console.core.task.JobContext.none(), l -> { });
        String target = TestPg.createDatabase("ui_target");
        WaitForAsyncUtils.waitForFxEvents();
        FxWatchdog.get().reset();

        robot.clickOn("#restoreStart");
        waitFor(30, () -> robot.lookup("#restoreArchive").tryQuery().isPresent());
        robot.clickOn("#restoreArchive").write(dump.toString());
        robot.clickOn("#restoreInspect");
        waitFor(30, () -> robot.lookup("#restoreHeaderEntries").tryQuery().isPresent());
        assertThat(robot.lookup("#restoreHeaderFormat").queryAs(Label.class).getText()).startsWith("custom (-Fc), archive version 1.14");
        assertThat(robot.lookup("#restoreHeaderSourceserver").queryAs(Label.class).getText()).startsWith("15.");
        assertThat(robot.lookup("#restoreHeaderWrittenby").queryAs(Label.class).getText()).startsWith("pg_dump 15.");
        robot.clickOn("#restoreNext");
        ListView<RestoreWizard.Item> toc = robot.lookup("#restoreToc").queryAs(ListView.class);
        assertThat(toc.getItems()).isNotEmpty();
        // leave out the data of app.orders, move the first entry down one
        robot.interact(() -> toc.getItems().stream().filter(i -> i.entry.desc().equals("TABLE DATA") && i.entry.object().equals("app.orders"))
                .findFirst().orElseThrow().selected.set(false));
        robot.interact(() -> toc.getSelectionModel().select(0));
        int firstId = toc.getItems().get(0).entry.id();
        robot.clickOn("#restoreTocDown");
        assertThat(toc.getItems().get(1).entry.id()).isEqualTo(firstId);
        robot.clickOn("#restoreNext");
        robot.clickOn("#restoreTargetExisting");
        robot.clickOn("#restoreTargetDb").press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.A)
                .release(javafx.scene.input.KeyCode.CONTROL).write(target);
        robot.clickOn("#restoreNext");
        ListView<?> checks = robot.lookup("#restoreChecks").queryAs(ListView.class);
        waitFor(30, () -> robot.lookup("#restoreCommand").queryTextInputControl().getText().contains("pg_restore"));
        assertThat(robot.lookup("#restoreCommand").queryTextInputControl().getText())
                .contains("--clean --if-exists").contains("-L '<selection list>'").contains("PGPASSFILE=<temporary 0600 file>");
        assertThat(robot.lookup("#restoreNext").queryButton().isDisabled()).as(checks.getItems().toString()).isFalse();
        // refusing the typed confirmation stays on the page and touches nothing
        dialogs.typedAnswer = false;
        robot.clickOn("#restoreNext");
        assertThat(dialogs.typedConfirmations()).anyMatch(s -> s.startsWith(target + " | This changes the existing database"));
        assertThat(robot.lookup("#restoreChecks").tryQuery()).isPresent();
        dialogs.typedAnswer = true;
        robot.clickOn("#restoreNext");
        Label result = robot.lookup("#restoreResult").queryAs(Label.class);
        waitFor(60, () -> !result.getText().isEmpty());
        assertThat(result.getText()).startsWith("Restore completed");
        waitFor(10, () -> robot.lookup("#restoreAnalyze").queryButton().isVisible());
        robot.clickOn("#restoreAnalyze");
        waitFor(30, () -> result.getText().endsWith("ANALYZE done."));
        try (PooledDbSession t = TestPg.session(target)) {
            Map<String, String> got = BackupFixtures.contentChecksums(t);
            assertThat(got.get("app.orders")).startsWith("0 rows");
            assertThat(got.get("app.customers")).isEqualTo(BackupFixtures.contentChecksums(session).get("app.customers"));
        }
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(250);
    }
}
