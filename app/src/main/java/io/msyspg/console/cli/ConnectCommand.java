package io.msyspg.console.cli;

import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.connect.ServerTools;
import io.msyspg.console.core.tools.PgTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "connect", description = {"Test a connection: connect, print the server version and the client tools chosen for it.",
        "Connection: --profile NAME, --service NAME, or -h -p -d -U with the PG* variables, as psql."})
final class ConnectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions conn;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var resolved = conn.resolve();
        for (String n : resolved.notes()) out.println("using " + n);
        try (PooledDbSession s = conn.open()) {
            out.println("Connected to " + s.target().display() + " (PostgreSQL " + s.serverVersion() + ")");
            String profileTools = conn.selectedProfile().map(p -> p.toolsDir).orElse(null);
            String configured = CliTools.configuredDir();
            ServerTools tools = ServerTools.forSession(s, profileTools, configured);
            int missing = 0;
            for (String t : new String[]{"pg_dump", "pg_restore", "psql"}) {
                Optional<PgTool> tool = tools.find(t);
                if (tool.isPresent()) {
                    out.printf("  %-11s %-8s %s%n", t, tool.get().version(), tool.get().path());
                } else {
                    missing++;
                    out.printf("  %-11s %s%n", t, tools.locator().explainMissing(t, s.serverVersion()));
                }
            }
            return missing == 0 ? 0 : 3;
        }
    }
}
