package io.msyspg.console.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ResourceBundle;

/**
 * Loads the FXML of one name with a view class: {@code ui/browse/BrowserView.java} ↔
 * {@code ui-resources/.../ui/browse/BrowserView.fxml}. The controller is the given view instance (created
 * by the code, with its view model, never by FXML reflection), and the text bundle is
 * {@code io/msyspg/console/ui/messages}.
 */
public final class ViewLoader {
    public static final String BUNDLE = "io.msyspg.console.ui.messages";

    private ViewLoader() {}

    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE);
    }

    public static Parent load(Object view) {
        String name = view.getClass().getSimpleName() + ".fxml";
        URL url = view.getClass().getResource(name);
        if (url == null) throw new IllegalStateException("missing FXML " + view.getClass().getPackageName().replace('.', '/') + "/" + name);
        FXMLLoader loader = new FXMLLoader(url, bundle());
        loader.setController(view);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + url + ": " + e.getMessage(), e);
        }
    }
}
