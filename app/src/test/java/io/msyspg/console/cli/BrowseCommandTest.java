package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.msyspg.console.core.browse.CatalogService;
import io.msyspg.console.core.browse.ObjectPath;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowseCommandTest {
    private PooledDbSession session;
    private CatalogService catalog;

    @BeforeAll void setUp() throws Exception {
        session = TestPg.session(TestPg.createDatabase("browsecli"));
        try (var c = session.borrow(); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA rt_log; CREATE TABLE rt_log.stats (day date, n int) PARTITION BY RANGE (day);"
                    + "CREATE TABLE rt_log.stats_1 PARTITION OF rt_log.stats FOR VALUES FROM ('2026-01-01') TO ('2026-01-02');"
                    + "CREATE TABLE rt_log.stats_2 PARTITION OF rt_log.stats FOR VALUES FROM ('2026-01-02') TO ('2026-01-03');"
                    + "CREATE VIEW rt_log.v AS SELECT 1 AS one;"
                    + "CREATE SCHEMA \"Odd.Schema\"; CREATE TABLE \"Odd.Schema\".\"Order Table\" (\"ünïcødé\" text);");
        }
        catalog = new CatalogService(session);
    }

    @AfterAll void tearDown() {
        session.close();
    }

    private JsonNode render(String path) throws Exception {
        return BrowseCommand.render(catalog, path == null ? null : ObjectPath.parse(path), null, false, 500, JobContext.none());
    }

    @Test void listsSchemas() throws Exception {
        JsonNode n = render(null);
        assertThat(n.get("schemas").findValuesAsText("name")).contains("rt_log", "Odd.Schema", "public").doesNotContain("pg_catalog");
    }

    @Test void listsASchemasObjectsByKindWithPartitionsCounted() throws Exception {
        JsonNode n = render("rt_log");
        assertThat(n.get("counts").get("tables").asLong()).isEqualTo(1);
        assertThat(n.get("objects").get("tables").get(0).get("name").asText()).isEqualTo("stats");
        assertThat(n.get("objects").get("tables").get(0).get("partitions").asLong()).isEqualTo(2);
        assertThat(n.get("objects").get("views").get(0).get("name").asText()).isEqualTo("v");
    }

    @Test void showsOneObjectsDetailsWithQuotedPath() throws Exception {
        JsonNode n = render("\"Odd.Schema\".Order Table");
        JsonNode d = n.get("objects").get(0);
        assertThat(d.get("columns").get(0).get("name").asText()).isEqualTo("ünïcødé");
        assertThat(d.get("object").get("kind").asText()).isEqualTo("table");
        assertThat(d.get("ddl").asText()).startsWith("CREATE TABLE \"Odd.Schema\".\"Order Table\" (");
    }

    @Test void missingObjectsAreNamed() {
        assertThatThrownBy(() -> render("rt_log.nope")).hasMessage("No object \"rt_log\".\"nope\" in database "
                + session.target().database() + " (names are case-sensitive).");
        assertThatThrownBy(() -> render("RT_LOG")).hasMessageContaining("No schema \"RT_LOG\"");
        assertThatThrownBy(() -> ObjectPath.parse("\"open")).hasMessageContaining("Unterminated double quote");
    }

    @Test void badUsageExitsWith2() {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("browse", "--limit", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit");
    }

    @Test void unreachableServerIsAOneLineFailure() {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("browse", "-h", "127.0.0.1", "-p", "1", "-U", "nobody", "-d", "x")).isEqualTo(1);
        assertThat(err.toString()).startsWith("msyspg-console: Connection refused by 127.0.0.1:1");
    }
}
