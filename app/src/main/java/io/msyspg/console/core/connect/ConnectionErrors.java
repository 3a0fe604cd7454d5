package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

import static io.msyspg.console.core.connect.ConnectionFailure.Kind.*;

/**
 * Turns what the driver throws at connect time into one clear sentence that names the server
 * (host:port), the user and the database, by SQLState first and the cause chain second.
 */
public final class ConnectionErrors {
    private ConnectionErrors() {}

    public static ConnectionFailure classify(Throwable error, ConnectionTarget t, int timeoutSeconds) {
        if (error instanceof ConnectionFailure f) return f;
        String where = t.host() + ":" + t.port();
        String state = sqlState(error);
        String text = allMessages(error).toLowerCase(Locale.ROOT);
        String detail = ConsoleException.causeChain(error);

        if (has(error, UnknownHostException.class)) {
            return new ConnectionFailure(UNKNOWN_HOST, "Unknown host '" + t.host() + "': the name does not resolve"
                    + " (check the spelling, /etc/hosts or DNS).", detail, error);
        }
        if (has(error, ConnectException.class) || text.contains("connection refused") || (text.contains("connection to") && text.contains("refused"))) {
            return new ConnectionFailure(REFUSED, "Connection refused by " + where + ": no PostgreSQL server is listening there"
                    + " (is it running, and are host and port right?).", detail, error);
        }
        if (has(error, NoRouteToHostException.class)) {
            return new ConnectionFailure(TIMEOUT, "No route to " + where + ": the host is unreachable from here.", detail, error);
        }
        if (has(error, SocketTimeoutException.class) || text.contains("connection attempt timed out") || text.contains("timed out")) {
            return new ConnectionFailure(TIMEOUT, "No answer from " + where + " within " + timeoutSeconds + " s: the server is"
                    + " unreachable, blocked by a firewall, or not a PostgreSQL server that responds.", detail, error);
        }
        if ("53300".equals(state) || text.contains("too many clients") || text.contains("remaining connection slots are reserved")) {
            return new ConnectionFailure(TOO_MANY_CONNECTIONS, "The server at " + where + " has no free connection slot for user '"
                    + t.user() + "' (max_connections reached); close idle sessions or raise max_connections.", detail, error);
        }
        if ("3D000".equals(state) || (text.contains("database") && text.contains("does not exist"))) {
            return new ConnectionFailure(DATABASE_MISSING, "Database '" + t.database() + "' does not exist on " + where + ".", detail, error);
        }
        if (text.contains("does not support ssl")) {
            return new ConnectionFailure(SSL_UNSUPPORTED, "The server at " + where + " does not support SSL, but sslmode is '"
                    + t.sslMode() + "'; enable ssl on the server or use sslmode=prefer.", detail, error);
        }
        if (text.contains("no encryption") && ("28000".equals(state) || text.contains("pg_hba.conf"))) {
            return new ConnectionFailure(SSL_REQUIRED, "The server at " + where + " accepts user '" + t.user() + "' on database '"
                    + t.database() + "' only over SSL; set sslmode to require (or verify-full).", detail, error);
        }
        if ("28P01".equals(state) || text.contains("password authentication failed") || text.contains("authentication failed")) {
            return new ConnectionFailure(AUTH_FAILED, "Authentication failed for user '" + t.user() + "' on " + where + "/" + t.database()
                    + ": wrong password, or the role does not exist.", detail, error);
        }
        if (text.contains("no password was provided") || text.contains("password-based authentication, but no password")
                || text.contains("requested password-based") || text.contains("but no password")) {
            return new ConnectionFailure(PASSWORD_REQUIRED, "The server at " + where + " asks for a password for user '" + t.user()
                    + "' and none was given (store one in the profile, ~/.pgpass or PGPASSWORD).", detail, error);
        }
        if ("28000".equals(state) || text.contains("pg_hba.conf")) {
            return new ConnectionFailure(NOT_ALLOWED, "The server at " + where + " does not let user '" + t.user() + "' connect to database '"
                    + t.database() + "' from this host (pg_hba.conf), or the role cannot log in.", detail, error);
        }
        if ("57P03".equals(state) || text.contains("starting up") || text.contains("shutting down")) {
            return new ConnectionFailure(SERVER_NOT_READY, "The server at " + where + " is starting up or shutting down; try again in a moment.", detail, error);
        }
        return new ConnectionFailure(OTHER, "Cannot connect to " + t.display() + ": " + ConsoleException.userMessage(error), detail, error);
    }

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                // pgjdbc's generic "unable to connect" wraps the interesting one
                if (!st.startsWith("08")) return st;
            }
        }
        return t instanceof SQLException s ? s.getSQLState() : null;
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) sb.append(c.getMessage()).append('\n');
        return sb.toString();
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) if (type.isInstance(c)) return true;
        return false;
    }
}
