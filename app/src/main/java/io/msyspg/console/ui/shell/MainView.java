package io.msyspg.console.ui.shell;

import io.msyspg.console.core.settings.AppearanceSettings;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.Theme;
import io.msyspg.console.ui.common.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.TaskProgressView;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * The main window: navigation on the left, the selected screen in the middle, the task panel on the right,
 * the status bar at the bottom. Screens are created on first use and kept, so a chart's history survives
 * switching away and back.
 */
public final class MainView {
    @FXML private VBox navBox;
    @FXML private StackPane content;
    @FXML private VBox taskPanel;
    @FXML private StackPane taskListHolder;
    @FXML private Label connectionLabel;
    @FXML private Label versionLabel;
    @FXML private Button tasksButton;
    @FXML private Button themeButton;

    private final AppContext ctx;
    private final Function<Feature, FeatureView> factory;
    private final Map<Feature, FeatureView> views = new EnumMap<>(Feature.class);
    private final Map<Feature, ToggleButton> navButtons = new EnumMap<>(Feature.class);
    private final ToggleGroup navGroup = new ToggleGroup();
    private final ResourceBundle text = ViewLoader.bundle();
    private Feature current;
    private Parent root;

    public MainView(AppContext ctx, Function<Feature, FeatureView> factory) {
        this.ctx = ctx;
        this.factory = factory;
    }

    public Parent root() {
        if (root == null) root = ViewLoader.load(this);
        return root;
    }

    @FXML private void initialize() {
        int i = 1;
        for (Feature f : Feature.values()) {
            ToggleButton b = new ToggleButton(text.getString(f.titleKey()), new FontIcon(f.icon()));
            b.setId("nav-" + f.id());
            b.setToggleGroup(navGroup);
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add("nav-button");
            b.setTooltip(new Tooltip(text.getString(f.titleKey()) + "  (Ctrl+" + i++ + ")"));
            b.setOnAction(e -> show(f));
            navButtons.put(f, b);
            navBox.getChildren().add(b);
        }
        TaskProgressView<javafx.concurrent.Task<?>> progressView = new TaskProgressView<>();
        progressView.setId("taskProgressView");
        Bindings.bindContent(progressView.getTasks(), ctx.tasks().panelTasks());
        taskListHolder.getChildren().add(progressView);
        taskPanel.managedProperty().bind(taskPanel.visibleProperty());
        tasksButton.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = ctx.tasks().running().size();
            return n == 0 ? text.getString("status.noTasks") : n == 1 ? text.getString("status.oneTask") : n + " " + text.getString("status.tasks");
        }, ctx.tasks().running()));
        tasksButton.setGraphic(new FontIcon(Feather.LAYERS));
        tasksButton.setOnAction(e -> toggleTaskPanel());
        themeButton.setGraphic(new FontIcon(Feather.MOON));
        themeButton.setOnAction(e -> toggleTheme());
        themeButton.setTooltip(new Tooltip(text.getString("theme.toggle") + "  (Ctrl+Shift+D)"));
        connectionLabel.textProperty().bind(ctx.session().connectionProperty());
        versionLabel.textProperty().bind(ctx.session().serverVersionProperty());
        AppearanceSettings a = ctx.settings().get(AppearanceSettings.class);
        taskPanel.setVisible(a.taskPanelVisible);
        navBox.sceneProperty().addListener((obs, o, scene) -> {
            if (scene == null) return;
            for (Feature f : Feature.values()) {
                KeyCombination k = new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (f.ordinal() + 1)), KeyCombination.SHORTCUT_DOWN);
                scene.getAccelerators().put(k, () -> show(f));
            }
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::toggleTaskPanel);
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::toggleTheme);
        });
        show(Feature.byId(a.lastView));
    }

    /** Shows a screen, creating it the first time. */
    public void show(Feature f) {
        FeatureView v = views.computeIfAbsent(f, factory);
        Node n = v.root();
        content.getChildren().setAll(n);
        navButtons.get(f).setSelected(true);
        current = f;
        v.onShown();
    }

    public Feature current() { return current; }

    public FeatureView view(Feature f) { return views.get(f); }

    public void toggleTaskPanel() {
        taskPanel.setVisible(!taskPanel.isVisible());
    }

    public boolean taskPanelVisible() { return taskPanel.isVisible(); }

    public void toggleTheme() {
        AppearanceSettings a = ctx.settings().get(AppearanceSettings.class);
        a.theme = a.theme == AppearanceSettings.Theme.DARK ? AppearanceSettings.Theme.LIGHT : AppearanceSettings.Theme.DARK;
        Theme.apply(a.theme);
        if (root.getScene() != null) Theme.style(root.getScene(), a.theme);
        themeButton.setGraphic(new FontIcon(a.theme == AppearanceSettings.Theme.DARK ? Feather.SUN : Feather.MOON));
    }
}
