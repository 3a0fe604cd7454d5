package io.msyspg.console.ui.backup;

import java.util.List;

/**
 * Loads the skin classes the wizards use on a background thread, so that the FX thread does not pay for class
 * loading and verification when a wizard page shows for the first time (noticeable on a busy machine).
 */
final class SkinClasses {
    private static final List<String> NAMES = List.of(
            "javafx.scene.control.skin.TextFieldSkin", "javafx.scene.control.skin.TextAreaSkin",
            "javafx.scene.control.skin.TextInputControlSkin", "javafx.scene.control.skin.ListViewSkin",
            "javafx.scene.control.skin.VirtualFlow", "javafx.scene.control.skin.ListCellSkin",
            "javafx.scene.control.skin.SpinnerSkin", "javafx.scene.control.skin.ComboBoxListViewSkin",
            "javafx.scene.control.skin.ComboBoxPopupControl", "javafx.scene.control.skin.CheckBoxSkin",
            "javafx.scene.control.skin.RadioButtonSkin", "javafx.scene.control.skin.ProgressBarSkin",
            "javafx.scene.control.skin.ProgressIndicatorSkin", "javafx.scene.control.skin.ScrollPaneSkin",
            "javafx.scene.control.skin.ScrollBarSkin", "javafx.scene.control.skin.TableViewSkin",
            "javafx.scene.control.skin.TableHeaderRow", "javafx.scene.control.skin.LabelSkin",
            "javafx.scene.control.skin.ButtonSkin", "javafx.scene.control.skin.TooltipSkin",
            "javafx.scene.control.cell.CheckBoxListCell", "com.sun.javafx.scene.control.behavior.TextFieldBehavior",
            "com.sun.javafx.scene.control.behavior.TextAreaBehavior", "com.sun.javafx.scene.control.behavior.ListViewBehavior",
            "javafx.scene.input.InputMethodEvent", "javafx.scene.control.skin.TextFieldSkin$TextFieldContentView");
    private static volatile boolean done;

    private SkinClasses() {}

    /** Background threads only; cheap after the first call. */
    static void preload() {
        if (done) return;
        ClassLoader cl = SkinClasses.class.getClassLoader();
        for (String n : NAMES) {
            try {
                Class.forName(n, true, cl);
            } catch (ClassNotFoundException | LinkageError ignored) {
                // an internal class renamed in another JavaFX version: nothing to preload
            }
        }
        done = true;
    }
}
