package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionFailure;
import io.msyspg.console.core.connect.ConnectionProfile;
import io.msyspg.console.core.connect.ConnectionResolver;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.Connector;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.connect.ProfileService;
import io.msyspg.console.core.connect.SecretStores;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.core.task.JobContext;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libpq-style connection options shared by every subcommand that talks to a database: {@code -h -p -d -U},
 * {@code --profile NAME} (a saved connection) and {@code --service NAME} (an entry of pg_service.conf), with
 * the {@code PG*} environment variables as defaults, as psql does. Use as a picocli {@code @Mixin}.
 *
 * <p>Passwords: never an option. Taken from the service entry, the profile's secret store, {@code PGPASSWORD},
 * or the password file ({@code PGPASSFILE} / {@code ~/.pgpass}); when the server still asks for one and a
 * terminal is attached, prompted for (not echoed).
 */
public final class ConnectionOptions {
    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Server host or socket directory (default: $PGHOST or localhost).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: $PGPORT or 5432).")
    Integer port;

    @Option(names = {"-d", "--dbname"}, paramLabel = "DB", description = "Database (default: $PGDATABASE or the user name).")
    String database;

    @Option(names = {"-U", "--username"}, paramLabel = "USER", description = "User (default: $PGUSER or the OS user).")
    String user;

    @Option(names = "--profile", paramLabel = "NAME", description = "A saved connection profile (see 'profile list'); -h -p -d -U override its fields.")
    String profile;

    @Option(names = "--service", paramLabel = "NAME", description = "An entry of pg_service.conf (default: $PGSERVICE).")
    String service;

    /** For tests: replaces the process environment, home and console. */
    Map<String, String> env = System.getenv();
    Path home = Path.of(System.getProperty("user.home"));
    AppDirs dirs;
    PasswordPrompt prompt = PasswordPrompt.console();
    PrintStream err = System.err;

    /** Reads a secret from the user; empty when nobody can answer (no terminal). */
    @FunctionalInterface
    interface PasswordPrompt {
        Optional<char[]> ask(String prompt);

        static PasswordPrompt console() {
            return text -> {
                Console c = System.console();
                if (c == null) return Optional.empty();
                char[] pw = c.readPassword("%s", text);
                return Optional.ofNullable(pw);
            };
        }
    }

    private AppDirs dirs() {
        return dirs != null ? dirs : AppDirs.fromEnvironment();
    }

    private ProfileService profiles() {
        AppDirs d = dirs();
        return new ProfileService(SettingsStore.open(d), SecretStores.open(d));
    }

    public ConnectionResolver.Request request() {
        return new ConnectionResolver.Request(profile, service, host, port, database, user);
    }

    /** Where to connect: options, profile, service, environment, defaults (in that order). */
    public ConnectionResolver.Resolved resolve() {
        ProfileService ps = profile != null ? profiles() : null;
        return new ConnectionResolver(ps, env, home).resolve(request());
    }

    /** The target from the options, falling back to the given environment. */
    public ConnectionTarget target(Map<String, String> environment) {
        ProfileService ps = profile != null ? profiles() : null;
        return new ConnectionResolver(ps, environment, home).resolve(request()).target();
    }

    /** Opens a session (bounded by the connect timeout; errors are one clear sentence). */
    public PooledDbSession open() {
        ProfileService ps = profile != null ? profiles() : null;
        ConnectionResolver resolver = new ConnectionResolver(ps, env, home);
        ConnectionResolver.Resolved r = resolver.resolve(request());
        ConnectionTarget t = r.target();
        SecretStores secrets = ps == null ? null : ps.secrets();
        ConnectionProfile p = r.profile();
        if (p != null && secrets != null && secrets.needsUnlock(p.passwordStorage) && secrets.file().exists()) {
            Optional<char[]> master = prompt.ask("Master password for the console's secret store: ");
            master.ifPresent(m -> {
                try {
                    secrets.file().unlock(m);
                } finally {
                    Arrays.fill(m, '\0');
                }
            });
        }
        List<String> warnings = new ArrayList<>();
        char[] pw = resolver.password(r, secrets, warnings).orElse(null);
        warnings.forEach(w -> err.println("msyspg-console: warning: " + w));
        int timeout = ps != null ? ps.connectTimeoutSeconds() : PooledDbSession.DEFAULT_CONNECT_TIMEOUT_SECONDS;
        try {
            return Connector.open(t, pw, timeout, JobContext.none());
        } catch (ConnectionFailure f) {
            boolean asks = f.kind() == ConnectionFailure.Kind.PASSWORD_REQUIRED
                    || (pw == null && f.kind() == ConnectionFailure.Kind.AUTH_FAILED);
            if (!asks) throw f;
            Optional<char[]> typed = prompt.ask("Password for user " + t.user() + ": ");
            if (typed.isEmpty()) throw f;
            char[] entered = typed.get();
            try {
                return Connector.open(t, entered, timeout, JobContext.none());
            } finally {
                Arrays.fill(entered, '\0');
            }
        } finally {
            if (pw != null) Arrays.fill(pw, '\0');
        }
    }

    /** The profile named by {@code --profile}, when one was given. */
    public Optional<ConnectionProfile> selectedProfile() {
        if (profile == null) return Optional.empty();
        return profiles().byName(profile);
    }

    static ConsoleException usage(String message) {
        return new ConsoleException(message);
    }
}
