package io.msyspg.console.core.logs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Permission denied, for real: tests run as root (who may read everything), so the console runs as a child JVM
 * as the {@code postgres} OS user ({@code runuser -u postgres --}) against root-owned 0600 files and 0700
 * directories. The CLI must print one clear line naming the file (or directory), the user and the fix, exit 1,
 * and show no stack trace; the core source must give the LOGS view the same message as its status (a TestFX test
 * as another OS user is not possible here: the view's model is replayed by {@link LogPermissionProbe}).
 */
class LogPermissionTest {
    static final String LINE = "2026-11-21 10:00:00.000 UTC [1] LOG:  hello\n";

    @TempDir Path tmp;
    Path area;          // world-traversable, holds the test's logs
    Path home;          // postgres' HOME, console home and temp dir
    String classpath;

    @BeforeEach
    void setUp() throws Exception {
        assumeThat(System.getProperty("user.name")).as("needs root to act as another OS user").isEqualTo("root");
        assumeThat(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))).isTrue();
        Process id = new ProcessBuilder("id", "-u", "postgres").redirectErrorStream(true).start();
        assumeThat(id.waitFor()).as("a postgres OS user").isZero();
        open(tmp);
        area = Files.createDirectory(tmp.resolve("area"));
        open(area);
        home = Files.createDirectory(tmp.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        classpath = readableClasspath();
    }

    static void open(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The test classpath as the postgres user can read it: entries under unreadable places are linked or copied. */
    String readableClasspath() throws IOException {
        Path cp = Files.createDirectory(tmp.resolve("cp"));
        open(cp);
        List<String> out = new ArrayList<>();
        int k = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (!Files.exists(p)) continue;
            if (worldReachable(p)) { out.add(p.toString()); continue; }
            if (Files.isDirectory(p)) throw new IllegalStateException("class directory " + p + " is not readable by other users");
            Path copy = cp.resolve((k++) + "-" + p.getFileName());
            try {
                Files.createLink(copy, p);
            } catch (IOException | UnsupportedOperationException ex) {
                Files.copy(p, copy);
            }
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            out.add(copy.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    static boolean worldReachable(Path p) throws IOException {
        for (Path a = p.getParent(); a != null; a = a.getParent()) {
            if (!Files.getPosixFilePermissions(a).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
        }
        Set<PosixFilePermission> own = Files.getPosixFilePermissions(p);
        return own.contains(PosixFilePermission.OTHERS_READ) && (!Files.isDirectory(p) || own.contains(PosixFilePermission.OTHERS_EXECUTE));
    }

    record Run(int exit, String out, String err) {}

    Run asPostgres(String mainClass, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", "env", "HOME=" + home,
                "MSYSPG_CONSOLE_HOME=" + home, java, "-Djava.io.tmpdir=" + home, "-Dmsyspg.log.dir=" + home,
                "-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectOutput(home.resolve("out.txt").toFile());
        pb.redirectError(home.resolve("err.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        return new Run(p.exitValue(), Files.readString(home.resolve("out.txt")), Files.readString(home.resolve("err.txt")));
    }

    Run cli(String path) throws Exception {
        return asPostgres("io.msyspg.console.Main", "logs", path);
    }

    static void assertOneClearLine(Run r, String... mustContain) {
        assertThat(r.exit()).as("exit code; stderr: " + r.err()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as("one line on stderr").hasSize(1);
        assertThat(lines.get(0)).startsWith("msyspg-console: ").contains("permission denied").contains("postgres").contains(mustContain);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    Path rootOnly(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        assertThat(Files.getOwner(p).getName()).isEqualTo("root");
        return p;
    }

    @Test
    void cliNamesTheUnreadableFileAndTheFix() throws Exception {
        Path f = Files.writeString(area.resolve("secret.log"), LINE);
        rootOnly(f, "rw-------");
        Run r = cli(f.toString());
        assertOneClearLine(r, "Log file " + f, "owner root", "setfacl -m u:postgres:r " + f);
        // the same file readable: the same command prints it (the failure above was the permission, nothing else)
        open(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Run ok = cli(f.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo(LINE);
    }

    @Test
    void cliNamesAClosedDirectoryWhetherItIsTheLogDirectoryOrOnTheWay() throws Exception {
        Path dir = Files.createDirectory(area.resolve("pg_log"));
        Path f = Files.writeString(dir.resolve("postgresql-2026-11-21-10.log"), LINE);
        open(f);
        rootOnly(dir, "rwx------");
        assertOneClearLine(cli(dir.toString()), "Log directory " + dir, "setfacl -m u:postgres:rx " + dir);
        // a file inside it: not "does not exist", but the directory that may not be entered
        Run r = cli(f.toString());
        assertOneClearLine(r, "Log path " + f + " cannot be reached", "on directory " + dir, "setfacl -m u:postgres:rx " + dir);
        assertThat(r.err()).doesNotContain("does not exist");
    }

    @Test
    void cliNamesTheUnreadableCurrentFileOfAReadableDirectory() throws Exception {
        Path dir = Files.createDirectory(area.resolve("pg_log"));
        open(dir);
        Path f = Files.writeString(dir.resolve("postgresql-2026-11-21-10.log"), LINE);
        rootOnly(f, "rw-------");
        assertOneClearLine(cli(dir.toString()), "Log file " + f, "setfacl -m u:postgres:r " + f);
    }

    @Test
    void theViewerStatusNamesTheFileWhenOpeningAndWhenItBecomesUnreadableWhileFollowed() throws Exception {
        Path dir = Files.createDirectory(area.resolve("pg_log"));
        open(dir);
        Path f = Files.writeString(dir.resolve("postgresql-2026-11-21-10.log"), LINE);
        rootOnly(f, "rw-------");
        Run r = asPostgres(LogPermissionProbe.class.getName(), f.toString());
        assertThat(r.out().strip()).as(r.err()).startsWith("PROBLEM Log file " + f + " cannot be read by postgres: permission denied")
                .contains("setfacl -m u:postgres:r " + f);

        // readable when the view opens the directory, unreadable when new lines arrive
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Path go = home.resolve("go");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder("runuser", "-u", "postgres", "--", "env", "HOME=" + home, java,
                "-Djava.io.tmpdir=" + home, "-cp", classpath, LogPermissionProbe.class.getName(), dir.toString(), go.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(home.resolve("probe.txt").toFile());
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(home.resolve("probe.txt")).contains("STATUS") && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(home.resolve("probe.txt"))).contains("STATUS Following postgresql-2026-11-21-10.log").contains("records 1");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(f, LINE.replace("hello", "more"), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(go, "go");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(home.resolve("probe.txt"));
        // a status, not a failure: following goes on (the next rotated file may be readable again)
        assertThat(lines.get(lines.size() - 1)).startsWith("STATUS Log file " + f + " cannot be read by postgres: permission denied")
                .contains("setfacl -m u:postgres:r " + f).endsWith("| records 1");
    }
}
