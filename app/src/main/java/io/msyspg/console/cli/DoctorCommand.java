package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.BuildInfo;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Print the Java and JavaFX versions, the console's directories, and every PostgreSQL tool found.")
final class DoctorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--tools-dir", paramLabel = "DIR", description = "Search this directory first (default: the configured one).")
    String toolsDir;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AppDirs dirs = AppDirs.fromEnvironment();
        out.println("msyspg-console " + BuildInfo.version());
        out.println("Java     " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")
                + " at " + System.getProperty("java.home"));
        out.println("JavaFX   " + BuildInfo.javafxVersion());
        out.println("Config   " + dirs.config());
        out.println("State    " + dirs.state());
        out.println("Cache    " + dirs.cache());
        out.println("Log file " + dirs.logs().resolve("console.log"));
        PgToolLocator locator = CliTools.locator(toolsDir);
        out.println();
        out.println("PostgreSQL tools (searched: " + String.join(", ", locator.searchDirs().stream().map(Path::toString).toList()) + ")");
        int missing = 0;
        for (Map.Entry<String, List<PgTool>> e : locator.inventory().entrySet()) {
            if (e.getValue().isEmpty()) {
                out.printf("  %-16s not found%n", e.getKey());
                missing++;
            }
            for (PgTool t : e.getValue()) out.printf("  %-16s %-8s %s%n", e.getKey(), t.version(), t.path());
        }
        if (missing > 0) {
            out.println();
            out.println(missing + " tool(s) not found: install the PostgreSQL client (and server) packages of your server's major,"
                    + " or point --tools-dir at them (Momentum: /opt/msys/3rdParty/bin).");
        }
        return 0;
    }
}
