package io.msyspg.console.ui.server;

import io.msyspg.console.core.cluster.PgCluster.StopMode;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.LocalServer;
import io.msyspg.console.core.server.ConfigFiles;
import io.msyspg.console.core.server.ConfigService;
import io.msyspg.console.core.server.MaintenanceService;
import io.msyspg.console.core.server.ServerControl;
import io.msyspg.console.core.server.ServerSettings;
import io.msyspg.console.core.server.ServerStatus;
import io.msyspg.console.core.server.ServerTarget;
import io.msyspg.console.core.server.Setting;
import io.msyspg.console.core.server.SettingUnits;
import io.msyspg.console.core.server.StorageReport;
import io.msyspg.console.core.server.StorageService;
import io.msyspg.console.ui.AppContext;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * State of the Server screen (FX thread only); every call to the core runs through the task executor.
 */
public final class ServerViewModel {
    private static final int MAX_OUTPUT_LINES = 5000;

    private final AppContext ctx;
    final StringProperty dataDir = new SimpleStringProperty("");
    final StringProperty serviceCommand = new SimpleStringProperty("");
    final StringProperty statusText = new SimpleStringProperty("Status not checked yet.");
    final ObjectProperty<ServerStatus> status = new SimpleObjectProperty<>();
    final BooleanProperty busy = new SimpleBooleanProperty();
    final ObservableList<String> output = FXCollections.observableArrayList();

    final ObjectProperty<ConfigService.Snapshot> snapshot = new SimpleObjectProperty<>();
    final ObservableList<Setting> visibleSettings = FXCollections.observableArrayList();
    final ObjectProperty<ConfigService.Filter> filter = new SimpleObjectProperty<>(ConfigService.Filter.ALL);
    final StringProperty category = new SimpleStringProperty();
    final StringProperty search = new SimpleStringProperty("");
    final StringProperty restartBanner = new SimpleStringProperty("");
    final StringProperty configWarnings = new SimpleStringProperty("");
    final ObservableList<String> categories = FXCollections.observableArrayList();

    final ObservableList<ConfigFiles.ConfigFile> files = FXCollections.observableArrayList();
    final StringProperty storageText = new SimpleStringProperty("");
    final StringProperty storageWarnings = new SimpleStringProperty("");
    final ObservableList<MaintenanceService.TableHealth> health = FXCollections.observableArrayList();
    final StringProperty maintenanceStatus = new SimpleStringProperty("");

    private final ConcurrentLinkedQueue<String> pendingLines = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    public ServerViewModel(AppContext ctx) {
        this.ctx = ctx;
        ServerSettings s = ctx.settings().get(ServerSettings.class);
        if (s.dataDirectory != null) dataDir.set(s.dataDirectory);
        if (s.serviceCommand != null) serviceCommand.set(s.serviceCommand);
        filter.addListener((o, a, b) -> applyFilter());
        category.addListener((o, a, b) -> applyFilter());
        search.addListener((o, a, b) -> applyFilter());
        snapshot.addListener((o, a, b) -> {
            applyFilter();
            updateBanner();
        });
    }

    DbSession session() { return ctx.session().current(); }

    void saveTarget() {
        ServerSettings s = ctx.settings().get(ServerSettings.class);
        s.dataDirectory = dataDir.get() == null || dataDir.get().isBlank() ? null : dataDir.get().strip();
        s.serviceCommand = serviceCommand.get() == null || serviceCommand.get().isBlank() ? null : serviceCommand.get().strip();
        persist(s);
    }

    /** Writes a settings section off the FX thread (the store writes a file). */
    void persist(Object section) {
        ctx.tasks().task("Saving server settings", job -> {
            ctx.settings().put(section);
            return null;
        }).start();
    }

    /** The server to control, or null (with a message in the status line) when no data directory is set. */
    ServerTarget target() {
        String d = dataDir.get();
        if (d == null || d.isBlank()) {
            statusText.set("Enter the data directory of a server on this host (connected to a local server, it is filled in for you).");
            return null;
        }
        return new ServerTarget(Path.of(d.strip()), serviceCommand.get(), null);
    }

    private ServerControl control(ServerTarget t) {
        return new ServerControl(t, ctx.tools());
    }

    // ---------------------------------------------------------------- control

    void refreshStatus() {
        ServerTarget t = target();
        if (t == null) return;
        ctx.tasks().task("Server status", job -> control(t).status())
                .onSuccess(this::showStatus)
                .onFailure(e -> statusText.set(ConsoleException.userMessage(e)))
                .start();
    }

    private void showStatus(ServerStatus s) {
        status.set(s);
        statusText.set(s.describe());
    }

    /** Counts sessions (when connected) so the stop confirmation can show them; calls back on the FX thread with -1 when unknown. */
    void countSessions(java.util.function.IntConsumer then) {
        DbSession db = session();
        if (db == null) {
            then.accept(-1);
            return;
        }
        ctx.tasks().task("Counting sessions", job -> ServerControl.clientSessions(db)).onSuccess(then::accept).onFailure(e -> then.accept(-1)).start();
    }

    void perform(ServerControl.Action action, StopMode mode) {
        ServerTarget t = target();
        if (t == null) return;
        saveTarget();
        busy.set(true);
        output.add("");
        DbSession db = session();
        ctx.tasks().task("Server " + action.name().toLowerCase(), job -> {
                    try {
                        return control(t).perform(action, mode, job, this::appendLine);
                    } finally {
                        // a stop or restart killed every pooled connection: the next query must not get a dead one
                        if (db != null && action != ServerControl.Action.RELOAD) db.evictConnections();
                    }
                })
                .onSuccess(this::showStatus)
                .onFailure(e -> {
                    ctx.dialogs().showError("Server " + action.name().toLowerCase(), e);
                    refreshStatus();
                })
                .onFinished(() -> busy.set(false))
                .inTaskPanel()
                .start();
    }

    /** Output lines arrive from the worker thread; they are added in batches on the FX thread. */
    private void appendLine(String line) {
        pendingLines.add(line);
        if (flushScheduled.compareAndSet(false, true)) {
            Platform.runLater(() -> {
                flushScheduled.set(false);
                List<String> batch = new ArrayList<>();
                String l;
                while ((l = pendingLines.poll()) != null) batch.add(l);
                output.addAll(batch);
                if (output.size() > MAX_OUTPUT_LINES) output.remove(0, output.size() - MAX_OUTPUT_LINES);
            });
        }
    }

    // ---------------------------------------------------------------- configuration

    void loadConfig() {
        DbSession db = session();
        if (db == null) return;
        ctx.tasks().task("Loading settings", job -> new ConfigService(db).load())
                .onSuccess(snapshot::set)
                .start();
        if (dataDir.get() == null || dataDir.get().isBlank()) {
            // a server on this host: offer its data directory (the profile's, else its own) for the Control tab
            String fromProfile = ctx.session().profileDataDirectory();
            ctx.tasks().task("Checking data directory", job -> LocalServer.dataDirectory(db, fromProfile).map(Path::toString).orElse(null))
                    .onSuccess(d -> {
                        if (d != null && (dataDir.get() == null || dataDir.get().isBlank())) {
                            dataDir.set(d);
                            refreshStatus();
                        }
                    })
                    .onFailure(e -> { })     // only a suggestion (the task executor logs it)
                    .start();
        }
    }

    private void applyFilter() {
        ConfigService.Snapshot s = snapshot.get();
        if (s == null) {
            visibleSettings.clear();
            return;
        }
        List<String> cats = s.categories();
        if (!categories.equals(cats)) categories.setAll(cats);
        visibleSettings.setAll(ConfigService.filter(s.settings(), filter.get(), category.get(), search.get()));
    }

    private void updateBanner() {
        ConfigService.Snapshot s = snapshot.get();
        if (s == null) return;
        List<String> pending = s.pendingRestart().stream().map(Setting::name).toList();
        restartBanner.set(pending.isEmpty() ? "" : "Restart needed: " + String.join(", ", pending)
                + " changed in the configuration but only take effect after a server restart.");
        List<String> w = new ArrayList<>(ConfigService.loggingWarnings(s));
        for (ConfigService.FileError e : s.fileErrors()) w.add("Configuration file error: " + e.describe());
        if (!s.fileSettingsReadable()) w.add("pg_file_settings is not readable by this role: file errors and file values are not shown.");
        configWarnings.set(String.join("\n", w));
    }

    /** Shows the diff, asks, applies through ALTER SYSTEM and reloads. */
    void change(String name, String newValue) {
        DbSession db = session();
        ConfigService.Snapshot s = snapshot.get();
        if (db == null || s == null) return;
        List<ConfigService.PlannedChange> plan;
        try {
            plan = ConfigService.plan(s, List.of(new ConfigService.Change(name, newValue)));
        } catch (ConsoleException e) {
            ctx.dialogs().showError("Change setting", e);
            return;
        }
        String diff = ConfigService.diff(plan);
        boolean restart = plan.stream().anyMatch(p -> p.setting().restartOnly());
        if (!ctx.dialogs().confirm("Change setting", "ALTER SYSTEM writes postgresql.auto.conf, then the configuration is reloaded:\n\n"
                + diff + (restart ? "\n\nThis setting takes effect only after a server restart." : ""), "Apply and reload")) {
            return;
        }
        ctx.tasks().task("ALTER SYSTEM " + name, job -> {
            ConfigService svc = new ConfigService(db);
            ConfigService.ApplyResult r = svc.apply(plan, true);
            // the postmaster handles the reload asynchronously: give it a moment before re-reading
            Thread.sleep(300);
            return svc.load();
        }).onSuccess(snapshot::set).start();
    }

    // ---------------------------------------------------------------- files, storage, maintenance

    void loadFiles() {
        ConfigService.Snapshot s = snapshot.get();
        if (s == null) return;
        ctx.tasks().task("Reading postgresql.conf", job -> ConfigService.files(s))
                .onSuccess(files::setAll).start();
    }

    void measure() {
        ServerTarget t = target();
        if (t == null) return;
        String logDir = snapshot.get() == null ? null : snapshot.get().get("log_directory").map(Setting::setting).orElse(null);
        StorageService svc = StorageService.standard(ctx.dirs());
        storageText.set("Measuring " + t.dataDir() + "…");
        ctx.tasks().task("Measuring " + t.dataDir(), job -> svc.measure(t.dataDir(), logDir, job))
                .onSuccess(this::showStorage)
                .onCancelled(() -> storageText.set("Measurement cancelled."))
                .inTaskPanel().start();
    }

    private void showStorage(StorageReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Data directory ").append(r.dataDir()).append(": ").append(SettingUnits.bytes(r.totalBytes())).append('\n');
        for (Map.Entry<String, Long> e : r.components().entrySet()) {
            sb.append(String.format("  %-22s %12s%n", e.getKey(), SettingUnits.bytes(e.getValue())));
        }
        sb.append('\n').append("File system ").append(r.fsType()).append(r.mountPoint() != null ? " at " + r.mountPoint() : "")
                .append(": ").append(SettingUnits.bytes(r.fsFreeBytes())).append(" free of ").append(SettingUnits.bytes(r.fsTotalBytes())).append('\n');
        sb.append("Growth: ").append(r.trend().describe()).append('\n');
        storageText.set(sb.toString());
        storageWarnings.set(String.join("\n", r.warnings()));
    }

    void loadHealth() {
        DbSession db = session();
        if (db == null) return;
        ctx.tasks().task("Tables needing vacuum", job -> new MaintenanceService(db).needsVacuum(500))
                .onSuccess(health::setAll).start();
    }

    void runMaintenance(MaintenanceService.Kind kind, List<MaintenanceService.TableRef> tables, boolean throttle) {
        DbSession db = session();
        if (db == null || tables.isEmpty()) {
            maintenanceStatus.set("Select one or more tables first.");
            return;
        }
        maintenanceStatus.set(kind + " of " + tables.size() + " table(s) started.");
        ctx.tasks().task(kind.name().replace('_', ' ') + " " + tables.size() + " table(s)", job ->
                        new MaintenanceService(db).run(kind, tables, new MaintenanceService.Options(throttle ? 2 : 0), job,
                                p -> Platform.runLater(() -> maintenanceStatus.set(p.table() + ": " + p.phase()
                                        + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")"))), 500))
                .onSuccess(done -> {
                    maintenanceStatus.set("Done: " + String.join("; ", done));
                    loadHealth();
                })
                .onCancelled(() -> maintenanceStatus.set(kind + " cancelled."))
                .inTaskPanel().start();
    }
}
