package io.msyspg.console.testsupport;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real PostgreSQL for tests: one shared cluster per test JVM (the system's newest major), plus clusters of
 * other majors on request (zonky binaries). Started on first use, stopped and deleted when the JVM exits,
 * also after failures (the harness's shutdown hook; a killed JVM's leftovers are reaped by the next run).
 * Tests never mock the database.
 */
public final class TestPg {
    public static final String SUPERUSER = "postgres";
    /** The test clusters' superuser password (TCP needs it; the Unix socket trusts). Not a real secret. */
    public static final char[] PASSWORD = "test-secret-pw".toCharArray();

    private static final Map<Integer, PgCluster> BY_MAJOR = new ConcurrentHashMap<>();
    private static volatile PgCluster shared;

    private TestPg() {}

    /** The shared cluster (system binaries). Do not stop it; create databases for isolation. */
    public static synchronized PgCluster shared() {
        if (shared == null) {
            shared = PgCluster.builder(PgBinaries.system()).superuser(SUPERUSER).password(PASSWORD).start();
        }
        return shared;
    }

    /** A shared cluster of another major (12, 13, 17 come from zonky jars). */
    public static PgCluster major(int major) {
        PgBinaries sys = PgBinaries.system();
        if (sys.version().major() == major) return shared();
        return BY_MAJOR.computeIfAbsent(major, m ->
                PgCluster.builder(PgBinaries.forMajor(m)).superuser(SUPERUSER).password(PASSWORD).start());
    }

    /** A fresh, private cluster for tests that stop, restart or break it (close it when done). */
    public static PgCluster privateCluster() {
        return PgCluster.builder(PgBinaries.system()).superuser(SUPERUSER).password(PASSWORD).start();
    }

    public static ConnectionTarget target(PgCluster c, String database) {
        return ConnectionTarget.of(c.host(), c.port(), database, SUPERUSER);
    }

    /** A pooled session as the superuser on the shared cluster. */
    public static PooledDbSession session(String database) throws SQLException {
        return PooledDbSession.open(target(shared(), database), PASSWORD);
    }

    /** Creates a database on the shared cluster with a unique name and returns the name. */
    public static String createDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + Long.toHexString(System.nanoTime())).toLowerCase();
        try (var c = shared().connect("postgres"); var s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        return name;
    }
}
