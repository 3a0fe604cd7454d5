package io.msyspg.console.ui;

import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.testsupport.GuiTestSupport;
import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.ui.shell.Feature;
import io.msyspg.console.ui.shell.MainView;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regenerates docs/screenshots/*.png from a headless run on the real demo sandbox (started as a newcomer's
 * first launch starts it), one per screen plus the dark theme. Runs only when {@code msyspg.screenshots.dir}
 * is set (docs/screenshots/regenerate.sh sets it).
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "msyspg.screenshots.dir", matches = ".+")
class ScreenshotsTest {
    @TempDir static Path home;
    private AppContext ctx;
    private MainView main;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ctx = GuiTestSupport.context(home, new RecordingDialogService());
        AppearanceSettings a = ctx.settings().get(AppearanceSettings.class);
        a.windowWidth = 1280;
        a.windowHeight = 800;
        main = App.showMainWindow(stage, ctx);
    }

    @Test
    void everyScreen(FxRobot robot) throws Exception {
        Path out = Files.createDirectories(Path.of(System.getProperty("msyspg.screenshots.dir")));
        // first launch with nothing configured: the console starts the demo sandbox and connects to it
        robot.interact(() -> FeatureViews.afterStart(ctx, main, new String[0]));
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> ctx.session().current() != null);
        for (Feature f : Feature.values()) {
            robot.interact(() -> main.show(f));
            settle();
            prepare(robot, f);
            save(out.resolve(f.id() + ".png"));
        }
        // the dashboard's storage trend and top-queries tabs
        robot.interact(() -> main.show(Feature.DASHBOARD));
        for (String tab : new String[]{"storage", "topqueries"}) {
            robot.clickOn("#stats-tab-" + tab);
            WaitForAsyncUtils.sleep(3, TimeUnit.SECONDS);
            settle();
            save(out.resolve("dashboard-" + tab + ".png"));
        }
        robot.clickOn("#stats-tab-overview");
        robot.interact(() -> {
            main.show(Feature.CONNECTIONS);
            main.toggleTheme();
        });
        settle();
        save(out.resolve("dark.png"));
        robot.interact(main::toggleTheme);
    }

    /** Puts a screen in a state worth showing: data loaded, an object selected, charts filled. */
    private void prepare(FxRobot robot, Feature f) {
        switch (f) {
            case BROWSER -> {
                robot.clickOn("#browseSearch").write("delivery_stats_hour").type(javafx.scene.input.KeyCode.ENTER);
                WaitForAsyncUtils.sleep(3, TimeUnit.SECONDS);
                robot.lookup("#browseSearchResults").tryQueryAs(javafx.scene.control.ListView.class).ifPresent(l -> {
                    if (!l.getItems().isEmpty()) {
                        robot.interact(() -> l.getSelectionModel().select(0));
                        robot.doubleClickOn(".list-cell");
                    }
                });
                WaitForAsyncUtils.sleep(4, TimeUnit.SECONDS);
            }
            case DASHBOARD -> {
                // a newcomer's sandbox has sampled for under a minute: show the last minute, filled
                robot.interact(() -> robot.lookup("#stats-window").queryAs(javafx.scene.control.ChoiceBox.class).setValue(1));
                WaitForAsyncUtils.sleep(12, TimeUnit.SECONDS);
            }
            case LOGS -> {
                robot.clickOn("#logs-remote");
                WaitForAsyncUtils.sleep(5, TimeUnit.SECONDS);
            }
            default -> WaitForAsyncUtils.sleep(3, TimeUnit.SECONDS);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void settle() {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.sleep(Long.getLong("msyspg.screenshots.settleMillis", 600), TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void save(Path file) throws Exception {
        WritableImage[] img = new WritableImage[1];
        WaitForAsyncUtils.asyncFx(() -> img[0] = stage.getScene().snapshot(null)).get(10, TimeUnit.SECONDS);
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", file.toFile());
        assertThat(Files.size(file)).isGreaterThan(1000);
    }
}
