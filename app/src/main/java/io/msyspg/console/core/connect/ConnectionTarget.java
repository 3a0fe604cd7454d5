package io.msyspg.console.core.connect;

/**
 * Where to connect, without the secret: host (or a Unix-socket directory starting with '/'), port, database,
 * user, SSL settings and the application_name the console shows itself as. Passwords travel separately as
 * {@code char[]} and only ever live in memory.
 */
public record ConnectionTarget(String host, int port, String database, String user,
                               String sslMode, String sslRootCert, String applicationName) {
    public static final String DEFAULT_APPLICATION_NAME = "msyspg-console";

    public ConnectionTarget {
        if (host == null || host.isBlank()) host = "localhost";
        if (port <= 0) port = 5432;
        if (database == null || database.isBlank()) database = user;
        if (sslMode == null || sslMode.isBlank()) sslMode = "prefer";
        if (applicationName == null || applicationName.isBlank()) applicationName = DEFAULT_APPLICATION_NAME;
    }

    public static ConnectionTarget of(String host, int port, String database, String user) {
        return new ConnectionTarget(host, port, database, user, null, null, null);
    }

    public ConnectionTarget withDatabase(String db) {
        return new ConnectionTarget(host, port, db, user, sslMode, sslRootCert, applicationName);
    }

    public ConnectionTarget withApplicationName(String name) {
        return new ConnectionTarget(host, port, database, user, sslMode, sslRootCert, name);
    }

    public boolean isUnixSocket() { return host.startsWith("/"); }

    /**
     * The JDBC URL (no credentials in it, ever). For a Unix-socket directory the host part is a placeholder:
     * {@link #socketFile()} is what the connection uses (see {@code PooledDbSession.props}).
     */
    public String jdbcUrl() {
        String h = isUnixSocket() ? "localhost" : host;
        return "jdbc:postgresql://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The server's socket file for a socket-directory host, as libpq finds it: {@code DIR/.s.PGSQL.PORT}. */
    public String socketFile() {
        return isUnixSocket() ? (host.endsWith("/") ? host : host + "/") + ".s.PGSQL." + port : null;
    }

    /** "user@host:port/database", for status bars and messages. */
    public String display() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
