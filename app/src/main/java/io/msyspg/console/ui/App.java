package io.msyspg.console.ui;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.ui.common.FxDialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import io.msyspg.console.ui.common.Theme;
import io.msyspg.console.ui.shell.MainView;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The JavaFX application: builds the {@link AppContext} off the FX thread, then the main window. */
public final class App extends Application {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    private static String[] launchArgs = new String[0];

    /**
     * Hidden start-up probe, for the packaging build (CDS training run), the packaging test and the
     * {@code startup} benchmark: with {@code -Dmsyspg.exitAfterFirstWindow=true} the console prints
     * {@link #FIRST_WINDOW_MARKER} on standard output once the main window is shown and laid out, then exits
     * normally (without saving window state). Not an admin-facing option.
     */
    public static final String EXIT_AFTER_FIRST_WINDOW = "msyspg.exitAfterFirstWindow";
    public static final String FIRST_WINDOW_MARKER = "msyspg-console: first window shown";
    private static final String[] ICONS = {"icons/msyspg-console-256.png", "icons/msyspg-console-48.png",
            "icons/msyspg-console-32.png"};

    private AppContext ctx;
    private Stage stage;

    public static void launchGui(String[] args) {
        launchArgs = args.clone();
        Application.launch(App.class, args);
    }

    @Override public void init() {
        // runs on the launcher thread: file reads here never block the FX thread
        AppDirs dirs = AppDirs.fromEnvironment();
        SettingsStore settings = SettingsStore.open(dirs);
        ctx = new AppContext(dirs, settings, new FxDialogService(() -> stage));
        ctx.settings().get(AppearanceSettings.class);
        log.info("msyspg-console starting; config {}, state {}", dirs.config(), dirs.state());
    }

    @Override public void start(Stage primary) {
        this.stage = primary;
        if (FxWatchdog.enabled()) FxWatchdog.start();
        MainView main = showMainWindow(primary, ctx);
        if (Boolean.getBoolean(EXIT_AFTER_FIRST_WINDOW)) {
            reportFirstWindow(primary.getScene(), System.out, Platform::exit);
            return;
        }
        FeatureViews.afterStart(ctx, main, launchArgs);
        for (String problem : ctx.settings().problems()) ctx.dialogs().showError("Settings were reset", problem, null);
    }

    /**
     * The start-up probe: once {@code scene} has been through a laid-out pulse, prints
     * {@link #FIRST_WINDOW_MARKER} (with the milliseconds since the process started) to {@code out}, then
     * runs {@code exit}. Fires once.
     */
    static void reportFirstWindow(Scene scene, java.io.PrintStream out, Runnable exit) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            long sinceStart = ProcessHandle.current().info().startInstant()
                    .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
            out.println(FIRST_WINDOW_MARKER + " (" + sinceStart + " ms after process start)");
            out.flush();
            exit.run();
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /** Builds the main window on {@code stage} (also used by GUI tests and the screenshot command). */
    public static MainView showMainWindow(Stage stage, AppContext ctx) {
        AppearanceSettings a = ctx.settings().get(AppearanceSettings.class);
        Theme.apply(a.theme);
        MainView main = new MainView(ctx, f -> FeatureViews.create(f, ctx));
        Scene scene = new Scene(main.root(), a.windowWidth, a.windowHeight);
        Theme.style(scene, a.theme);
        stage.setScene(scene);
        stage.setTitle("msyspg console");
        List<Image> icons = new ArrayList<>();
        for (String icon : ICONS) {
            var url = App.class.getResource(icon);
            if (url != null) icons.add(new Image(url.toExternalForm(), true));   // loads in the background
        }
        stage.getIcons().setAll(icons);      // setAll: tests and the screenshot command reuse one stage
        if (!Double.isNaN(a.windowX) && !Double.isNaN(a.windowY)) {
            stage.setX(a.windowX);
            stage.setY(a.windowY);
        }
        stage.setMaximized(a.maximized);
        stage.setOnCloseRequest(e -> rememberWindow(stage, ctx, main));
        stage.show();
        return main;
    }

    static void rememberWindow(Stage stage, AppContext ctx, MainView main) {
        AppearanceSettings a = ctx.settings().get(AppearanceSettings.class);
        a.maximized = stage.isMaximized();
        if (!stage.isMaximized()) {
            a.windowX = stage.getX();
            a.windowY = stage.getY();
            a.windowWidth = stage.getWidth();
            a.windowHeight = stage.getHeight();
        }
        if (main.current() != null) a.lastView = main.current().id();
        a.taskPanelVisible = main.taskPanelVisible();
        try {
            ctx.settings().put(a);   // the window is closing: a small synchronous write is acceptable here
        } catch (RuntimeException e) {
            log.warn("could not save window state: {}", e.getMessage());
        }
    }

    @Override public void stop() {
        if (ctx != null) ctx.close();
        Platform.exit();
    }
}
