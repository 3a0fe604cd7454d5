package io.msyspg.console.ui.backup;

import io.msyspg.console.core.backup.ArchiveInspector;
import io.msyspg.console.core.backup.BackupHistory;
import io.msyspg.console.core.backup.BackupService;
import io.msyspg.console.core.backup.RestoreService;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.ui.AppContext;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Collections;
import java.util.List;

/** State of the backup screen (FX thread) and its core services (used from background jobs only). */
public final class BackupViewModel {
    private final AppContext ctx;
    private final ObservableList<BackupHistory.Entry> history = FXCollections.observableArrayList();
    private volatile BackupService backups;
    private volatile RestoreService restores;
    private volatile ArchiveInspector inspector;

    public BackupViewModel(AppContext ctx) {
        this.ctx = ctx;
    }

    public AppContext context() { return ctx; }

    /** The connected session, or null (FX thread). */
    public DbSession session() { return ctx.session().current(); }

    public ObservableList<BackupHistory.Entry> history() { return history; }

    /** Background threads only: the tool locator runs version checks. */
    synchronized BackupService backups() {
        if (backups == null) backups = new BackupService(ctx.tools(), BackupHistory.in(ctx.dirs()));
        return backups;
    }

    synchronized RestoreService restores() {
        if (restores == null) restores = new RestoreService(backups());
        return restores;
    }

    synchronized ArchiveInspector inspector() {
        if (inspector == null) inspector = new ArchiveInspector(ctx.tools());
        return inspector;
    }

    /** Reloads the history, newest first. */
    public void refreshHistory() {
        ctx.tasks().task("Loading backup history", c -> {
            List<BackupHistory.Entry> l = backups().history().list();
            Collections.reverse(l);
            return l;
        }).onSuccess(history::setAll).start();
    }
}
