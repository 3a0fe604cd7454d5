package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogsCommandTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var cl = ConsoleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static final String LOG = """
            2026-11-21 10:00:00 UTC [42]: [1-1] user=bob,db=mail,app=psql,client=[local] LOG:  connection authorized
            2026-11-21 10:00:01 UTC [42]: [2-1] user=bob,db=mail,app=psql,client=[local] ERROR:  relation "x" does not exist at character 15
            2026-11-21 10:00:01 UTC [42]: [3-1] user=bob,db=mail,app=psql,client=[local] STATEMENT:  select * from
            \t  x;
            2026-11-21 10:00:02 UTC [43]: [1-1] user=,db=,app=,client= WARNING:  checkpoints are occurring too frequently
            """;

    @Test
    void jsonlWithMinSeverityAndGrep() throws Exception {
        Path f = Files.writeString(dir.resolve("postgresql-2026-11-21-00.log"), LOG);
        Run r = run("logs", "--format", "jsonl", "--min-severity", "warning", "--prefix", "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode e = new ObjectMapper().readTree(lines.get(0));
        assertThat(e.get("file").asText()).isEqualTo(f.getFileName().toString());
        assertThat(e.get("offset").asLong()).isEqualTo(LOG.indexOf("2026-11-21 10:00:01"));
        assertThat(e.get("time").asText()).isEqualTo("2026-11-21T10:00:01Z");
        assertThat(e.get("severity").asText()).isEqualTo("ERROR");
        assertThat(e.get("pid").asInt()).isEqualTo(42);
        assertThat(e.get("user").asText()).isEqualTo("bob");
        assertThat(e.get("database").asText()).isEqualTo("mail");
        assertThat(e.get("application").asText()).isEqualTo("psql");
        assertThat(e.get("statement").asText()).isEqualTo("select * from\n  x;");
        assertThat(e.get("message").asText()).isEqualTo("relation \"x\" does not exist at character 15");
        Run g = run("logs", "--grep", "checkpoints? are", f.toString());
        assertThat(g.out()).isEqualTo(LOG.lines().toList().get(4) + "\n");
        // the prefix is guessed when not given
        Run guess = run("logs", "--format", "jsonl", f.toString());
        assertThat(new ObjectMapper().readTree(guess.out().lines().toList().get(0)).get("user").asText()).isEqualTo("bob");
    }

    @Test
    void badUsageAndMissingFiles() {
        Run r = run("logs", "--min-severity", "loud", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown severity 'loud'");
        Run m = run("logs", dir.resolve("missing").toString());
        assertThat(m.code()).isEqualTo(1);
        assertThat(m.err()).contains("missing").contains("does not exist");
        Run f = run("logs", "--format", "xml", dir.toString());
        assertThat(f.code()).isEqualTo(2);
        Run e = run("logs", dir.toString());
        assertThat(e.code()).isEqualTo(1);
        assertThat(e.err()).contains("no log files");
    }
}
