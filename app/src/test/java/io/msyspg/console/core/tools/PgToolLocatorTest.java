package io.msyspg.console.core.tools;

import io.msyspg.console.core.common.ConsoleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgToolLocatorTest {
    @TempDir Path tmp;

    /** An executable that answers --version like a PostgreSQL tool of {@code version}. */
    private Path fakeInstall(String name, String version) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho '" + tool + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void findsTheSystemPostgresqlTools() {
        PgToolLocator l = PgToolLocator.standard(null);
        List<PgTool> dumps = l.findAll("pg_dump");
        assertThat(dumps).isNotEmpty();
        assertThat(dumps).anyMatch(t -> t.path().startsWith("/usr/lib/postgresql/") && t.version().major() >= 12);
    }

    @Test
    void picksTheHighestMajorThatCanTalkToTheServer() throws Exception {
        Path v12 = fakeInstall("a12", "12.20");
        Path v14 = fakeInstall("b14", "14.13");
        Path v16 = fakeInstall("c16", "16.4 (Debian 16.4-1)");
        PgToolLocator l = new PgToolLocator(List.of(v12, v16, v14));
        assertThat(l.forServer("pg_dump", PgVersion.parse("13.1")).orElseThrow().version().major()).isEqualTo(16);
        assertThat(l.forServer("pg_dump", PgVersion.parse("16.0")).orElseThrow().version().major()).isEqualTo(16);
        assertThat(l.forServer("pg_dump", PgVersion.parse("17.2"))).isEmpty();
        assertThat(l.explainMissing("pg_dump", PgVersion.parse("17.2")))
                .contains("17.2").contains("16.4").contains(v16.toString()).contains("newer");
        // Momentum 3.x runs 9.0: tools of 15+ cannot dump it, 12-14 can
        assertThat(l.forServer("pg_dump", PgVersion.parse("9.0.23")).orElseThrow().version().major()).isEqualTo(14);
        assertThat(new PgToolLocator(List.of(v16)).explainMissing("pg_dump", PgVersion.parse("9.0.23"))).contains("9.2");
    }

    @Test
    void missingToolGetsAClearMessage() {
        PgToolLocator l = new PgToolLocator(List.of(tmp));
        assertThatThrownBy(() -> l.require("pg_dump", PgVersion.parse("15.2")))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("pg_dump was not found");
    }

    @Test
    void searchOrderPutsConfiguredAndMomentumDirsFirst() {
        List<Path> dirs = PgToolLocator.standardDirs("/custom/bin", Path.of("/"), "/usr/bin:/bin");
        assertThat(dirs.get(0)).isEqualTo(Path.of("/custom/bin"));
        assertThat(dirs.get(1)).isEqualTo(Path.of("/opt/msys/3rdParty/bin"));
        assertThat(dirs).endsWith(Path.of("/usr/bin"), Path.of("/bin"));
    }

    @Test
    void parsesVersions() {
        assertThat(PgVersion.fromToolOutput("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).isEqualTo(new PgVersion(15, 18, "15.18"));
        assertThat(PgVersion.fromVersionNum(170002).majorLabel()).isEqualTo("17");
        assertThat(PgVersion.fromVersionNum(90023).majorLabel()).isEqualTo("9.0");
        assertThat(PgVersion.parse("9.6.24").compareTo(PgVersion.parse("10.1"))).isNegative();
        assertThatThrownBy(() -> PgVersion.parse("banana")).isInstanceOf(IllegalArgumentException.class);
    }
}
