package io.msyspg.console.core.server;

import java.nio.file.Path;

/**
 * A PostgreSQL server on this host, as the console controls it: its data directory, optionally the service
 * command that starts and stops it (for example {@code /etc/init.d/msyspg} or
 * {@code systemctl {action} postgresql@15-main}), and optionally the folder of its server programs. A
 * connection profile carries these three values; the CLI builds one from {@code -D} and
 * {@code --service-command}.
 *
 * @param dataDir        the data directory (required)
 * @param serviceCommand the service command, or null to use {@code pg_ctl -D}
 * @param binDir         the folder holding pg_ctl of the server's major, or null to search for one
 */
public record ServerTarget(Path dataDir, String serviceCommand, Path binDir) {
    public ServerTarget {
        if (dataDir == null) throw new IllegalArgumentException("a data directory is required");
        dataDir = dataDir.toAbsolutePath().normalize();
        if (serviceCommand != null && serviceCommand.isBlank()) serviceCommand = null;
    }

    public static ServerTarget of(Path dataDir) {
        return new ServerTarget(dataDir, null, null);
    }

    public ServerTarget withServiceCommand(String cmd) {
        return new ServerTarget(dataDir, cmd, binDir);
    }

    public boolean usesService() { return serviceCommand != null; }
}
