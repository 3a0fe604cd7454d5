package io.msyspg.console.core.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Whether the connected server runs on this host, and where its data directory is here: what the storage
 * projection, the log viewer and the server screen need before they read files. Each call may do a DNS
 * look-up and a query: call it off the FX thread.
 */
public final class LocalServer {
    private LocalServer() {}

    /**
     * The data directory when the server runs on this host and the path is visible here: {@code configuredPath}
     * when it is given (a profile's or the admin's), else the server's own {@code data_directory} when the host
     * is this one; empty otherwise (remote server, or a role that may not read {@code data_directory}).
     */
    public static Optional<Path> dataDirectory(DbSession db, String configuredPath) {
        if (configuredPath != null && !configuredPath.isBlank()) {
            Path p = Path.of(configuredPath.strip());
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        if (!isLocalHost(db.target().host())) return Optional.empty();
        try (Connection c = db.borrow(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            Path p = Path.of(rs.getString(1));
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A Unix-socket directory, a loopback address, or an address of one of this host's interfaces. */
    public static boolean isLocalHost(String host) {
        if (host.startsWith("/")) return true;
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
