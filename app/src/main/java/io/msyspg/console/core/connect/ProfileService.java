package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.settings.SettingsStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Create, edit, duplicate and delete connection profiles (stored as JSON in the settings file, section
 * {@code connections}); the password of a profile goes to its {@link SecretStore}, never to the profile.
 */
public final class ProfileService {
    private final SettingsStore store;
    private final SecretStores secrets;

    public ProfileService(SettingsStore store, SecretStores secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    public SecretStores secrets() { return secrets; }

    public synchronized List<ConnectionProfile> list() {
        List<ConnectionProfile> out = new ArrayList<>();
        for (ConnectionProfile p : store.get(ConnectionSettings.class).profiles) out.add(p.copySameId());
        return out;
    }

    public synchronized Optional<ConnectionProfile> byName(String name) {
        return list().stream().filter(p -> p.name.equals(name)).findFirst()
                .or(() -> list().stream().filter(p -> p.name.equalsIgnoreCase(name)).findFirst());
    }

    public synchronized Optional<ConnectionProfile> byId(String id) {
        return list().stream().filter(p -> p.id.equals(id)).findFirst();
    }

    /** Checks a profile; returns the problems found (empty when it can be saved). */
    public List<String> validate(ConnectionProfile p) {
        List<String> problems = new ArrayList<>();
        if (p.name == null || p.name.isBlank()) problems.add("The profile needs a name.");
        if (p.host == null || p.host.isBlank()) problems.add("The host (or socket directory) is empty.");
        if (p.port < 1 || p.port > 65535) problems.add("The port must be between 1 and 65535 (got " + p.port + ").");
        if (p.user == null || p.user.isBlank()) problems.add("The user is empty.");
        if (p.sslMode != null && !List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
                .contains(p.sslMode.toLowerCase(Locale.ROOT))) {
            problems.add("Unknown sslmode '" + p.sslMode + "' (disable, allow, prefer, require, verify-ca, verify-full).");
        }
        for (ConnectionProfile other : list()) {
            if (!other.id.equals(p.id) && other.name.equalsIgnoreCase(p.name == null ? "" : p.name.trim())) {
                problems.add("Another profile is already named '" + other.name + "'.");
            }
        }
        return problems;
    }

    /**
     * Saves (creates or replaces by id) a profile. When {@code password} is given it goes to the profile's
     * storage ({@link ConnectionProfile.PasswordStorage#ASK} and NONE keep nothing); the caller clears it.
     */
    public synchronized ConnectionProfile save(ConnectionProfile p, char[] password) {
        List<String> problems = validate(p);
        if (!problems.isEmpty()) throw new ConsoleException(problems.get(0), String.join("\n", problems), null);
        p.name = p.name.trim();
        if (p.database == null || p.database.isBlank()) p.database = p.user;
        ConnectionProfile stored = p.copySameId();
        if (password != null && password.length > 0) {
            SecretStore s = secrets.forStorage(p.passwordStorage);
            if (s != null) s.put(p.secretKey(), password);
        }
        if (p.passwordStorage == ConnectionProfile.PasswordStorage.ASK || p.passwordStorage == ConnectionProfile.PasswordStorage.NONE) {
            secrets.forgetEverywhere(p.secretKey());
        }
        ConnectionSettings s = store.get(ConnectionSettings.class);
        s.profiles.removeIf(x -> x.id.equals(stored.id));
        s.profiles.add(stored);
        s.profiles.sort((a, b) -> a.name.compareToIgnoreCase(b.name));
        store.put(s);
        return stored.copySameId();
    }

    /** A copy named "NAME (copy)", "NAME (copy 2)"…; the password is copied too when it is stored. */
    public synchronized ConnectionProfile duplicate(ConnectionProfile p) {
        String name = p.name + " (copy)";
        for (int i = 2; taken(name); i++) name = p.name + " (copy " + i + ")";
        ConnectionProfile copy = p.copy(name);
        char[] pw = null;
        SecretStore s = secrets.forStorage(p.passwordStorage);
        if (s != null) pw = s.get(p.secretKey()).orElse(null);
        try {
            return save(copy, pw);
        } finally {
            if (pw != null) java.util.Arrays.fill(pw, '\0');
        }
    }

    private boolean taken(String name) {
        return list().stream().anyMatch(x -> x.name.equalsIgnoreCase(name));
    }

    public synchronized void delete(ConnectionProfile p) {
        ConnectionSettings s = store.get(ConnectionSettings.class);
        s.profiles.removeIf(x -> x.id.equals(p.id));
        if (p.id.equals(s.lastProfileId)) s.lastProfileId = null;
        store.put(s);
        secrets.forgetEverywhere(p.secretKey());
    }

    public synchronized void rememberLast(ConnectionProfile p) {
        ConnectionSettings s = store.get(ConnectionSettings.class);
        s.lastProfileId = p.id;
        store.put(s);
    }

    public int connectTimeoutSeconds() {
        int t = store.get(ConnectionSettings.class).connectTimeoutSeconds;
        return t <= 0 ? PooledDbSession.DEFAULT_CONNECT_TIMEOUT_SECONDS : t;
    }
}
