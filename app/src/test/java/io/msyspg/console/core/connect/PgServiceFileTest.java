package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgServiceFileTest {
    @TempDir Path dir;

    @Test
    void sectionsKeysAndLibpqOnlyKeysAccepted() throws Exception {
        Path f = dir.resolve("svc.conf");
        Files.writeString(f, """
                # Momentum
                [momentum]
                host = db.example.com
                port=5433
                dbname=ecelerity
                user=ecuser
                gssencmode=disable
                target_session_attrs=read-write

                [other]
                host=localhost
                """);
        PgServiceFile.Service s = PgServiceFile.parse(f).services().get("momentum");
        assertThat(s.host()).isEqualTo("db.example.com");
        assertThat(s.port()).isEqualTo(5433);
        assertThat(s.get("dbname")).contains("ecelerity");
        assertThat(s.unusedKeys()).containsExactly("gssencmode", "target_session_attrs");
        assertThat(s.line()).isEqualTo(2);
    }

    @Test
    void userFileFirstThenSysconfdir() throws Exception {
        Path user = dir.resolve("user.conf");
        Files.writeString(user, "[a]\nhost=user-file\n");
        Path sys = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(sys.resolve("pg_service.conf"), "[a]\nhost=sys-file\n[b]\nhost=sys-b\n");
        Map<String, String> env = Map.of("PGSERVICEFILE", user.toString(), "PGSYSCONFDIR", sys.toString());
        assertThat(PgServiceFile.find("a", env, dir).host()).isEqualTo("user-file");
        assertThat(PgServiceFile.find("b", env, dir).host()).isEqualTo("sys-b");
        assertThatThrownBy(() -> PgServiceFile.find("c", env, dir)).isInstanceOf(ConsoleException.class)
                .hasMessageContaining("service 'c' not found").hasMessageContaining(user.toString());
        // default user file: ~/.pg_service.conf
        Files.writeString(dir.resolve(".pg_service.conf"), "[h]\nport=7000\n");
        assertThat(PgServiceFile.find("h", Map.of("PGSYSCONFDIR", sys.toString()), dir).port()).isEqualTo(7000);
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "[a]\nhost=x\nthis line has no equals sign\n");
        assertThatThrownBy(() -> PgServiceFile.parse(f)).hasMessage("Syntax error in service file " + f + ", line 3: expected key=value.");
    }
}
