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
    private final String logDirectory;
    private final String prefix;
    private final String timezone;
    private final String role;

    private RemoteLogSource(DbSession session, String logDirectory, String prefix, String timezone, String role) {
        this.session = session;
        this.logDirectory = logDirectory;
        this.prefix = prefix;
        this.timezone = timezone;
        this.role = role;
    }

    /** Reads log_directory, log_line_prefix and log_timezone (visible to every role) and the current role. */
    public static RemoteLogSource open(DbSession session) {
        try (Connection c = session.borrow(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('log_directory'), current_setting('log_line_prefix'), current_setting('log_timezone'), current_user")) {
            rs.next();
            return new RemoteLogSource(session, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        } catch (SQLException e) {
            throw new ConsoleException("Cannot read the log settings of " + session.target().display() + ": " + e.getMessage(), e);
        }
    }

    public String role() { return role; }

    @Override public String describe() { return "server " + session.target().display() + " (" + logDirectory + ")"; }

    @Override public String logLinePrefix() { return prefix; }

    @Override public String logTimezone() { return timezone; }

    @Override public int maxChunk() { return CHUNK; }

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

    @Override public String current(LogFormat format) throws IOException {
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT pg_current_logfile(?)")) {
            ps.setString(1, format.destination());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String p = rs.getString(1);
                if (p == null) return null;
                int slash = p.lastIndexOf('/');
                return slash >= 0 ? p.substring(slash + 1) : p;
            }
        } catch (SQLException e) {
            throw privilege(e, "pg_current_logfile()", "ask for the current log file",
                    "it needs the pg_monitor role (GRANT pg_monitor TO " + quoteIdent(role) + ") or superuser");
        }
    }

    @Override public int read(String name, long offset, byte[] buf, int off, int len) throws IOException {
        if (name.contains("/") || name.equals("..")) throw new ConsoleException("Invalid log file name '" + name + "'.");
        String path = logDirectory + "/" + name;
        int done = 0;
        try (Connection c = session.borrow(); PreparedStatement ps = c.prepareStatement("SELECT pg_read_binary_file(?, ?, ?, true)")) {
            while (done < len) {
                int want = Math.min(CHUNK, len - done);
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
                            + quoteIdent(role) + (logDirectory.startsWith("/") ? " (and, for an absolute log_directory, GRANT pg_read_server_files TO " + quoteIdent(role) + ")" : ""));
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
