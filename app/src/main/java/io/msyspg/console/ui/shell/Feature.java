package io.msyspg.console.ui.shell;

import org.kordamp.ikonli.feather.Feather;

/** The navigation entries, in order; Ctrl+1 … Ctrl+7 select them. */
public enum Feature {
    CONNECTIONS("connections", "nav.connections", Feather.LINK, "#3: connection profiles, ecdb.ini import and the demo sandbox"),
    BROWSER("browser", "nav.browser", Feather.DATABASE, "#4: the schema browser"),
    DASHBOARD("dashboard", "nav.dashboard", Feather.ACTIVITY, "#5: the real-time statistics dashboard"),
    LOGS("logs", "nav.logs", Feather.FILE_TEXT, "#6: the pg_log viewer"),
    BACKUP("backup", "nav.backup", Feather.ARCHIVE, "#7: the backup and restore wizards"),
    UPGRADE("upgrade", "nav.upgrade", Feather.TRENDING_UP, "#8: the guided upgrade wizard"),
    SERVER("server", "nav.server", Feather.SERVER, "#9: server control and configuration");

    private final String id;
    private final String titleKey;
    private final Feather icon;
    private final String plannedIn;

    Feature(String id, String titleKey, Feather icon, String plannedIn) {
        this.id = id;
        this.titleKey = titleKey;
        this.icon = icon;
        this.plannedIn = plannedIn;
    }

    public String id() { return id; }
    public String titleKey() { return titleKey; }
    public Feather icon() { return icon; }
    public String plannedIn() { return plannedIn; }

    public static Feature byId(String id) {
        for (Feature f : values()) if (f.id.equals(id)) return f;
        return CONNECTIONS;
    }
}
