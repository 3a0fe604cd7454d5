package io.msyspg.console.core.connect;

import java.util.UUID;

/**
 * A saved connection: where the server is, who to connect as, and for a server on this host where its data,
 * service script and tools are. Never holds the password: {@link #passwordStorage} says where it lives
 * (a {@link SecretStore}, keyed by {@link #id}).
 */
public class ConnectionProfile {
    /** The profile the Connections screen saves for the demo sandbox. */
    public static final String DEMO_NAME = "Demo sandbox";

    /** Where a profile's password comes from. */
    public enum PasswordStorage {
        /** Asked for at every connect (and kept in memory only for the open session). */
        ASK,
        /** The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager). */
        KEYRING,
        /** The console's own file, encrypted under a master password. */
        ENCRYPTED_FILE,
        /** No password from the console: local trust, {@code ~/.pgpass}, {@code PGPASSWORD}. */
        NONE
    }

    public String id = UUID.randomUUID().toString();
    public String name = "";
    /** Host name, IP address or a Unix-socket directory (starting with '/'). */
    public String host = "localhost";
    public int port = 5432;
    public String database = "";
    public String user = "";
    public String sslMode = "prefer";
    public String sslRootCert;
    public String applicationName = ConnectionTarget.DEFAULT_APPLICATION_NAME;
    public PasswordStorage passwordStorage = PasswordStorage.ASK;
    /** For a server on this host (may be null): its data directory. */
    public String dataDir;
    /** For a server on this host (may be null): its service script ({@code /etc/init.d/msyspg}). */
    public String serviceCommand;
    /** Where this server's client tools live (searched first), may be null. */
    public String toolsDir;

    public ConnectionProfile() {}

    public static ConnectionProfile of(String name, String host, int port, String database, String user) {
        ConnectionProfile p = new ConnectionProfile();
        p.name = name;
        p.host = host;
        p.port = port;
        p.database = database;
        p.user = user;
        return p;
    }

    public ConnectionTarget target() {
        return new ConnectionTarget(host, port, database, user, sslMode, sslRootCert, applicationName);
    }

    /** A copy with a new id (the "Duplicate" action). */
    public ConnectionProfile copy(String newName) {
        ConnectionProfile p = copySameId();
        p.id = UUID.randomUUID().toString();
        p.name = newName;
        return p;
    }

    public ConnectionProfile copySameId() {
        ConnectionProfile p = new ConnectionProfile();
        p.id = id;
        p.name = name;
        p.host = host;
        p.port = port;
        p.database = database;
        p.user = user;
        p.sslMode = sslMode;
        p.sslRootCert = sslRootCert;
        p.applicationName = applicationName;
        p.passwordStorage = passwordStorage;
        p.dataDir = dataDir;
        p.serviceCommand = serviceCommand;
        p.toolsDir = toolsDir;
        return p;
    }

    /** The secret store key of this profile's password. */
    public String secretKey() {
        return "profile:" + id;
    }

    @Override public String toString() {
        return name;
    }
}
