package io.msyspg.console.core.logs;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Follows a real server's pg_log through rotations, including rotations that append to an earlier name. */
class LogFollowerTest {
    static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder(io.msyspg.console.core.cluster.PgBinaries.system()).superuser(TestPg.SUPERUSER)
                .password(TestPg.PASSWORD).setting("log_rotation_size", "'64kB'").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    static void raise(Statement s, int from, int to) throws Exception {
        s.execute("DO $$ BEGIN FOR i IN " + from + ".." + (to - 1) + " LOOP RAISE LOG 'seqmark % %', i, repeat('x', 500); END LOOP; END $$");
    }

    static void switchName(Statement s, String name) throws Exception {
        s.execute("ALTER SYSTEM SET log_filename = '" + name + "'");
        s.execute("SELECT pg_reload_conf()");
        Thread.sleep(300);     // the logging collector reads the new name on its SIGHUP
        s.execute("SELECT pg_rotate_logfile()");
    }

    @Test
    void everyLineExactlyOnceInOrderThroughRotationsAndAppendsToOlderNames() throws Exception {
        LocalLogSource src = LocalLogSource.open(cluster.logDir());
        assertThat(src.dataDirectory()).isEqualTo(cluster.dataDir());
        LogDocument doc = new LogDocument(src, LogFormat.STDERR, LinePrefix.compile(LinePrefix.DEFAULT));
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        doc.onEvent(events::add);
        LogFollower f = new LogFollower(src, doc);
        JobControl ctl = new JobControl(JobControl.ProgressListener.NONE);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try {
                f.run(ctl, 50);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        t.start();
        int n = 0;
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            String[] names = {"alpha.log", "beta.log", "alpha.log", "gamma-%S.log", "beta.log", "alpha.log"};
            for (String name : names) {
                switchName(s, name);
                for (int k = 0; k < 4; k++) {
                    raise(s, n, n + 60);      // ~33 kB: size rotations (onto the same name) happen inside phases
                    n += 60;
                    if (k == 1) s.execute("SELECT pg_rotate_logfile()");
                }
            }
            switchName(s, "postgresql-%Y-%m-%d-%M.log");
            raise(s, n, n + 10);
            n += 10;
        }
        int expected = n;
        long deadline = System.currentTimeMillis() + 20_000;
        List<Integer> seen = seq(doc);
        while (seen.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            seen = seq(doc);
        }
        ctl.cancel();
        t.join(5000);
        assertThat(failures).isEmpty();
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < expected; i++) want.add(i);
        assertThat(seen).as("events: %s", events).containsExactlyElementsOf(want);
        // alpha.log was appended to after beta.log: it appears in more than one segment
        long alphaSegments = doc.index().segments().stream().filter(x -> x.file().equals("alpha.log")).count();
        assertThat(alphaSegments).as("segments %s", doc.index().segments().stream().map(x -> x.file() + "@" + x.start()).toList())
                .isGreaterThanOrEqualTo(2);
        assertThat(doc.index().segments().stream().filter(x -> x.file().equals("alpha.log")).mapToLong(LogIndex.Segment::start).max().orElse(0))
                .isGreaterThan(0);
        assertThat(events).anyMatch(e -> e.startsWith("Rotation: now following alpha.log"));
    }

    static List<Integer> seq(LogDocument doc) throws Exception {
        Pattern p = Pattern.compile("seqmark (\\d+) ");
        List<Integer> out = new ArrayList<>();
        int size = doc.index().size();
        for (int i = 0; i < size; i++) {
            LogRecord r = doc.record(i);
            Matcher m = p.matcher(r.message());
            if (m.find()) {
                assertThat(r.severity()).isEqualTo(LogSeverity.LOG);
                assertThat(r.pid()).isNotNull();
                assertThat(r.time()).isNotNull();
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }
}
