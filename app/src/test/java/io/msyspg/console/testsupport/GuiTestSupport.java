package io.msyspg.console.testsupport;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.ui.AppContext;

import java.nio.file.Path;

/** Builds the GUI's composition root for a test: files under a temporary folder, dialogs recorded. */
public final class GuiTestSupport {
    private GuiTestSupport() {}

    public static AppContext context(Path home, RecordingDialogService dialogs) {
        AppDirs dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        return new AppContext(dirs, new SettingsStore(dirs.config().resolve("settings.json")), dialogs);
    }
}
