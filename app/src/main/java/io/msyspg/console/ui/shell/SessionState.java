package io.msyspg.console.ui.shell;

import io.msyspg.console.core.connect.DbSession;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The database the window works on and what the status bar shows about it (FX thread only). Feature views
 * listen to {@link #currentProperty()}: null means "not connected" and they show an empty state that leads
 * to the Connections screen.
 */
public final class SessionState {
    private final ObjectProperty<DbSession> current = new SimpleObjectProperty<>();
    private final StringProperty connection = new SimpleStringProperty("Not connected");
    private final StringProperty serverVersion = new SimpleStringProperty("");
    private final StringProperty connectionState = new SimpleStringProperty("disconnected");
    private final StringProperty profileDataDirectory = new SimpleStringProperty();

    public ObjectProperty<DbSession> currentProperty() { return current; }
    public DbSession current() { return current.get(); }
    public StringProperty connectionProperty() { return connection; }
    public StringProperty serverVersionProperty() { return serverVersion; }
    /** "disconnected", "connecting", "connected", "reconnecting". */
    public StringProperty connectionStateProperty() { return connectionState; }
    /** The data directory the session's profile names (a server on this host), or null; set before {@link #currentProperty()}. */
    public StringProperty profileDataDirectoryProperty() { return profileDataDirectory; }
    public String profileDataDirectory() { return profileDataDirectory.get(); }
}
