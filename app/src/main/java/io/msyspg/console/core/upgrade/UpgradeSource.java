package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.tools.PgVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the upgrade wizard's first page shows about the connected (old) server: its version, data directory,
 * size, the folder of its binaries when it can be found, and the newer server binaries installed on this host.
 * Read once, off the FX thread; every part that cannot be read is left null with the reason in {@link #notes}.
 *
 * <p>The old binaries are found, in order, from the running postmaster ({@code /proc/PID/exe} of the pid in
 * {@code postmaster.pid}, when the data directory is on this host), from {@code pg_config}'s BINDIR (superuser
 * only) when that folder exists, then from the installed server packages of the same major.
 */
public record UpgradeSource(ConnectionTarget target, PgVersion version, Path dataDir, boolean dataDirHere, long databasesBytes,
                            Path oldBinDir, List<PgBinaries> newerBinaries, List<String> notes) {

    /** A sensible place for the new cluster: beside the old one, named after the target major ({@code /var/db/msyspg-17}). */
    public Path suggestedNewDataDir(int targetMajor) {
        if (dataDir == null) return null;
        Path parent = dataDir.toAbsolutePath().getParent();
        String name = dataDir.getFileName().toString();
        String base = name.matches("\\d+") || name.equals("main") ? name + "-" + targetMajor : name.replaceAll("-\\d+$", "") + "-" + targetMajor;
        return parent == null ? Path.of(base) : parent.resolve(base);
    }

    /** The old port + 1 (the executor checks it is free). */
    public int suggestedNewPort() {
        return target.port() >= 65535 ? 5433 : target.port() + 1;
    }

    /** The session's password for the executor's own connections (never stored; null for pgpass/trust). */
    public static char[] password(DbSession session) {
        return session instanceof PooledDbSession p ? p.passwordCopy() : null;
    }

    public static UpgradeSource read(DbSession session) throws SQLException {
        List<String> notes = new ArrayList<>();
        PgVersion version;
        Path dataDir = null;
        long bytes = 0;
        Path pgConfigBin = null;
        try (Connection c = session.borrow(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), coalesce(sum(pg_database_size(oid)), 0)::bigint"
                    + " FROM pg_database WHERE datallowconn")) {
                rs.next();
                version = PgVersion.parse(rs.getString(1));
                bytes = rs.getLong(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT current_setting('data_directory')")) {
                rs.next();
                dataDir = Path.of(rs.getString(1));
            } catch (SQLException e) {
                notes.add("The data directory cannot be read over SQL (superuser or pg_read_all_settings needed): enter it.");
            }
            try (ResultSet rs = st.executeQuery("SELECT setting FROM pg_config WHERE name = 'BINDIR'")) {
                if (rs.next()) pgConfigBin = Path.of(rs.getString(1));
            } catch (SQLException e) {
                // pg_config is for superusers only; the other ways follow
            }
        }
        boolean here = dataDir != null && Files.isDirectory(dataDir);
        Path oldBin = here ? fromPostmaster(dataDir).orElse(null) : null;
        if (oldBin == null && pgConfigBin != null && Files.isExecutable(pgConfigBin.resolve("pg_ctl"))) oldBin = pgConfigBin;
        if (oldBin == null) {
            for (PgBinaries b : PgBinaries.systemMajors()) {
                if (b.version().major() == version.major()) oldBin = b.binDir();
            }
        }
        if (oldBin == null) notes.add("The PostgreSQL " + version.majorLabel() + " binaries were not found on this host: enter their folder.");
        if (!here && dataDir != null) notes.add("The data directory " + dataDir + " is not on this host: pg_upgrade needs both clusters here;"
                + " dump and restore works across machines.");
        List<PgBinaries> newer = new ArrayList<>();
        for (PgBinaries b : PgBinaries.systemMajors()) if (b.version().major() > version.major()) newer.add(b);
        if (newer.isEmpty()) notes.add("No newer PostgreSQL server binaries are installed here: install the target version's server package,"
                + " or enter the folder of its binaries.");
        return new UpgradeSource(session.target(), version, dataDir, here, bytes, oldBin, List.copyOf(newer), List.copyOf(notes));
    }

    /** The folder of the running postmaster's executable, from postmaster.pid and /proc (Linux, local, readable). */
    static Optional<Path> fromPostmaster(Path dataDir) {
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.isReadable(pidFile)) return Optional.empty();
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).strip());
            Path exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
            Path bin = exe.getParent();
            return bin != null && Files.isExecutable(bin.resolve("pg_ctl")) ? Optional.of(bin) : Optional.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** A one-line description for the plan page. */
    public String describe() {
        return "PostgreSQL " + version + " at " + target.display() + (dataDir == null ? "" : ", data directory " + dataDir)
                + ", databases " + UpgradePlanner.bytes(databasesBytes);
    }

}
