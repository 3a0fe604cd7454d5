package io.msyspg.console.cli;

import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.common.ConsoleException;
import picocli.CommandLine.Option;

import java.sql.SQLException;
import java.util.Map;

/**
 * libpq-style connection options shared by every subcommand that talks to a database: {@code -h -p -d -U}
 * with the {@code PG*} environment variables as defaults, as psql does. Use as a picocli {@code @Mixin}.
 */
public final class ConnectionOptions {
    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Server host or socket directory (default: $PGHOST or localhost).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: $PGPORT or 5432).")
    Integer port;

    @Option(names = {"-d", "--dbname"}, paramLabel = "DB", description = "Database (default: $PGDATABASE or the user name).")
    String database;

    @Option(names = {"-U", "--username"}, paramLabel = "USER", description = "User (default: $PGUSER or the OS user).")
    String user;

    /** The target from the options, falling back to the given environment. */
    public ConnectionTarget target(Map<String, String> env) {
        String h = first(host, env.get("PGHOST"), "localhost");
        int p = port != null ? port : parsePort(env.get("PGPORT"));
        String u = first(user, env.get("PGUSER"), System.getProperty("user.name"));
        String d = first(database, env.get("PGDATABASE"), u);
        return new ConnectionTarget(h, p, d, u, env.get("PGSSLMODE"), env.get("PGSSLROOTCERT"),
                first(env.get("PGAPPNAME"), ConnectionTarget.DEFAULT_APPLICATION_NAME));
    }

    /** Opens a session; the password comes from {@code $PGPASSWORD} when set (never from the command line). */
    public PooledDbSession open() {
        Map<String, String> env = System.getenv();
        ConnectionTarget t = target(env);
        String pw = env.get("PGPASSWORD");
        try {
            return PooledDbSession.open(t, pw == null ? null : pw.toCharArray());
        } catch (SQLException e) {
            throw new ConsoleException("Cannot connect to " + t.display() + ": " + e.getMessage(), e);
        }
    }

    private static int parsePort(String s) {
        if (s == null || s.isBlank()) return 5432;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ConsoleException("PGPORT is not a port number: '" + s + "'");
        }
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
