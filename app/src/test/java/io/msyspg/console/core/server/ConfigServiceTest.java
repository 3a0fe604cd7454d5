package io.msyspg.console.core.server;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ALTER SYSTEM, reload and pending restart against a private real cluster (its configuration gets changed). */
class ConfigServiceTest {
    static PgCluster cluster;
    static PooledDbSession session;

    @BeforeAll static void up() throws Exception {
        cluster = TestPg.privateCluster();
        session = PooledDbSession.open(TestPg.target(cluster, "postgres"), TestPg.PASSWORD);
    }

    @AfterAll static void down() {
        if (session != null) session.close();
        if (cluster != null) cluster.close();
    }

    /** SHOW on a new connection (a reload reaches new backends through the postmaster, asynchronously). */
    private static String show(String name) throws Exception {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static <T> T eventually(Callable<T> f, java.util.function.Predicate<T> ok) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(15));
        T v = f.call();
        while (!ok.test(v) && Instant.now().isBefore(end)) {
            Thread.sleep(100);
            v = f.call();
        }
        return v;
    }

    @Test
    void snapshotJoinsSettingsWithTheFiles() throws Exception {
        ConfigService.Snapshot s = new ConfigService(session).load();
        assertThat(s.fileSettingsReadable()).isTrue();
        Setting lf = s.get("log_filename").orElseThrow();
        assertThat(lf.setting()).isEqualTo("postgresql-%Y-%m-%d-%M.log");
        assertThat(lf.source()).isEqualTo("configuration file");
        assertThat(lf.sourceFile()).isEqualTo(cluster.dataDir().resolve("postgresql.conf").toString());
        assertThat(lf.sourceLine()).isPositive();
        assertThat(lf.changedFromDefault()).isTrue();
        assertThat(lf.fileValue()).isEqualTo("postgresql-%Y-%m-%d-%M.log");
        assertThat(lf.bootValue()).isEqualTo("postgresql-%Y-%m-%d_%H%M%S.log");
        Setting sb = s.get("shared_buffers").orElseThrow();
        assertThat(sb.unit()).isEqualTo("8kB");
        assertThat(sb.displayDefault()).isEqualTo("128MB");   // boot_val 16384 × 8kB
        assertThat(sb.restartOnly()).isTrue();
        assertThat(s.configFile()).isEqualTo(cluster.dataDir().resolve("postgresql.conf").toString());

        List<Setting> changed = ConfigService.filter(s.settings(), ConfigService.Filter.CHANGED, null, null);
        assertThat(changed).extracting(Setting::name).contains("log_filename", "logging_collector", "max_connections")
                .doesNotContain("work_mem", "application_name");
        List<Setting> logging = ConfigService.filter(s.settings(), ConfigService.Filter.LOGGING, null, null);
        assertThat(logging).extracting(Setting::name).contains("logging_collector", "log_directory", "log_filename",
                "log_rotation_size", "log_rotation_age", "log_truncate_on_rotation", "log_line_prefix", "log_destination");
        assertThat(ConfigService.loggingWarnings(s)).anyMatch(w -> w.contains("repeats every hour"));
    }

    @Test
    void alterSystemAndReloadChangeTheLiveValue() throws Exception {
        ConfigService svc = new ConfigService(session);
        ConfigService.Snapshot s = svc.load();
        String prefix = "%m [%p] it's a \\ test ";
        List<ConfigService.PlannedChange> plan = ConfigService.plan(s, List.of(
                new ConfigService.Change("work_mem", "7MB"),
                new ConfigService.Change("log_line_prefix", prefix),
                new ConfigService.Change("search_path", "\"$user\", public, \"my schema\"")));
        String diff = ConfigService.diff(plan);
        assertThat(diff).contains("- work_mem = 4MB", "+ work_mem = 7MB");
        ConfigService.ApplyResult r = svc.apply(plan, true);
        assertThat(r.applied()).hasSize(3);
        assertThat(r.reloaded()).isTrue();
        assertThat(eventually(() -> show("work_mem"), "7MB"::equals)).isEqualTo("7MB");
        assertThat(eventually(() -> show("log_line_prefix"), prefix::equals)).isEqualTo(prefix);
        assertThat(show("search_path")).isEqualTo("\"$user\", public, \"my schema\"");
        assertThat(Files.readString(cluster.dataDir().resolve("postgresql.auto.conf"))).contains("work_mem = '7MB'");

        // RESET removes it again
        svc.apply(ConfigService.plan(svc.load(), List.of(new ConfigService.Change("work_mem", null))), true);
        assertThat(eventually(() -> show("work_mem"), "4MB"::equals)).isEqualTo("4MB");
    }

    @Test
    void aRestartOnlySettingShowsPendingRestartAfterReload() throws Exception {
        ConfigService svc = new ConfigService(session);
        ConfigService.Snapshot s = svc.load();
        assertThat(s.pendingRestart()).isEmpty();
        var plan = ConfigService.plan(s, List.of(new ConfigService.Change("max_connections", "70")));
        assertThat(ConfigService.diff(plan)).contains("- max_connections = 60", "+ max_connections = 70", "[restart needed]");
        svc.apply(plan, true);
        List<String> pending = eventually(svc::pendingRestart, p -> p.contains("max_connections"));
        assertThat(pending).contains("max_connections");
        ConfigService.Snapshot after = svc.load();
        assertThat(ConfigService.filter(after.settings(), ConfigService.Filter.PENDING_RESTART, null, null))
                .extracting(Setting::name).containsExactly("max_connections");
        assertThat(show("max_connections")).isEqualTo("60");   // not applied until a restart
        svc.apply(ConfigService.plan(after, List.of(new ConfigService.Change("max_connections", null))), true);
        assertThat(eventually(svc::pendingRestart, List::isEmpty)).isEmpty();
    }

    @Test
    void theServerValidatesAndBadNamesAreRefused() throws Exception {
        ConfigService svc = new ConfigService(session);
        ConfigService.Snapshot s = svc.load();
        assertThatThrownBy(() -> ConfigService.plan(s, List.of(new ConfigService.Change("work_meme", "1MB"))))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("no setting named 'work_meme'");
        assertThatThrownBy(() -> ConfigService.plan(s, List.of(new ConfigService.Change("server_version", "99"))))
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> svc.apply(ConfigService.plan(s, List.of(new ConfigService.Change("work_mem", "lots"))), true))
                .isInstanceOf(ConsoleException.class).hasMessageContaining("rejected work_mem = lots")
                .hasMessageContaining("invalid value for parameter \"work_mem\"");
        // an injection attempt stays a value
        assertThatThrownBy(() -> svc.apply(ConfigService.plan(s, List.of(
                new ConfigService.Change("work_mem", "1MB'; DROP TABLE x; --"))), true))
                .hasMessageContaining("invalid value");
        assertThat(ConfigService.alterSystemSql("pg_stat_statements.max", "5000"))
                .isEqualTo("ALTER SYSTEM SET \"pg_stat_statements\".\"max\" = E'5000'");
    }

    @Test
    void fileErrorsAreShownWithFileAndLine() throws Exception {
        Path conf = cluster.dataDir().resolve("postgresql.conf");
        String original = Files.readString(conf);
        try {
            Files.writeString(conf, original + "\nwork_mem = 'not a size'\n");
            long line = original.lines().count() + 2;
            ConfigService svc = new ConfigService(session);
            ConfigService.Snapshot s = svc.load();
            assertThat(s.fileErrors()).anySatisfy(e -> {
                assertThat(e.file()).isEqualTo(conf.toString());
                assertThat(e.line()).isEqualTo((int) line);
                assertThat(e.describe()).contains(conf + ":" + line);
            });
        } finally {
            Files.writeString(conf, original);
        }
    }

    @Test
    void postgresqlConfIsReadableWithItsIncludes() throws Exception {
        ConfigService.Snapshot s = new ConfigService(session).load();
        List<ConfigFiles.ConfigFile> files = ConfigService.files(s);
        assertThat(files.get(0).path()).isEqualTo(cluster.dataDir().resolve("postgresql.conf"));
        assertThat(files.get(0).text()).contains("log_filename = 'postgresql-%Y-%m-%d-%M.log'");
        assertThat(files).extracting(f -> f.path().getFileName().toString()).contains("postgresql.auto.conf");
    }
}
