package io.msyspg.console.ui;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main window's application icon and the hidden start-up probe ({@code -Dmsyspg.exitAfterFirstWindow})
 * that the packaging build, packaging/test and the startup benchmark rely on.
 */
@ExtendWith(ApplicationExtension.class)
class AppStartupProbeTest extends FxRobot {
    @TempDir static Path dir;

    private Stage stage;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    { dialogs.confirmAnswer = false; dialogs.typedAnswer = false; }   // these flows never agree to a question

    @Start void start(Stage s) {
        AppDirs dirs = new AppDirs(dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        AppContext ctx = new AppContext(dirs, SettingsStore.open(dirs), dialogs);
        App.showMainWindow(s, ctx);
        stage = s;
        if (FxWatchdog.enabled()) FxWatchdog.start().reset();
    }

    @Test void mainWindowCarriesTheApplicationIconInThreeSizes() throws Exception {
        assertThat(stage.getIcons()).hasSize(3);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> stage.getIcons().stream().allMatch(i -> i.getProgress() >= 1));
        assertThat(stage.getIcons()).noneMatch(Image::isError);
        assertThat(stage.getIcons().stream().mapToDouble(Image::getWidth).sorted().toArray()).containsExactly(32, 48, 256);
    }

    @Test void probePrintsTheMarkerOnceAfterALaidOutPulseThenExits() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicInteger exits = new AtomicInteger();
        interact(() -> App.reportFirstWindow(stage.getScene(), out, exits::incrementAndGet));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> exits.get() == 1);

        interact(() -> stage.getScene().getRoot().requestLayout());   // later pulses must not report again
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(exits.get()).isEqualTo(1);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).startsWith(App.FIRST_WINDOW_MARKER).containsPattern("\\(\\d+ ms after process start\\)");
        assertThat(stage.isShowing()).isTrue();
        assertThat(dialogs.lines()).isEmpty();
        if (FxWatchdog.enabled()) assertThat(FxWatchdog.get().maxBlockedMillis()).isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

}
