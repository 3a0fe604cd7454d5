package io.msyspg.console.core.connect;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.connect.ConnectionFailure.Kind;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each connection failure against a real server (or a real local socket) gives its own clear message. */
class ConnectionErrorsTest {

    private static ConnectionFailure fail(ConnectionTarget t, char[] pw, int timeout) {
        try {
            PooledDbSession s = Connector.open(t, pw, timeout, JobContext.none());
            s.close();
        } catch (ConnectionFailure f) {
            return f;
        }
        throw new AssertionError("connected to " + t.display() + " although it should fail");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void refused() throws Exception {
        int port = closedPort();
        ConnectionFailure f = fail(ConnectionTarget.of("127.0.0.1", port, "ecelerity", "ecuser"), null, 5);
        assertThat(f.kind()).isEqualTo(Kind.REFUSED);
        assertThat(f.getMessage()).isEqualTo("Connection refused by 127.0.0.1:" + port
                + ": no PostgreSQL server is listening there (is it running, and are host and port right?).");
    }

    @Test
    void timeoutOnASilentLocalServerAndCancellation() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept());   // accepts, never answers
                } catch (Exception done) { /* closed */ }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionTarget t = ConnectionTarget.of("127.0.0.1", silent.getLocalPort(), "ecelerity", "ecuser");
            long t0 = System.nanoTime();
            ConnectionFailure f = fail(t, null, 2);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(f.getMessage()).startsWith("No answer from 127.0.0.1:" + silent.getLocalPort() + " within 2 s");
            assertThat(ms).as("bounded by the timeout").isLessThan(9_000);

            // cancellation returns promptly even though the server never answers
            JobControl ctl = new JobControl(JobControl.ProgressListener.NONE);
            CompletableFuture<Throwable> r = CompletableFuture.supplyAsync(() -> {
                try {
                    Connector.open(t, null, 10, ctl).close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Thread.sleep(300);
            long c0 = System.nanoTime();
            ctl.cancel();
            Throwable e = r.get(8, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(JobCancelledException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0)).as("well before the 10 s timeout").isLessThan(5_000);
            for (Socket s : accepted) s.close();
        }
    }

    @Test
    void unknownHost() {
        ConnectionFailure f = fail(ConnectionTarget.of("no-such-host.invalid", 5432, "ecelerity", "ecuser"), null, 5);
        assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_HOST);
        assertThat(f.getMessage()).startsWith("Unknown host 'no-such-host.invalid'");
    }

    @Test
    void wrongPasswordMissingPasswordMissingDatabaseAndSslUnsupported() {
        PgCluster c = TestPg.shared();
        String where = c.host() + ":" + c.port();
        ConnectionFailure auth = fail(TestPg.target(c, "postgres"), "wrong-password".toCharArray(), 5);
        assertThat(auth.kind()).isEqualTo(Kind.AUTH_FAILED);
        assertThat(auth.getMessage()).isEqualTo("Authentication failed for user 'postgres' on " + where
                + "/postgres: wrong password, or the role does not exist.");

        ConnectionFailure none = fail(TestPg.target(c, "postgres"), null, 5);
        assertThat(none.kind()).isEqualTo(Kind.PASSWORD_REQUIRED);
        assertThat(none.getMessage()).contains(where).contains("'postgres'").contains("none was given");

        ConnectionFailure db = fail(TestPg.target(c, "no_such_db"), TestPg.PASSWORD, 5);
        assertThat(db.kind()).isEqualTo(Kind.DATABASE_MISSING);
        assertThat(db.getMessage()).isEqualTo("Database 'no_such_db' does not exist on " + where + ".");

        ConnectionTarget ssl = new ConnectionTarget(c.host(), c.port(), "postgres", "postgres", "require", null, null);
        ConnectionFailure sslF = fail(ssl, TestPg.PASSWORD, 5);
        assertThat(sslF.kind()).isEqualTo(Kind.SSL_UNSUPPORTED);
        assertThat(sslF.getMessage()).startsWith("The server at " + where + " does not support SSL, but sslmode is 'require'");
    }

    @Test
    void tooManyConnectionsThenSslRequired() throws Exception {
        try (PgCluster c = PgCluster.builder(io.msyspg.console.core.cluster.PgBinaries.system()).superuser(TestPg.SUPERUSER)
                .password(TestPg.PASSWORD).setting("max_connections", "3").setting("superuser_reserved_connections", "0").start()) {
            String where = c.host() + ":" + c.port();
            List<Connection> hold = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) hold.add(c.connect("postgres"));
                ConnectionFailure f = fail(TestPg.target(c, "postgres"), TestPg.PASSWORD, 5);
                assertThat(f.kind()).isEqualTo(Kind.TOO_MANY_CONNECTIONS);
                assertThat(f.getMessage()).isEqualTo("The server at " + where + " has no free connection slot for user 'postgres'"
                        + " (max_connections reached); close idle sessions or raise max_connections.");
                // a server that accepts this host only over SSL (pg_hba.conf)
                Path hba = c.dataDir().resolve("pg_hba.conf");
                Files.writeString(hba, "hostnossl all all 127.0.0.1/32 reject\n" + Files.readString(hba));
                try (Statement s = hold.get(0).createStatement()) {
                    s.execute("SELECT pg_reload_conf()");
                }
            } finally {
                for (Connection h : hold) h.close();
            }
            Thread.sleep(300);
            ConnectionTarget plain = new ConnectionTarget(c.host(), c.port(), "postgres", "postgres", "disable", null, null);
            ConnectionFailure ssl = fail(plain, TestPg.PASSWORD, 5);
            assertThat(ssl.kind()).isEqualTo(Kind.SSL_REQUIRED);
            assertThat(ssl.getMessage()).isEqualTo("The server at " + where + " accepts user 'postgres' on database 'postgres'"
                    + " only over SSL; set sslmode to require (or verify-full).");
        }
    }

    @Test
    void everyKindHasADistinctMessage() {
        assertThatThrownBy(() -> { throw ConnectionErrors.classify(new java.sql.SQLException("x", "57P03"),
                ConnectionTarget.of("h", 1, "d", "u"), 1); })
                .isInstanceOf(ConnectionFailure.class).hasMessageContaining("starting up or shutting down");
    }
}
