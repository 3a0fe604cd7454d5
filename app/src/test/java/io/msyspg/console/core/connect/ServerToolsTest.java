package io.msyspg.console.core.connect;

import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which pg_dump for which server: fake tool directories (scripts that print a version) and the real session. */
class ServerToolsTest {
    @TempDir Path dir;

    private Path fakeTools(String name, String version) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        for (String t : List.of("pg_dump", "pg_restore", "psql")) {
            Path f = d.resolve(t);
            Files.writeString(f, "#!/bin/sh\necho '" + t + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        }
        return d;
    }

    @Test
    void picksTheHighestMajorAtLeastTheServersAndExplainsAMismatch() throws Exception {
        Path v13 = fakeTools("pg13", "13.16");
        Path v16 = fakeTools("pg16", "16.4");
        PgToolLocator locator = new PgToolLocator(List.of(v13, v16));
        ServerTools for14 = new ServerTools(locator, PgVersion.parse("14.2"));
        assertThat(for14.require("pg_dump").path()).isEqualTo(v16.resolve("pg_dump"));
        ServerTools for12 = new ServerTools(locator, PgVersion.parse("12.20"));
        assertThat(for12.require("pg_dump").version().major()).isEqualTo(16);
        ServerTools for17 = new ServerTools(locator, PgVersion.parse("17.1"));
        assertThat(for17.check("pg_dump", "psql")).hasSize(2);
        assertThatThrownBy(() -> for17.require("pg_dump"))
                .hasMessageContaining("No pg_dump can work with a PostgreSQL 17.1 server")
                .hasMessageContaining("13.16 at " + v13.resolve("pg_dump"))
                .hasMessageContaining("of the server's major (17) or newer");
        ServerTools for90 = new ServerTools(new PgToolLocator(List.of(v16)), PgVersion.parse("9.0.4"));
        assertThatThrownBy(() -> for90.require("pg_dump")).hasMessageContaining("cannot talk to servers older than 9.2");
    }

    @Test
    void aSessionNamesItsToolsWithTheProfileDirectoryFirst() throws Exception {
        Path own = fakeTools("own", "15.99");
        try (PooledDbSession s = TestPg.session("postgres")) {
            s.withToolsDirs(own.toString(), null);
            assertThat(s.tools().locator().searchDirs().get(0)).isEqualTo(own);
            assertThat(s.tools().serverVersion()).isEqualTo(s.serverVersion());
            assertThat(s.tools().require("pg_dump").version().major()).isGreaterThanOrEqualTo(s.serverVersion().major());
        }
    }
}
