package io.msyspg.console.core.server;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.cluster.PgCluster.StopMode;
import io.msyspg.console.core.cluster.ServerAccount;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start, stop, restart, reload and status of a real private cluster, through pg_ctl and through an init.d-style script. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerControlTest {
    static PgCluster cluster;

    @BeforeAll static void up() {
        cluster = TestPg.privateCluster();
    }

    @AfterAll static void down() {
        if (cluster != null) cluster.close();
    }

    private static ServerControl control() {
        return new ServerControl(ServerTarget.of(cluster.dataDir()), null).waitSeconds(60);
    }

    private static void assertQueryable() throws Exception {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test @Order(1)
    void statusOfARunningServerComesFromPostmasterPid() {
        ServerStatus s = control().status();
        assertThat(s.state()).isEqualTo(ServerStatus.State.RUNNING);
        assertThat(s.port()).isEqualTo(cluster.port());
        assertThat(s.pid()).isPositive();
        assertThat(ProcessHandle.of(s.pid())).isPresent();
        assertThat(s.startTime()).isBefore(s.checkedAt().plusSeconds(1));
        assertThat(s.socketDir()).isEqualTo(cluster.socketDir().toString());
        assertThat(s.pmStatus()).isEqualTo("ready");
        assertThat(s.describe()).startsWith("running (PID " + s.pid()).contains("port " + cluster.port());
    }

    @Test @Order(2)
    void stopStartRestartReloadThroughPgCtl() throws Exception {
        ServerControl ctl = control();
        List<String> out = new CopyOnWriteArrayList<>();
        ServerStatus stopped = ctl.stop(StopMode.FAST, JobContext.none(), out::add);
        assertThat(stopped.state()).isEqualTo(ServerStatus.State.STOPPED);
        assertThat(cluster.isRunning()).isFalse();
        assertThat(out).anyMatch(l -> l.startsWith("$ ") && l.contains("pg_ctl") && l.contains("-m fast") && l.contains("stop"));
        assertThat(out).anyMatch(l -> l.contains("server stopped"));   // pg_ctl's own line, streamed

        ServerStatus started = ctl.start(JobContext.none(), out::add);
        assertThat(started.running()).isTrue();
        assertQueryable();

        ServerStatus restarted = ctl.restart(StopMode.FAST, JobContext.none(), out::add);
        assertThat(restarted.running()).isTrue();
        assertThat(restarted.pid()).isNotEqualTo(started.pid());
        assertQueryable();

        ServerStatus reloaded = ctl.reload(JobContext.none(), out::add);
        assertThat(reloaded.pid()).isEqualTo(restarted.pid());
        assertThat(out).anyMatch(l -> l.contains("server signaled"));
    }

    @Test @Order(3)
    void immediateStopThenStatusAndRecoveryStart() throws Exception {
        ServerControl ctl = control();
        List<String> out = new CopyOnWriteArrayList<>();
        ctl.stop(StopMode.IMMEDIATE, JobContext.none(), out::add);
        assertThat(ctl.status().running()).isFalse();
        ctl.start(JobContext.none(), out::add);
        assertQueryable();
    }

    @Test @Order(4)
    void afterACrashStatusSaysStaleAndStartRecovers() throws Exception {
        ServerControl ctl = control();
        ServerStatus before = ctl.status();
        ProcessHandle pm = ProcessHandle.of(before.pid()).orElseThrow();
        List<ProcessHandle> children = pm.children().toList();
        pm.destroyForcibly();                               // kill -9 of the postmaster
        pm.onExit().get(20, TimeUnit.SECONDS);
        for (ProcessHandle ch : children) {                 // backends notice the postmaster's death and exit
            ch.onExit().get(30, TimeUnit.SECONDS);
        }
        ServerStatus crashed = ctl.status();
        assertThat(crashed.state()).isEqualTo(ServerStatus.State.STALE);
        assertThat(crashed.describe()).isEqualTo("not running (stale postmaster.pid from PID " + before.pid() + ")");
        assertThat(cluster.dataDir().resolve("postmaster.pid")).exists();

        List<String> out = new CopyOnWriteArrayList<>();
        ServerStatus started = ctl.start(JobContext.none(), out::add);
        assertThat(out).anyMatch(l -> l.contains("stale postmaster.pid from PID " + before.pid()));
        assertThat(started.running()).isTrue();
        assertQueryable();
    }

    @Test @Order(5)
    void serviceStyleScriptStartsStopsAndRestarts(@TempDir Path tmp) throws Exception {
        ServerAccount acct = ServerAccount.forDataDirectory(cluster.dataDir());
        String run = acct.switchesUser() ? "runuser -u " + acct.name() + " -- " : "";
        Path script = tmp.resolve("msyspg");
        // like /etc/init.d/msyspg: pg_ctl as the data directory's owner
        Files.writeString(script, """
                #!/bin/sh
                PGDATA='%s'
                PGCTL='%s'
                case "$1" in
                  start)   echo "Starting msyspg"; %s"$PGCTL" -D "$PGDATA" -l "$PGDATA/init.log" -w start ;;
                  stop)    echo "Stopping msyspg"; %s"$PGCTL" -D "$PGDATA" -m fast -w stop ;;
                  restart) echo "Restarting msyspg"; %s"$PGCTL" -D "$PGDATA" -l "$PGDATA/init.log" -m fast -w restart ;;
                  *) echo "Usage: $0 {start|stop|restart}"; exit 2 ;;
                esac
                """.formatted(cluster.dataDir(), cluster.binaries().tool("pg_ctl"), run, run, run));
        FilePermissions.set(script, "rwxr-xr-x");
        ServerControl ctl = new ServerControl(new ServerTarget(cluster.dataDir(), script.toString(), null), null).waitSeconds(60);
        List<String> out = new CopyOnWriteArrayList<>();

        ServerStatus stopped = ctl.stop(null, JobContext.none(), out::add);
        assertThat(stopped.running()).isFalse();
        assertThat(out).contains("Stopping msyspg").anyMatch(l -> l.equals("$ " + script + " stop"));

        ServerStatus started = ctl.start(JobContext.none(), out::add);
        assertThat(started.running()).isTrue();
        assertThat(out).contains("Starting msyspg");
        assertQueryable();

        ServerStatus restarted = ctl.restart(null, JobContext.none(), out::add);
        assertThat(restarted.running()).isTrue();
        assertThat(restarted.pid()).isNotEqualTo(started.pid());
        assertThat(out).contains("Restarting msyspg");
        assertQueryable();

        // {action} placement, as for systemctl
        ServerControl tpl = new ServerControl(new ServerTarget(cluster.dataDir(), "'" + script + "' {action}", null), null);
        assertThat(tpl.serviceCommand("restart")).containsExactly(script.toString(), "restart");
    }

    @Test @Order(6)
    void aFailedStartShowsTheTailOfTheServerLog() throws Exception {
        ServerControl ctl = control();
        List<String> out = new CopyOnWriteArrayList<>();
        ctl.stop(StopMode.FAST, JobContext.none(), out::add);
        Path conf = cluster.dataDir().resolve("postgresql.conf");
        String original = Files.readString(conf);
        try {
            Files.writeString(conf, original + "\nshared_buffers = 'plenty'\n");
            out.clear();
            assertThatThrownBy(() -> ctl.start(JobContext.none(), out::add))
                    .isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("did not start")
                    .satisfies(e -> assertThat(((ConsoleException) e).detail()).contains("shared_buffers"));
            assertThat(out).anyMatch(l -> l.startsWith("--- last lines of "));
            assertThat(out).anyMatch(l -> l.contains("invalid value for parameter \"shared_buffers\""));
        } finally {
            Files.writeString(conf, original);
        }
        ctl.start(JobContext.none(), out::add);
        assertQueryable();
    }

    @Test
    void badInputIsNamed(@TempDir Path tmp) {
        assertThatThrownBy(() -> new ServerControl(ServerTarget.of(tmp.resolve("nope")), null).status())
                .hasMessageContaining(tmp.resolve("nope").toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new ServerControl(ServerTarget.of(tmp), null).start(JobContext.none(), l -> { }))
                .hasMessageContaining("is not a PostgreSQL data directory");
        assertThatThrownBy(() -> ServerControl.splitCommand("/etc/init.d/msyspg 'oops"))
                .hasMessageContaining("unclosed quote");
    }

    @Test
    void aFailingServiceScriptIsReportedAtOnce(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Path script = tmp.resolve("broken");
        Files.writeString(script, "#!/bin/sh\necho \"msyspg: $1 refused\" >&2\nexit 1\n");
        FilePermissions.set(script, "rwxr-xr-x");
        List<String> out = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new ServerControl(new ServerTarget(data, script.toString(), null), null).start(JobContext.none(), out::add))
                .hasMessageContaining("did not start (exit code 1)").hasMessageContaining("no server log was found");
        assertThat(out).contains("msyspg: start refused");
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).isLessThan(30);   // not the 90 s wait for a server that cannot come
    }

    @Test
    void postmasterPidLinesParse() {
        PostmasterPid p = PostmasterPid.parse(List.of("4242", "/var/db/msyspg", "1763719200", "5432", "/tmp", "*",
                "  5432001     32768", "ready   "), Path.of("postmaster.pid"));
        assertThat(p.pid()).isEqualTo(4242);
        assertThat(p.dataDir()).isEqualTo(Path.of("/var/db/msyspg"));
        assertThat(p.startTime().getEpochSecond()).isEqualTo(1763719200L);
        assertThat(p.port()).isEqualTo(5432);
        assertThat(p.socketDir()).isEqualTo("/tmp");
        assertThat(p.listenAddress()).isEqualTo("*");
        assertThat(p.status()).isEqualTo("ready");
        PostmasterPid partial = PostmasterPid.parse(List.of("17", "/d"), Path.of("x"));
        assertThat(partial.port()).isNull();
        assertThatThrownBy(() -> PostmasterPid.parse(List.of("abc"), Path.of("/d/postmaster.pid")))
                .hasMessageContaining("/d/postmaster.pid line 1");
    }

    @Test
    void aLivePidThatIsNotPostgresIsStale(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("PG_VERSION"), "15\n");
        long me = ProcessHandle.current().pid();   // alive, but java, not postgres
        Files.writeString(tmp.resolve("postmaster.pid"), me + "\n" + tmp + "\n1763719200\n5999\n\n\n\n");
        ServerStatus s = new ServerControl(ServerTarget.of(tmp), null).status();
        assertThat(s.state()).isEqualTo(ServerStatus.State.STALE);
        assertThat(s.describe()).contains("stale postmaster.pid from PID " + me);
    }
}
