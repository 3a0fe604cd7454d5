package io.msyspg.console.core.server;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import org.postgresql.util.PSQLException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's configuration: {@code pg_settings} joined with {@code pg_file_settings}, the files'
 * errors, and changes through {@code ALTER SYSTEM} (validated by the server, shown as a diff first,
 * followed by {@code pg_reload_conf()}).
 */
public final class ConfigService {
    /** GUC_LIST_QUOTE settings: ALTER SYSTEM quotes a single literal as ONE element, so give one literal per element. */
    static final Set<String> LIST_QUOTE = Set.of("search_path", "temp_tablespaces", "shared_preload_libraries",
            "session_preload_libraries", "local_preload_libraries", "unix_socket_directories");

    private static final String SETTINGS_SQL = """
            SELECT s.name, s.setting, current_setting(s.name) AS display, s.unit, s.category, s.short_desc, s.context,
                   s.vartype, s.source, s.sourcefile, s.sourceline, s.boot_val, s.reset_val, s.pending_restart,
                   array_to_string(s.enumvals, ', ') AS enumvals, s.min_val, s.max_val,
                   f.setting AS file_value, f.error AS file_error
              FROM pg_settings s
              LEFT JOIN LATERAL %s f ON true
             ORDER BY s.category, s.name""";

    private final DbSession session;

    public ConfigService(DbSession session) {
        this.session = session;
    }

    /** What the settings screen shows: every setting, the files' errors, and whether pg_file_settings was readable. */
    public record Snapshot(List<Setting> settings, List<FileError> fileErrors, boolean fileSettingsReadable,
                           String configFile, String dataDirectory) {
        public Optional<Setting> get(String name) {
            return settings.stream().filter(s -> s.name().equals(name)).findFirst();
        }

        public List<Setting> pendingRestart() {
            return settings.stream().filter(Setting::pendingRestart).toList();
        }

        public List<String> categories() {
            return settings.stream().map(Setting::category).distinct().sorted().toList();
        }
    }

    /** A line of a configuration file the server could not apply. */
    public record FileError(String file, int line, String name, String setting, String error) {
        public String describe() {
            return (file == null ? "(unknown file)" : file) + ":" + line + ": " + error
                    + (name != null ? " (" + name + " = " + setting + ")" : "");
        }
    }

    public enum Filter { ALL, CHANGED, PENDING_RESTART, RESTART_ONLY, LOGGING }

    public static List<Setting> filter(List<Setting> all, Filter f, String category, String text) {
        String q = text == null ? "" : text.strip().toLowerCase();
        return all.stream().filter(s -> switch (f) {
            case ALL -> true;
            case CHANGED -> s.changedFromDefault();
            case PENDING_RESTART -> s.pendingRestart();
            case RESTART_ONLY -> s.restartOnly();
            case LOGGING -> s.logging();
        }).filter(s -> category == null || category.isBlank() || category.equals(s.category()))
          .filter(s -> q.isEmpty() || s.name().contains(q) || (s.description() != null && s.description().toLowerCase().contains(q)))
          .toList();
    }

    public Snapshot load() throws SQLException {
        try (Connection c = session.borrow()) {
            boolean fileReadable = canRead(c, "pg_file_settings");
            List<Setting> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(String.format(SETTINGS_SQL, fileReadable
                         ? "(SELECT fs.setting, fs.error FROM pg_file_settings fs WHERE fs.name = s.name ORDER BY fs.seqno DESC LIMIT 1)"
                         : "(SELECT NULL::text AS setting, NULL::text AS error)"))) {
                while (rs.next()) {
                    out.add(new Setting(rs.getString("name"), rs.getString("setting"), rs.getString("display"), rs.getString("unit"),
                            rs.getString("category"), rs.getString("short_desc"), rs.getString("context"), rs.getString("vartype"),
                            rs.getString("source"), rs.getString("sourcefile"), rs.getInt("sourceline"), rs.getString("boot_val"),
                            rs.getString("reset_val"), rs.getBoolean("pending_restart"), rs.getString("enumvals"),
                            rs.getString("min_val"), rs.getString("max_val"), rs.getString("file_value"), rs.getString("file_error")));
                }
            }
            List<FileError> errors = new ArrayList<>();
            if (fileReadable) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT sourcefile, sourceline, name, setting, error FROM pg_file_settings WHERE error IS NOT NULL ORDER BY seqno")) {
                    while (rs.next()) {
                        errors.add(new FileError(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            String configFile = show(c, "config_file");
            String dataDir = show(c, "data_directory");
            return new Snapshot(out, errors, fileReadable, configFile, dataDir);
        }
    }

    private static boolean canRead(Connection c, String view) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?, 'SELECT')")) {
            ps.setString(1, view);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** A setting only privileged roles may see (config_file, data_directory): null when hidden from us. */
    private static String show(Connection c, String name) {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- changes

    /** One edit: a new value, or null to remove it from postgresql.auto.conf (ALTER SYSTEM RESET). */
    public record Change(String name, String newValue) {
        public boolean reset() { return newValue == null; }
    }

    /** A change checked against pg_settings, ready to show in the diff and to apply. */
    public record PlannedChange(Setting setting, String newValue, String sql) {
        public String diffLines() {
            String to = newValue == null ? "(removed from postgresql.auto.conf; back to the file value or default)" : newValue;
            return "- " + setting.name() + " = " + setting.display() + "\n+ " + setting.name() + " = " + to
                    + (setting.restartOnly() ? "    [restart needed]" : "");
        }
    }

    /** Checks the names against the server's settings and builds the statements; nothing is changed yet. */
    public static List<PlannedChange> plan(Snapshot snapshot, List<Change> changes) {
        List<PlannedChange> out = new ArrayList<>();
        for (Change ch : changes) {
            String name = ch.name() == null ? "" : ch.name().strip().toLowerCase();
            Setting s = snapshot.get(name).orElseThrow(() -> new ConsoleException(
                    "There is no setting named '" + ch.name() + "' on this server (see pg_settings)."));
            if (s.readOnly()) throw new ConsoleException("The setting " + name + " is read-only (fixed when PostgreSQL was built or the cluster was created).");
            if (ch.newValue() != null && ch.newValue().indexOf('\0') >= 0) {
                throw new ConsoleException("The new value of " + name + " contains a NUL character.");
            }
            out.add(new PlannedChange(s, ch.newValue(), alterSystemSql(name, ch.newValue())));
        }
        return out;
    }

    /** The diff shown before applying. */
    public static String diff(List<PlannedChange> plan) {
        StringBuilder sb = new StringBuilder();
        for (PlannedChange p : plan) sb.append(p.diffLines()).append('\n');
        return sb.toString().strip();
    }

    /**
     * {@code ALTER SYSTEM SET name = 'value'}: ALTER SYSTEM takes no bind parameters, so the name (already
     * checked against pg_settings) is quoted as an identifier part by part and the value as an escape string
     * literal; list settings that quote their elements get one literal per element.
     */
    static String alterSystemSql(String name, String value) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("\\.", -1)) {
            if (!id.isEmpty()) id.append('.');
            id.append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        if (value == null) return "ALTER SYSTEM RESET " + id;
        if (LIST_QUOTE.contains(name)) {
            List<String> elements = splitList(value);
            if (elements.isEmpty()) return "ALTER SYSTEM SET " + id + " = ''";
            List<String> lits = new ArrayList<>();
            for (String e : elements) lits.add(literal(e));
            return "ALTER SYSTEM SET " + id + " = " + String.join(", ", lits);
        }
        return "ALTER SYSTEM SET " + id + " = " + literal(value);
    }

    /** An escape-string literal: valid whatever standard_conforming_strings says. */
    static String literal(String v) {
        return "E'" + v.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Splits "a, \"b c\", d" on commas outside double quotes; quotes are removed. */
    static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                if (q && i + 1 < v.length() && v.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else q = !q;
            } else if (c == ',' && !q) {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    /** What applying did: the statements that ran, whether the reload was sent, which settings now wait for a restart. */
    public record ApplyResult(List<String> applied, boolean reloaded, List<String> pendingRestart) {}

    /**
     * Runs the ALTER SYSTEM statements in order (each is its own transaction: ALTER SYSTEM cannot run in a
     * block), then {@code pg_reload_conf()}. The server validates every value; the first rejected one stops
     * the run with its message and the list of those already written.
     */
    public ApplyResult apply(List<PlannedChange> plan, boolean reload) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection c = session.borrow()) {
            c.setAutoCommit(true);
            for (PlannedChange p : plan) {
                try (Statement st = c.createStatement()) {
                    st.execute(p.sql());
                } catch (PSQLException e) {
                    String msg = e.getServerErrorMessage() != null ? e.getServerErrorMessage().getMessage() : e.getMessage();
                    throw new ConsoleException("The server rejected " + p.setting().name() + " = " + p.newValue() + ": " + msg
                            + (done.isEmpty() ? "" : " (already written to postgresql.auto.conf: " + String.join("; ", done) + ")"), e);
                }
                done.add(p.sql());
            }
            boolean reloaded = false;
            if (reload && !done.isEmpty()) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_reload_conf()")) {
                    rs.next();
                    reloaded = rs.getBoolean(1);
                }
            }
            return new ApplyResult(done, reloaded, pendingRestartNames(c));
        }
    }

    /** Sends SIGHUP through the server: {@code pg_reload_conf()}. */
    public boolean reload() throws SQLException {
        try (Connection c = session.borrow(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_reload_conf()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static List<String> pendingRestartNames(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM pg_settings WHERE pending_restart ORDER BY name")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    /** The settings waiting for a restart, read on a fresh connection (a reload reaches backends asynchronously). */
    public List<String> pendingRestart() throws SQLException {
        try (Connection c = session.borrow()) {
            return pendingRestartNames(c);
        }
    }

    /** postgresql.conf and its includes, when the server runs on this host and the files are readable. */
    public static List<ConfigFiles.ConfigFile> files(Snapshot s) {
        if (s.configFile() == null) {
            throw new ConsoleException("The server does not show config_file to this role (needs superuser or pg_read_all_settings).");
        }
        Path conf = Path.of(s.configFile());
        if (!Files.exists(conf)) {
            throw new ConsoleException("The configuration file " + conf + " is not on this host (the server runs elsewhere).");
        }
        return ConfigFiles.read(conf, s.dataDirectory() == null ? null : Path.of(s.dataDirectory()));
    }

    /** Warnings about the logging settings (log_filename patterns whose names repeat…). */
    public static List<String> loggingWarnings(Snapshot s) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String n : List.of("log_filename", "log_rotation_size", "log_rotation_age", "log_truncate_on_rotation", "logging_collector")) {
            s.get(n).ifPresent(x -> v.put(n, x.setting()));
        }
        if (!"on".equals(v.get("logging_collector"))) return List.of();
        return LogFilenameCheck.warnings(v.getOrDefault("log_filename", ""), parseLong(v.get("log_rotation_size")),
                parseLong(v.get("log_rotation_age")), "on".equals(v.get("log_truncate_on_rotation")));
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
