package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Momentum's database credentials file ({@code /opt/msys/3rdParty/etc/php.d/ecdb.ini}; its format is
 * not public) leniently: PHP-ini style {@code [sections]}, {@code key = value} with single or double quotes,
 * {@code ;} and {@code #} comments; a {@code pgsql:host=…;port=…;dbname=…;user=…;password=…} DSN value, also in
 * {@code ecdb.conf}'s {@code uri = ("pgsql:…")} form, or a {@code postgresql://} URI; or separate host/port/
 * dbname/user/password keys. Whatever is missing takes Momentum's defaults, and {@link Result#notes} says so.
 * A line that is none of these (or a binary file) is an error naming the file and the line.
 */
public final class EcdbIni {
    public static final Path DEFAULT_FILE = Path.of("/opt/msys/3rdParty/etc/php.d/ecdb.ini");
    public static final String MOMENTUM_DB = "ecelerity";
    public static final int MOMENTUM_PORT = 5432;
    public static final String MOMENTUM_APP_USER = "ecuser";
    public static final String MOMENTUM_SUPERUSER = "msyspg";
    public static final String MOMENTUM_TOOLS = "/opt/msys/3rdParty/bin";
    public static final String MOMENTUM_DATA = "/var/db/msyspg";
    public static final String MOMENTUM_SERVICE = "/etc/init.d/msyspg";

    private static final Set<String> HOST_KEYS = Set.of("host", "hostname", "server", "dbhost", "db_host", "pghost");
    private static final Set<String> PORT_KEYS = Set.of("port", "dbport", "db_port", "pgport");
    private static final Set<String> DB_KEYS = Set.of("dbname", "database", "db", "db_name", "name", "pgdatabase");
    private static final Set<String> USER_KEYS = Set.of("user", "username", "dbuser", "db_user", "login", "uid", "pguser");
    private static final Set<String> PASSWORD_KEYS = Set.of("password", "pass", "passwd", "pwd", "dbpass", "db_pass", "db_password", "pgpassword");

    /** One {@code key = value} as read (section may be empty). */
    public record Setting(String section, String key, String value, int line) {}

    /**
     * What was found: the settings (for review), the resulting profiles (the app user's, and the superuser's
     * for a server on this host), the password (null when none; the caller stores it and clears it), notes.
     */
    public record Result(Path file, List<Setting> settings, List<ConnectionProfile> profiles, char[] password,
                         String passwordFoundAt, List<String> notes) {
        /** A review text safe to print or show: the password is never included. */
        public String describe() {
            StringBuilder sb = new StringBuilder("Read " + file + ":\n");
            for (ConnectionProfile p : profiles) {
                sb.append("  profile '").append(p.name).append("': ").append(p.user).append('@').append(p.host).append(':')
                        .append(p.port).append('/').append(p.database);
                if (p.dataDir != null) sb.append(", data ").append(p.dataDir);
                if (p.serviceCommand != null) sb.append(", service ").append(p.serviceCommand);
                if (p.toolsDir != null) sb.append(", tools ").append(p.toolsDir);
                sb.append('\n');
            }
            sb.append("  password: ").append(password == null ? "none in the file" : "found (" + passwordFoundAt + "), will be stored encrypted").append('\n');
            for (String n : notes) sb.append("  note: ").append(n).append('\n');
            return sb.toString();
        }

        public void clear() {
            if (password != null) Arrays.fill(password, '\0');
        }
    }

    private EcdbIni() {}

    public static Result read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConsoleException("Momentum credentials file " + file + " does not exist.");
        } catch (IOException e) {
            throw new ConsoleException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(file, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static Result parse(Path file, byte[] bytes) {
        String text = decode(file, bytes);
        List<Setting> settings = new ArrayList<>();
        String section = "";
        int lineNo = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            lineNo++;
            String line = raw.strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1).strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) throw syntax(file, lineNo, "a section header must end with ']'");
                section = line.substring(1, close).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) throw syntax(file, lineNo, "expected 'key = value', a [section] or a comment");
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z0-9_.\\-\\[\\]]+")) throw syntax(file, lineNo, "'" + key + "' is not a valid key");
            String value = value(file, lineNo, line.substring(eq + 1).strip());
            settings.add(new Setting(section, key, value, lineNo));
        }
        return interpret(file, settings);
    }

    private static String decode(Path file, byte[] bytes) {
        if (bytes.length > 1_000_000) throw new ConsoleException(file + " is too large (" + bytes.length + " bytes) to be a credentials file.");
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) throw new ConsoleException(file + " is not a text file (binary data at line " + lineOf(bytes, i) + ").");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int bad = text.indexOf('\uFFFD');
        if (bad >= 0) {
            int line = 1;
            for (int i = 0; i < bad; i++) if (text.charAt(i) == '\n') line++;
            throw new ConsoleException(file + " is not a text file (invalid UTF-8 at line " + line + ").");
        }
        return text;
    }

    private static int lineOf(byte[] b, int index) {
        int line = 1;
        for (int i = 0; i < index && i < b.length; i++) if (b[i] == '\n') line++;
        return line;
    }

    private static ConsoleException syntax(Path file, int line, String what) {
        return new ConsoleException("Cannot read " + file + ", line " + line + ": " + what + ".");
    }

    /** A value: quoted ("…" with backslash escapes, '…' literal), ( "…" ) list form, or bare (';'/'#' comment after a space). */
    private static String value(Path file, int line, String v) {
        if (v.startsWith("(")) {
            int close = v.lastIndexOf(')');
            if (close < 0) throw syntax(file, line, "missing ')' after '('");
            String inner = v.substring(1, close).strip();
            if (inner.isEmpty()) return "";
            // a list: take the first element
            if (inner.startsWith("\"") || inner.startsWith("'")) return quoted(file, line, inner);
            int comma = inner.indexOf(',');
            return (comma < 0 ? inner : inner.substring(0, comma)).strip();
        }
        if (v.startsWith("\"") || v.startsWith("'")) return quoted(file, line, v);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c == ';' || c == '#') && i > 0 && Character.isWhitespace(v.charAt(i - 1))) return v.substring(0, i).strip();
        }
        return v;
    }

    private static String quoted(Path file, int line, String v) {
        char q = v.charAt(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (q == '"' && c == '\\' && i + 1 < v.length()) {
                sb.append(v.charAt(++i));
            } else if (c == q) {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
        throw syntax(file, line, "unterminated " + (q == '"' ? "double" : "single") + " quote");
    }

    private static Result interpret(Path file, List<Setting> settings) {
        Map<String, String> found = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        char[] password = null;
        String pwWhere = null;
        // DSN values first
        for (Setting s : settings) {
            String v = s.value().strip();
            Map<String, String> dsn = null;
            if (v.regionMatches(true, 0, "pgsql:", 0, 6)) dsn = parseDsn(file, s.line(), v.substring(6));
            else if (v.startsWith("postgresql://") || v.startsWith("postgres://")) dsn = parseUri(file, s.line(), v);
            if (dsn == null) continue;
            for (var e : dsn.entrySet()) {
                String k = canonical(e.getKey());
                if (k == null) continue;
                if ("password".equals(k)) {
                    if (password == null) {
                        password = e.getValue().toCharArray();
                        pwWhere = "line " + s.line();
                    }
                } else if (!found.containsKey(k)) {
                    found.put(k, e.getValue());
                    where.put(k, "line " + s.line() + " (DSN)");
                }
            }
        }
        for (Setting s : settings) {
            String k = canonical(s.key());
            if (k == null || s.value().isEmpty()) continue;
            if ("password".equals(k)) {
                if (password == null) {
                    password = s.value().toCharArray();
                    pwWhere = "line " + s.line();
                }
            } else if (!found.containsKey(k)) {
                found.put(k, s.value());
                where.put(k, "line " + s.line());
            }
        }
        if (found.isEmpty() && password == null) {
            throw new ConsoleException("No database settings found in " + file + " (looked for a pgsql: DSN, a postgresql:// URI, "
                    + "or host, port, dbname, user and password keys; " + settings.size() + " other setting(s) present).");
        }
        List<String> notes = new ArrayList<>();
        for (var e : where.entrySet()) notes.add(e.getKey() + " from " + e.getValue());
        String host = orDefault(found, "host", "localhost", notes);
        int port;
        String portText = orDefault(found, "port", Integer.toString(MOMENTUM_PORT), notes);
        try {
            port = Integer.parseInt(portText.strip());
            if (port < 1 || port > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new ConsoleException("Cannot read " + file + ", " + where.getOrDefault("port", "") + ": port '" + portText + "' is not a port number.");
        }
        String db = orDefault(found, "dbname", MOMENTUM_DB, notes);
        String user = orDefault(found, "user", MOMENTUM_APP_USER, notes);
        if (password == null) notes.add("no password in the file: the connection will use ~/.pgpass, local trust or ask");

        boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.startsWith("/");
        List<ConnectionProfile> profiles = new ArrayList<>();
        ConnectionProfile app = ConnectionProfile.of("Momentum " + user + "@" + host, host, port, db, user);
        app.toolsDir = MOMENTUM_TOOLS;
        if (local) {
            app.dataDir = MOMENTUM_DATA;
            app.serviceCommand = MOMENTUM_SERVICE;
        }
        app.passwordStorage = password == null ? ConnectionProfile.PasswordStorage.NONE : ConnectionProfile.PasswordStorage.ENCRYPTED_FILE;
        profiles.add(app);
        if (local && !MOMENTUM_SUPERUSER.equals(user)) {
            ConnectionProfile su = ConnectionProfile.of("Momentum " + MOMENTUM_SUPERUSER + "@" + host, host, port, db, MOMENTUM_SUPERUSER);
            su.toolsDir = MOMENTUM_TOOLS;
            su.dataDir = MOMENTUM_DATA;
            su.serviceCommand = MOMENTUM_SERVICE;
            su.passwordStorage = ConnectionProfile.PasswordStorage.NONE;
            profiles.add(su);
            notes.add("superuser profile '" + su.name + "' added (Momentum: no password from localhost; dumps and restores run as it)");
        }
        return new Result(file, List.copyOf(settings), profiles, password, pwWhere, notes);
    }

    private static String orDefault(Map<String, String> found, String key, String def, List<String> notes) {
        String v = found.get(key);
        if (v != null && !v.isBlank()) return v.strip();
        notes.add(key + " not in the file: Momentum default '" + def + "'");
        return def;
    }

    private static String canonical(String rawKey) {
        String k = rawKey.toLowerCase(Locale.ROOT);
        int dot = k.lastIndexOf('.');
        if (dot >= 0) k = k.substring(dot + 1);
        if (HOST_KEYS.contains(k)) return "host";
        if (PORT_KEYS.contains(k)) return "port";
        if (DB_KEYS.contains(k)) return "dbname";
        if (USER_KEYS.contains(k)) return "user";
        if (PASSWORD_KEYS.contains(k)) return "password";
        return null;
    }

    static Map<String, String> parseDsn(Path file, int line, String body) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String part : body.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 && last != null && canonical(last) != null && canonical(last).equals("password")) {
                out.put(last, out.get(last) + ";" + part);   // a password with ';' in it (the last key wins the rest)
                continue;
            }
            if (eq <= 0) throw syntax(file, line, "DSN part '" + (p.length() > 20 ? p.substring(0, 20) + "…" : p) + "' is not key=value");
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) v = v.substring(1, v.length() - 1);
            last = p.substring(0, eq).strip();
            out.put(last, v);
        }
        return out;
    }

    static Map<String, String> parseUri(Path file, int line, String uri) {
        try {
            URI u = URI.create(uri.replaceFirst("^postgres(ql)?://", "http://"));
            Map<String, String> out = new LinkedHashMap<>();
            if (u.getHost() != null) out.put("host", u.getHost());
            if (u.getPort() > 0) out.put("port", Integer.toString(u.getPort()));
            if (u.getPath() != null && u.getPath().length() > 1) out.put("dbname", u.getPath().substring(1));
            String info = u.getRawUserInfo();
            if (info != null) {
                int c = info.indexOf(':');
                out.put("user", URLDecoder.decode(c < 0 ? info : info.substring(0, c), StandardCharsets.UTF_8));
                if (c >= 0) out.put("password", URLDecoder.decode(info.substring(c + 1), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw syntax(file, line, "not a valid postgresql:// URI");
        }
    }
}
