package io.msyspg.console.cli;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.connect.ConnectionFailure;
import io.msyspg.console.core.connect.ConnectionProfile;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.connect.ProfileService;
import io.msyspg.console.core.connect.SecretStores;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** -h -p -d -U, --service, --profile, PG* variables and the password order, against the shared test server. */
class ConnectionOptionsTest {
    @TempDir Path home;

    private final List<String> prompts = new ArrayList<>();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private ConnectionOptions options(Map<String, String> env, char[] answer, String... args) {
        ConnectionOptions o = new ConnectionOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin ConnectionOptions c = o;
        }).parseArgs(args);
        o.env = env;
        o.home = home;
        o.dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        o.err = new PrintStream(errBytes, true);
        o.prompt = text -> {
            prompts.add(text);
            return answer == null ? Optional.empty() : Optional.of(answer.clone());
        };
        return o;
    }

    private Path pgpass(String perms) throws Exception {
        PgCluster c = TestPg.shared();
        Path f = home.resolve("pgpass");
        Files.writeString(f, c.host() + ":" + c.port() + ":*:postgres:" + new String(TestPg.PASSWORD) + "\n");
        FilePermissions.set(f, perms);
        return f;
    }

    @Test
    void serviceFileWithALibpqOnlyKeyAndPgpass() throws Exception {
        PgCluster c = TestPg.shared();
        Path svc = home.resolve("svc.conf");
        Files.writeString(svc, "[test]\nhost=" + c.host() + "\nport=" + c.port() + "\ndbname=postgres\nuser=postgres\ngssencmode=disable\n");
        Map<String, String> env = Map.of("PGSERVICEFILE", svc.toString(), "PGPASSFILE", pgpass("rw-------").toString());
        ConnectionOptions o = options(env, null, "--service", "test");
        assertThat(o.resolve().notes()).anyMatch(n -> n.contains("gssencmode"));
        try (PooledDbSession s = o.open()) {
            assertThat(s.target().port()).isEqualTo(c.port());
            assertThat(s.serverVersion().major()).isEqualTo(c.version().major());
        }
        assertThat(prompts).isEmpty();
        // PGSERVICE selects it too; -d overrides the service's dbname
        assertThat(options(Map.of("PGSERVICEFILE", svc.toString(), "PGSERVICE", "test"), null, "-d", "other").resolve().target())
                .satisfies(t -> {
                    assertThat(t.database()).isEqualTo("other");
                    assertThat(t.host()).isEqualTo(c.host());
                });
    }

    @Test
    void worldReadablePgpassIsIgnoredWithAWarningThenThePromptIsUsed() throws Exception {
        PgCluster c = TestPg.shared();
        Path f = pgpass("rw-r--r--");
        Map<String, String> env = Map.of("PGHOST", c.host(), "PGPORT", Integer.toString(c.port()), "PGUSER", "postgres",
                "PGDATABASE", "postgres", "PGPASSFILE", f.toString());
        try (PooledDbSession s = options(env, TestPg.PASSWORD).open()) {
            assertThat(s.target().display()).isEqualTo("postgres@" + c.host() + ":" + c.port() + "/postgres");
        }
        assertThat(errBytes.toString()).contains("warning: Password file " + f + " has group or world access and is ignored");
        assertThat(prompts).containsExactly("Password for user postgres: ");

        // no terminal: the classified failure, no hang
        prompts.clear();
        assertThatThrownBy(() -> options(env, null).open()).isInstanceOf(ConnectionFailure.class)
                .hasMessageContaining("asks for a password for user 'postgres'");
    }

    @Test
    void pgpasswordIsUsedAndExplicitOptionsWin() {
        PgCluster c = TestPg.shared();
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "wrong-host.invalid", "PGPORT", "1", "PGPASSWORD", new String(TestPg.PASSWORD)));
        try (PooledDbSession s = options(env, null, "-h", c.host(), "-p", Integer.toString(c.port()), "-U", "postgres", "-d", "postgres").open()) {
            assertThat(s.target().host()).isEqualTo(c.host());
        }
        assertThat(prompts).isEmpty();
        assertThatThrownBy(() -> options(Map.of("PGPORT", "x"), null).resolve()).hasMessage("PGPORT is not a port number: 'x'.");
    }

    @Test
    void profileWithAnEncryptedPassword() throws Exception {
        PgCluster c = TestPg.shared();
        AppDirs dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        ProfileService ps = new ProfileService(SettingsStore.open(dirs), SecretStores.open(dirs));
        ps.secrets().file().unlock("master".toCharArray());
        ConnectionProfile p = ConnectionProfile.of("test server", c.host(), c.port(), "postgres", "postgres");
        p.passwordStorage = ConnectionProfile.PasswordStorage.ENCRYPTED_FILE;
        ps.save(p, TestPg.PASSWORD.clone());
        try (PooledDbSession s = options(Map.of(), "master".toCharArray(), "--profile", "test server").open()) {
            assertThat(s.target().user()).isEqualTo("postgres");
        }
        assertThat(prompts).containsExactly("Master password for the console's secret store: ");
        assertThatThrownBy(() -> options(Map.of(), null, "--profile", "nope").resolve())
                .hasMessage("No connection profile named 'nope' (known: test server).");
        assertThat(Files.readString(dirs.config().resolve("settings.json"))).doesNotContain(new String(TestPg.PASSWORD));
    }

    @Test
    void profileImportEcdbPrintsWhatWasFoundThenSaves() throws Exception {
        Path ini = home.resolve("ecdb.ini");
        Files.writeString(ini, "[ecdb]\ndsn = \"pgsql:host=localhost;dbname=ecelerity;user=ecuser;password=Imported-PW-9\"\n");
        ProfileCommand cmd = new ProfileCommand();
        cmd.dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        cmd.prompt = text -> Optional.of("master".toCharArray());
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("import-ecdb", ini.toString(), "--dry-run")).isZero();
        assertThat(out.toString()).contains("profile 'Momentum ecuser@localhost': ecuser@localhost:5432/ecelerity")
                .contains("profile 'Momentum msyspg@localhost'").contains("password: found (line 2)").doesNotContain("Imported-PW-9");
        assertThat(Files.exists(cmd.dirs.config().resolve("settings.json"))).isFalse();
        assertThat(cl.execute("import-ecdb", ini.toString())).isZero();
        assertThat(out.toString()).contains("Saved profile 'Momentum ecuser@localhost'.");
        String settings = Files.readString(cmd.dirs.config().resolve("settings.json"));
        assertThat(settings).contains("ecelerity").doesNotContain("Imported-PW-9");
        assertThat(cl.execute("list")).isZero();
        assertThat(out.toString()).contains("Momentum msyspg@localhost");
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c2, p) -> { c2.getErr().println(ex.getMessage()); return 1; });
        Files.writeString(ini, "garbage line\n");
        assertThat(cl.execute("import-ecdb", ini.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(ini + ", line 1");
    }
}
