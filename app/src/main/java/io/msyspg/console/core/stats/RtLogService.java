package io.msyspg.console.core.stats;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The Momentum statistics operations on a session's pooled connections, with errors that name the table. */
public final class RtLogService {
    private RtLogService() {}

    public static List<RtLogCatalog.Table> discover(DbSession db) {
        try (Connection c = db.borrow()) {
            return RtLogCatalog.discover(c);
        } catch (SQLException e) {
            throw new ConsoleException("Cannot read the catalog of " + db.target().display() + ": " + e.getMessage(), e);
        }
    }

    public static List<String> recentValues(DbSession db, RtLogCatalog.Table t, String column) {
        try (Connection c = db.borrow()) {
            return RtLogQuery.recentValues(c, t, column);
        } catch (SQLException e) {
            throw new ConsoleException("Cannot read the values of " + t.qualified() + "." + column + ": " + e.getMessage(), e);
        }
    }

    /** Aggregates the window ending at the server's "now". */
    public static RtLogQuery.Result query(DbSession db, RtLogCatalog.Table t, List<RtLogPreset.Series> series, Map<String, String> filters,
                                          RtLogQuery.Window w, JobContext ctx) {
        try (Connection c = db.borrow()) {
            java.time.Instant to = RtLogQuery.serverNow(c);
            var spec = new RtLogQuery.Spec(t, series, filters, to.minusSeconds(w.seconds()), to, w.bucketSeconds());
            return RtLogQuery.run(c, spec, db.serverVersion().major(), ctx);
        } catch (SQLException e) {
            throw new ConsoleException("Cannot aggregate " + t.qualified() + ": " + e.getMessage(), e);
        }
    }
}
