package io.msyspg.console.ui.connect;

import io.msyspg.console.core.connect.ConnectionProfile;
import io.msyspg.console.core.connect.ConnectionProfile.PasswordStorage;
import io.msyspg.console.core.connect.ConnectionResolver;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.connect.Connector;
import io.msyspg.console.core.connect.EcdbIni;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.connect.ProfileService;
import io.msyspg.console.core.connect.SecretStores;
import io.msyspg.console.core.connect.SessionMonitor;
import io.msyspg.console.core.demo.DemoSandbox;
import io.msyspg.console.core.settings.ToolSettings;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * State and actions of the Connections screen (FX thread). Everything that touches files, the keyring or the
 * network runs through the task executor; passwords are {@code char[]} handed from the password field or a
 * dialog straight to core services and cleared afterwards.
 */
public final class ConnectionsViewModel {
    private final AppContext ctx;
    private final ProfileService service;
    private final ObservableList<ConnectionProfile> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<ConnectionProfile> selected = new SimpleObjectProperty<>();
    private final ObservableList<PasswordStorage> storages = FXCollections.observableArrayList(
            PasswordStorage.ASK, PasswordStorage.ENCRYPTED_FILE, PasswordStorage.NONE);

    // editor fields
    final StringProperty name = new SimpleStringProperty("");
    final StringProperty host = new SimpleStringProperty("localhost");
    final StringProperty port = new SimpleStringProperty("5432");
    final StringProperty database = new SimpleStringProperty("");
    final StringProperty user = new SimpleStringProperty("");
    final StringProperty sslMode = new SimpleStringProperty("prefer");
    final StringProperty sslRootCert = new SimpleStringProperty("");
    final StringProperty applicationName = new SimpleStringProperty(ConnectionTarget.DEFAULT_APPLICATION_NAME);
    final StringProperty dataDir = new SimpleStringProperty("");
    final StringProperty serviceCommand = new SimpleStringProperty("");
    final StringProperty toolsDir = new SimpleStringProperty("");
    final ObjectProperty<PasswordStorage> passwordStorage = new SimpleObjectProperty<>(PasswordStorage.ASK);

    final StringProperty status = new SimpleStringProperty("");
    final BooleanProperty busy = new SimpleBooleanProperty();
    final StringProperty keyringNote = new SimpleStringProperty("");
    final StringProperty importReview = new SimpleStringProperty("");
    final BooleanProperty importPending = new SimpleBooleanProperty();

    private String editingId;
    private BackgroundTask<?> running;
    private EcdbIni.Result pendingImport;
    private SessionMonitor monitor;

    public ConnectionsViewModel(AppContext ctx) {
        this(ctx, new ProfileService(ctx.settings(), SecretStores.open(ctx.dirs())));
    }

    public ConnectionsViewModel(AppContext ctx, ProfileService service) {
        this.ctx = ctx;
        this.service = service;
        profiles.setAll(service.list());
        selected.addListener((o, old, p) -> { if (p != null) edit(p); });
    }

    public ObservableList<ConnectionProfile> profiles() { return profiles; }
    public ObjectProperty<ConnectionProfile> selectedProperty() { return selected; }
    public ObservableList<PasswordStorage> storages() { return storages; }
    public ProfileService service() { return service; }

    /** Probes the OS keyring in the background and offers it when it works here. */
    void probeKeyring() {
        ctx.tasks().task("Checking the OS keyring", c -> service.secrets().keyring().available()
                        ? null : service.secrets().keyring().unavailableReason())
                .onSuccess(reason -> {
                    if (reason == null) {
                        if (!storages.contains(PasswordStorage.KEYRING)) storages.add(1, PasswordStorage.KEYRING);
                        keyringNote.set("");
                    } else {
                        keyringNote.set(reason + " Passwords can be kept in the console's encrypted file instead.");
                    }
                })
                .onFailure(e -> keyringNote.set("The OS keyring cannot be used: " + e.getMessage()))
                .start();
    }

    void newProfile() {
        selected.set(null);
        editingId = null;
        name.set("");
        host.set("localhost");
        port.set("5432");
        database.set("");
        user.set("");
        sslMode.set("prefer");
        sslRootCert.set("");
        applicationName.set(ConnectionTarget.DEFAULT_APPLICATION_NAME);
        dataDir.set("");
        serviceCommand.set("");
        toolsDir.set("");
        passwordStorage.set(storages.contains(PasswordStorage.KEYRING) ? PasswordStorage.KEYRING : PasswordStorage.ENCRYPTED_FILE);
        status.set("New profile: fill in the form and save (Ctrl+S).");
    }

    private void edit(ConnectionProfile p) {
        editingId = p.id;
        name.set(p.name);
        host.set(p.host);
        port.set(Integer.toString(p.port));
        database.set(nz(p.database));
        user.set(nz(p.user));
        sslMode.set(p.sslMode == null ? "prefer" : p.sslMode);
        sslRootCert.set(nz(p.sslRootCert));
        applicationName.set(nz(p.applicationName));
        dataDir.set(nz(p.dataDir));
        serviceCommand.set(nz(p.serviceCommand));
        toolsDir.set(nz(p.toolsDir));
        passwordStorage.set(p.passwordStorage);
        status.set("");
    }

    /** The editor's content as a profile; problems (bad port) as a message. */
    Optional<ConnectionProfile> formProfile() {
        ConnectionProfile p = new ConnectionProfile();
        if (editingId != null) p.id = editingId;
        p.name = name.get().trim();
        p.host = host.get().trim();
        try {
            p.port = Integer.parseInt(port.get().trim());
        } catch (NumberFormatException e) {
            status.set("The port must be a number (got '" + port.get() + "').");
            return Optional.empty();
        }
        p.database = database.get().trim();
        p.user = user.get().trim();
        p.sslMode = sslMode.get();
        p.sslRootCert = blankToNull(sslRootCert.get());
        p.applicationName = blankToNull(applicationName.get());
        p.dataDir = blankToNull(dataDir.get());
        p.serviceCommand = blankToNull(serviceCommand.get());
        p.toolsDir = blankToNull(toolsDir.get());
        p.passwordStorage = passwordStorage.get() == null ? PasswordStorage.ASK : passwordStorage.get();
        if (p.database.isEmpty()) p.database = p.user;
        List<String> problems = service.validate(p);
        if (!problems.isEmpty()) {
            status.set(problems.get(0));
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** Asks for the master password when the encrypted file is needed and locked; empty = cancelled. */
    private Optional<char[]> masterIfNeeded(PasswordStorage storage, boolean creatingAllowed) {
        if (!service.secrets().needsUnlock(storage)) return Optional.of(new char[0]);
        if (!creatingAllowed && !service.secrets().file().exists()) return Optional.of(new char[0]);
        String msg = service.secrets().file().exists()
                ? "Enter the master password of the console's encrypted password store."
                : "Choose a master password for the console's encrypted password store (it protects every saved password).";
        return ctx.dialogs().askPassword("Master password", msg);
    }

    private void unlock(char[] master) {
        if (master != null && master.length > 0) {
            try {
                service.secrets().file().unlock(master);
            } finally {
                Arrays.fill(master, '\0');
            }
        }
    }

    /** Saves the form; {@code password} (may be empty) is stored per the chosen storage and cleared. */
    void save(char[] password, Runnable after) {
        Optional<ConnectionProfile> form = formProfile();
        if (form.isEmpty()) {
            clear(password);
            return;
        }
        ConnectionProfile p = form.get();
        boolean storing = password != null && password.length > 0 && p.passwordStorage == PasswordStorage.ENCRYPTED_FILE;
        Optional<char[]> master = storing ? masterIfNeeded(p.passwordStorage, true) : Optional.of(new char[0]);
        if (master.isEmpty()) {
            clear(password);
            status.set("Not saved: the master password is needed to store the password.");
            return;
        }
        char[] m = master.get();
        busy.set(true);
        ctx.tasks().task("Saving profile " + p.name, c -> {
                    try {
                        unlock(m);
                        return service.save(p, password);
                    } finally {
                        clear(password);
                    }
                })
                .onSuccess(saved -> {
                    reload(saved.id);
                    status.set("Saved profile '" + saved.name + "'" + (password != null && password.length > 0 && saved.passwordStorage == PasswordStorage.ASK
                            ? " (the password is not stored: 'ask every time')." : "."));
                    if (after != null) after.run();
                })
                .onFinished(() -> busy.set(false))
                .start();
    }

    void duplicate() {
        ConnectionProfile p = selected.get();
        if (p == null) return;
        Optional<char[]> master = masterIfNeeded(p.passwordStorage, false);
        if (master.isEmpty()) return;
        char[] m = master.get();
        ctx.tasks().task("Duplicating " + p.name, c -> {
            unlock(m);
            return service.duplicate(p);
        }).onSuccess(copy -> {
            reload(copy.id);
            status.set("Created '" + copy.name + "'.");
        }).start();
    }

    void delete() {
        ConnectionProfile p = selected.get();
        if (p == null) return;
        if (!ctx.dialogs().confirm("Delete profile", "Delete the profile '" + p.name + "' and its stored password?", "Delete")) return;
        ctx.tasks().task("Deleting " + p.name, c -> {
            service.delete(p);
            return p;
        }).onSuccess(x -> {
            reload(null);
            newProfile();
            status.set("Deleted '" + p.name + "'.");
        }).start();
    }

    private void reload(String selectId) {
        profiles.setAll(service.list());
        if (selectId != null) profiles.stream().filter(x -> x.id.equals(selectId)).findFirst().ifPresent(selected::set);
    }

    /**
     * Works out the password on the FX thread (typed now, asked now, or a master password), then connects in
     * the background. {@code test} closes the session again and only reports.
     */
    void connect(char[] typed, boolean test) {
        Optional<ConnectionProfile> form = formProfile();
        if (form.isEmpty()) {
            clear(typed);
            return;
        }
        ConnectionProfile p = form.get();
        char[] password = typed != null && typed.length > 0 ? typed : null;
        char[] master = new char[0];
        if (password == null) {
            clear(typed);
            if (p.passwordStorage == PasswordStorage.ASK) {
                Optional<char[]> asked = ctx.dialogs().askPassword("Password", "Password for " + p.target().display());
                if (asked.isEmpty()) return;
                password = asked.get();
            } else {
                Optional<char[]> m = masterIfNeeded(p.passwordStorage, false);
                if (m.isEmpty()) return;
                master = m.get();
            }
        }
        char[] pw = password;
        char[] mp = master;
        int timeout = service.connectTimeoutSeconds();
        String configuredTools = ctx.settings().get(ToolSettings.class).toolsDir;
        ConnectionTarget target = p.target();
        busy.set(true);
        if (!test) setState("connecting", "Connecting to " + target.display() + "…", null);
        status.set((test ? "Testing " : "Connecting to ") + target.display() + "…");
        running = ctx.tasks().task((test ? "Testing " : "Connecting to ") + target.display(), c -> {
                    char[] use = pw;
                    try {
                        if (use == null) {
                            unlock(mp);
                            List<String> warnings = new ArrayList<>();
                            ConnectionResolver resolver = new ConnectionResolver(null, System.getenv(), Path.of(System.getProperty("user.home")));
                            var resolved = new ConnectionResolver.Resolved(target, p, null, List.of());
                            use = resolver.password(resolved, service.secrets(), warnings).orElse(null);
                            warnings.forEach(c::message);
                        }
                        PooledDbSession s = Connector.open(target, use, timeout, c);
                        s.withToolsDirs(p.toolsDir, configuredTools);
                        if (test) {
                            String v = s.serverVersion().toString();
                            s.close();
                            return new Outcome(null, v);
                        }
                        return new Outcome(s, s.serverVersion().toString());
                    } finally {
                        clear(use);
                        clear(pw);
                    }
                })
                .inTaskPanel()
                .onSuccess(o -> {
                    if (test) {
                        status.set("Connection OK: " + target.display() + " is PostgreSQL " + o.version() + ".");
                    } else {
                        install(o.session(), p.name, p.dataDir);
                        status.set("Connected to " + target.display() + " (PostgreSQL " + o.version() + ").");
                        ctx.tasks().task("Remembering " + p.name, c -> { service.rememberLast(p); return null; }).start();
                    }
                })
                .onFailure(e -> {
                    if (!test) restoreState();
                    status.set(e.getMessage());
                    ctx.dialogs().showError(test ? "Connection test failed" : "Cannot connect", e);
                })
                .onCancelled(() -> {
                    if (!test) restoreState();
                    status.set("Cancelled.");
                })
                .onFinished(() -> {
                    busy.set(false);
                    running = null;
                })
                .start();
    }

    /** What a connect produced; closed by the task executor when a cancel discarded it. */
    record Outcome(PooledDbSession session, String version) implements AutoCloseable {
        @Override public void close() {
            if (session != null) session.close();
        }
    }

    void cancel() {
        BackgroundTask<?> t = running;
        if (t != null) t.cancel(true);
    }

    /**
     * Makes {@code s} the window's session; the old one is closed (in the background). {@code dataDir}: the
     * profile's data directory, or null.
     */
    void install(PooledDbSession s, String label, String dataDir) {
        var state = ctx.session();
        var old = state.current();
        SessionMonitor oldMonitor = monitor;
        if (old != null || oldMonitor != null) {
            ctx.tasks().task("Closing the previous connection", c -> {
                if (oldMonitor != null) oldMonitor.close();
                if (old != null) old.close();
                return null;
            }).start();
        }
        state.profileDataDirectoryProperty().set(dataDir);
        state.currentProperty().set(s);
        setState("connected", "Connected: " + s.target().display() + (label == null ? "" : "  (" + label + ")"),
                "PostgreSQL " + s.serverVersion());
        monitor = new SessionMonitor(s, 5000, (st, msg) -> Platform.runLater(() -> {
            if (state.current() != s) return;
            if (st == SessionMonitor.State.CONNECTED) {
                setState("connected", "Connected: " + s.target().display() + (label == null ? "" : "  (" + label + ")"), null);
            } else if (st == SessionMonitor.State.RECONNECTING) {
                setState("reconnecting", "Reconnecting to " + s.target().display() + ": " + msg, null);
            }
        })).start();
    }

    void disconnect() {
        var state = ctx.session();
        var old = state.current();
        SessionMonitor m = monitor;
        monitor = null;
        state.currentProperty().set(null);
        state.profileDataDirectoryProperty().set(null);
        setState("disconnected", "Not connected", "");
        ctx.tasks().task("Disconnecting", c -> {
            if (m != null) m.close();
            if (old != null) old.close();
            return null;
        }).start();
    }

    private String prevConnection;
    private String prevState;

    private void setState(String st, String connection, String version) {
        var s = ctx.session();
        if ("connecting".equals(st)) {
            prevConnection = s.connectionProperty().get();
            prevState = s.connectionStateProperty().get();
        }
        s.connectionStateProperty().set(st);
        s.connectionProperty().set(connection);
        if (version != null) s.serverVersionProperty().set(version);
    }

    private void restoreState() {
        var s = ctx.session();
        if (prevConnection != null) s.connectionProperty().set(prevConnection);
        if (prevState != null) s.connectionStateProperty().set(prevState);
    }

    // ---- ecdb.ini import

    void readEcdb(Path file) {
        ctx.tasks().task("Reading " + file, c -> EcdbIni.read(file))
                .onSuccess(r -> {
                    if (pendingImport != null) pendingImport.clear();
                    pendingImport = r;
                    importReview.set(r.describe());
                    importPending.set(true);
                    status.set("Review what was found in " + file + ", then save.");
                })
                .onFailure(e -> {
                    importReview.set(e.getMessage());
                    importPending.set(false);
                    ctx.dialogs().showError("Cannot import " + file, e);
                })
                .start();
    }

    void saveImport() {
        EcdbIni.Result r = pendingImport;
        if (r == null) return;
        PasswordStorage storage = r.password() == null ? PasswordStorage.NONE
                : storages.contains(PasswordStorage.KEYRING) ? PasswordStorage.KEYRING : PasswordStorage.ENCRYPTED_FILE;
        Optional<char[]> master = r.password() == null ? Optional.of(new char[0]) : masterIfNeeded(storage, true);
        if (master.isEmpty()) {
            status.set("Not imported: the master password is needed to store the password found in the file.");
            return;
        }
        char[] m = master.get();
        ctx.tasks().task("Importing " + r.file(), c -> {
                    try {
                        unlock(m);
                        String first = null;
                        boolean isFirst = true;
                        for (ConnectionProfile p : r.profiles()) {
                            if (isFirst) p.passwordStorage = storage;
                            service.byName(p.name).ifPresent(existing -> p.id = existing.id);
                            ConnectionProfile saved = service.save(p, isFirst ? r.password() : null);
                            if (first == null) first = saved.id;
                            isFirst = false;
                        }
                        return first;
                    } finally {
                        r.clear();
                    }
                })
                .onSuccess(id -> {
                    pendingImport = null;
                    importPending.set(false);
                    importReview.set("");
                    reload(id);
                    status.set("Imported " + r.profiles().size() + " profile(s) from " + r.file() + ".");
                })
                .start();
    }

    void cancelImport() {
        if (pendingImport != null) pendingImport.clear();
        pendingImport = null;
        importPending.set(false);
        importReview.set("");
    }

    // ---- demo

    private record DemoSession(PooledDbSession session, String dataDir) implements AutoCloseable {
        @Override public void close() {
            session.close();
        }
    }

    void startDemo() {
        busy.set(true);
        setState("connecting", "Starting the demo server…", null);
        int timeout = service.connectTimeoutSeconds();
        running = ctx.tasks().task("Starting the demo server", c -> {
                    DemoSandbox demo = new DemoSandbox(ctx.dirs());
                    return new DemoSession(demo.startAndConnect(DemoSandbox.Size.SMALL, timeout, c), demo.dataDir().toString());
                })
                .inTaskPanel()
                .onSuccess(d -> {
                    PooledDbSession s = d.session();
                    install(s, "demo sandbox", d.dataDir());
                    status.set("Connected to the demo sandbox " + s.target().display() + ".");
                    ConnectionProfile demoProfile = ConnectionProfile.of(ConnectionProfile.DEMO_NAME, s.target().host(), s.target().port(),
                            s.target().database(), s.target().user());
                    demoProfile.passwordStorage = PasswordStorage.NONE;
                    demoProfile.dataDir = d.dataDir();
                    service.byName(demoProfile.name).ifPresent(x -> demoProfile.id = x.id);
                    ctx.tasks().task("Saving the demo profile", c -> service.save(demoProfile, null)).onSuccess(x -> reload(x.id)).start();
                })
                .onFailure(e -> {
                    restoreState();
                    ctx.dialogs().showError("Cannot start the demo server", e);
                })
                .onCancelled(this::restoreState)
                .onFinished(() -> {
                    busy.set(false);
                    running = null;
                })
                .start();
    }

    void close() {
        if (monitor != null) monitor.close();
    }

    // ---- helpers

    private static void clear(char[] c) {
        if (c != null) Arrays.fill(c, '\0');
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }

}
