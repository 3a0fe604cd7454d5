package io.msyspg.console.core.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blocking tree, the aggregated locks, and Cancel / Terminate really ending the target backend. */
class ActivityServiceTest {
    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String stateOf(Connection probe, int pid) throws SQLException {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery("SELECT state FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void blockingTreeLocksCancelAndTerminate() throws Exception {
        String db = TestPg.createDatabase("stats_act");
        String url = TestPg.shared().jdbcUrl(db);
        try (PooledDbSession session = TestPg.session(db); StatsSampler sampler = new StatsSampler(session);
             Connection probe = Workload.connect(url); Connection holder = Workload.connect(url); Connection waiter = Workload.connect(url);
             Connection sleeper = Workload.connect(url)) {
            try (Statement s = probe.createStatement()) {
                s.execute("CREATE TABLE acct (id int PRIMARY KEY, n int)");
                s.execute("INSERT INTO acct VALUES (1, 0)");
                for (int i = 0; i < 300; i++) s.execute("CREATE TABLE many_" + i + " (x int)");
            }
            // no lock wait: the blocking tree is not computed
            ActivityReport quiet = ActivityService.read(session.monitoring(), false);
            assertThat(quiet.sessions()).allMatch(r -> r.blockedBy().isEmpty() && r.depth() == 0);
            assertThat(quiet.sessions()).extracting(ActivityReport.SessionRow::application).doesNotContain("msyspg-console monitor");

            holder.setAutoCommit(false);
            int holderPid = pid(holder), waiterPid = pid(waiter), sleeperPid = pid(sleeper);
            try (Statement s = holder.createStatement()) {
                s.execute("UPDATE acct SET n = n + 1 WHERE id = 1");
                for (int i = 0; i < 300; i++) s.execute("LOCK TABLE many_" + i + " IN ACCESS SHARE MODE");
                s.execute("SELECT pg_advisory_xact_lock(g) FROM generate_series(1, 2000) g");
            }
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try (Statement s = waiter.createStatement()) {
                    s.execute("UPDATE acct SET n = n + 1 WHERE id = 1");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            StatsSamplerTest.waitFor(() -> {
                try { return "Lock".equals(waitType(probe, waiterPid)); } catch (SQLException e) { return false; }
            }, 10);

            Sample s = sampler.sampleNow();
            assertThat(s.get(Metric.SESSIONS_WAITING)).isGreaterThanOrEqualTo(1);
            assertThat(s.get(Metric.SESSIONS_IDLE_IN_TX)).isGreaterThanOrEqualTo(1);
            ActivityReport rep = ActivityService.read(session.monitoring(), true);
            var holderRow = rep.sessions().stream().filter(r -> r.pid() == holderPid).findFirst().orElseThrow();
            var waiterRow = rep.sessions().stream().filter(r -> r.pid() == waiterPid).findFirst().orElseThrow();
            assertThat(waiterRow.blockedBy()).containsExactly(holderPid);
            assertThat(waiterRow.depth()).isEqualTo(1);
            assertThat(holderRow.depth()).isZero();
            assertThat(rep.sessions().indexOf(waiterRow)).isEqualTo(rep.sessions().indexOf(holderRow) + 1);
            // locks: aggregated on the server, far fewer rows than pg_locks holds
            long rawLocks;
            try (Statement st = probe.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks")) { rs.next(); rawLocks = rs.getLong(1); }
            assertThat(rawLocks).isGreaterThan(2300);
            assertThat(rep.locks().size()).isLessThanOrEqualTo(200);
            assertThat(rep.locks()).anyMatch(l -> !l.granted());
            assertThat(rep.locks()).anyMatch(l -> l.lockType().equals("advisory") && l.count() == 2000);
            assertThat(rep.locks()).anyMatch(l -> "many_7".equals(l.relation()) && l.mode().equals("AccessShareLock"));

            // Terminate ends the waiting backend
            assertThat(ActivityService.terminate(session, waiterPid)).isTrue();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotNull().hasMessageContaining("terminat");
            StatsSamplerTest.waitFor(() -> {
                try { return stateOf(probe, waiterPid) == null; } catch (SQLException e) { return false; }
            }, 10);

            // Cancel stops the running query, the session stays
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement st = sleeper.createStatement()) {
                    st.execute("SELECT pg_sleep(60)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            StatsSamplerTest.waitFor(() -> {
                try { return "active".equals(stateOf(probe, sleeperPid)); } catch (SQLException e) { return false; }
            }, 10);
            assertThat(ActivityService.cancel(session, sleeperPid)).isTrue();
            assertThat(sleeping.get(10, TimeUnit.SECONDS)).isNotNull().hasMessageContaining("canceling statement due to user request");
            StatsSamplerTest.waitFor(() -> {
                try { return "idle".equals(stateOf(probe, sleeperPid)); } catch (SQLException e) { return false; }
            }, 10);
            holder.rollback();

            assertThatThrownBy(() -> ActivityService.terminate(session, 999_999)).isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("backend 999999");
        }
    }

    private static String waitType(Connection probe, int pid) throws SQLException {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery("SELECT wait_event_type FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
