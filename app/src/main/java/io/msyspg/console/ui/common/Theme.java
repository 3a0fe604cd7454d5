package io.msyspg.console.ui.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.msyspg.console.core.settings.AppearanceSettings;
import javafx.application.Application;
import javafx.scene.Scene;

/** Light and dark themes: AtlantaFX Primer plus the console's own stylesheet. */
public final class Theme {
    private Theme() {}

    public static final String APP_CSS = "/io/msyspg/console/ui/app.css";

    public static void apply(AppearanceSettings.Theme theme) {
        Application.setUserAgentStylesheet(theme == AppearanceSettings.Theme.DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    public static void style(Scene scene, AppearanceSettings.Theme theme) {
        String css = Theme.class.getResource(APP_CSS).toExternalForm();
        if (!scene.getStylesheets().contains(css)) scene.getStylesheets().add(css);
        scene.getRoot().getStyleClass().removeAll("theme-light", "theme-dark");
        scene.getRoot().getStyleClass().add(theme == AppearanceSettings.Theme.DARK ? "theme-dark" : "theme-light");
    }
}
