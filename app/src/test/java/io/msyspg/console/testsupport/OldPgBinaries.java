package io.msyspg.console.testsupport;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.common.Processes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * An OLD bindir that pg_upgrade accepts: the zonky PostgreSQL 13 server binaries (initdb, pg_ctl, postgres)
 * lack pg_controldata and pg_resetwal, which pg_upgrade needs in the old bindir. Debian bullseye's
 * postgresql-13 package has both, linked against libc only, so they run on this bookworm machine. The .deb is
 * downloaded once into {@code ~/.cache/msyspg-test/} (or {@code $MSYSPG_TEST_CACHE}), its SHA-256 checked,
 * unpacked with {@code dpkg-deb -x}; the composed folder holds symlinks to the zonky files plus copies of the
 * two tools (world-readable: the server account must run them when the tests run as root).
 */
public final class OldPgBinaries {
    public static final String DEB_URL =
            "http://deb.debian.org/debian/pool/main/p/postgresql-13/postgresql-13_13.16-0+deb11u1_amd64.deb";
    public static final String DEB_SHA256 = "bc484764707e67d5a40b51f24e45b666f5c1c2d782ae4b48127756cb36d5c6c7";
    private static Path composed;

    private OldPgBinaries() {}

    /** The folder (zonky 13 + Debian's pg_controldata and pg_resetwal); built once per JVM. */
    public static synchronized Path pg13ForPgUpgrade() {
        if (composed != null) return composed;
        try {
            Path zonky = PgBinaries.forMajor(13).binDir();
            Path extracted = extractedDeb();
            Path tools = extracted.resolve("usr/lib/postgresql/13/bin");
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "msyspg-test-pg13-upgrade-bin");
            if (Files.exists(dir)) deleteTree(dir);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(zonky)) {
                for (Path f : ds) Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
            }
            for (String t : List.of("pg_controldata", "pg_resetwal")) {
                Path to = dir.resolve(t);
                Files.copy(tools.resolve(t), to, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Processes.Result r = Processes.run(List.of(dir.resolve("pg_controldata").toString(), "--version"), 20);
            if (!r.ok() || !r.stdout().contains("13.")) {
                throw new IllegalStateException("Debian's pg_controldata 13 does not run here: " + r.output());
            }
            composed = dir;
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot compose the old PostgreSQL 13 bindir for pg_upgrade: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Path cacheDir() {
        String env = System.getenv("MSYSPG_TEST_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "msyspg-test");
    }

    /** The unpacked .deb (downloaded and checked on first use). */
    static Path extractedDeb() throws IOException, InterruptedException {
        Path cache = Files.createDirectories(cacheDir());
        Path deb = cache.resolve("postgresql-13_13.16-0+deb11u1_amd64.deb");
        Path out = cache.resolve("postgresql-13_13.16-extracted");
        if (Files.isRegularFile(out.resolve("usr/lib/postgresql/13/bin/pg_controldata"))) return out;
        if (!Files.isRegularFile(deb) || !DEB_SHA256.equals(sha256(deb))) download(deb);
        String sum = sha256(deb);
        if (!DEB_SHA256.equals(sum)) {
            Files.deleteIfExists(deb);
            throw new IllegalStateException("The download of " + DEB_URL + " has SHA-256 " + sum + ", expected " + DEB_SHA256
                    + ": it was removed; check the mirror.");
        }
        Path tmp = Files.createTempDirectory(cache, "extract");
        Processes.Result r = Processes.run(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()), 120);
        if (!r.ok()) throw new IllegalStateException("dpkg-deb -x " + deb + " failed: " + r.output());
        if (Files.exists(out)) deleteTree(out);
        Files.move(tmp, out);
        return out;
    }

    private static void download(Path deb) throws IOException, InterruptedException {
        Path part = deb.resolveSibling(deb.getFileName() + ".part");
        try {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(URI.create(DEB_URL)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("Cannot download " + DEB_URL + ": HTTP " + resp.statusCode()
                        + " (the pg_upgrade test needs Debian's postgresql-13 package for pg_controldata; put it in " + deb.getParent() + ")");
            }
            try (InputStream in = resp.body()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, deb, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new IllegalStateException("Cannot download " + DEB_URL + " (" + e + "): the pg_upgrade test needs Debian's postgresql-13"
                    + " package for pg_controldata; download it into " + deb.getParent() + " by hand", e);
        }
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
