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
}
