package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msyspg.console.core.cluster.PgCluster.StopMode;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.server.ConfigService;
import io.msyspg.console.core.server.ServerControl;
import io.msyspg.console.core.server.ServerStatus;
import io.msyspg.console.core.server.ServerTarget;
import io.msyspg.console.core.server.Setting;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.task.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code server status|start|stop|restart|reload (-D DATADIR) [--service-command CMD]} and
 * {@code server config [--changed] [--json]}.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Control a PostgreSQL server on this host and show its configuration.",
        subcommands = {ServerCommand.Status.class, ServerCommand.Start.class, ServerCommand.Stop.class,
                ServerCommand.Restart.class, ServerCommand.Reload.class, ServerCommand.Config.class},
        footer = {"", "Examples:",
                "  msyspg-console server status -D /var/db/msyspg",
                "  msyspg-console server restart -D /var/db/msyspg --service-command /etc/init.d/msyspg",
                "  msyspg-console server stop -D /var/db/msyspg --mode immediate",
                "  msyspg-console server config -h localhost -U msyspg -d ecelerity --changed"})
final class ServerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Where the server is: -D and --service-command (a connection profile will fill the same values). */
    static final class ServerOptions {
        @Option(names = {"-D", "--pgdata"}, paramLabel = "DATADIR",
                description = "The server's data directory (Momentum: /var/db/msyspg).")
        Path dataDir;

        @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) CommandSpec mixee;

        @Option(names = "--profile", paramLabel = "NAME",
                description = "A saved connection profile whose data directory, service command and tools directory are used"
                        + " (-D, --service-command override them).")
        String profile;

        @Option(names = "--service-command", paramLabel = "CMD",
                description = "Start/stop through this command instead of pg_ctl; the action is appended, or replaces {action} "
                        + "(e.g. '/etc/init.d/msyspg' or 'systemctl {action} postgresql@15-main').")
        String serviceCommand;

        @Option(names = "--bin-dir", paramLabel = "DIR", description = "Folder of the server's pg_ctl (default: found by the data directory's major).")
        Path binDir;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "90", description = "How long to wait for start/stop (default: ${DEFAULT-VALUE}).")
        long waitSeconds;

        /** The server to control; the single place a --profile option will resolve a profile's values. */
        ServerTarget target() {
            return target(profile());
        }

        private ServerTarget target(io.msyspg.console.core.connect.ConnectionProfile p) {
            Path dir = dataDir;
            String service = serviceCommand;
            if (p != null) {
                if (dir == null && p.dataDir != null && !p.dataDir.isBlank()) dir = Path.of(p.dataDir);
                if (service == null && p.serviceCommand != null && !p.serviceCommand.isBlank()) service = p.serviceCommand;
            }
            if (dir == null) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(), p == null
                        ? "Give the data directory with -D DATADIR, or --profile NAME of a profile that has one."
                        : "Profile '" + p.name + "' has no data directory; give -D DATADIR or set it in the profile.");
            }
            return new ServerTarget(dir, service, binDir);
        }

        private io.msyspg.console.core.connect.ConnectionProfile profile() {
            if (profile == null) return null;
            AppDirs d = AppDirs.fromEnvironment();
            return new io.msyspg.console.core.connect.ProfileService(SettingsStore.open(d),
                    io.msyspg.console.core.connect.SecretStores.open(d)).byName(profile)
                    .orElseThrow(() -> new io.msyspg.console.core.common.ConsoleException(
                            "There is no connection profile named '" + profile + "' (see 'msyspg-console profile list')."));
        }

        ServerControl control() {
            var p = profile();
            return new ServerControl(target(p), CliTools.locator(p != null ? p.toolsDir : null)).waitSeconds(waitSeconds);
        }
    }

    abstract static class ControlCommand implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ServerOptions server;

        abstract ServerStatus perform(ServerControl control, JobControl ctx, java.util.function.Consumer<String> out);

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ServerControl control = server.control();
            JobRunner.runInForeground(ctx -> perform(control, (JobControl) ctx, line -> {
                out.println(line);
                out.flush();
            }), JobControl.ProgressListener.NONE);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show whether the server runs: PID, start time and uptime from postmaster.pid, port, data directory.",
                    "Exit code 0 when it runs, 1 when it does not."})
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ServerOptions server;

        @Override public Integer call() {
            ServerStatus s = server.control().status();
            PrintWriter out = spec.commandLine().getOut();
            out.println(s.describe());
            if (s.running()) {
                out.println("  PID        " + s.pid());
                if (s.startTime() != null) out.println("  started    " + s.startTime() + " (up " + ServerStatus.formatUptime(s.uptime()) + ")");
                if (s.port() != null) out.println("  port       " + s.port());
                if (s.socketDir() != null) out.println("  socket dir " + s.socketDir());
                if (s.listenAddress() != null) out.println("  listening  " + s.listenAddress());
                if (s.pmStatus() != null) out.println("  state      " + s.pmStatus());
                out.println("  data       " + s.dataDir());
            }
            return s.running() ? 0 : 1;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the server; on failure, show the end of the server log.")
    static final class Start extends ControlCommand {
        @Override ServerStatus perform(ServerControl c, JobControl ctx, java.util.function.Consumer<String> out) {
            return c.start(ctx, out);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the server (smart: wait for sessions to end; fast: roll back and disconnect them; immediate: abort, recovery at next start).")
    static final class Stop extends ControlCommand {
        @Option(names = {"-m", "--mode"}, paramLabel = "MODE", converter = StopModeConverter.class, description = "smart, fast (default) or immediate.")
        StopMode mode;

        @Override ServerStatus perform(ServerControl c, JobControl ctx, java.util.function.Consumer<String> out) {
            return c.stop(mode, ctx, out);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart the server (needed for settings of context 'postmaster').")
    static final class Restart extends ControlCommand {
        @Option(names = {"-m", "--mode"}, paramLabel = "MODE", converter = StopModeConverter.class, description = "Shutdown mode: smart, fast (default) or immediate.")
        StopMode mode;

        @Override ServerStatus perform(ServerControl c, JobControl ctx, java.util.function.Consumer<String> out) {
            return c.restart(mode, ctx, out);
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, description = "Make the server re-read its configuration files (pg_ctl reload).")
    static final class Reload extends ControlCommand {
        @Override ServerStatus perform(ServerControl c, JobControl ctx, java.util.function.Consumer<String> out) {
            return c.reload(ctx, out);
        }
    }

    @Command(name = "config", description = "List the server's settings with their source file and line, pending restarts and file errors.")
    static final class Config implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin HelpOption help;
        @Mixin ConnectionOptions connection;

        @Option(names = "--changed", description = "Only settings changed from their default.")
        boolean changed;

        @Option(names = "--pending-restart", description = "Only settings whose new value waits for a restart.")
        boolean pending;

        @Option(names = "--logging", description = "Only the logging group (logging_collector, log_directory, log_filename…).")
        boolean logging;

        @Option(names = "--category", paramLabel = "TEXT", description = "Only this category (as in pg_settings.category).")
        String category;

        @Option(names = "--json", description = "JSON output.")
        boolean json;

        @Override public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConfigService.Snapshot snap;
            try (PooledDbSession session = connection.open()) {
                snap = new ConfigService(session).load();
            }
            ConfigService.Filter f = pending ? ConfigService.Filter.PENDING_RESTART : changed ? ConfigService.Filter.CHANGED
                    : logging ? ConfigService.Filter.LOGGING : ConfigService.Filter.ALL;
            List<Setting> rows = ConfigService.filter(snap.settings(), f, category, null);
            if (changed && (pending || logging)) {
                rows = rows.stream().filter(Setting::changedFromDefault).toList();
            }
            List<String> warnings = ConfigService.loggingWarnings(snap);
            if (json) {
                ObjectMapper m = SettingsStore.mapper();
                ObjectNode root = m.createObjectNode();
                ArrayNode arr = root.putArray("settings");
                for (Setting s : rows) {
                    ObjectNode o = arr.addObject();
                    o.put("name", s.name()).put("value", s.display()).put("setting", s.setting()).put("unit", s.unit())
                            .put("default", s.displayDefault()).put("source", s.source()).put("sourcefile", s.sourceFile())
                            .put("sourceline", s.sourceLine()).put("context", s.context()).put("pending_restart", s.pendingRestart())
                            .put("category", s.category()).put("description", s.description());
                }
                ArrayNode errs = root.putArray("file_errors");
                for (ConfigService.FileError e : snap.fileErrors()) errs.add(e.describe());
                ArrayNode w = root.putArray("warnings");
                warnings.forEach(w::add);
                root.put("file_settings_readable", snap.fileSettingsReadable());
                out.println(m.writeValueAsString(root));
            } else {
                out.printf("%-36s %-28s %-28s %-11s %s%n", "NAME", "VALUE", "DEFAULT", "CONTEXT", "SOURCE");
                for (Setting s : rows) {
                    out.printf("%-36s %-28s %-28s %-11s %s%s%n", s.name(), cut(s.display(), 28), cut(s.displayDefault(), 28), s.context(),
                            s.where(), s.pendingRestart() ? "  [pending restart]" : "");
                }
                out.println(rows.size() + " setting(s).");
                for (ConfigService.FileError e : snap.fileErrors()) err.println("file error: " + e.describe());
                if (!snap.fileSettingsReadable()) err.println("note: pg_file_settings is not readable by this role (superuser only): file errors are not shown.");
                if (!snap.pendingRestart().isEmpty()) {
                    err.println("RESTART NEEDED for: " + String.join(", ", snap.pendingRestart().stream().map(Setting::name).toList()));
                }
                for (String x : warnings) err.println("warning: " + x);
            }
            return snap.fileErrors().isEmpty() ? 0 : 3;
        }

        private static String cut(String s, int n) {
            if (s == null) return "";
            return s.length() <= n ? s : s.substring(0, n - 1) + "…";
        }
    }


    static final class StopModeConverter implements picocli.CommandLine.ITypeConverter<StopMode> {
        @Override public StopMode convert(String v) {
            for (StopMode m : StopMode.values()) if (m.name().equalsIgnoreCase(v.strip())) return m;
            throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a shutdown mode: use smart, fast or immediate");
        }
    }
}
