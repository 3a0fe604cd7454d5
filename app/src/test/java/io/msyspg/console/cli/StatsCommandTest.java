package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatsCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsOneJsonObjectPerSampleWithNullTpsFirst() throws Exception {
        var c = TestPg.shared();
        // no password on the command line: pgjdbc reads a pgpass file (0600)
        java.nio.file.Path pgpass = java.nio.file.Files.createTempFile("stats-pgpass", "");
        java.nio.file.Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.nio.file.Files.writeString(pgpass, "127.0.0.1:" + c.port() + ":*:" + TestPg.SUPERUSER + ":" + new String(TestPg.PASSWORD) + "\n");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        Run r;
        try {
            r = run("stats", "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", TestPg.SUPERUSER, "-d", "postgres",
                "--samples", "3", "--interval", "0.5");
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
            java.nio.file.Files.deleteIfExists(pgpass);
        }
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String l : r.out().split("\n")) lines.add(m.readTree(l));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("tps").isNull()).isTrue();
        assertThat(lines.get(0).get("status").asText()).isEqualTo("collecting");
        assertThat(lines.get(0).get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(lines.get(0).get("sessions_total").isNumber()).isTrue();
        assertThat(lines.get(2).get("tps").isNumber()).isTrue();
        assertThat(lines.get(2).get("cache_hit_ratio")).isNotNull();
        assertThat(lines.get(2).has("max_connections")).isTrue();
        assertThat(lines.get(2).has("wal_bytes_per_s")).isTrue();
    }

    @Test
    void badUsageAndUnreachableServerGiveClearMessages() {
        Run bad = run("stats", "--samples", "-1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--samples must be 0 or more");
        Run badInterval = run("stats", "--interval", "0");
        assertThat(badInterval.code()).isEqualTo(2);
        assertThat(badInterval.err()).contains("--interval must be between");
        Run down = run("stats", "-h", "127.0.0.1", "-p", "1", "-U", "nobody", "-d", "x", "--samples", "1");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("Connection refused by 127.0.0.1:1");
    }

    private static Run withPgpass(io.msyspg.console.core.cluster.PgCluster c, String... args) throws Exception {
        java.nio.file.Path pgpass = java.nio.file.Files.createTempFile("stats-pgpass", "");
        java.nio.file.Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.nio.file.Files.writeString(pgpass, "127.0.0.1:" + c.port() + ":*:" + TestPg.SUPERUSER + ":" + new String(TestPg.PASSWORD) + "\n");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            List<String> all = new ArrayList<>(List.of("stats", "-h", "127.0.0.1", "-p", String.valueOf(c.port()), "-U", TestPg.SUPERUSER));
            all.addAll(List.of(args));
            return run(all.toArray(String[]::new));
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
            java.nio.file.Files.deleteIfExists(pgpass);
        }
    }

    @Test
    void databaseFilterAndTopQueries() throws Exception {
        try (var c = io.msyspg.console.core.cluster.PgCluster.builder(io.msyspg.console.core.cluster.PgBinaries.system())
                .superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD).setting("shared_preload_libraries", "pg_stat_statements").start()) {
            try (var conn = c.connect("postgres"); var s = conn.createStatement()) {
                s.execute("CREATE EXTENSION pg_stat_statements");
                s.execute("CREATE DATABASE busy");
                s.execute("CREATE DATABASE quiet");
            }
            try (var conn = c.connect("busy"); var s = conn.createStatement()) { s.execute("CREATE TABLE w (v int)"); }
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread load = new Thread(() -> {
                try (var conn = c.connect("busy"); var s = conn.createStatement()) {
                    while (!stop.get()) {
                        s.execute("INSERT INTO w VALUES (42)");
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            load.start();
            Run busy, quiet;
            try {
                busy = withPgpass(c, "-d", "postgres", "--database", "busy", "--top", "3", "--samples", "5", "--interval", "1");
                quiet = withPgpass(c, "-d", "postgres", "--database", "quiet", "--samples", "3", "--interval", "1");
            } finally {
                stop.set(true);
                load.join();
            }
            assertThat(busy.code()).as(busy.err()).isZero();
            ObjectMapper m = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String l : busy.out().split("\n")) lines.add(m.readTree(l));
            assertThat(lines).hasSize(5);
            assertThat(lines.get(0).get("database").asText()).isEqualTo("busy");
            assertThat(lines.get(0).get("tps").isNull()).isTrue();
            assertThat(lines.get(0).get("top_queries").isNull()).isTrue();
            double sum = 0;
            for (int i = 1; i < 5; i++) sum += lines.get(i).get("tps").asDouble();
            assertThat(sum / 4).as("busy tps (about 50/s minus the statement time)").isBetween(15.0, 60.0);
            assertThat(lines.get(4).get("sessions_total").isNumber()).isTrue();   // server-wide gauges stay
            JsonNode top = lines.get(4).get("top_queries");
            assertThat(top.isArray()).isTrue();
            assertThat(top.toString()).contains("INSERT INTO w").contains("calls_per_s").contains("mean_ms");
            for (JsonNode q : top) assertThat(q.get("database").asText()).isEqualTo("busy");

            assertThat(quiet.code()).as(quiet.err()).isZero();
            String[] ql = quiet.out().split("\n");
            assertThat(m.readTree(ql[2]).get("tps").asDouble()).isLessThan(2);

            Run none = withPgpass(c, "-d", "postgres", "--database", "nosuch", "--samples", "1");
            assertThat(none.code()).isEqualTo(2);
            assertThat(none.err()).contains("no database \"nosuch\"").contains("busy");
        }
    }

    @Test
    void topQueriesWithoutTheExtensionSayWhatToDo() throws Exception {
        Run r = withPgpass(TestPg.shared(), "-d", "postgres", "--top", "3", "--samples", "2", "--interval", "0.5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode last = new ObjectMapper().readTree(r.out().split("\n")[1]);
        assertThat(last.get("top_queries").isNull()).isTrue();
        assertThat(last.get("top_queries_note").asText()).contains("shared_preload_libraries");
        assertThat(last.has("database")).isFalse();
    }
}
