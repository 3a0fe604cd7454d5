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
            case CONNECTIONS -> new io.msyspg.console.ui.connect.ConnectionsView(ctx);
            case UPGRADE -> new io.msyspg.console.ui.upgrade.UpgradeView(ctx);
            case SERVER -> new io.msyspg.console.ui.server.ServerView(ctx);
            case LOGS -> new io.msyspg.console.ui.logs.LogsView(ctx);
            case BROWSER -> new io.msyspg.console.ui.browse.BrowseView(ctx);
            case BACKUP -> new io.msyspg.console.ui.backup.BackupView(ctx);
            case DASHBOARD -> new io.msyspg.console.ui.stats.DashboardView(ctx);
            default -> new PlaceholderView(f, ViewLoader.bundle().getString(f.titleKey()));
        };
    }

    /**
     * Start-up actions after the window shows: open the demo sandbox when asked ({@code --demo}) or when nothing
     * else is configured (no saved profile but the demo's), so that a newcomer sees every screen working.
     */
    static void afterStart(AppContext ctx, MainView main, String[] args) {
        boolean asked = java.util.Arrays.asList(args).contains("--demo");
        if (asked || nothingConfigured(ctx)) {
            main.show(Feature.CONNECTIONS);
            if (main.view(Feature.CONNECTIONS) instanceof io.msyspg.console.ui.connect.ConnectionsView v) v.startDemo();
        }
    }

    /** True when the only saved profiles (if any) are the demo's. Reads the settings already in memory. */
    static boolean nothingConfigured(AppContext ctx) {
        return ctx.settings().get(io.msyspg.console.core.connect.ConnectionSettings.class).profiles.stream()
                .allMatch(p -> io.msyspg.console.core.connect.ConnectionProfile.DEMO_NAME.equals(p.name));
    }
}
