package io.msyspg.console.core.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

/** Sizes for people, sizes of files and folders, SHA-256 of files. */
public final class Bytes {
    private Bytes() {}

    public static String human(long b) {
        if (b < 0) return "?";
        if (b < 1024) return b + " B";
        String[] u = {"kB", "MB", "GB", "TB"};
        double v = b;
        int i = -1;
        do {
            v /= 1024;
            i++;
        } while (v >= 1024 && i < u.length - 1);
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, u[i]);
    }

    /** The size of a file, or the total of the regular files under a directory; 0 when it does not exist. */
    public static long sizeOf(Path p) {
        try {
            if (Files.isRegularFile(p)) return Files.size(p);
            if (!Files.isDirectory(p)) return 0;
            try (Stream<Path> s = Files.walk(p)) {
                return s.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        return 0;
                    }
                }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Deletes a file or a directory tree; quiet when it is not there. */
    public static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
            }
        } else {
            Files.deleteIfExists(p);
        }
    }
}
