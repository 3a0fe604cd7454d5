package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Log files on this machine: a log directory (with its data directory when it is found: the parent holding
 * {@code current_logfiles} or {@code PG_VERSION}), a data directory (its {@code log_directory} is read from
 * postgresql.auto.conf / postgresql.conf), or one file. File identity is the inode.
 */
public final class LocalLogSource implements LogSource {
    private final Path dir;
    private final Path singleFile;
    private final Path dataDir;
    private final String logFilename;
    private final String logLinePrefix;
    private final String logTimezone;
    private final Map<String, FileChannel> open = new LinkedHashMap<>();

    private LocalLogSource(Path dir, Path singleFile, Path dataDir, Map<String, String> conf) {
        this.dir = dir;
        this.singleFile = singleFile;
        this.dataDir = dataDir;
        this.logFilename = conf.get("log_filename");
        this.logLinePrefix = conf.get("log_line_prefix");
        this.logTimezone = conf.get("log_timezone");
    }

    /** A file, a log directory or a data directory; a clear error when it does not exist or cannot be read. */
    public static LocalLogSource open(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            Path blocked = unsearchableAncestor(p);       // "does not exist" would be a lie: we may not look inside
            if (blocked != null) throw denied(blocked, true, p);
            throw new ConsoleException("Log path " + p + " does not exist.");
        }
        if (!Files.isReadable(p) || Files.isDirectory(p) && !Files.isExecutable(p)) throw denied(p, Files.isDirectory(p), null);
        if (Files.isRegularFile(p)) {
            Path parent = p.getParent();
            return new LocalLogSource(parent, p, null, Map.of());
        }
        if (Files.isRegularFile(p.resolve("PG_VERSION"))) {
            Map<String, String> conf = readConf(p);
            String ld = conf.getOrDefault("log_directory", "log");
            Path logDir = p.resolve(ld).normalize();
            if (!Files.isDirectory(logDir)) throw new ConsoleException("Data directory " + p + " has no log directory " + logDir
                    + " (log_directory = '" + ld + "'; is logging_collector on?).");
            return new LocalLogSource(logDir, null, p, conf);
        }
        Path parent = p.getParent();
        Path data = parent != null && (Files.exists(parent.resolve("current_logfiles")) || Files.isRegularFile(parent.resolve("PG_VERSION"))) ? parent : null;
        return new LocalLogSource(p, null, data, data == null ? Map.of() : readConf(data));
    }

    /** The first directory above {@code p} that this user may not enter, or null. */
    static Path unsearchableAncestor(Path p) {
        Path root = p.getRoot();
        Path a = root;
        for (Path part : p.getParent() == null ? List.<Path>of() : p.getParent()) {
            a = a == null ? part : a.resolve(part);
            if (Files.isDirectory(a) && !Files.isExecutable(a)) return a;
        }
        return null;
    }

    /**
     * "Log file /x cannot be read by postgres: permission denied (owner root, mode rw-------). Run the console as
     * root, or grant read access: setfacl -m u:postgres:r /x" — one line, naming the file, the user and the fix.
     */
    static ConsoleException denied(Path p, boolean directory, Path wanted) {
        String user = System.getProperty("user.name", "this user");
        String owner = null, mode = null;
        try {
            owner = Files.getOwner(p).getName();
            mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not even that may be read: say less
        }
        String what = directory ? "Log directory " : "Log file ";
        String msg = (wanted != null ? "Log path " + wanted + " cannot be reached by " + user + ": permission denied on directory " + p
                : what + p + " cannot be read by " + user + ": permission denied")
                + (owner != null ? " (owner " + owner + ", mode " + mode + ")" : "")
                + ". Run msyspg-console as " + (owner != null ? owner : "the owner") + " or as the server's OS user, or grant access: setfacl -m u:"
                + user + ":" + (directory ? "rx " : "r ") + p;
        return new ConsoleException(msg);
    }

    /** The data directory's settings that matter here (auto.conf wins, as in the server); best effort. */
    static Map<String, String> readConf(Path dataDir) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("postgresql.conf", "postgresql.auto.conf")) {
            Path conf = dataDir.resolve(f);
            try {
                if (!Files.isReadable(conf)) continue;
                for (String line : Files.readAllLines(conf)) {
                    var mt = Pattern.compile("^\\s*(log_directory|log_filename|log_line_prefix|log_timezone)\\s*=?\\s*'((?:[^']|'')*)'").matcher(line);
                    if (mt.find()) m.put(mt.group(1), mt.group(2).replace("''", "'"));
                }
            } catch (IOException | RuntimeException e) {
                // unreadable configuration: defaults
            }
        }
        return m;
    }

    public Path directory() { return dir; }

    public Path dataDirectory() { return dataDir; }

    public boolean isSingleFile() { return singleFile != null; }

    @Override public String describe() { return singleFile != null ? singleFile.toString() : dir.toString(); }

    @Override public String logLinePrefix() { return logLinePrefix; }

    @Override public String logTimezone() { return logTimezone; }

    @Override public List<LogFileInfo> list() throws IOException {
        List<LogFileInfo> out = new ArrayList<>();
        if (singleFile != null) {
            LogFileInfo i = stat(singleFile);
            if (i != null) out.add(i);
            return out;
        }
        if (!Files.isDirectory(dir)) throw new ConsoleException("Log directory " + dir + " does not exist (any more).");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                LogFileInfo i = stat(p);
                if (i != null) out.add(i);
            }
        } catch (AccessDeniedException e) {
            throw denied(dir, true, null);
        }
        return out;
    }

    private LogFileInfo stat(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) return null;
            Object key = a.fileKey();
            String id = null;
            try {
                Object ino = Files.getAttribute(p, "unix:ino");
                if (ino != null) id = "ino:" + ino;
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                if (key != null) id = key.toString();
            }
            return new LogFileInfo(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis(), id);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override public String current(LogFormat format) throws IOException {
        if (singleFile != null) return singleFile.getFileName().toString();
        if (dataDir != null) {
            Path cl = dataDir.resolve("current_logfiles");
            try {
                if (Files.isReadable(cl)) {
                    for (String line : Files.readAllLines(cl)) {
                        int sp = line.indexOf(' ');
                        if (sp > 0 && line.substring(0, sp).equals(format.destination())) {
                            Path f = dataDir.resolve(line.substring(sp + 1).trim()).normalize();
                            if (dir.equals(f.getParent())) return f.getFileName().toString();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // being rewritten by the server: fall back to modification times
            }
        }
        Pattern names = logFilename == null ? null : filenamePattern(logFilename, format);
        LogFileInfo newest = null;
        for (LogFileInfo i : list()) {
            if (!format.accepts(i.name())) continue;
            if (names != null && !names.matcher(i.name()).matches()) continue;
            if (newest == null || i.modifiedMillis() > newest.modifiedMillis()
                    || i.modifiedMillis() == newest.modifiedMillis() && i.name().compareTo(newest.name()) > 0) newest = i;
        }
        return newest == null ? null : newest.name();
    }

    /** The strftime pattern of log_filename as a regex, with the .csv/.json suffix the server substitutes. */
    static Pattern filenamePattern(String logFilename, LogFormat format) {
        String name = logFilename;
        if (format != LogFormat.STDERR) {
            String ext = format == LogFormat.CSV ? ".csv" : ".json";
            name = name.endsWith(".log") ? name.substring(0, name.length() - 4) + ext : name + ext;
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 1 < name.length()) {
                char e = name.charAt(++i);
                re.append(switch (e) {
                    case 'Y', 'G' -> "\\d{4}";
                    case 'y', 'm', 'd', 'H', 'M', 'S', 'I', 'U', 'W', 'V', 'e' -> "[\\d ]{2}";
                    case 'j' -> "\\d{3}";
                    case 's' -> "\\d+";
                    case '%' -> "%";
                    default -> ".*?";
                });
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The path of one of this source's files. */
    Path file(String name) {
        return singleFile != null ? singleFile : dir.resolve(name);
    }

    @Override public synchronized int read(String name, long offset, byte[] buf, int off, int len) throws IOException {
        Path p = file(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            long pos = offset;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, pos);
                if (n <= 0) break;
                pos += n;
            }
            return (int) (pos - offset);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (AccessDeniedException e) {
            throw denied(p, false, null);
        }
    }

    @Override public int maxChunk() { return 4 << 20; }

    @Override public synchronized void close() {
        open.clear();
    }
}
