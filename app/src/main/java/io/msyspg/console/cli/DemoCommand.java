package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.demo.DemoSandbox;
import io.msyspg.console.core.demo.DemoTraffic;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.task.JobRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code demo start|stop|status|reset}: the demo sandbox (a real PostgreSQL with a Momentum-like
 * {@code ecelerity} database and live traffic). {@code start} and {@code status} print the libpq URL as their
 * last stdout line, so {@code psql "$(msyspg-console demo status | tail -1)"} works.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The demo sandbox: a local PostgreSQL with a Momentum-like 'ecelerity' database and live traffic.",
                "start and status print the libpq URL (postgresql://msyspg@127.0.0.1:PORT/ecelerity) as their last line."},
        subcommands = {DemoCommand.Start.class, DemoCommand.Stop.class, DemoCommand.Status.class, DemoCommand.Reset.class,
                DemoCommand.Traffic.class})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().getErr().println("msyspg-console demo: say start, stop, status or reset (see --help)");
        return 2;
    }

    static DemoSandbox sandbox(String dir) {
        AppDirs dirs = AppDirs.fromEnvironment();
        return dir == null ? new DemoSandbox(dirs) : new DemoSandbox(dirs, Path.of(dir));
    }

    /** Accepts small/large in any case. */
    static final class SizeConverter implements CommandLine.ITypeConverter<DemoSandbox.Size> {
        @Override public DemoSandbox.Size convert(String value) {
            try {
                return DemoSandbox.Size.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size: use small or large");
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Create (first time) or reuse the sandbox, start its server and traffic generator.",
                    "Progress goes to stderr; the last stdout line is the libpq URL."})
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--size", paramLabel = "small|large", converter = SizeConverter.class,
                description = "Size of a new sandbox: small (fast, ~900 partitions) or large (>= 20,000 partitions). Default: small.")
        DemoSandbox.Size size = DemoSandbox.Size.SMALL;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the generated history (default: ${DEFAULT-VALUE}).")
        long seed = DemoSandbox.DEFAULT_SEED;

        @Option(names = "--dir", paramLabel = "DIR", hidden = true, description = "Sandbox folder (default: see docs/demo.md).")
        String dir;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DemoSandbox sb = sandbox(dir);
            sb.loadedSize().ifPresent(existing -> {
                if (existing != size) {
                    err.println("msyspg-console: reusing the existing " + existing.name().toLowerCase(Locale.ROOT)
                            + " sandbox (run 'demo reset' first to build a " + size.name().toLowerCase(Locale.ROOT) + " one)");
                }
            });
            long t0 = System.nanoTime();
            DemoSandbox.Status st = JobRunner.runInForeground(ctx -> sb.start(size, seed, ctx), new JobControl.ProgressListener() {
                @Override public void progress(double done, double total) { }

                @Override public void message(String message) {
                    err.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, message);
                    err.flush();
                }
            });
            printStatus(out, sb, st);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the sandbox's server and traffic; the data stays.")
    static final class Stop implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--dir", paramLabel = "DIR", hidden = true) String dir;

        @Override public Integer call() {
            DemoSandbox sb = sandbox(dir);
            DemoSandbox.Status before = sb.status();
            sb.stop();
            spec.commandLine().getOut().println(before.dataDir() == null ? "No demo sandbox in " + sb.home()
                    : "Demo sandbox stopped; data kept in " + sb.home() + " ('demo reset' deletes it)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the sandbox; exit 0 and print the libpq URL as the last line when it runs, exit 1 otherwise."})
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--dir", paramLabel = "DIR", hidden = true) String dir;

        @Override public Integer call() {
            DemoSandbox sb = sandbox(dir);
            DemoSandbox.Status st = sb.status();
            if (st.dataDir() == null) {
                spec.commandLine().getOut().println("Folder   " + sb.home());
                spec.commandLine().getErr().println("msyspg-console: there is no demo sandbox in " + sb.home() + " (create it with: msyspg-console demo start)");
                return 1;
            }
            if (!st.running()) {
                printDetails(spec.commandLine().getOut(), sb, st);
                spec.commandLine().getErr().println("msyspg-console: the demo sandbox is " + (st.exists() ? "stopped" : "incomplete")
                        + " (start it with: msyspg-console demo start)");
                return 1;
            }
            printStatus(spec.commandLine().getOut(), sb, st);
            return 0;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Stop the sandbox and delete it with all its data.")
    static final class Reset implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--dir", paramLabel = "DIR", hidden = true) String dir;

        @Override public Integer call() {
            DemoSandbox sb = sandbox(dir);
            sb.reset();
            spec.commandLine().getOut().println("Demo sandbox deleted from " + sb.home());
            return 0;
        }
    }

    /** The detached traffic generator ({@code demo start} launches it; not meant to be typed). */
    @Command(name = "traffic", hidden = true, description = "Run the demo traffic generator in the foreground.")
    static final class Traffic implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true) String dir;

        @Override public Integer call() throws Exception {
            return new DemoTraffic(sandbox(dir), System.out).run();
        }
    }

    static void printDetails(PrintWriter out, DemoSandbox sb, DemoSandbox.Status st) {
        out.println("Folder   " + sb.home());
        out.println("State    " + (st.running() ? "running" : "stopped") + (st.exists() ? "" : " (load incomplete)")
                + (st.running() ? ", traffic " + (sb.trafficRunning() ? "running" : "not running") : ""));
        sb.describe().ifPresent(d -> out.println("Data     " + d));
        out.println("Server   " + st.host() + ":" + st.port() + ", data " + st.dataDir());
        out.println("Log      " + st.logDir());
        out.println("Users    " + st.superuser() + " (superuser), " + st.appUser() + " (application); no password from this host");
    }

    static void printStatus(PrintWriter out, DemoSandbox sb, DemoSandbox.Status st) {
        printDetails(out, sb, st);
        out.println(st.url());
        out.flush();
    }
}
