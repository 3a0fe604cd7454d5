package io.msyspg.console.core.server;

import io.msyspg.console.core.settings.SettingsStore;

/** The Server screen's remembered values (a connection profile's data directory and service command take precedence). */
@SettingsStore.Section("server")
public class ServerSettings {
    /** The data directory of the server on this host, or null. */
    public String dataDirectory;
    /** The service command ({@code /etc/init.d/msyspg}), or null for pg_ctl. */
    public String serviceCommand;
    /** The last stop mode chosen. */
    public String stopMode = "FAST";
}
