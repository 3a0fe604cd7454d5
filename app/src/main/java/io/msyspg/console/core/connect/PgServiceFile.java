package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * libpq's connection service file, parsed by the console (pgjdbc's own {@code ?service=} support rejects a
 * whole entry that has a key it does not know, such as {@code gssencmode}). Lookup as libpq does: the user's
 * file ({@code PGSERVICEFILE}, else {@code ~/.pg_service.conf}) first, then
 * {@code PGSYSCONFDIR/pg_service.conf}; the first file that has the section wins. Format: {@code [name]}
 * sections, {@code key=value} lines, {@code #} comments. A line without '=' is an error naming file and line.
 */
public final class PgServiceFile {
    /** The keys the console uses; every other libpq key is accepted and reported as not used. */
    public static final Set<String> USED = Set.of("host", "hostaddr", "port", "dbname", "user", "password",
            "sslmode", "sslrootcert", "application_name", "fallback_application_name", "connect_timeout");

    /** One service: its keys as written, and where it came from. */
    public record Service(String name, Map<String, String> values, Path file, int line) {
        public Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
        }

        /** Keys present that the console does not use (libpq-only options such as gssencmode). */
        public List<String> unusedKeys() {
            return values.keySet().stream().filter(k -> !USED.contains(k)).toList();
        }

        public String host() {
            return get("host").or(() -> get("hostaddr")).orElse(null);
        }

        public Integer port() {
            return get("port").map(p -> {
                try {
                    return Integer.parseInt(p.trim());
                } catch (NumberFormatException e) {
                    throw new ConsoleException("Service '" + name + "' in " + file + " has an invalid port '" + p + "'.");
                }
            }).orElse(null);
        }
    }

    private final Path file;
    private final Map<String, Service> services;

    private PgServiceFile(Path file, Map<String, Service> services) {
        this.file = file;
        this.services = services;
    }

    public Path file() { return file; }

    public Map<String, Service> services() { return services; }

    public static PgServiceFile parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConsoleException("Service file " + file + " is not a text file (invalid UTF-8).");
        } catch (IOException e) {
            throw new ConsoleException("Service file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, Service> out = new LinkedHashMap<>();
        String current = null;
        Map<String, String> values = null;
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConsoleException("Syntax error in service file " + file + ", line " + lineNo + ": a section must look like [name].");
                }
                current = line.substring(1, line.length() - 1).strip();
                values = new LinkedHashMap<>();
                if (!out.containsKey(current)) out.put(current, new Service(current, values, file, lineNo));
                else values = out.get(current).values();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConsoleException("Syntax error in service file " + file + ", line " + lineNo + ": expected key=value.");
            }
            if (values == null) continue;  // keys before the first section are ignored, as libpq does
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if ("service".equals(key)) {
                throw new ConsoleException("Service file " + file + ", line " + lineNo + ": nested service specifications are not supported.");
            }
            values.putIfAbsent(key, value);
        }
        return new PgServiceFile(file, out);
    }

    /** The files searched, in order: the user's file, then the system one. */
    public static List<Path> locate(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        String user = env.get("PGSERVICEFILE");
        files.add(user != null && !user.isBlank() ? Path.of(user) : home.resolve(".pg_service.conf"));
        String sys = env.get("PGSYSCONFDIR");
        files.add(sys != null && !sys.isBlank() ? Path.of(sys).resolve("pg_service.conf") : Path.of("/etc/postgresql-common/pg_service.conf"));
        return files;
    }

    /** Finds a service as libpq does; an error naming the files searched when none has it. */
    public static Service find(String name, Map<String, String> env, Path home) {
        List<Path> files = locate(env, home);
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            Service s = parse(f).services().get(name);
            if (s != null) return s;
        }
        throw new ConsoleException("Definition of service '" + name + "' not found (searched "
                + String.join(", ", files.stream().map(Path::toString).toList()) + ").");
    }
}
