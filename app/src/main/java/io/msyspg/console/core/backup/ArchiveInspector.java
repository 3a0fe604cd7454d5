package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Recognises an archive (custom 'PGDMP' header, directory with toc.dat, tar, plain SQL, gzip'd plain SQL),
 * reads its header and table of contents with {@code pg_restore -l}, and refuses, before anything is touched,
 * an archive the installed pg_restore cannot read ("unsupported version (1.16) in file header") or whose
 * compression it lacks ("no data will be available").
 */
public final class ArchiveInspector {
    private final PgToolLocator tools;

    public ArchiveInspector(PgToolLocator tools) {
        this.tools = tools;
    }

    public static boolean isGzip(Path f) throws IOException {
        byte[] h = head(f, 2);
        return h.length == 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b;
    }

    private static byte[] head(Path f, int n) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return in.readNBytes(n);
        }
    }

    /** The archive kind from its first bytes (or toc.dat for a directory). */
    public static ArchiveInfo.Kind detect(Path p) throws IOException {
        if (!Files.exists(p)) throw new ConsoleException("The archive " + p + " does not exist.");
        if (Files.isDirectory(p)) {
            Path toc = p.resolve("toc.dat");
            if (!Files.isRegularFile(toc)) throw new ConsoleException(p + " is a folder without toc.dat: not a pg_dump directory archive.");
            return ArchiveInfo.Kind.DIRECTORY;
        }
        byte[] h = head(p, 1024);
        if (h.length >= 5 && new String(h, 0, 5, StandardCharsets.ISO_8859_1).equals("PGDMP")) return ArchiveInfo.Kind.CUSTOM;
        if (h.length >= 517 && new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")
                && new String(h, 512, 5, StandardCharsets.ISO_8859_1).equals("PGDMP")) return ArchiveInfo.Kind.TAR;
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            String text = gunzipHead(p);
            if (text.contains("PostgreSQL database dump")) return ArchiveInfo.Kind.PLAIN_GZIP;
            throw new ConsoleException(p.getFileName() + " is a gzip file, but not of a pg_dump SQL script.");
        }
        String text = new String(h, StandardCharsets.UTF_8);
        if (text.contains("PostgreSQL database dump") || text.startsWith("--") || text.startsWith("SET ")) return ArchiveInfo.Kind.PLAIN;
        if (h.length == 0) throw new ConsoleException(p.getFileName() + " is empty: not a backup.");
        throw new ConsoleException(p.getFileName() + " is not a pg_dump archive (no PGDMP header, not a tar of one, not SQL).");
    }

    private static String gunzipHead(Path p) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The "1.14" of a custom/directory/tar archive, from its PGDMP header. */
    static String formatVersion(Path p, ArchiveInfo.Kind kind) throws IOException {
        byte[] h;
        int off = 0;
        if (kind == ArchiveInfo.Kind.DIRECTORY) h = head(p.resolve("toc.dat"), 8);
        else if (kind == ArchiveInfo.Kind.TAR) {
            h = head(p, 520);
            off = 512;
        } else h = head(p, 8);
        if (h.length < off + 8) throw new ConsoleException(p.getFileName() + " is truncated: its header is incomplete.");
        return (h[off + 5] & 0xff) + "." + (h[off + 6] & 0xff);
    }

    /** The oldest pg_restore major that reads an archive of this version (0 = any supported one). */
    public static int requiredRestoreMajor(String formatVersion) {
        String[] v = formatVersion.split("\\.");
        int major = Integer.parseInt(v[0]), minor = Integer.parseInt(v[1]);
        if (major > 1 || minor > 16) return 18;
        if (minor == 16) return 17;
        if (minor == 15) return 16;
        return 0;
    }

    /** Inspects an archive; throws a {@link ConsoleException} naming the problem when it cannot be restored here. */
    public ArchiveInfo inspect(Path path, JobContext ctx) throws Exception {
        Path p = path.toAbsolutePath().normalize();
        ArchiveInfo.Kind kind = detect(p);
        if (kind.isPlain()) return inspectPlain(p, kind);
        String fv = formatVersion(p, kind);
        int need = requiredRestoreMajor(fv);
        List<PgTool> all = tools.findAll("pg_restore");
        if (all.isEmpty()) throw new ConsoleException("pg_restore was not found; install the PostgreSQL client tools or set the tools directory.");
        PgTool best = all.stream().max(Comparator.comparing(PgTool::version)).orElseThrow();
        if (best.version().major() < need) {
            throw new ConsoleException("The archive " + p.getFileName() + " has format version " + fv + " (written by pg_dump " + need
                    + " or newer); the newest pg_restore found is " + best.version() + " at " + best.path() + ", which reads up to "
                    + maxReadable(best.version().major()) + ". Install the PostgreSQL " + need + " client tools.");
        }
        Path tmp = Files.createTempFile("msyspg-toc-", ".list");
        try {
            ToolProcess.Outcome out = new ToolProcess(List.of(best.path().toString(), "-l", "-f", tmp.toString(), p.toString())).run(ctx);
            if (out.cancelled()) throw new JobCancelledException();
            if (!out.ok()) {
                throw new ConsoleException("pg_restore " + best.version() + " cannot read " + p.getFileName() + ": "
                        + out.firstProblem().replaceFirst("^pg_restore: (error: )?", ""), out.problemSummary(), null);
            }
            for (String l : out.lines()) {
                if (l.contains("no data will be available") || l.contains("does not support compression")) {
                    throw new ConsoleException("pg_restore " + best.version() + " lacks the compression of " + p.getFileName() + ": "
                            + l.replaceFirst("^pg_restore: (warning: )?", "").strip() + ". Use a pg_restore built with it.");
                }
            }
            return parseList(p, kind, fv, Files.readAllLines(tmp, StandardCharsets.UTF_8), best, out.lines());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String maxReadable(int major) {
        return major >= 17 ? "1.16" : major == 16 ? "1.15" : "1.14";
    }

    static ArchiveInfo parseList(Path p, ArchiveInfo.Kind kind, String fv, List<String> lines, PgTool tool, List<String> stderr) {
        String created = null, db = null, comp = null, from = null, by = null;
        int count = 0;
        for (String l : lines) {
            if (!l.startsWith(";")) continue;
            String s = l.substring(1).strip();
            if (s.startsWith("Archive created at ")) created = s.substring("Archive created at ".length());
            else if (s.startsWith("dbname: ")) db = s.substring(8);
            else if (s.startsWith("TOC Entries: ")) count = Integer.parseInt(s.substring(13).trim());
            else if (s.startsWith("Compression: ")) comp = describeCompression(s.substring(13).trim());
            else if (s.startsWith("Dumped from database version: ")) from = s.substring("Dumped from database version: ".length());
            else if (s.startsWith("Dumped by pg_dump version: ")) by = s.substring("Dumped by pg_dump version: ".length());
        }
        Set<String> schemas = TocEntry.schemaNames(lines);
        List<TocEntry> entries = new ArrayList<>();
        for (String l : lines) {
            TocEntry e = TocEntry.parse(l, schemas);
            if (e != null) entries.add(e);
        }
        List<String> warnings = stderr.stream().filter(l -> l.contains("warning")).toList();
        return new ArchiveInfo(p, kind, fv, created, db, count, comp, from, by, List.copyOf(entries), tool, warnings);
    }

    static String describeCompression(String v) {
        return switch (v) {
            case "-1" -> "gzip (default level)";
            case "0", "none" -> "none";
            default -> v.matches("\\d") ? "gzip level " + v : v;
        };
    }

    private ArchiveInfo inspectPlain(Path p, ArchiveInfo.Kind kind) throws IOException {
        String from = null, by = null, started = null;
        try (InputStream raw = Files.newInputStream(p);
             InputStream in = kind == ArchiveInfo.Kind.PLAIN_GZIP ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            for (int i = 0; i < 60 && (l = r.readLine()) != null; i++) {
                if (l.startsWith("-- Dumped from database version ")) from = l.substring("-- Dumped from database version ".length());
                else if (l.startsWith("-- Dumped by pg_dump version ")) by = l.substring("-- Dumped by pg_dump version ".length());
                else if (l.startsWith("-- Started on ")) started = l.substring("-- Started on ".length());
            }
        }
        PgTool psql = tools.findAll("psql").stream().max(Comparator.comparing(PgTool::version))
                .orElseThrow(() -> new ConsoleException("psql was not found; install the PostgreSQL client tools or set the tools directory."));
        return new ArchiveInfo(p, kind, null, started, null, 0, kind == ArchiveInfo.Kind.PLAIN_GZIP ? "gzip (whole file)" : "none",
                from, by, List.of(), psql, List.of());
    }
}
