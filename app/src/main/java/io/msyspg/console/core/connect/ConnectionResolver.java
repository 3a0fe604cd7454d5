package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out where to connect and with which password the way psql does, plus the console's profiles.
 * Each setting comes from the first of: the command line (-h -p -d -U), the profile ({@code --profile}), the
 * service entry ({@code --service} or {@code PGSERVICE}, parsed by {@link PgServiceFile}), the {@code PG*}
 * environment variables, the defaults (localhost, 5432, the OS user). The password from the first of: the
 * service entry's {@code password}, the profile's stored secret, {@code PGPASSWORD}, the password file
 * ({@code PGPASSFILE} or {@code ~/.pgpass}); else the caller prompts when the server asks for one.
 */
public final class ConnectionResolver {
    public record Request(String profile, String service, String host, Integer port, String database, String user) {
        public static Request none() { return new Request(null, null, null, null, null, null); }
    }

    /** The target, and what it came from (for {@code --verbose} and the CLI's messages). */
    public record Resolved(ConnectionTarget target, ConnectionProfile profile, PgServiceFile.Service service, List<String> notes) {}

    private final ProfileService profiles;
    private final Map<String, String> env;
    private final Path home;

    public ConnectionResolver(ProfileService profiles, Map<String, String> env, Path home) {
        this.profiles = profiles;
        this.env = env;
        this.home = home;
    }

    public Resolved resolve(Request r) {
        List<String> notes = new ArrayList<>();
        ConnectionProfile p = null;
        if (r.profile() != null && !r.profile().isBlank()) {
            if (profiles == null) throw new ConsoleException("No connection profiles are available here.");
            p = profiles.byName(r.profile()).orElseThrow(() -> new ConsoleException("No connection profile named '" + r.profile()
                    + "' (known: " + String.join(", ", profiles.list().stream().map(x -> x.name).toList()) + ")."));
            notes.add("profile '" + p.name + "'");
        }
        String serviceName = first(r.service(), p == null ? env.get("PGSERVICE") : null);
        PgServiceFile.Service svc = null;
        if (serviceName != null) {
            svc = PgServiceFile.find(serviceName, env, home);
            notes.add("service '" + serviceName + "' from " + svc.file());
            if (!svc.unusedKeys().isEmpty()) notes.add("service keys not used by the console: " + String.join(", ", svc.unusedKeys()));
        }
        String host = first(r.host(), p == null ? null : p.host, svc == null ? null : svc.host(), env.get("PGHOST"), "localhost");
        Integer port = r.port() != null ? r.port() : p != null ? Integer.valueOf(p.port) : svc != null && svc.port() != null ? svc.port() : envPort();
        String user = first(r.user(), p == null ? null : p.user, svc == null ? null : svc.get("user").orElse(null),
                env.get("PGUSER"), System.getProperty("user.name"));
        String db = first(r.database(), p == null ? null : p.database, svc == null ? null : svc.get("dbname").orElse(null),
                env.get("PGDATABASE"), user);
        String sslMode = first(p == null ? null : p.sslMode, svc == null ? null : svc.get("sslmode").orElse(null), env.get("PGSSLMODE"), "prefer");
        String root = first(p == null ? null : p.sslRootCert, svc == null ? null : svc.get("sslrootcert").orElse(null), env.get("PGSSLROOTCERT"));
        String app = first(p == null ? null : p.applicationName, svc == null ? null : svc.get("application_name").orElse(null),
                env.get("PGAPPNAME"), ConnectionTarget.DEFAULT_APPLICATION_NAME);
        if (host.startsWith("/")) notes.add("socket directory " + host + ": connecting over TCP to localhost (pgjdbc has no Unix-socket support)");
        return new Resolved(new ConnectionTarget(host, port, db, user, sslMode, root, app), p, svc, notes);
    }

    /**
     * The password without asking anyone: service entry, profile secret (keyring, or the encrypted file when
     * unlocked), {@code PGPASSWORD}, password file. {@code warnings} receives the password file's warnings.
     */
    public Optional<char[]> password(Resolved r, SecretStores secrets, List<String> warnings) {
        if (r.service() != null && r.service().get("password").isPresent()) return Optional.of(r.service().get("password").get().toCharArray());
        if (r.profile() != null && secrets != null) {
            SecretStore s = secrets.forStorage(r.profile().passwordStorage);
            if (s != null && s.available() && !(s instanceof EncryptedFileSecretStore f && !f.isUnlocked())) {
                Optional<char[]> pw = s.get(r.profile().secretKey());
                if (pw.isPresent()) return pw;
            }
        }
        String envPw = env.get("PGPASSWORD");
        if (envPw != null && !envPw.isEmpty()) return Optional.of(envPw.toCharArray());
        PgPassFile pass = PgPassFile.load(env, home);
        try {
            warnings.addAll(pass.warnings());
            return pass.lookup(r.target());
        } finally {
            pass.clear();
        }
    }

    private int envPort() {
        String s = env.get("PGPORT");
        if (s == null || s.isBlank()) return 5432;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ConsoleException("PGPORT is not a port number: '" + s + "'.");
        }
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
