package io.msyspg.console.core.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.msyspg.console.core.tools.PgVersion;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link DbSession} on HikariCP: one small pool per database, opened on first use, application_name set on
 * every connection, plus a dedicated monitoring connection outside the pool. The password is held only in
 * memory (a char array copy) for as long as the session lives, and cleared on close.
 */
public final class PooledDbSession implements DbSession {
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    private static final int POOL_SIZE = 4;

    private final ConnectionTarget target;
    private final char[] password;
    private final int connectTimeoutSeconds;
    private final PgVersion version;
    private final Map<String, PooledDbSession> others = new ConcurrentHashMap<>();
    private volatile HikariDataSource pool;
    private volatile Connection monitoring;

    private PooledDbSession(ConnectionTarget target, char[] password, int connectTimeoutSeconds, PgVersion version) {
        this.target = target;
        this.password = password == null ? null : password.clone();
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.version = version;
    }

    /**
     * Connects once (to verify the target and read the version) and returns the session. Failures are
     * thrown as they come from the driver; {@code ConnectionErrors} turns them into messages.
     */
    public static PooledDbSession open(ConnectionTarget target, char[] password, int connectTimeoutSeconds) throws SQLException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), props(target, password, connectTimeoutSeconds, target.applicationName()))) {
            PgVersion v;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                v = PgVersion.fromVersionNum(rs.getInt(1));
            }
            return new PooledDbSession(target, password, connectTimeoutSeconds, v);
        }
    }

    public static PooledDbSession open(ConnectionTarget target, char[] password) throws SQLException {
        return open(target, password, DEFAULT_CONNECT_TIMEOUT_SECONDS);
    }

    static Properties props(ConnectionTarget t, char[] password, int timeout, String appName) {
        Properties p = new Properties();
        p.setProperty("user", t.user());
        if (password != null) p.setProperty("password", new String(password));
        p.setProperty("ApplicationName", appName);
        p.setProperty("connectTimeout", Integer.toString(timeout));
        p.setProperty("loginTimeout", Integer.toString(timeout));
        p.setProperty("socketTimeout", "0");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("sslmode", t.sslMode());
        if (t.sslRootCert() != null && !t.sslRootCert().isBlank()) p.setProperty("sslrootcert", t.sslRootCert());
        if (t.isUnixSocket()) {
            // a socket directory, as libpq takes it: connect to DIR/.s.PGSQL.PORT; no SSL on a local socket
            p.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            p.setProperty("socketFactoryArg", t.socketFile());
            p.setProperty("sslmode", "disable");
        }
        return p;
    }

    @Override public ConnectionTarget target() { return target; }

    @Override public PgVersion serverVersion() { return version; }

    @Override public Connection borrow() throws SQLException {
        if (closed) throw new SQLException("The session to " + target.display() + " is closed.", "08003");
        HikariDataSource ds = pool;
        if (ds == null) {
            synchronized (this) {
                if (pool == null) pool = createPool();
                ds = pool;
            }
        }
        return ds.getConnection();
    }

    @Override public void evictConnections() {
        HikariDataSource ds = pool;
        if (ds != null && ds.getHikariPoolMXBean() != null) ds.getHikariPoolMXBean().softEvictConnections();
        Connection m;
        synchronized (this) {
            m = monitoring;
            monitoring = null;
        }
        if (m != null) {
            try { m.close(); } catch (SQLException ignored) { /* it was dead already */ }
        }
        others.values().forEach(PooledDbSession::evictConnections);
    }

    private HikariDataSource createPool() {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("pg-" + target.host() + ":" + target.port() + "/" + target.database());
        cfg.setJdbcUrl(target.jdbcUrl());
        Properties p = props(target, password, connectTimeoutSeconds, target.applicationName());
        p.forEach((k, v) -> cfg.addDataSourceProperty((String) k, v));
        cfg.setMaximumPoolSize(POOL_SIZE);
        cfg.setMinimumIdle(0);
        cfg.setIdleTimeout(120_000);
        cfg.setConnectionTimeout(connectTimeoutSeconds * 1000L);
        cfg.setInitializationFailTimeout(-1);
        cfg.setAutoCommit(true);
        // dropped connections: keepalive probes idle ones, validation on borrow replaces dead ones
        cfg.setKeepaliveTime(60_000);
        cfg.setValidationTimeout(3_000);
        cfg.setMaxLifetime(30 * 60_000);
        return new HikariDataSource(cfg);
    }

    @Override public synchronized Connection monitoring() throws SQLException {
        if (closed) throw new SQLException("The session to " + target.display() + " is closed.", "08003");
        Connection c = monitoring;
        if (c != null && !c.isClosed() && c.isValid(2)) return c;
        if (c != null) {
            try { c.close(); } catch (SQLException ignored) { /* dropped already */ }
        }
        c = DriverManager.getConnection(target.jdbcUrl(), props(target, password, connectTimeoutSeconds, target.applicationName() + " monitor"));
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '5s'; SET lock_timeout = '1s'; SET idle_in_transaction_session_timeout = '10s'");
        } catch (SQLException e) {
            try { c.close(); } catch (SQLException ignored) { /* failed anyway */ }
            throw e;
        }
        monitoring = c;
        return c;
    }

    @Override public DbSession forDatabase(String database) throws SQLException {
        if (database.equals(target.database())) return this;
        PooledDbSession s = others.get(database);
        if (s == null) {
            s = open(target.withDatabase(database), password, connectTimeoutSeconds);
            PooledDbSession prev = others.putIfAbsent(database, s);
            if (prev != null) {
                s.close();
                s = prev;
            }
        }
        return s;
    }

    /** A copy of the password for a child process's temporary pgpass file (callers clear it after use). */
    public char[] passwordCopy() {
        return password == null ? null : password.clone();
    }

    private volatile String toolsDir;
    private volatile String configuredToolsDir;
    private volatile ServerTools tools;

    /** Where this server's tools live (the profile's tools directory, then the configured one); either may be null. */
    public PooledDbSession withToolsDirs(String profileToolsDir, String configuredDir) {
        this.toolsDir = profileToolsDir;
        this.configuredToolsDir = configuredDir;
        this.tools = null;
        return this;
    }

    @Override public ServerTools tools() {
        ServerTools t = tools;
        if (t == null) tools = t = ServerTools.forSession(this, toolsDir, configuredToolsDir);
        return t;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() { return closed; }

    private volatile boolean closed;

    @Override public synchronized void close() {
        closed = true;
        others.values().forEach(PooledDbSession::close);
        others.clear();
        if (pool != null) pool.close();
        pool = null;
        if (monitoring != null) {
            try { monitoring.close(); } catch (SQLException ignored) { /* going away */ }
        }
        monitoring = null;
        if (password != null) java.util.Arrays.fill(password, '\0');
    }
}
