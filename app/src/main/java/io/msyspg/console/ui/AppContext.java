package io.msyspg.console.ui;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.settings.ToolSettings;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.TaskExecutor;
import io.msyspg.console.ui.shell.SessionState;

/**
 * The composition root of the GUI: every service a view may need, created once at start-up (off the FX
 * thread, in {@code Application.init}) and handed to views through their constructors. No framework, no
 * statics: tests build their own context against the test cluster.
 */
public final class AppContext implements AutoCloseable {
    private final AppDirs dirs;
    private final SettingsStore settings;
    private final DialogService dialogs;
    private final TaskExecutor tasks;
    private final SessionState session = new SessionState();
    private volatile PgToolLocator tools;

    public AppContext(AppDirs dirs, SettingsStore settings, DialogService dialogs) {
        this.dirs = dirs;
        this.settings = settings;
        this.dialogs = dialogs;
        this.tasks = new TaskExecutor(dialogs);
    }

    public AppDirs dirs() { return dirs; }
    public SettingsStore settings() { return settings; }
    public DialogService dialogs() { return dialogs; }
    public TaskExecutor tasks() { return tasks; }
    /** What the status bar shows: the current connection, server version. */
    public SessionState session() { return session; }

    /** The tool locator (its version checks run processes: call it from background work only). */
    public PgToolLocator tools() {
        PgToolLocator t = tools;
        if (t == null) tools = t = PgToolLocator.standard(settings.get(ToolSettings.class).toolsDir);
        return t;
    }

    @Override public void close() {
        tasks.close();
    }
}
