package io.msyspg.console.ui.shell;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The connection the window works on, as the status bar shows it (FX thread only). */
public final class SessionState {
    private final StringProperty connection = new SimpleStringProperty("Not connected");
    private final StringProperty serverVersion = new SimpleStringProperty("");
    private final StringProperty connectionState = new SimpleStringProperty("disconnected");

    public StringProperty connectionProperty() { return connection; }
    public StringProperty serverVersionProperty() { return serverVersion; }
    /** "disconnected", "connecting", "connected", "reconnecting". */
    public StringProperty connectionStateProperty() { return connectionState; }
}
