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

    public static Optional<Path> currentLogFile(Path dataDir, Path pgCtlLog) {
        Path cl = dataDir.resolve("current_logfiles");
        try {
            if (Files.isReadable(cl)) {
                for (String line : Files.readAllLines(cl)) {
                    String[] parts = line.trim().split(" ", 2);
                    if (parts.length == 2 && parts[0].equals("stderr")) {
                        Path p = dataDir.resolve(parts[1]);
                        if (Files.isReadable(p)) return Optional.of(p);
                    }
                }
                for (String line : Files.readAllLines(cl)) {
                    String[] parts = line.trim().split(" ", 2);
                    if (parts.length == 2) {
                        Path p = dataDir.resolve(parts[1]);
                        if (Files.isReadable(p)) return Optional.of(p);
                    }
                }
            }
        } catch (IOException ignored) {
            // fall through to the directory scan
        }
        Path dir = dataDir.resolve(ConfigFiles.simpleSetting(dataDir, "log_directory").orElse("log"));
        Optional<Path> newest = newestFile(dir);
        Optional<Path> pgctl = pgCtlLog != null && Files.isReadable(pgCtlLog) ? Optional.of(pgCtlLog) : Optional.empty();
        if (newest.isPresent() && pgctl.isPresent()) {
            return Optional.of(modified(pgctl.get()).compareTo(modified(newest.get())) > 0 ? pgctl.get() : newest.get());
        }
        return newest.isPresent() ? newest : pgctl;
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
