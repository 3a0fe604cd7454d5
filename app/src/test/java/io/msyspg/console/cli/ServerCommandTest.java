package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {
    static PgCluster cluster;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll static void up() throws Exception {
        cluster = TestPg.privateCluster();
        // the CLI takes its password from PGPASSWORD only: let this private cluster trust local TCP instead
        Path hba = cluster.dataDir().resolve("pg_hba.conf");
        Files.writeString(hba, "host all all 127.0.0.1/32 trust\n" + Files.readString(hba));
        assertThat(run("server", "reload", "-D", cluster.dataDir().toString()).code()).isZero();
    }

    @AfterAll static void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    void statusStopStartFromTheCommandLine() {
        String d = cluster.dataDir().toString();
        Run st = run("server", "status", "-D", d);
        assertThat(st.code()).isZero();
        assertThat(st.out()).startsWith("running (PID ").contains("  port       " + cluster.port());

        Run stop = run("server", "stop", "-D", d, "--mode", "fast");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("pg_ctl", "-m fast", "Server stopped.");
        Run down = run("server", "status", "-D", d);
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.out()).startsWith("not running (no postmaster.pid");

        Run start = run("server", "start", "-D", d);
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.out()).contains("Server started: running (PID");

        Run bad = run("server", "stop", "-D", d, "--mode", "sideways");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("'sideways' is not a shutdown mode");
        Run missing = run("server", "status");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Give the data directory with -D DATADIR, or --profile NAME");
        Run noProfile = run("server", "status", "--profile", "no such profile");
        assertThat(noProfile.code()).isEqualTo(1);
        assertThat(noProfile.err()).contains("no connection profile named 'no such profile'");
        Run nodir = run("server", "status", "-D", d + "-nope");
        assertThat(nodir.code()).isEqualTo(1);
        assertThat(nodir.err()).contains("does not exist");
    }

    @Test
    void configChangedAsJson() throws Exception {
        Run r = run("server", "config", "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres",
                "-d", "postgres", "--changed", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = SettingsStore.mapper().readTree(r.out());
        assertThat(root.get("settings").findValuesAsText("name")).contains("log_filename", "logging_collector").doesNotContain("work_mem");
        assertThat(root.get("warnings").toString()).contains("repeats every hour");
        assertThat(root.get("file_settings_readable").asBoolean()).isTrue();

        Run text = run("server", "config", "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres",
                "-d", "postgres", "--logging");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("log_rotation_size", "100MB").doesNotContain("work_mem ");
        assertThat(text.err()).contains("warning: log_filename");
    }
}
