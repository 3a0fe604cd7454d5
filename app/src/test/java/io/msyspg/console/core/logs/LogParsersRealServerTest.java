package io.msyspg.console.core.logs;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** stderr, csvlog and jsonlog written by a real server (log_destination = all three), under several prefixes. */
class LogParsersRealServerTest {
    static PgCluster cluster;
    static int phase;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder(PgBinaries.system()).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD)
                .setting("log_destination", "'stderr,csvlog,jsonlog'").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%m [%p] ", "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", "%m [%p] %q%u@%d ",
            "%n|%-8p|%10u|%e|%c|%v|%x|%i|%b|%Q|%s|%r|%P|%%|%a|%d "})
    void allThreeFormatsParseTheSameRecords(String prefix) throws Exception {
        String base = "phase" + (++phase);
        int pid;
        Instant before = Instant.now().minusSeconds(2);
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET log_line_prefix = '" + prefix.replace("'", "''") + "'");
            s.execute("ALTER SYSTEM SET log_filename = '" + base + ".log'");
            s.execute("SELECT pg_reload_conf()");
            Thread.sleep(400);
            s.execute("SELECT pg_rotate_logfile()");
            Thread.sleep(200);
            s.execute("SET application_name = 'logtest'");
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) { rs.next(); pid = rs.getInt(1); }
            s.execute("DO $$ BEGIN RAISE LOG E'mark-one line1\\nline2 héllo ✓'; END $$");
            try {
                s.execute("DO $$ BEGIN RAISE EXCEPTION 'mark-two boom' USING DETAIL = 'the detail', HINT = 'the hint', ERRCODE = '22012'; END $$");
            } catch (java.sql.SQLException expected) {
                // logged by the server
            }
            s.execute("DO $$ BEGIN RAISE WARNING 'mark-three, with \"quotes\" and a comma'; END $$");
            Thread.sleep(300);
        }
        LocalLogSource src = LocalLogSource.open(cluster.logDir());
        for (LogFormat f : LogFormat.values()) {
            String file = base + switch (f) { case STDERR -> ".log"; case CSV -> ".csv"; case JSON -> ".json"; };
            LogDocument doc = new LogDocument(src, f, f == LogFormat.STDERR ? LinePrefix.compile(prefix) : null);
            doc.load(file, JobContext.none());
            List<LogRecord> recs = new ArrayList<>();
            for (int i = 0; i < doc.index().size(); i++) recs.add(doc.record(i));
            LogRecord one = find(recs, "mark-one");
            LogRecord two = find(recs, "mark-two");
            LogRecord three = find(recs, "mark-three");
            String where = f + " " + prefix + " " + recs;
            assertThat(one.severity()).as(where).isEqualTo(LogSeverity.LOG);
            assertThat(one.message()).as(where).isEqualTo("mark-one line1\nline2 héllo ✓");
            assertThat(two.severity()).as(where).isEqualTo(LogSeverity.ERROR);
            assertThat(two.field("detail")).as(where).isEqualTo("the detail");
            assertThat(two.field("hint")).as(where).isEqualTo("the hint");
            assertThat(two.field(f == LogFormat.JSON ? "query" : f == LogFormat.CSV ? "query" : "statement")).as(where).contains("RAISE EXCEPTION");
            assertThat(three.severity()).isEqualTo(LogSeverity.WARNING);
            assertThat(three.message()).isEqualTo("mark-three, with \"quotes\" and a comma");
            for (LogRecord r : List.of(one, two, three)) {
                if (f != LogFormat.STDERR || prefix.contains("%p")) assertThat(r.pid()).as(where).isEqualTo(pid);
                assertThat(r.time()).as(where).isAfter(before).isBefore(Instant.now().plusSeconds(2));
                if (f != LogFormat.STDERR || prefix.contains("%u")) assertThat(r.field("user")).as(where).isEqualTo("postgres");
                if (f != LogFormat.STDERR || prefix.contains("%d")) assertThat(r.field("database")).as(where).isEqualTo("postgres");
                if (f != LogFormat.STDERR || prefix.contains("%a")) assertThat(r.field("application")).as(where).isEqualTo("logtest");
            }
            if (f != LogFormat.STDERR || prefix.contains("%e")) assertThat(two.field("sqlstate")).as(where).isEqualTo("22012");
            // the index agrees with the parser
            for (int i = 0; i < recs.size(); i++) {
                assertThat(doc.index().severity(i)).as(where + " #" + i).isEqualTo(recs.get(i).severity());
                assertThat(doc.index().time(i)).as(where + " #" + i).isEqualTo(recs.get(i).epochMillis());
            }
        }
    }

    static LogRecord find(List<LogRecord> recs, String mark) {
        List<LogRecord> m = recs.stream().filter(r -> r.message().contains(mark)).toList();
        assertThat(m).as("records with %s in %s", mark, recs).hasSize(1);
        return m.get(0);
    }
}
