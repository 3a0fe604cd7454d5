package io.msyspg.console.ui.shell;

import javafx.scene.Node;

/** A screen reached from the navigation. Created once, kept while the window lives (history survives). */
public interface FeatureView {
    Node root();

    /** Called on the FX thread each time the screen becomes visible. */
    default void onShown() {}
}
