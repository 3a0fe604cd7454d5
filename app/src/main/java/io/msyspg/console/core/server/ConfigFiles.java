package io.msyspg.console.core.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code postgresql.conf} of a server on this host as text, read-only, with every file it includes
 * ({@code include}, {@code include_if_exists}, {@code include_dir}: relative paths are relative to the
 * including file's folder, {@code include_dir} takes its {@code *.conf} files in name order), followed by
 * {@code postgresql.auto.conf} (ALTER SYSTEM), which the server reads last.
 */
public final class ConfigFiles {
    private static final int MAX_DEPTH = 10;   // the server's own limit

    private ConfigFiles() {}

    /**
     * One file as read.
     *
     * @param error null when read; else why not (missing, permission denied, include loop)
     */
    public record ConfigFile(Path path, String text, String error, String includedFrom) {
        public boolean readable() { return error == null; }
    }

    /** One {@code name = value} line. */
    public record Assignment(Path file, int line, String name, String value) {}

    /** The main file and everything it includes, in the order the server reads them. */
    public static List<ConfigFile> read(Path mainConf, Path dataDir) {
        List<ConfigFile> out = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        readInto(mainConf, null, 0, false, out, seen);
        if (dataDir != null) {
            Path auto = dataDir.resolve("postgresql.auto.conf");
            if (!seen.contains(auto.toAbsolutePath().normalize())) {
                readInto(auto, "(read after postgresql.conf: ALTER SYSTEM settings)", 0, true, out, seen);
            }
        }
        return out;
    }

    private static void readInto(Path file, String from, int depth, boolean optional, List<ConfigFile> out, Set<Path> seen) {
        Path abs = file.toAbsolutePath().normalize();
        if (depth > MAX_DEPTH) {
            out.add(new ConfigFile(abs, "", "not read: includes nested deeper than " + MAX_DEPTH + " levels (a loop?)", from));
            return;
        }
        if (!seen.add(abs)) {
            out.add(new ConfigFile(abs, "", "already read above (included twice)", from));
            return;
        }
        String text;
        try {
            text = Files.readString(abs);
        } catch (java.nio.file.NoSuchFileException e) {
            if (!optional) out.add(new ConfigFile(abs, "", "file does not exist", from));
            return;
        } catch (java.nio.file.AccessDeniedException e) {
            out.add(new ConfigFile(abs, "", "permission denied (run as root or as the data directory's owner)", from));
            return;
        } catch (IOException e) {
            out.add(new ConfigFile(abs, "", "cannot read: " + e.getMessage(), from));
            return;
        }
        out.add(new ConfigFile(abs, text, null, from));
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Optional<String[]> kv = parseLine(lines[i]);
            if (kv.isEmpty()) continue;
            String name = kv.get()[0].toLowerCase();
            String value = kv.get()[1];
            String where = abs + ":" + (i + 1);
            Path target = abs.getParent().resolve(value);
            switch (name) {
                case "include" -> readInto(target, where, depth + 1, false, out, seen);
                case "include_if_exists" -> readInto(target, where, depth + 1, true, out, seen);
                case "include_dir" -> {
                    List<Path> files = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, "*.conf")) {
                        for (Path p : ds) {
                            if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) files.add(p);
                        }
                    } catch (IOException e) {
                        out.add(new ConfigFile(target, "", "include_dir cannot be listed: " + e.getMessage(), where));
                    }
                    files.sort(null);
                    for (Path p : files) readInto(p, where, depth + 1, false, out, seen);
                }
                default -> { }
            }
        }
    }

    /** Every {@code name = value} of the files, in reading order (later wins). */
    public static List<Assignment> assignments(List<ConfigFile> files) {
        List<Assignment> out = new ArrayList<>();
        for (ConfigFile f : files) {
            if (!f.readable()) continue;
            String[] lines = f.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                final int n = i + 1;
                parseLine(lines[i]).ifPresent(kv -> out.add(new Assignment(f.path(), n, kv[0].toLowerCase(), kv[1])));
            }
        }
        return out;
    }

    /**
     * The value of a simple setting from {@code postgresql.conf} (with includes) and {@code postgresql.auto.conf}
     * of {@code dataDir}, without asking the server (it may be down).
     */
    public static Optional<String> simpleSetting(Path dataDir, String name) {
        Map<String, String> last = new LinkedHashMap<>();
        for (Assignment a : assignments(read(dataDir.resolve("postgresql.conf"), dataDir))) last.put(a.name(), a.value());
        return Optional.ofNullable(last.get(name));
    }

    /** {@code [name, value]} of a configuration line, or empty for comments and blank lines. */
    static Optional<String[]> parseLine(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) return Optional.empty();
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) i++;
        if (i == 0) return Optional.empty();
        String name = s.substring(0, i);
        String rest = s.substring(i).stripLeading();
        if (rest.startsWith("=")) rest = rest.substring(1).stripLeading();
        String value;
        if (rest.startsWith("'")) {
            StringBuilder v = new StringBuilder();
            int j = 1;
            while (j < rest.length()) {
                char c = rest.charAt(j);
                if (c == '\'' && j + 1 < rest.length() && rest.charAt(j + 1) == '\'') { v.append('\''); j += 2; continue; }
                if (c == '\\' && j + 1 < rest.length()) { v.append(rest.charAt(j + 1)); j += 2; continue; }
                if (c == '\'') break;
                v.append(c);
                j++;
            }
            value = v.toString();
        } else {
            int hash = rest.indexOf('#');
            value = (hash >= 0 ? rest.substring(0, hash) : rest).strip();
        }
        return Optional.of(new String[] {name, value});
    }
}
