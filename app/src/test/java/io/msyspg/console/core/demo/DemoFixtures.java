package io.msyspg.console.core.demo;

import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Momentum-like demo data in a size small enough for upgrade tests (a few dozen partitions, some thousand rows). */
public final class DemoFixtures {
    private DemoFixtures() {}

    /** Loads a tiny demo history (roles, webconsole, rt_log partitions with data) into the connected database. */
    public static void loadTiny(Connection c) throws SQLException {
        new DemoData(new DemoData.Spec(20, 2, 3, 1, 5, 5, 3, 2, 1, 5), 42L, Instant.parse("2026-11-20T12:00:00Z")).load(c, JobContext.none());
    }
}
