package io.msyspg.console.core.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the server log of a data directory to show its tail when a start or stop fails: the file named in
 * {@code current_logfiles} (written by the logging collector), else the newest file of {@code log_directory}
 * (read from {@code postgresql.auto.conf} and {@code postgresql.conf}, default {@code log}), else the
 * {@code pg_ctl -l} file.
 */
public final class ServerLogs {
    private ServerLogs() {}

    /**
     * The log file written last among: the file named in current_logfiles (left behind after a stop), the
     * newest file of log_directory, and the pg_ctl -l file (where a start that fails before the logging
     * collector runs writes its error).
     */
    public static Optional<Path> currentLogFile(Path dataDir, Path pgCtlLog) {
        List<Path> candidates = new ArrayList<>();
        Path cl = dataDir.resolve("current_logfiles");
        try {
            if (Files.isReadable(cl)) {
                for (String line : Files.readAllLines(cl)) {
                    String[] parts = line.trim().split(" ", 2);
                    if (parts.length == 2) {
                        Path p = dataDir.resolve(parts[1]);
                        if (Files.isReadable(p)) candidates.add(p);
                    }
                }
            }
        } catch (IOException ignored) {
            // fall through to the directory scan
        }
        Path dir = dataDir.resolve(ConfigFiles.simpleSetting(dataDir, "log_directory").orElse("log"));
        newestFile(dir).ifPresent(candidates::add);
        if (pgCtlLog != null && Files.isReadable(pgCtlLog)) candidates.add(pgCtlLog);
        Path best = null;
        for (Path p : candidates) {
            if (best == null || modified(p).compareTo(modified(best)) > 0) best = p;
        }
        return Optional.ofNullable(best);
    }

    static Optional<Path> newestFile(Path dir) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        Path best = null;
        FileTime bestTime = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p)) continue;
                FileTime t = modified(p);
                if (bestTime == null || t.compareTo(bestTime) > 0) {
                    best = p;
                    bestTime = t;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(best);
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** The last {@code n} complete lines of {@code file} (reads at most the last 256 kB). */
    public static List<String> tail(Path file, int n) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int chunk = (int) Math.min(len, 256 * 1024);
            byte[] buf = new byte[chunk];
            raf.seek(len - chunk);
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
            if (chunk < len && !lines.isEmpty()) lines.remove(0);   // partial first line
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
