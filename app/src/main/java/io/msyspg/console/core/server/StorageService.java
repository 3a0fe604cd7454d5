package io.msyspg.console.core.server;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures a data directory by component (walks the tree: run it as a background job), the free space and
 * type of its file system, warns about network file systems, and records a size sample in the state
 * directory each time so that a growth trend and the date the disk fills can be computed.
 */
public final class StorageService {
    private static final int MAX_SAMPLES = 5000;
    private final Path mountsFile;
    private final Path historyDir;

    /**
     * @param mountsFile the mount table ({@link MountTable#PROC_MOUNTS}; tests pass a fake one)
     * @param historyDir where samples are kept (the state directory's {@code server} folder)
     */
    public StorageService(Path mountsFile, Path historyDir) {
        this.mountsFile = mountsFile;
        this.historyDir = historyDir;
    }

    public static StorageService standard(AppDirs dirs) {
        return new StorageService(MountTable.PROC_MOUNTS, dirs.state().resolve("server"));
    }

    /**
     * @param logDirectory the server's log_directory (relative to the data directory or absolute), or null for "log"/"pg_log"
     */
    public StorageReport measure(Path dataDir, String logDirectory, JobContext ctx) {
        if (!Files.isDirectory(dataDir)) throw new ConsoleException("The data directory " + dataDir + " does not exist on this host.");
        List<String> warnings = new ArrayList<>();
        String logDir = logDirectory != null ? logDirectory
                : ConfigFiles.simpleSetting(dataDir, "log_directory").orElse(Files.isDirectory(dataDir.resolve("pg_log")) ? "pg_log" : "log");
        Path logPath = dataDir.resolve(logDir).normalize();
        Map<String, Long> comp = new LinkedHashMap<>();
        comp.put("base", 0L);
        comp.put("global", 0L);
        comp.put("pg_wal", 0L);
        comp.put("log (" + logDir + ")", 0L);
        comp.put("tablespaces", 0L);
        comp.put("other", 0L);
        ctx.message("Measuring " + dataDir);
        Path data;
        try {
            data = dataDir.toRealPath();
        } catch (IOException e) {
            throw new ConsoleException("Cannot read the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        comp.merge("base", size(data.resolve("base"), warnings, ctx), Long::sum);
        comp.merge("global", size(data.resolve("global"), warnings, ctx), Long::sum);
        comp.merge("pg_wal", size(follow(data.resolve("pg_wal")), warnings, ctx), Long::sum);
        comp.merge("log (" + logDir + ")", size(follow(logPath), warnings, ctx), Long::sum);
        comp.merge("tablespaces", size(data.resolve("pg_tblspc"), warnings, ctx, true), Long::sum);
        long other = 0;
        try (var ds = Files.newDirectoryStream(data)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.equals("base") || n.equals("global") || n.equals("pg_wal") || n.equals("pg_tblspc")) continue;
                if (data.resolve(logDir).normalize().equals(p.normalize())) continue;
                other += size(p, warnings, ctx);
            }
        } catch (AccessDeniedException e) {
            throw new ConsoleException("Cannot read the data directory " + dataDir + ": permission denied (run as root or as its owner).", e);
        } catch (IOException e) {
            throw new ConsoleException("Cannot read the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        comp.put("other", other);
        long total = comp.values().stream().mapToLong(Long::longValue).sum();

        long fsTotal, fsFree;
        String type;
        try {
            FileStore fs = Files.getFileStore(data);
            fsTotal = fs.getTotalSpace();
            fsFree = fs.getUsableSpace();
            type = fs.type();
        } catch (IOException e) {
            throw new ConsoleException("Cannot read the file system of " + dataDir + ": " + e.getMessage(), e);
        }
        MountTable mt = MountTable.read(mountsFile);
        Optional<MountTable.Mount> mount = mt.mountOf(dataDir);
        String mountPoint = mount.map(m -> m.mountPoint().toString()).orElse(null);
        if (mount.isPresent()) {
            type = mount.get().type();
            if (mount.get().network()) {
                warnings.add(0, "The data directory is on a network file system (" + mount.get().type() + " " + mount.get().device()
                        + " at " + mount.get().mountPoint() + "): PostgreSQL needs reliable fsync and locking; use local storage, "
                        + "or at least a hard mount (never 'soft')" + (mount.get().options().contains("soft") ? " — this mount is SOFT" : "") + ".");
            }
        }
        Instant now = Instant.now();
        StorageReport.Trend trend = recordAndTrend(dataDir, now, total, fsFree);
        return new StorageReport(dataDir, comp, total, fsTotal, fsFree, type, mountPoint, warnings, trend, now);
    }

    private static Path follow(Path p) {
        try {
            return Files.isSymbolicLink(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    private static long size(Path root, List<String> warnings, JobContext ctx) {
        return size(root, warnings, ctx, false);
    }

    /** Bytes under {@code root}; symbolic links are followed only at the first level when {@code followTop} (pg_tblspc). */
    private static long size(Path root, List<String> warnings, JobContext ctx, boolean followTop) {
        if (!Files.exists(root)) return 0;
        long[] total = {0};
        List<Path> roots = new ArrayList<>();
        if (followTop && Files.isDirectory(root)) {
            try (var ds = Files.newDirectoryStream(root)) {
                for (Path p : ds) roots.add(follow(p));
            } catch (IOException e) {
                warnings.add("Cannot list " + root + ": " + e.getMessage());
            }
        } else {
            roots.add(root);
        }
        for (Path r : roots) {
            try {
                Files.walkFileTree(r, new SimpleFileVisitor<>() {
                    int n;
                    @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) total[0] += attrs.size();
                        if (++n % 2000 == 0) ctx.checkCancelled();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        // files vanish while the server runs (temp files, recycled WAL): not an error
                        if (exc instanceof AccessDeniedException) warnings.add("Cannot read " + file + ": permission denied (sizes are incomplete).");
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                warnings.add("Cannot measure " + r + ": " + e.getMessage());
            }
        }
        return total[0];
    }

    // ---------------------------------------------------------------- history

    /** One recorded measurement. */
    public record Sample(Instant at, long dataBytes, long freeBytes) {}

    Path historyFile(Path dataDir) {
        String key = Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        return historyDir.resolve("growth-" + key + ".csv");
    }

    public List<Sample> samples(Path dataDir) {
        Path f = historyFile(dataDir);
        List<Sample> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        try {
            for (String line : Files.readAllLines(f)) {
                String[] p = line.split(",");
                if (p.length < 3 || line.startsWith("#")) continue;
                try {
                    out.add(new Sample(Instant.parse(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])));
                } catch (RuntimeException ignored) {
                    // a damaged line: skip it
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Appends a sample (kept for the trend). */
    public void record(Path dataDir, Sample s) {
        Path f = historyFile(dataDir);
        try {
            AppDirs.ensure(historyDir);
            if (!Files.exists(f)) Files.writeString(f, "# " + dataDir.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8);
            Files.writeString(f, s.at() + "," + s.dataBytes() + "," + s.freeBytes() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            List<Sample> all = samples(dataDir);
            if (all.size() > MAX_SAMPLES) {
                List<String> keep = new ArrayList<>();
                keep.add("# " + dataDir.toAbsolutePath().normalize());
                for (Sample x : all.subList(all.size() - MAX_SAMPLES / 2, all.size())) keep.add(x.at() + "," + x.dataBytes() + "," + x.freeBytes());
                Files.write(f, keep);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the trend is a convenience: a read-only state dir must not fail the measurement
        }
    }

    private StorageReport.Trend recordAndTrend(Path dataDir, Instant now, long total, long free) {
        record(dataDir, new Sample(now, total, free));
        return trend(samples(dataDir), free, now);
    }

    /**
     * Least-squares slope of the data directory size over the samples of the last 90 days; the fill date is
     * today + free space / growth per day.
     */
    public static StorageReport.Trend trend(List<Sample> all, long freeNow, Instant now) {
        List<Sample> s = all.stream().filter(x -> x.at().isAfter(now.minusSeconds(90L * 86400))).toList();
        if (s.size() < 2) return new StorageReport.Trend(s.size(), null, null, "not enough history (" + s.size() + " sample"
                + (s.size() == 1 ? "" : "s") + "; a sample is kept each time storage is measured)");
        double t0 = s.get(0).at().getEpochSecond();
        double n = s.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample x : s) {
            double t = (x.at().getEpochSecond() - t0) / 86400.0;
            sx += t; sy += x.dataBytes(); sxx += t * t; sxy += t * x.dataBytes();
        }
        double den = n * sxx - sx * sx;
        if (den <= 0 || s.get(s.size() - 1).at().getEpochSecond() - s.get(0).at().getEpochSecond() < 60) {
            return new StorageReport.Trend(s.size(), null, null, "not enough history (the samples span less than a minute)");
        }
        double perDay = (n * sxy - sx * sy) / den;
        if (perDay <= 0) return new StorageReport.Trend(s.size(), perDay, null, "not growing");
        double days = freeNow / perDay;
        LocalDate full = days > 365 * 100 ? null : LocalDate.ofInstant(now, ZoneId.systemDefault()).plusDays((long) Math.floor(days));
        return new StorageReport.Trend(s.size(), perDay, full, full == null ? "more than a century of free space" : "");
    }
}
