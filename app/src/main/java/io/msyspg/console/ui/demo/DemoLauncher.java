package io.msyspg.console.ui.demo;

import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.demo.DemoSandbox;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.SessionState;

/**
 * Opens the window on the demo sandbox: starts it in the background (listed in the task panel, cancellable),
 * then connects as {@code msyspg} and makes it the current session. Used by {@code --demo} and by the
 * Connections screen's "Start demo server" button.
 */
public final class DemoLauncher {
    public static final String TASK_TITLE = text("demo.task.start");

    private DemoLauncher() {}

    /** Starts (or reuses) the default sandbox of {@code ctx}'s directories. FX thread. */
    public static BackgroundTask<DbSession> open(AppContext ctx) {
        return open(ctx, new DemoSandbox(ctx.dirs()), DemoSandbox.Size.SMALL);
    }

    /** Starts (or reuses) {@code sandbox}, connects and sets the current session. FX thread. */
    public static BackgroundTask<DbSession> open(AppContext ctx, DemoSandbox sandbox, DemoSandbox.Size size) {
        SessionState session = ctx.session();
        String before = session.connectionProperty().get();
        String stateBefore = session.connectionStateProperty().get();
        session.connectionStateProperty().set("connecting");
        session.connectionProperty().set(text("demo.status.starting"));
        return ctx.tasks().task(TASK_TITLE, job -> {
                    sandbox.start(size, job);
                    job.checkCancelled();
                    job.message(text("demo.task.connect"));
                    return (DbSession) PooledDbSession.open(sandbox.target(), null);
                })
                .onSuccess(db -> {
                    DbSession old = session.current();
                    session.currentProperty().set(db);
                    session.connectionProperty().set(label(db));
                    session.serverVersionProperty().set("PostgreSQL " + db.serverVersion());
                    session.connectionStateProperty().set("connected");
                    if (old != null) ctx.tasks().task("Closing the previous connection", j -> { old.close(); return null; }).start();
                })
                .onFailure(ex -> {
                    restore(session, before, stateBefore);
                    ctx.dialogs().showError(text("demo.error.start"), ex);
                })
                .onCancelled(() -> restore(session, before, stateBefore))
                .inTaskPanel()
                .start();
    }

    /** "Demo sandbox — msyspg@127.0.0.1:PORT/ecelerity". */
    public static String label(DbSession db) {
        return java.text.MessageFormat.format(text("demo.status.connected"), db.target().display());
    }

    private static String text(String key) {
        return ViewLoader.bundle().getString(key);
    }

    private static void restore(SessionState session, String text, String state) {
        if (session.current() == null) {
            session.connectionProperty().set(text);
            session.connectionStateProperty().set(state);
        }
    }
}
