package io.msyspg.console.core.logs;

import io.msyspg.console.core.settings.SettingsStore;

/** The log viewer's remembered choices. */
@SettingsStore.Section("logs")
public class LogsSettings {
    /** The last local file or directory opened. */
    public String lastPath;
    /** The log_line_prefix typed by the admin (blank: from the server or guessed). */
    public String prefix = "";
    /** Follow new lines when a directory or the current file is opened. */
    public boolean follow = true;
}
