package io.msyspg.console.core.connect;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A dropped server is detected, reported as reconnecting, and the session works again once it is back. */
class SessionMonitorTest {

    private static void await(BooleanSupplier c, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + seconds + " s");
            Thread.sleep(100);
        }
    }

    @Test
    void droppedConnectionIsDetectedAndReestablished() throws Exception {
        try (PgCluster c = TestPg.privateCluster();
             PooledDbSession s = PooledDbSession.open(TestPg.target(c, "postgres"), TestPg.PASSWORD)) {
            List<SessionMonitor.State> seen = new CopyOnWriteArrayList<>();
            List<String> messages = new CopyOnWriteArrayList<>();
            try (SessionMonitor m = new SessionMonitor(s, 300, (st, msg) -> { seen.add(st); messages.add(msg); }).start()) {
                try (Connection b = s.borrow()) { assertThat(b.isValid(2)).isTrue(); }
                c.stop(PgCluster.StopMode.IMMEDIATE);
                await(() -> seen.contains(SessionMonitor.State.RECONNECTING), 20);
                assertThat(messages.get(0)).startsWith("Connection lost (").contains(c.host() + ":" + c.port()).contains("retrying in");
                assertThat(m.state()).isEqualTo(SessionMonitor.State.RECONNECTING);
                c.start();   // same port
                await(() -> m.state() == SessionMonitor.State.CONNECTED, 40);
                assertThat(seen).endsWith(SessionMonitor.State.CONNECTED);
                assertThat(m.failures()).isZero();
                // the pool replaced its dead connections too
                try (Connection b = s.borrow(); Statement st = b.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(ConnectionTarget.DEFAULT_APPLICATION_NAME);
                }
                try (Statement st = s.monitoring().createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), current_setting('statement_timeout')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("msyspg-console monitor");
                    assertThat(rs.getString(2)).isEqualTo("5s");
                }
            }
        }
    }
}
