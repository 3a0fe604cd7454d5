package io.msyspg.console.core.demo;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.task.JobContext;

import java.nio.file.Path;

/**
 * The demo sandbox: a real PostgreSQL with a Momentum-like {@code ecelerity} database and live traffic, kept in
 * the state directory. API contract used by the Connections screen and the {@code demo} command; the
 * implementation lands with issue #3.
 */
public final class DemoSandbox {
    public enum Size { SMALL, LARGE }

    /** What {@link #status()} reports. {@code url} is a libpq URL psql can use as is. */
    public record Status(boolean exists, boolean running, String host, int port, String database,
                         String superuser, String appUser, String url, Path dataDir, Path logDir) {}

    private final AppDirs dirs;

    public DemoSandbox(AppDirs dirs) {
        this.dirs = dirs;
    }

    /** Cheap: reads files and checks the postmaster; never starts anything. */
    public Status status() {
        return new Status(false, false, null, 0, "ecelerity", "msyspg", "ecuser", null, null, null);
    }

    /** Creates (first time) or reuses the sandbox, starts server and traffic; idempotent. */
    public Status start(Size size, JobContext ctx) {
        throw new ConsoleException("The demo sandbox is not yet available (issue #3).");
    }

    /** Stops server and traffic; keeps the data. */
    public void stop() {
        throw new ConsoleException("The demo sandbox is not yet available (issue #3).");
    }

    /** Stops and deletes the sandbox. */
    public void reset() {
        throw new ConsoleException("The demo sandbox is not yet available (issue #3).");
    }

    /** How to connect to the running sandbox as the superuser {@code msyspg} (no password needed from this host). */
    public ConnectionTarget target() {
        Status s = status();
        return ConnectionTarget.of(s.host(), s.port(), s.database(), s.superuser());
    }
}
