package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Deferred jobs run detached, survive the console, resume from checkpoints, and stop cleanly. */
class DeferredJobsTest {
    @TempDir Path tmp;

    /** A script that does 40 numbered items, records each in $OUT and its checkpoint, resuming from $MSYSPG_CHECKPOINT. */
    private Path countingScript(Path out, int items, String delay) throws Exception {
        Path s = tmp.resolve("count.sh");
        Files.writeString(s, "#!/bin/sh\n"
                + "i=${MSYSPG_CHECKPOINT:-0}\n"
                + "echo \"starting at $i\"\n"
                + "while [ $i -lt " + items + " ]; do\n"
                + "  i=$((i+1)); echo \"item $i\" >> '" + out + "'; echo $i > \"$MSYSPG_CHECKPOINT_FILE\"; sleep " + delay + "\n"
                + "done\necho finished\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static void waitFor(Duration d, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + d);
            Thread.sleep(50);
        }
    }

    /**
     * Kills the runner and its children the hard way, as a crash would, leaving the journal at RUNNING. The runner is
     * frozen first (SIGSTOP, waited for): killing the child first let a still-running runner record the step FAILED and
     * the job FINISHED before its own SIGKILL arrived (seen under load). A frozen runner cannot react, nor start a new
     * child; SIGKILL then ends it and its children without any code of theirs running.
     */
    private static void crashRunner(long pid) throws Exception {
        ProcessHandle runner = ProcessHandle.of(pid).orElseThrow();
        io.msyspg.console.core.common.Processes.Result r = io.msyspg.console.core.common.Processes.run(
                List.of("kill", "-STOP", Long.toString(pid)), 10);
        assertThat(r.ok()).as(r.output()).isTrue();
        waitFor(Duration.ofSeconds(10), () -> processState(pid) == 'T');
        List<ProcessHandle> children = runner.descendants().toList();
        runner.destroyForcibly();
        for (ProcessHandle c : children) c.destroyForcibly();
        runner.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle c : children) c.onExit().get(10, TimeUnit.SECONDS);
    }

    /** The state letter in /proc/PID/stat ('T' stopped), or '?' when the process is gone. */
    private static char processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (java.io.IOException e) {
            return '?';
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void jobSurvivesTheConsoleBeingKilledAndANewConsoleSeesItDone() throws Exception {
        Path home = tmp.resolve("home");
        Path out = tmp.resolve("items.txt");
        Path script = countingScript(out, 30, "0.05");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.msyspg.console.Main",
                "upgrade", "run", "--migration-script", script.toString(), "--wait");
        pb.environment().put("MSYSPG_CONSOLE_HOME", home.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("console.out").toFile());
        Process console = pb.start();
        waitFor(Duration.ofSeconds(30), () -> !lines(out).isEmpty());
        // the console dies the hard way (no hooks, no chance to clean up) while the job runs
        console.destroyForcibly();
        assertThat(console.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lines(out).size()).isLessThan(30);

        DeferredJobs jobs = new DeferredJobs(home.resolve("state/jobs"));
        waitFor(Duration.ofSeconds(30), () -> jobs.list().get(0).liveness() == DeferredJobs.Liveness.FINISHED);
        DeferredJobs.View v = jobs.list().get(0);
        assertThat(v.job().status).isEqualTo(DeferredJob.Status.SUCCEEDED);
        assertThat(v.progress()).isEqualTo(1.0);
        assertThat(lines(out)).hasSize(30).last().isEqualTo("item 30");
        assertThat(Files.readString(Path.of(v.job().steps.get(0).logFile))).contains("finished");
    }

    @Test
    void killedRunnerIsSeenAsInterruptedAndResumesFromItsCheckpoint() throws Exception {
        Path out = tmp.resolve("items.txt");
        DeferredJob job = new DeferredJob();
        job.title = "resume test";
        DeferredJob.Step step = new DeferredJob.Step("count", DeferredJob.StepKind.COMMAND);
        step.command.add(countingScript(out, 40, "0.05").toString());
        DeferredJob.Step second = new DeferredJob.Step("after", DeferredJob.StepKind.COMMAND);
        second.command.addAll(List.of("/bin/sh", "-c", "echo second >> '" + out + "'"));
        job.steps.addAll(List.of(step, second));
        DeferredJobs jobs = new DeferredJobs(tmp.resolve("jobs"));
        JobJournal j = jobs.create(job);

        jobs.launch(j);
        assertThat(jobs.awaitRunning(j, 20_000)).isTrue();
        waitFor(Duration.ofSeconds(20), () -> j.read().steps.get(0).checkpoint >= 10);
        crashRunner(j.read().runnerPid);   // SIGKILL: no hook runs, the journal still says RUNNING
        DeferredJobs.View interrupted = jobs.view(j);
        assertThat(interrupted.liveness()).isEqualTo(DeferredJobs.Liveness.INTERRUPTED);
        assertThat(interrupted.summary()).contains("interrupted").contains("upgrade run --job");
        long journaled = interrupted.job().steps.get(0).checkpoint;
        // the journal is updated once a second; the script's own checkpoint file may be ahead of it: the resume uses that
        long checkpoint = Long.parseLong(Files.readString(j.dir().resolve("step-01.checkpoint")).trim());
        int itemsBefore = lines(out).size();
        assertThat(journaled).isBetween(10L, checkpoint);
        assertThat(checkpoint).isBetween(10L, 39L);

        jobs.launch(j);
        waitFor(Duration.ofSeconds(30), () -> jobs.view(j).liveness() == DeferredJobs.Liveness.FINISHED);
        DeferredJob done = j.read();
        assertThat(done.status).isEqualTo(DeferredJob.Status.SUCCEEDED);
        assertThat(done.steps.get(0).attempts).isEqualTo(2);
        List<String> items = lines(out);
        assertThat(items).last().isEqualTo("second");
        Map<String, Long> counts = items.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        for (int i = 1; i <= 40; i++) assertThat(counts).containsKey("item " + i);
        // resumed at the checkpoint: nothing before it was redone (at most the one item in flight at the kill)
        assertThat(items.size()).isLessThanOrEqualTo(41 + 1);
        assertThat(itemsBefore).isGreaterThanOrEqualTo((int) checkpoint);
        assertThat(Files.readString(Path.of(done.steps.get(0).logFile))).contains("starting at " + checkpoint);
    }

    @Test
    void batchMigrationAgainstPostgresResumesWithoutRedoingCommittedBatches() throws Exception {
        PgCluster pg = TestPg.shared();
        String db = TestPg.createDatabase("deferred");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE stats_old(id int PRIMARY KEY, migrated boolean NOT NULL DEFAULT false, touched int NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO stats_old(id) SELECT g FROM generate_series(1, 3000) g");
        }
        DeferredJob job = new DeferredJob();
        job.title = "batch";
        DeferredJob.Step step = new DeferredJob.Step("migrate", DeferredJob.StepKind.SQL_BATCHES);
        step.psql.addAll(List.of("/usr/lib/postgresql/15/bin/psql", "-h", pg.socketDir().toString(), "-p", Integer.toString(pg.port()),
                "-U", TestPg.SUPERUSER, "-d", db, "-w"));
        // pg_sleep slows each batch so that the runner can be killed in the middle of the work
        step.sql = "WITH b AS (SELECT id FROM stats_old WHERE NOT migrated ORDER BY id LIMIT 100 FOR UPDATE), s AS (SELECT pg_sleep(0.05)) "
                + "UPDATE stats_old t SET migrated = true, touched = touched + 1 FROM b, s WHERE t.id = b.id";
        step.expectedRows = 3000L;
        job.steps.add(step);
        DeferredJobs jobs = new DeferredJobs(tmp.resolve("jobs"));
        JobJournal j = jobs.create(job);
        jobs.launch(j);
        assertThat(jobs.awaitRunning(j, 20_000)).isTrue();
        waitFor(Duration.ofSeconds(30), () -> j.read().steps.get(0).checkpoint >= 5);
        crashRunner(j.read().runnerPid);
        assertThat(jobs.view(j).liveness()).isEqualTo(DeferredJobs.Liveness.INTERRUPTED);
        assertThat(jobs.view(j).progress()).isBetween(0.1, 0.99);

        jobs.launch(j);
        waitFor(Duration.ofSeconds(60), () -> jobs.view(j).liveness() == DeferredJobs.Liveness.FINISHED);
        DeferredJob done = j.read();
        assertThat(done.status).as(done.message).isEqualTo(DeferredJob.Status.SUCCEEDED);
        // a batch that committed at the instant of the kill was not journaled (29), yet never redone: the statement
        // only picks rows not yet migrated, and the table check below proves each row was migrated exactly once
        assertThat(done.steps.get(0).checkpoint).isBetween(29L, 30L);
        assertThat(done.steps.get(0).rowsDone).isEqualTo(100 * done.steps.get(0).checkpoint);
        try (Connection c = pg.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE migrated), max(touched), min(touched) FROM stats_old")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3000);
            assertThat(rs.getInt(2)).as("no row migrated twice").isEqualTo(1);
            assertThat(rs.getInt(3)).isEqualTo(1);
        }
    }

    @Test
    void stopRecordsTheCheckpointAndAFailedStepStopsTheJobWithItsReason() throws Exception {
        Path out = tmp.resolve("items.txt");
        DeferredJob job = new DeferredJob();
        job.title = "stop test";
        DeferredJob.Step step = new DeferredJob.Step("count", DeferredJob.StepKind.COMMAND);
        step.command.add(countingScript(out, 1000, "0.05").toString());
        job.steps.add(step);
        DeferredJobs jobs = new DeferredJobs(tmp.resolve("jobs"));
        JobJournal j = jobs.create(job);
        jobs.launch(j);
        assertThat(jobs.awaitRunning(j, 20_000)).isTrue();
        waitFor(Duration.ofSeconds(20), () -> j.read().steps.get(0).checkpoint >= 3);
        jobs.stop(j, 20);
        DeferredJobs.View v = jobs.view(j);
        assertThat(v.liveness()).isEqualTo(DeferredJobs.Liveness.FINISHED);
        assertThat(v.job().status).isEqualTo(DeferredJob.Status.STOPPED);
        assertThat(v.job().message).contains("stopped at checkpoint");
        int written = lines(out).size();
        Thread.sleep(300);
        assertThat(lines(out)).as("the step's process was stopped too").hasSize(written);

        DeferredJob failing = new DeferredJob();
        failing.title = "fails";
        DeferredJob.Step bad = new DeferredJob.Step("bad", DeferredJob.StepKind.COMMAND);
        bad.command.addAll(List.of("/bin/sh", "-c", "echo 'ERROR: relation \"rt_log.x\" does not exist' >&2; exit 3"));
        DeferredJob.Step never = new DeferredJob.Step("never", DeferredJob.StepKind.COMMAND);
        never.command.addAll(new ArrayList<>(List.of("/bin/true")));
        failing.steps.addAll(List.of(bad, never));
        JobJournal f = jobs.create(failing);
        jobs.launch(f);
        waitFor(Duration.ofSeconds(20), () -> jobs.view(f).liveness() == DeferredJobs.Liveness.FINISHED);
        DeferredJob r = f.read();
        assertThat(r.status).isEqualTo(DeferredJob.Status.FAILED);
        assertThat(r.message).contains("step 1 (bad) failed").contains("status 3");
        assertThat(r.steps.get(1).status).isEqualTo(DeferredJob.StepStatus.PENDING);
        assertThat(DeferredJobs.tail(Path.of(r.steps.get(0).logFile), 4096)).contains("does not exist");
    }
}
