package io.msyspg.console.core.server;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The contents of {@code postmaster.pid} in a data directory. Its lines are: the postmaster's PID, the data
 * directory, the start time (Unix epoch seconds), the port, the first Unix-socket directory (empty when
 * none), the first listen address ({@code *}, an address, or empty), the shared-memory key and segment id,
 * and (9.6+) the status ({@code starting}, {@code ready}, {@code stopping}, {@code standby}). A file written
 * half-way through start-up may have fewer lines: what is missing is null.
 */
public record PostmasterPid(long pid, Path dataDir, Instant startTime, Integer port, String socketDir,
                            String listenAddress, String shmemKey, String status) {

    public static final String FILE = "postmaster.pid";

    /** The file of {@code dataDir}, or empty when there is none (the server is stopped cleanly). */
    public static Optional<PostmasterPid> read(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConsoleException("Cannot read " + f + ": permission denied (run as root or as the data directory's owner).", e);
        } catch (IOException e) {
            throw new ConsoleException("Cannot read " + f + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(lines, f));
    }

    static PostmasterPid parse(List<String> lines, Path file) {
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new ConsoleException(file + " is empty: the server is starting or crashed while writing it.");
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            throw new ConsoleException(file + " line 1 is not a process id: '" + lines.get(0).trim() + "'");
        }
        Path dir = lines.size() > 1 && !lines.get(1).isBlank() ? Path.of(lines.get(1).trim()) : null;
        Instant start = null;
        if (lines.size() > 2) {
            try {
                start = Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()));
            } catch (NumberFormatException ignored) {
                // an old or partly written file: no start time
            }
        }
        Integer port = null;
        if (lines.size() > 3) {
            try {
                port = Integer.parseInt(lines.get(3).trim());
            } catch (NumberFormatException ignored) {
                // as above
            }
        }
        return new PostmasterPid(pid, dir, start,
                port,
                line(lines, 4), line(lines, 5), line(lines, 6), line(lines, 7));
    }

    private static String line(List<String> lines, int i) {
        if (lines.size() <= i) return null;
        String s = lines.get(i).trim();
        return s.isEmpty() ? null : s;
    }
}
