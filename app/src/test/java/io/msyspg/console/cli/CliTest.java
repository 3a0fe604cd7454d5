package io.msyspg.console.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = ConsoleCommand.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").out()).startsWith("msyspg-console ").contains("Java 17");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("doctor").contains("Exit codes");
    }

    @Test
    void noSubcommandMeansGui() {
        assertThat(run().code()).isEqualTo(ConsoleCommand.OPEN_GUI);
        assertThat(run("--demo").code()).isEqualTo(ConsoleCommand.OPEN_GUI);
        assertThat(ConsoleCommand.demoRequested("--demo")).isTrue();
    }

    @Test
    void badUsageExitsTwoWithOneLineReason() {
        Run r = run("--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("msyspg-console: Unknown option: '--no-such-option'");
    }

    @Test
    void doctorListsJavaFxDirectoriesAndEveryTool() {
        Run r = run("doctor");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("JavaFX   21.").contains("Config   ").contains("State    ");
        for (String tool : io.msyspg.console.core.tools.PgToolLocator.TOOLS) assertThat(r.out()).contains(tool);
        assertThat(r.out()).containsPattern("pg_dump\\s+15\\.\\d+\\s+/usr/lib/postgresql/15/bin/pg_dump");
    }

    @Test
    void doctorSearchesTheGivenToolsDirFirst() {
        Run r = run("doctor", "--tools-dir", "/nonexistent/tools");
        assertThat(r.out()).contains("searched: /nonexistent/tools, /opt/msys/3rdParty/bin");
    }
}
