package io.msyspg.console.core.stats;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * A known workload from its own connection: N committed transactions at a steady pace, each inserting
 * {@link #ROWS_IN} rows and scanning {@link #ROWS_OUT} rows. The connection is closed at the end, which makes
 * the backend publish its last counters at once.
 */
final class Workload {
    static final int ROWS_IN = 2;
    static final int ROWS_OUT = 100;

    static void prepare(String jdbcUrl) throws Exception {
        try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS w (id bigserial PRIMARY KEY, v int)");
            s.execute("CREATE TABLE IF NOT EXISTS w_static (v int)");
            s.execute("TRUNCATE w_static");
            s.execute("INSERT INTO w_static SELECT g FROM generate_series(1, " + ROWS_OUT + ") g");
            s.execute("ALTER TABLE w SET (autovacuum_enabled = off)");
            s.execute("ALTER TABLE w_static SET (autovacuum_enabled = off)");
        }
    }

    /** Runs n transactions at perSecond; returns the wall time it took in seconds. */
    static double run(String jdbcUrl, int n, int perSecond) throws Exception {
        try (Connection c = connect(jdbcUrl)) {
            c.setAutoCommit(false);
            long step = 1_000_000_000L / perSecond;
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < n; i++) {
                    s.execute("INSERT INTO w (v) VALUES (1), (2)");
                    try (var rs = s.executeQuery("SELECT count(*) FROM w_static")) { rs.next(); }
                    c.commit();
                    long wait = t0 + (i + 1) * step - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    static Connection connect(String url) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", io.msyspg.console.testsupport.TestPg.SUPERUSER);
        p.setProperty("password", new String(io.msyspg.console.testsupport.TestPg.PASSWORD));
        p.setProperty("ApplicationName", "stats-test-workload");
        return DriverManager.getConnection(url, p);
    }

    private Workload() {}
}
