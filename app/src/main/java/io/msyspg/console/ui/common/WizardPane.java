package io.msyspg.console.ui.common;

import io.msyspg.console.core.backup.Check;
import io.msyspg.console.core.backup.CheckedPlan;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.Job;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A wizard in one pane, one step per page (the Cryptomator way): the steps listed on the left, the page in the
 * middle, Back / Next / Close at the bottom. A step may refuse to be left ({@code leave} returns an error
 * text shown under the page) and may block Next until something finished ({@link Step#ready}).
 */
public final class WizardPane extends BorderPane {
    public static final class Step {
        public final String title;
        public final Node content;
        public final BooleanProperty ready = new SimpleBooleanProperty(true);
        public Runnable onEnter = () -> {};
        /** Null to go on, or the reason not to. */
        public Supplier<String> leave = () -> null;
        /** Asked before leaving forward, after {@link #leave}: false stays (a typed confirmation was refused). */
        public Supplier<Boolean> confirm = () -> true;
        public String nextLabel = "Next";

        public Step(String title, Node content) {
            this.title = title;
            this.content = content;
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private final VBox stepList = new VBox(6);
    private final Label error = new Label();
    private final Button back = new Button("Back");
    private final Button next = new Button("Next");
    private final Button close = new Button("Close");
    private final Label heading = new Label();
    private int index = -1;

    public WizardPane(String idPrefix, String title, Runnable onClose) {
        setId(idPrefix + "Wizard");
        getStyleClass().add("backup-wizard");
        Label t = new Label(title);
        t.getStyleClass().add("view-title");
        stepList.getStyleClass().add("wizard-steps");
        stepList.getChildren().add(t);
        stepList.setPrefWidth(200);
        setLeft(stepList);
        heading.getStyleClass().add("title-3");
        error.setId(idPrefix + "WizardError");
        error.getStyleClass().add("wizard-error");
        error.setWrapText(true);
        back.setId(idPrefix + "Back");
        next.setId(idPrefix + "Next");
        close.setId(idPrefix + "Close");
        next.setDefaultButton(true);
        back.setTooltip(new Tooltip("Previous step (Alt+Left)"));
        next.setTooltip(new Tooltip("Next step (Enter)"));
        close.setTooltip(new Tooltip("Close the wizard (Esc)"));
        back.setOnAction(e -> go(index - 1));
        next.setOnAction(e -> forward());
        close.setOnAction(e -> onClose.run());
        sceneProperty().addListener((o, a, s) -> {
            if (s != null) {
                s.getAccelerators().put(new KeyCodeCombination(KeyCode.LEFT, KeyCombination.ALT_DOWN), () -> { if (isVisible() && !back.isDisabled()) go(index - 1); });
            }
        });
        setOnKeyPressed(e -> { if (e.getCode() == KeyCode.ESCAPE) onClose.run(); });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, close, spacer, back, next);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setPadding(new Insets(10, 18, 14, 18));
        VBox bottom = new VBox(4, error, buttons);
        bottom.setPadding(new Insets(0, 0, 0, 18));
        setBottom(bottom);
    }

    public void add(Step s) {
        steps.add(s);
        Label l = new Label((steps.size()) + ". " + s.title);
        l.getStyleClass().add("wizard-step");
        stepList.getChildren().add(l);
    }

    public void start() { go(0); }

    public int index() { return index; }

    private void forward() {
        Step s = steps.get(index);
        String why = s.leave.get();
        if (why != null) {
            error.setText(why);
            return;
        }
        if (!s.confirm.get()) return;
        go(index + 1);
    }

    public void go(int i) {
        if (i < 0 || i >= steps.size()) return;
        index = i;
        error.setText("");
        Step s = steps.get(i);
        heading.setText(s.title);
        ScrollPane sp = new ScrollPane(s.content);
        sp.setFitToWidth(true);
        sp.getStyleClass().add("edge-to-edge");
        VBox page = new VBox(10, heading, sp);
        VBox.setVgrow(sp, Priority.ALWAYS);
        page.setPadding(new Insets(16, 18, 6, 18));
        setCenter(page);
        for (int k = 0; k < steps.size(); k++) {
            Node n = stepList.getChildren().get(k + 1);
            n.getStyleClass().removeAll("wizard-step-current", "wizard-step-done");
            if (k == i) n.getStyleClass().add("wizard-step-current");
            else if (k < i) n.getStyleClass().add("wizard-step-done");
        }
        back.setDisable(i == 0);
        next.setVisible(i < steps.size() - 1);
        next.setText(s.nextLabel);
        next.disableProperty().unbind();
        next.disableProperty().bind(s.ready.not());
        s.onEnter.run();
    }

    /** Locks Back (while the run page works). */
    public void lockBack(boolean locked) { back.setDisable(locked || index == 0); }

    public void showError(String text) { error.setText(text); }

    /**
     * The checks page of a wizard: plans in the background, then shows the checks and the exact command; the
     * step lets the user go on only when nothing blocks, and the first blocking check is said in words.
     * {@code what} names the action ("backup", "restore").
     */
    public <P extends CheckedPlan> void loadChecks(TaskExecutor tasks, String what, Job<P> planner, Step step,
                                            ListView<Check> checks, TextArea command, Consumer<P> onPlan) {
        checks.getItems().clear();
        command.setText("Checking…");
        step.ready.set(false);
        tasks.task(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " checks", planner)
                .onSuccess(p -> {
                    onPlan.accept(p);
                    checks.getItems().setAll(p.checks());
                    command.setText(p.commandLine());
                    step.ready.set(!p.blocked());
                    if (p.blocked()) showError("The " + what + " cannot start: " + p.blocking().get(0).message());
                })
                .onFailure(e -> {
                    command.setText("");
                    showError("The checks failed: " + ConsoleException.userMessage(e));
                })
                .start();
    }

    /** The form grid of a wizard page: label column, field column. */
    public static javafx.scene.layout.GridPane grid() {
        javafx.scene.layout.GridPane g = new javafx.scene.layout.GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(4, 0, 4, 0));
        return g;
    }

    /** A wrapped, muted explanation under a wizard page's controls. */
    public static Label muted(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
