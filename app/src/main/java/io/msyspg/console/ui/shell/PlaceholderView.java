package io.msyspg.console.ui.shell;

import io.msyspg.console.ui.common.EmptyState;
import javafx.scene.Node;

/** What a navigation entry shows until its feature lands: an honest "not yet available", never a fake screen. */
public final class PlaceholderView implements FeatureView {
    private final Node root;

    public PlaceholderView(Feature feature, String title) {
        this.root = EmptyState.of(feature.icon(), title + " is not yet available",
                "This screen arrives with issue " + feature.plannedIn() + ".");
        root.setId("placeholder-" + feature.id());
    }

    @Override public Node root() { return root; }
}
