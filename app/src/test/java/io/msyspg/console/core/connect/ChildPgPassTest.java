package io.msyspg.console.core.connect;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A child tool gets the password through a temporary 0600 PGPASSFILE, never its command line. */
class ChildPgPassTest {
    @TempDir Path dir;

    @Test
    void psqlConnectsWithTheTemporaryPasswordFileOnly() throws Exception {
        PgCluster c = TestPg.shared();
        ConnectionTarget t = TestPg.target(c, "postgres");
        Path file;
        try (ChildPgPass pass = ChildPgPass.create(dir, t, TestPg.PASSWORD)) {
            file = pass.file();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            List<String> cmd = List.of("psql", "-X", "-w", "-h", c.host(), "-p", Integer.toString(c.port()), "-U", "postgres",
                    "-d", "postgres", "-At", "-c", "SELECT 'ok-' || current_user");
            assertThat(String.join(" ", cmd)).doesNotContain(new String(TestPg.PASSWORD));
            Map<String, String> env = new java.util.HashMap<>(pass.env());
            env.put("PGPASSWORD", "");
            Processes.Result r = Processes.run(cmd, null, env, 30);
            assertThat(r.output()).isEqualTo("ok-postgres");
            // and really from the file: without it, -w fails
            Processes.Result without = Processes.run(cmd, null, Map.of("PGPASSFILE", dir.resolve("none").toString()), 30);
            assertThat(without.ok()).isFalse();
        }
        assertThat(file).doesNotExist();
    }
}
