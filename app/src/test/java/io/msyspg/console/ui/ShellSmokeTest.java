package io.msyspg.console.ui;

import io.msyspg.console.testsupport.GuiTestSupport;
import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import io.msyspg.console.ui.shell.Feature;
import io.msyspg.console.ui.shell.MainView;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The shell opens, every navigation entry shows its screen, and the task panel runs and cancels a task. */
@ExtendWith(ApplicationExtension.class)
class ShellSmokeTest {
    @TempDir static Path home;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    private AppContext ctx;
    private MainView main;

    @Start
    void start(Stage stage) {
        ctx = GuiTestSupport.context(home.resolve("t" + System.nanoTime()), dialogs);
        main = App.showMainWindow(stage, ctx);
        FxWatchdog.start();
    }

    @BeforeEach
    void settle() {
        WaitForAsyncUtils.waitForFxEvents();
        FxWatchdog.get().reset();
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void everyNavigationEntryShowsItsScreen(FxRobot robot) {
        for (Feature f : Feature.values()) {
            robot.clickOn("#nav-" + f.id());
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(main.current()).isEqualTo(f);
            StackPane content = robot.lookup("#content").queryAs(StackPane.class);
            assertThat(content.getChildren()).containsExactly(main.view(f).root());
            assertThat(main.view(f).root().isVisible()).isTrue();
        }
        // keyboard: Ctrl+3 is the dashboard
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(main.current()).isEqualTo(Feature.DASHBOARD);
        assertThat(dialogs.errors()).isEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations()))
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

    @Test
    void taskPanelShowsARunningTaskAndCancelsIt(FxRobot robot) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean hookRan = new AtomicBoolean();
        AtomicBoolean cancelledCallback = new AtomicBoolean();
        robot.interact(() -> ctx.tasks().task("Counting to forever", jc -> {
                    jc.onCancel(() -> hookRan.set(true));
                    started.countDown();
                    for (long i = 0; ; i++) {
                        jc.checkCancelled();
                        jc.progress(-1, -1);
                        jc.message("step " + i);
                        Thread.sleep(20);
                    }
                }).onCancelled(() -> cancelledCallback.set(true)).inTaskPanel().start());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#statusTasks").queryAs(Button.class).getText()).isEqualTo("1 task running");

        robot.clickOn("#statusTasks");   // opens the task panel
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".task-title").tryQueryAs(Label.class)
                .map(l -> l.getText().equals("Counting to forever") && l.isVisible()).orElse(false));
        robot.clickOn(".task-cancel-button");

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> ctx.tasks().running().isEmpty());
        // the hooks run on a cancel thread, after the task has left the list
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, hookRan::get);
        assertThat(cancelledCallback).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#statusTasks").queryAs(Button.class).getText()).isEqualTo("No tasks running");
        assertThat(dialogs.errors()).as("cancellation is not an error").isEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations()))
                .isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

    @Test
    void failedTaskReachesTheDialogServiceWithAClearMessage(FxRobot robot) throws Exception {
        robot.interact(() -> ctx.tasks().task("Reading ecdb.ini", jc -> {
            throw new io.msyspg.console.core.common.ConsoleException("/opt/msys/3rdParty/etc/php.d/ecdb.ini line 3: no '=' in 'garbage'");
        }).start());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !dialogs.errors().isEmpty());
        RecordingDialogService.Shown e = dialogs.errorsShown().get(0);
        assertThat(e.title()).isEqualTo("Reading ecdb.ini");
        assertThat(e.message()).isEqualTo("/opt/msys/3rdParty/etc/php.d/ecdb.ini line 3: no '=' in 'garbage'");
        assertThat(e.details()).doesNotContain("\tat ");   // a cause chain, never a raw stack trace
    }

    @Test
    void watchdogNoticesABlockedFxThread(FxRobot robot) throws Exception {
        // the kind of mistake it exists for: the FX thread waiting on a file or a sleep
        Path f = java.nio.file.Files.writeString(home.resolve("w" + System.nanoTime()), "x");
        robot.interact(() -> {
            try {
                java.nio.file.Files.readString(f);
                Thread.sleep(400);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        assertThat(FxWatchdog.get().maxBlockedMillis()).isGreaterThanOrEqualTo(300);
        assertThat(FxWatchdog.get().violations()).anyMatch(v -> v.startsWith("BLOCKED") && v.contains("ShellSmokeTest"));
        FxWatchdog.get().reset();
    }

    @Test
    void blockingFramesAreRecognised() {
        StackTraceElement sock = new StackTraceElement("sun.nio.ch.NioSocketImpl", "read", null, 1);
        StackTraceElement pg = new StackTraceElement("org.postgresql.core.PGStream", "receiveChar", null, 1);
        StackTraceElement layout = new StackTraceElement("javafx.scene.Parent", "layout", null, 1);
        assertThat(FxWatchdog.isBlocking(new StackTraceElement[] {sock, pg, layout})).isTrue();
        assertThat(FxWatchdog.isBlocking(new StackTraceElement[] {layout, layout})).isFalse();
        StackTraceElement load = new StackTraceElement("jdk.internal.loader.BuiltinClassLoader", "loadClass", null, 1);
        StackTraceElement raf = new StackTraceElement("java.io.RandomAccessFile", "readBytes", null, 1);
        assertThat(FxWatchdog.isBlocking(new StackTraceElement[] {raf, load, layout})).as("class loading").isFalse();
        StackTraceElement park = new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, 1);
        StackTraceElement render = new StackTraceElement("com.sun.javafx.tk.quantum.PaintCollector", "waitForRenderingToComplete", null, 1);
        StackTraceElement ours = new StackTraceElement("io.msyspg.console.ui.browse.BrowseViewModel", "load", null, 1);
        assertThat(FxWatchdog.isBlocking(new StackTraceElement[] {park, render, layout})).as("toolkit render wait").isFalse();
        assertThat(FxWatchdog.isBlocking(new StackTraceElement[] {park, ours, layout})).as("our code waiting").isTrue();
    }
}
