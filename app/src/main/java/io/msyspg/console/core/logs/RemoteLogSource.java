package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's log over SQL, no SSH: {@code pg_ls_logdir()} lists, {@code pg_current_logfile()} names the
 * current file, {@code pg_read_binary_file(path, offset, length, true)} reads at most {@link #CHUNK} bytes per
 * call (binary: a multibyte character split at a chunk edge is decoded after the chunks are joined). A
 * missing privilege becomes a message naming the role or GRANT that is needed. Files have no inode here: the
 * follower checks identity with a hash of their first bytes.
 */
public final class RemoteLogSource implements LogSource {
    public static final int CHUNK = 8 << 20;

    private final DbSession session;
    private volatile String logDirectory;
    private final String prefix;
    private final String timezone;
    private final String role;
    private int chunk = CHUNK;

    private RemoteLogSource(DbSession session, String logDirectory, String prefix, String timezone, String role) {
        this.session = session;
        this.logDirectory = logDirectory;
        this.prefix = prefix;
        this.timezone = timezone;
        this.role = role;
    }

    /**
     * Reads log_line_prefix, log_timezone and the current role; log_directory too when the role may see it
     * (superuser, pg_monitor or pg_read_all_settings), else it is learnt later from pg_current_logfile().
     */
    public static RemoteLogSource open(DbSession session) {
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            String prefix, tz, role;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('log_line_prefix'), current_setting('log_timezone'), current_user")) {
                rs.next();
                prefix = rs.getString(1);
                tz = rs.getString(2);
                role = rs.getString(3);
            }
            String dir = null;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('log_directory')")) {
                rs.next();
                dir = rs.getString(1);
            } catch (SQLException hidden) {
                // not visible to this role: derived from pg_current_logfile() when needed
            }
            return new RemoteLogSource(session, dir, prefix, tz, role);
        } catch (SQLException e) {
            throw new ConsoleException("Cannot read the log settings of " + session.target().display() + ": " + e.getMessage(), e);
        }
    }

    private String logDirectory() throws IOException {
        if (logDirectory != null) return logDirectory;
        try (Connection c = session.borrow(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('log_directory')")) {
            rs.next();
            return logDirectory = rs.getString(1);
        } catch (SQLException hidden) {
            // still not visible: try the current file's path
        }
        for (LogFormat f : LogFormat.values()) {
            try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT pg_current_logfile(?)")) {
                ps.setString(1, f.destination());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String p = rs.getString(1);
                    if (p != null && p.lastIndexOf('/') > 0) return logDirectory = p.substring(0, p.lastIndexOf('/'));
                }
            } catch (SQLException e) {
                break;
            }
        }
        throw new ConsoleException("Role " + role + " may not see log_directory on " + session.target().display()
                + ": it needs the pg_monitor role (GRANT pg_monitor TO " + quoteIdent(role) + ") or pg_read_all_settings.");
    }

    public String role() { return role; }

    @Override public String describe() {
        return "server " + session.target().display() + (logDirectory == null ? "" : " (" + logDirectory + ")");
    }

    @Override public String logLinePrefix() { return prefix; }

    @Override public String logTimezone() { return timezone; }

    @Override public int maxChunk() { return chunk; }

    /** Smaller reads per call (tests split multibyte characters at chunk edges with this). */
    void chunkSize(int bytes) { this.chunk = Math.max(1, Math.min(CHUNK, bytes)); }

    @Override public List<LogFileInfo> list() throws IOException {
        List<LogFileInfo> out = new ArrayList<>();
        try (Connection c = session.borrow(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, size, (extract(epoch FROM modification) * 1000)::bigint FROM pg_ls_logdir()")) {
            while (rs.next()) out.add(new LogFileInfo(rs.getString(1), rs.getLong(2), rs.getLong(3), null));
        } catch (SQLException e) {
            throw privilege(e, "pg_ls_logdir()", "list the log directory",
                    "it needs the pg_monitor role (GRANT pg_monitor TO " + quoteIdent(role) + ") or superuser");
        }
        return out;
    }

    /**
     * {@code pg_current_logfile(format)}; when the role may not call it (it is superuser-only unless granted,
     * also for pg_monitor), the newest file of pg_ls_logdir() is used and {@link #note()} says which GRANT
     * would make it exact.
     */
    @Override public String current(LogFormat format) throws IOException {
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT pg_current_logfile(?)")) {
            ps.setString(1, format.destination());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String p = rs.getString(1);
                if (p == null) return null;
                int slash = p.lastIndexOf('/');
                if (slash > 0 && logDirectory == null) logDirectory = p.substring(0, slash);
                return slash >= 0 ? p.substring(slash + 1) : p;
            }
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw new ConsoleException("Could not ask " + session.target().display() + " for the current log file: " + e.getMessage(), e);
            }
            String grant = "GRANT EXECUTE ON FUNCTION pg_current_logfile(text) TO " + quoteIdent(role);
            List<LogFileInfo> files;
            try {
                files = list();
            } catch (ConsoleException listing) {
                throw new ConsoleException("Role " + role + " may not ask for the current log file on " + session.target().display()
                        + " (pg_current_logfile(): needs superuser or " + grant + ") nor list the log directory (pg_ls_logdir(): needs GRANT pg_monitor TO "
                        + quoteIdent(role) + ").", e.getMessage(), e);
            }
            note = "Role " + role + " may not call pg_current_logfile() on " + session.target().display()
                    + ": following the newest file instead (" + grant + " makes it exact).";
            LogFileInfo newest = null;
            for (LogFileInfo i : files) {
                if (!format.accepts(i.name())) continue;
                if (newest == null || i.modifiedMillis() > newest.modifiedMillis()) newest = i;
            }
            return newest == null ? null : newest.name();
        }
    }

    private volatile String note;
    private volatile boolean combined = true;

    /** current + list in one statement; falls back to two (with their privilege messages) when it fails. */
    @Override public Snapshot snapshot(LogFormat format) throws IOException {
        if (combined) {
            try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_current_logfile(?), l.name, l.size, (extract(epoch FROM l.modification) * 1000)::bigint FROM pg_ls_logdir() l")) {
                ps.setString(1, format.destination());
                String cur = null;
                List<LogFileInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cur = rs.getString(1);
                        out.add(new LogFileInfo(rs.getString(2), rs.getLong(3), rs.getLong(4), null));
                    }
                }
                if (cur == null && out.isEmpty()) return new Snapshot(current(format), out);
                if (cur != null) {
                    int slash = cur.lastIndexOf('/');
                    if (slash > 0 && logDirectory == null) logDirectory = cur.substring(0, slash);
                    cur = slash >= 0 ? cur.substring(slash + 1) : cur;
                }
                return new Snapshot(cur, out);
            } catch (SQLException e) {
                combined = false;       // a missing privilege: the separate calls explain which
            }
        }
        return LogSource.super.snapshot(format);
    }

    @Override public String note() { return note; }

    @Override public int read(String name, long offset, byte[] buf, int off, int len) throws IOException {
        if (name.contains("/") || name.equals("..")) throw new ConsoleException("Invalid log file name '" + name + "'.");
        String dir = logDirectory();
        String path = dir + "/" + name;
        int done = 0;
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT pg_read_binary_file(?, ?, ?, true)")) {
            while (done < len) {
                int want = Math.min(chunk, len - done);
                ps.setString(1, path);
                ps.setLong(2, offset + done);
                ps.setLong(3, want);
                byte[] got;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getBytes(1);
                }
                if (got == null) return done == 0 ? -1 : done;
                System.arraycopy(got, 0, buf, off + done, got.length);
                done += got.length;
                if (got.length < want) break;
            }
            return done;
        } catch (SQLException e) {
            throw privilege(e, "pg_read_binary_file()", "read " + path,
                    "it needs superuser, or: GRANT EXECUTE ON FUNCTION pg_read_binary_file(text,bigint,bigint,boolean) TO "
                            + quoteIdent(role) + (dir.startsWith("/") ? " (and, for an absolute log_directory, GRANT pg_read_server_files TO " + quoteIdent(role) + ")" : ""));
        }
    }

    private ConsoleException privilege(SQLException e, String fn, String what, String need) {
        if ("42501".equals(e.getSQLState())) {
            return new ConsoleException("Role " + role + " may not " + what + " on " + session.target().display()
                    + " (" + fn + "): " + need + ".", e.getMessage(), e);
        }
        if ("58P01".equals(e.getSQLState())) {
            return new ConsoleException("The log directory " + logDirectory + " does not exist on " + session.target().display()
                    + " (is logging_collector on?).", e.getMessage(), e);
        }
        return new ConsoleException("Could not " + what + " on " + session.target().display() + ": " + e.getMessage(), e);
    }

    static String quoteIdent(String s) {
        return s.matches("[a-z_][a-z0-9_$]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
