package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * How a child process (pg_dump, psql…) gets the password: never on its command line, never in
 * {@code PGPASSWORD}; a temporary password file (0600, created owner-only before anything is written,
 * deleted on close) named by {@code PGPASSFILE} in the child's environment only.
 */
public final class ChildPgPass implements AutoCloseable {
    private final Path file;

    private ChildPgPass(Path file) {
        this.file = file;
    }

    /** A file for {@code target} (any database: dumps of all databases use it too) with {@code password}. */
    public static ChildPgPass create(Path dir, ConnectionTarget target, char[] password) {
        try {
            Files.createDirectories(dir);
            Path f;
            try {
                f = Files.createTempFile(dir, "pgpass-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                f = Files.createTempFile(dir, "pgpass-", ".tmp");
            }
            FilePermissions.ownerOnly(f);
            String host = target.isUnixSocket() ? "localhost" : target.host();
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                w.write(escape(host) + ":" + target.port() + ":*:" + escape(target.user()) + ":");
                for (char c : password) {
                    if (c == ':' || c == '\\') w.write('\\');
                    w.write(c);
                }
                w.write('\n');
            }
            return new ChildPgPass(f);
        } catch (IOException e) {
            throw new ConsoleException("Could not create a temporary password file in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    public Path file() { return file; }

    /** Put into the child's environment (and nothing else about the password). */
    public Map<String, String> env() {
        return Map.of("PGPASSFILE", file.toString());
    }

    @Override public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            file.toFile().deleteOnExit();
        }
    }
}
