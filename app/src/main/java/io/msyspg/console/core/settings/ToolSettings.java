package io.msyspg.console.core.settings;

/** Where to look first for PostgreSQL client and server tools. */
@SettingsStore.Section("tools")
public class ToolSettings {
    /** A directory searched before every other (for example {@code /opt/msys/3rdParty/bin}); null for none. */
    public String toolsDir;
}
