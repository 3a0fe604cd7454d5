package io.msyspg.console.ui.common;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** The helpful empty state every view shows when it has nothing yet: an icon, a title, what to do next. */
public final class EmptyState {
    private EmptyState() {}

    public static VBox of(Ikon icon, String title, String hint, Node... actions) {
        FontIcon fi = new FontIcon(icon);
        fi.getStyleClass().add("empty-state-icon");
        Label t = new Label(title);
        t.getStyleClass().addAll("empty-state-title", "title-3");
        Label h = new Label(hint);
        h.getStyleClass().addAll("empty-state-hint", "text-muted");
        h.setWrapText(true);
        h.setMaxWidth(520);
        h.setMinHeight(Region.USE_PREF_SIZE);     // wrapped in full, also where the box is short (a table's placeholder)
        VBox box = new VBox(12, fi, t, h);
        box.getChildren().addAll(actions);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("empty-state");
        return box;
    }
}
