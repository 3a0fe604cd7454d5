package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.demo.DemoFixtures;
import io.msyspg.console.core.server.MountTable;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.testsupport.TestPg;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** An old PostgreSQL 13 cluster with Momentum-like data, and what an upgrade run needs around it. */
final class UpgradeFixture implements AutoCloseable {
    final Path base;
    final AppDirs dirs;
    final PgCluster old;
    final List<Path> newDataDirs = new ArrayList<>();

    UpgradeFixture(Path tmp) throws Exception {
        base = tmp.resolve("upg");
        Files.createDirectories(base);
        // the server account (postgres, when the tests run as root) must reach the new data directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        dirs = new AppDirs(tmp.resolve("home/config"), tmp.resolve("home/state"), tmp.resolve("home/cache"));
        old = PgCluster.builder(PgBinaries.forMajor(13)).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD).start();
        try (Connection c = old.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE ecelerity");
            s.execute("CREATE DATABASE other");
        }
        try (Connection c = old.connect("ecelerity")) {
            DemoFixtures.loadTiny(c);
        }
        try (Connection c = old.connect("other"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, price numeric(10,2), at timestamptz, f float8)");
            s.execute("INSERT INTO notes SELECT g, 'note ' || g || E'\\twith ''quotes'' and ünïcode', g * 1.25, '2026-01-01'::timestamptz + g * interval '1 hour', g / 3.0"
                    + " FROM generate_series(1, 500) g");
            s.execute("CREATE TABLE empty_table (x int)");
            s.execute("ALTER DATABASE other SET work_mem = '8MB'");
        }
    }

    UpgradeExecutor executor() {
        return new UpgradeExecutor(dirs, PgToolLocator.standard(null), BackupHistory.in(dirs), MountTable.read(MountTable.PROC_MOUNTS),
                Clock.systemUTC());
    }

    UpgradeRequest request(UpgradePlanner.Method method, Path oldBin, String name) throws Exception {
        UpgradeRequest r = new UpgradeRequest();
        r.source = ConnectionTarget.of(old.host(), old.port(), "postgres", TestPg.SUPERUSER);
        r.oldDataDir = old.dataDir();
        r.oldBinDir = oldBin;
        r.newBinDir = PgBinaries.forMajor(15).binDir();
        r.newDataDir = base.resolve(name).resolve("data");
        newDataDirs.add(r.newDataDir);
        r.newSocketDir = base.resolve(name + "-sock");
        r.newPort = freePort();
        r.method = method;
        r.backup = UpgradeRequest.BackupChoice.TAKE_NOW;
        r.backupDir = base.resolve(name + "-backup");
        r.checklist = List.of(new UpgradeReport.ChecklistTick(UpgradePlanner.momentumChecklist().get(0), true, java.time.Instant.parse("2026-11-21T10:00:00Z")),
                new UpgradeReport.ChecklistTick(UpgradePlanner.momentumChecklist().get(1), false, null));
        return r;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Rows plus deliveries of the demo's hourly statistics: one number that changes with any lost or altered row. */
    static final String ROWS_AND_DELIVERIES = "SELECT count(*) + coalesce(sum(delivered), 0) FROM rt_log.delivery_stats_hour";

    /** {@link #ROWS_AND_DELIVERIES} on the old cluster's ecelerity: what every upgraded cluster must count too. */
    long oldRowsAndDeliveries() throws Exception {
        try (Connection c = old.connect("ecelerity")) {
            return count(c, ROWS_AND_DELIVERIES);
        }
    }

    /** The test superuser on an upgraded (or intermediate) cluster's ecelerity at {@code port}, over TCP. */
    static Connection connectUpgraded(int port) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", TestPg.SUPERUSER);
        p.setProperty("password", new String(TestPg.PASSWORD));
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/ecelerity", p);
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) b.append(b.isEmpty() ? "" : "\n").append(rs.getString(1));
            return b.toString();
        }
    }

    /** Stops a new cluster the run left running (as its owner). */
    void stopNew(UpgradeRequest r) throws Exception {
        if (Files.exists(r.newDataDir.resolve("postmaster.pid"))) {
            Processes.run(old.account().wrap(List.of(r.newBinDir.resolve("pg_ctl").toString(), "-D", r.newDataDir.toString(), "-m", "immediate", "-w", "stop")), base, null, 60);
        }
    }

    @Override public void close() throws Exception {
        for (Path d : newDataDirs) {
            if (Files.exists(d.resolve("postmaster.pid"))) {
                Processes.run(old.account().wrap(List.of(PgBinaries.forMajor(15).tool("pg_ctl").toString(), "-D", d.toString(), "-m", "immediate", "-w", "stop")), base, null, 60);
            }
        }
        old.close();
    }
}
