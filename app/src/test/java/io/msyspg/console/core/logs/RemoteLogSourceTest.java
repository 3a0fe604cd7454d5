package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log over SQL on a real server: following, multibyte characters split at chunk edges, privilege messages. */
class RemoteLogSourceTest {

    @Test
    void followsTheCurrentFileOverSqlWithTinyChunks() throws Exception {
        try (PooledDbSession s = TestPg.session("postgres")) {
            RemoteLogSource src = RemoteLogSource.open(s);
            src.chunkSize(7);          // every multibyte character below is split at some chunk edge
            assertThat(src.logLinePrefix()).isNotBlank();
            LogDocument doc = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(src.logLinePrefix()));
            LogFollower f = new LogFollower(src, doc);
            f.poll();
            int before = doc.index().size();
            String tag = "remote-" + System.nanoTime();
            try (Connection c = s.borrow(); Statement st = c.createStatement()) {
                for (int i = 0; i < 5; i++) st.execute("DO $$ BEGIN RAISE LOG '" + tag + " % żółw ✓ 日本', " + i + "; END $$");
            }
            List<String> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (got.size() < 5 && System.currentTimeMillis() < deadline) {
                f.poll();
                got.clear();
                for (int i = before; i < doc.index().size(); i++) {
                    LogRecord r = doc.record(i);
                    if (r.message().startsWith(tag)) got.add(r.message());
                }
                Thread.sleep(100);
            }
            assertThat(got).containsExactly(tag + " 0 żółw ✓ 日本", tag + " 1 żółw ✓ 日本", tag + " 2 żółw ✓ 日本",
                    tag + " 3 żółw ✓ 日本", tag + " 4 żółw ✓ 日本");
            assertThat(src.list()).anyMatch(i -> i.name().equals(f.currentFile()) && i.size() > 0);
        }
    }

    @Test
    void missingPrivilegesNameTheRoleOrGrantNeeded() throws Exception {
        String role = "logreader_" + Long.toHexString(System.nanoTime());
        try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw-" + role + "'");
        }
        ConnectionTarget t = ConnectionTarget.of(TestPg.shared().host(), TestPg.shared().port(), "postgres", role);
        try (PooledDbSession s = PooledDbSession.open(t, ("pw-" + role).toCharArray())) {
            RemoteLogSource src = RemoteLogSource.open(s);
            assertThatThrownBy(src::list).isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("Role " + role + " may not list the log directory")
                    .hasMessageContaining("GRANT pg_monitor TO " + role);
            assertThatThrownBy(() -> src.current(LogFormat.STDERR)).hasMessageContaining("pg_current_logfile()")
                    .hasMessageContaining("GRANT EXECUTE ON FUNCTION pg_current_logfile(text) TO " + role)
                    .hasMessageContaining("GRANT pg_monitor TO " + role);
            try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("GRANT pg_monitor TO " + role);
            }
            String cur = src.current(LogFormat.STDERR);      // pg_monitor does not include pg_current_logfile(): newest file
            assertThat(cur).isNotNull();
            assertThat(src.note()).contains("GRANT EXECUTE ON FUNCTION pg_current_logfile(text) TO " + role);
            try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT pg_current_logfile('stderr')")) {
                rs.next();
                assertThat(rs.getString(1)).endsWith("/" + cur);
            }
            assertThat(src.list()).isNotEmpty();
            byte[] b = new byte[100];
            assertThatThrownBy(() -> src.read(cur, 0, b, 0, 100)).isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("Role " + role + " may not read")
                    .hasMessageContaining("GRANT EXECUTE ON FUNCTION pg_read_binary_file(text,bigint,bigint,boolean) TO " + role);
            try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("GRANT EXECUTE ON FUNCTION pg_read_binary_file(text,bigint,bigint,boolean) TO " + role);
            }
            assertThat(src.read(cur, 0, b, 0, 100)).isPositive();
        } finally {
            try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("REVOKE EXECUTE ON FUNCTION pg_read_binary_file(text,bigint,bigint,boolean) FROM " + role);
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
