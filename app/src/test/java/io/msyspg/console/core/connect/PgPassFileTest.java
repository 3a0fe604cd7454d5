package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.FilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PgPassFileTest {
    @TempDir Path dir;

    private Path write(String text, String perms) throws Exception {
        Path f = dir.resolve("pgpass");
        Files.writeString(f, text);
        FilePermissions.set(f, perms);
        return f;
    }

    private static String pw(PgPassFile f, String host, int port, String db, String user) {
        return f.lookup(host, port, db, user).map(String::new).orElse(null);
    }

    @Test
    void wildcardsEscapesAndFirstMatchWins() throws Exception {
        PgPassFile f = PgPassFile.read(write("""
                # comment line
                db1.example.com:5432:ecelerity:ecuser:first
                db1.example.com:5432:ecelerity:ecuser:second
                *:5433:*:msyspg:pa\\:ss\\\\word
                host\\:with\\:colons:*:*:*:escaped-host
                localhost:5432:*:postgres:local
                too:few:fields
                *:*:*:*:catch-all
                """, "rw-------"));
        assertThat(f.warnings()).isEmpty();
        assertThat(pw(f, "db1.example.com", 5432, "ecelerity", "ecuser")).isEqualTo("first");
        assertThat(pw(f, "anything", 5433, "x", "msyspg")).isEqualTo("pa:ss\\word");
        assertThat(pw(f, "host:with:colons", 1, "d", "u")).isEqualTo("escaped-host");
        assertThat(pw(f, "/var/run/postgresql", 5432, "ecelerity", "postgres")).as("a socket matches localhost").isEqualTo("local");
        assertThat(pw(f, "other", 5432, "ecelerity", "ecuser")).isEqualTo("catch-all");
    }

    @Test
    void ignoredWithAWarningWhenGroupOrWorldReadable() throws Exception {
        Path file = write("*:*:*:*:secret\n", "rw-r--r--");
        PgPassFile f = PgPassFile.read(file);
        assertThat(f.lookup("h", 5432, "d", "u")).isEmpty();
        assertThat(f.warnings()).singleElement().asString()
                .contains(file.toString()).contains("group or world access").contains("ignored").contains("chmod 0600");
        FilePermissions.set(file, "rw-------");
        assertThat(pw(PgPassFile.read(file), "h", 5432, "d", "u")).isEqualTo("secret");
    }

    @Test
    void locatedByPgpassfileElseHome() {
        assertThat(PgPassFile.locate(Map.of("PGPASSFILE", "/x/y"), dir)).isEqualTo(Path.of("/x/y"));
        assertThat(PgPassFile.locate(Map.of(), dir)).isEqualTo(dir.resolve(".pgpass"));
        assertThat(PgPassFile.read(dir.resolve("missing")).size()).isZero();
    }
}
