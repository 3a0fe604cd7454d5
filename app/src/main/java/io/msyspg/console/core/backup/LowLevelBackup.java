package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The low-level file-system backup of a server on this host, done right: {@code pg_backup_start(label, fast)} (15+)
 * or {@code pg_start_backup(label, fast, false)} (non-exclusive, before 15) and the matching stop on ONE session kept
 * alive (no statement or idle timeouts, {@code SELECT 1} every 20 s); a copy of the data directory without
 * {@code pg_wal/} contents, {@code postmaster.pid}, {@code postmaster.opts} and the other directories the
 * documentation says to omit; the returned {@code labelfile}/{@code spcmapfile} written as {@code backup_label} /
 * {@code tablespace_map} INTO THE BACKUP, never into the data directory. Without WAL archiving the copy is not
 * consistent on its own: the server's NOTICE saying so is reported as it came.
 */
public final class LowLevelBackup {
    private static final Logger log = LoggerFactory.getLogger(LowLevelBackup.class);
    /** Top-level entries not copied (contents) or skipped (files), per "Making a base backup using the low level API". */
    static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map", "backup_label.old", "tablespace_map.old");

    public record Result(Path path, long bytes, Duration duration, String stopLsn, List<String> notices, int vanishedFiles) {}

    /** The data directory as the server reports it, when it is readable from this host; else a reason. */
    public static Path dataDirectory(DbSession session) throws SQLException {
        String dir;
        try (Connection c = session.borrow(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            dir = rs.getString(1);
        } catch (SQLException e) {
            throw new ConsoleException("The server does not show its data directory to this role (needs superuser or pg_read_all_settings): " + e.getMessage(), e);
        }
        Path p = Path.of(dir);
        if (!Files.isRegularFile(p.resolve("PG_VERSION")) || !Files.isReadable(p.resolve("PG_VERSION"))) {
            throw new ConsoleException("The data directory " + dir + " of " + session.target().host() + ":" + session.target().port()
                    + " is not readable here: the low-level backup only works for a server on this host (use pg_basebackup otherwise).");
        }
        return p;
    }

    public Result run(DbSession session, Path output, boolean fast, JobContext ctx, Consumer<String> out) throws Exception {
        long t0 = System.nanoTime();
        Path data = dataDirectory(session);
        Path out0 = output.toAbsolutePath().normalize();
        if (Files.exists(out0)) throw new ConsoleException(out0 + " already exists; choose another name.");
        Path partial = BackupService.partialOf(out0);
        Bytes.deleteTree(partial);
        long total = Math.max(1, Bytes.sizeOf(data) - Bytes.sizeOf(data.resolve("pg_wal")));
        boolean v15 = session.serverVersion().major() >= 15;
        String label = "msyspg-console " + java.time.Instant.now();
        List<String> notices = new ArrayList<>();
        Connection c = session.borrow();
        Thread keepAlive = null;
        boolean started = false;
        try (Statement s = c.createStatement()) {
            ctx.onCancel(() -> {
                try {
                    s.cancel();
                } catch (SQLException ignored) {
                    // nothing running
                }
            });
            s.execute("SET statement_timeout = 0");
            s.execute("SET idle_in_transaction_session_timeout = 0");
            if (session.serverVersion().major() >= 14) s.execute("SET idle_session_timeout = 0");
            try (PreparedStatement ps = c.prepareStatement(v15 ? "SELECT pg_backup_start(?, ?)" : "SELECT pg_start_backup(?, ?, false)")) {
                ps.setString(1, label);
                ps.setBoolean(2, fast);
                ctx.message((v15 ? "pg_backup_start" : "pg_start_backup") + " (checkpoint " + (fast ? "fast" : "spread") + ")");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.accept("msyspg-console: backup started at WAL " + rs.getString(1) + " (label '" + label + "')");
                }
            }
            started = true;
            Connection kc = c;
            keepAlive = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(20_000);
                        synchronized (kc) {
                            try (Statement ks = kc.createStatement()) {
                                ks.execute("SELECT 1");
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (SQLException e) {
                        log.warn("keep-alive on the backup session failed: {}", e.getMessage());
                    }
                }
            }, "backup-keepalive");
            keepAlive.setDaemon(true);
            keepAlive.start();
            int vanished = copy(data, partial, total, ctx, out);
            keepAlive.interrupt();
            keepAlive.join(2000);
            ctx.message(v15 ? "pg_backup_stop" : "pg_stop_backup");
            String lsn;
            synchronized (c) {
                try (ResultSet rs = s.executeQuery(v15 ? "SELECT lsn, labelfile, spcmapfile FROM pg_backup_stop(true)"
                        : "SELECT lsn, labelfile, spcmapfile FROM pg_stop_backup(false, true)")) {
                    rs.next();
                    lsn = rs.getString(1);
                    Files.writeString(partial.resolve("backup_label"), rs.getString(2));
                    String map = rs.getString(3);
                    if (map != null && !map.isEmpty()) Files.writeString(partial.resolve("tablespace_map"), map);
                }
                started = false;
                for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                    notices.add(w.getMessage());
                    out.accept("server NOTICE: " + w.getMessage());
                }
            }
            Files.move(partial, out0, StandardCopyOption.ATOMIC_MOVE);
            ctx.progress(1000, 1000);
            return new Result(out0, Bytes.sizeOf(out0), Duration.ofNanos(System.nanoTime() - t0), lsn, List.copyOf(notices), vanished);
        } catch (Exception e) {
            Bytes.deleteTree(partial);
            if (e instanceof SQLException && ctx.isCancelled()) throw new JobCancelledException();
            throw e;
        } finally {
            if (keepAlive != null) keepAlive.interrupt();
            if (started) {
                // leave backup mode on the same session; closing it would end a non-exclusive backup too
                try (Statement s = c.createStatement()) {
                    s.execute(v15 ? "SELECT pg_backup_stop(false)" : "SELECT pg_stop_backup(false, false)");
                } catch (SQLException ignored) {
                    // the session is gone: the server ended the backup with it
                }
            }
            c.close();
        }
    }

    private static int copy(Path data, Path target, long total, JobContext ctx, Consumer<String> out) throws IOException {
        AtomicLong copied = new AtomicLong();
        int[] vanished = {0};
        long t0 = System.nanoTime();
        Files.createDirectories(target);
        Files.walkFileTree(data, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                ctx.checkCancelled();
                Path rel = data.relativize(dir);
                Path dest = target.resolve(rel.toString());
                Files.createDirectories(dest);
                if (rel.getNameCount() == 1 && EMPTY_DIRS.contains(rel.toString())) {
                    if (rel.toString().equals("pg_wal")) Files.createDirectories(dest.resolve("archive_status"));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.getFileName() != null && dir.getFileName().toString().equals("pgsql_tmp")) return FileVisitResult.SKIP_SUBTREE;
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                ctx.checkCancelled();
                Path rel = data.relativize(file);
                if (rel.getNameCount() == 1 && SKIPPED_FILES.contains(rel.toString())) return FileVisitResult.CONTINUE;
                Path dest = target.resolve(rel.toString());
                try {
                    if (Files.isSymbolicLink(file)) {
                        Files.createSymbolicLink(dest, Files.readSymbolicLink(file));   // pg_tblspc links
                        out.accept("msyspg-console: tablespace link " + rel + " -> " + Files.readSymbolicLink(file) + " copied as a link (copy the tablespace too)");
                    } else {
                        Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                        long done = copied.addAndGet(attrs.size());
                        double f = Math.min(0.99, done / (double) total);
                        ctx.progress(f * 1000, 1000);
                        double el = (System.nanoTime() - t0) / 1e9;
                        ctx.message("copying " + Bytes.human(done) + " of " + Bytes.human(total) + " · "
                                + DumpProgress.formatEta(f < 0.02 ? -1 : Math.round(el * (1 - f) / f)));
                    }
                } catch (NoSuchFileException gone) {
                    vanished[0]++;   // dropped while copying: normal for an online copy, WAL replay takes care of it
                }
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    vanished[0]++;
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
        return vanished[0];
    }
}
