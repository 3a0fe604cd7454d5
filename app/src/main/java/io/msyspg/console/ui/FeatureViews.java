package io.msyspg.console.ui;

import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.Feature;
import io.msyspg.console.ui.shell.FeatureView;
import io.msyspg.console.ui.shell.MainView;
import io.msyspg.console.ui.shell.PlaceholderView;

/**
 * Where each navigation entry gets its screen: the one line a feature changes when its view lands.
 */
final class FeatureViews {
    private FeatureViews() {}

    static FeatureView create(Feature f, AppContext ctx) {
        return switch (f) {
            default -> new PlaceholderView(f, ViewLoader.bundle().getString(f.titleKey()));
        };
    }

    /** Start-up actions after the window shows (open the demo when asked, reconnect the last profile…). */
    static void afterStart(AppContext ctx, MainView main, String[] args) {
        // filled by the connections feature
        if (io.msyspg.console.cli.ConsoleCommand.demoRequested(args)) io.msyspg.console.ui.demo.DemoLauncher.open(ctx);
    }
}
