package io.msyspg.console.core.connect;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A socket-directory host connects through the server's Unix socket, as libpq does (the test cluster trusts it). */
class UnixSocketConnectTest {
    @Test
    void socketDirectoryUsesTheUnixSocketNotTcp() throws Exception {
        PgCluster pg = TestPg.shared();
        ConnectionTarget socket = ConnectionTarget.of(pg.socketDir().toString(), pg.port(), "postgres", TestPg.SUPERUSER);
        assertThat(socket.socketFile()).isEqualTo(pg.socketDir() + "/.s.PGSQL." + pg.port());
        try (PooledDbSession s = PooledDbSession.open(socket, null);
             Connection c = s.borrow(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT client_addr IS NULL FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("a Unix-socket backend has no client address").isTrue();
        }
        // the same without a password over TCP is refused: the socket really was used above
        assertThatThrownBy(() -> PooledDbSession.open(TestPg.target(pg, "postgres"), null).close())
                .hasMessageContaining("password");
    }

    @Test
    void aMissingSocketIsAClearFailure() {
        PgCluster pg = TestPg.shared();
        ConnectionTarget nowhere = ConnectionTarget.of("/nonexistent/socket/dir", pg.port(), "postgres", TestPg.SUPERUSER);
        assertThatThrownBy(() -> Connector.open(nowhere, null, 3, io.msyspg.console.core.task.JobContext.none()).close())
                .hasMessageContaining("/nonexistent/socket/dir");
    }
}
