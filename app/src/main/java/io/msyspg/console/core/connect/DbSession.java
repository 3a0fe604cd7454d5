package io.msyspg.console.core.connect;

import io.msyspg.console.core.tools.PgVersion;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * An open database: pooled connections for browsing and jobs, and one dedicated monitoring connection for
 * the dashboard (autocommit, short statement_timeout and lock_timeout, its own application_name) so that
 * statistics never wait behind browser work. Every feature's core services take one of these.
 */
public interface DbSession extends AutoCloseable {
    ConnectionTarget target();

    /** The server's version, read once at connect. */
    PgVersion serverVersion();

    /** A pooled connection (autocommit on); close it to give it back. */
    Connection borrow() throws SQLException;

    /**
     * The monitoring connection (shared; callers serialise on it through the sampler). Re-established when it
     * was dropped.
     */
    Connection monitoring() throws SQLException;

    /**
     * The client tools for this server ("which pg_dump for this server?"): the highest installed major at
     * least the server's, the profile's tools directory first. Version checks run processes: call it off the
     * FX thread. {@link ServerTools#require} explains a mismatch before anything runs.
     */
    default ServerTools tools() {
        return ServerTools.forSession(this, null, null);
    }

    /** The same server, another database (a separate small pool, opened lazily). */
    DbSession forDatabase(String database) throws SQLException;

    /**
     * Drops pooled and monitoring connections so the next {@link #borrow()} opens fresh ones: after the server
     * was restarted from the console, every connection the pool holds is dead.
     */
    default void evictConnections() {}

    @Override void close();
}
