package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.FilePermissions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libpq's password file ({@code PGPASSFILE}, else {@code ~/.pgpass}) with libpq's rules: lines
 * {@code host:port:database:user:password}, {@code *} matches anything in the first four fields,
 * {@code \:} and {@code \\} escape, {@code #} starts a comment line, the first matching line wins. Unix-socket
 * connections match the host {@code localhost}. A file that group or others may access, or that is not a
 * regular file, is ignored with a warning, as libpq does.
 */
public final class PgPassFile {
    /** One parsed line (the password as chars, cleared by {@link #clear()}). */
    public record Entry(String host, String port, String database, String user, char[] password, int line) {}

    private final Path file;
    private final List<Entry> entries;
    private final List<String> warnings;

    private PgPassFile(Path file, List<Entry> entries, List<String> warnings) {
        this.file = file;
        this.entries = entries;
        this.warnings = warnings;
    }

    /** The file libpq would read: {@code PGPASSFILE} when set, else {@code ~/.pgpass}. */
    public static Path locate(Map<String, String> env, Path home) {
        String f = env.get("PGPASSFILE");
        return f != null && !f.isBlank() ? Path.of(f) : home.resolve(".pgpass");
    }

    public static PgPassFile load(Map<String, String> env, Path home) {
        return read(locate(env, home));
    }

    /** Reads a file (missing: no entries, no warning; unsafe permissions: no entries and a warning). */
    public static PgPassFile read(Path file) {
        List<String> warnings = new ArrayList<>();
        if (!Files.exists(file)) return new PgPassFile(file, List.of(), warnings);
        try {
            if (!Files.isRegularFile(file)) {
                warnings.add("Password file " + file + " is not a plain file and is ignored (as libpq does).");
                return new PgPassFile(file, List.of(), warnings);
            }
            if (FilePermissions.groupOrWorldAccessible(file)) {
                warnings.add("Password file " + file + " has group or world access and is ignored, as libpq does; "
                        + "permissions should be u=rw (chmod 0600 " + file + ").");
                return new PgPassFile(file, List.of(), warnings);
            }
            byte[] bytes = Files.readAllBytes(file);
            List<Entry> entries = parse(new String(bytes, StandardCharsets.UTF_8));
            Arrays.fill(bytes, (byte) 0);
            return new PgPassFile(file, entries, warnings);
        } catch (IOException e) {
            warnings.add("Password file " + file + " cannot be read (" + e.getMessage() + ") and is ignored.");
            return new PgPassFile(file, List.of(), warnings);
        }
    }

    static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<StringBuilder> fields = new ArrayList<>();
            fields.add(new StringBuilder());
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    fields.get(fields.size() - 1).append(line.charAt(++i));
                } else if (c == ':' && fields.size() < 5) {
                    fields.add(new StringBuilder());
                } else {
                    fields.get(fields.size() - 1).append(c);
                }
            }
            if (fields.size() < 5) continue;  // libpq skips lines with fewer than five fields
            StringBuilder pw = fields.get(4);
            char[] password = new char[pw.length()];
            pw.getChars(0, pw.length(), password, 0);
            pw.setLength(0);
            out.add(new Entry(fields.get(0).toString(), fields.get(1).toString(), fields.get(2).toString(),
                    fields.get(3).toString(), password, lineNo));
        }
        return out;
    }

    public Path file() { return file; }

    public List<String> warnings() { return List.copyOf(warnings); }

    public int size() { return entries.size(); }

    /** The first matching entry's password (a copy), as libpq looks it up. */
    public Optional<char[]> lookup(String host, int port, String database, String user) {
        String h = host == null || host.isBlank() || host.startsWith("/") ? "localhost" : host;
        String p = Integer.toString(port <= 0 ? 5432 : port);
        for (Entry e : entries) {
            if (matches(e.host(), h) && matches(e.port(), p) && matches(e.database(), database) && matches(e.user(), user)) {
                return Optional.of(e.password().clone());
            }
        }
        return Optional.empty();
    }

    public Optional<char[]> lookup(ConnectionTarget t) {
        return lookup(t.host(), t.port(), t.database(), t.user());
    }

    private static boolean matches(String pattern, String value) {
        return "*".equals(pattern) || pattern.equals(value == null ? "" : value);
    }

    public void clear() {
        for (Entry e : entries) Arrays.fill(e.password(), '\0');
    }
}
