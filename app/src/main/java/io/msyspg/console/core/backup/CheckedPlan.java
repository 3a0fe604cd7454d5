package io.msyspg.console.core.backup;

import java.util.List;

/** A plan decided before a tool runs: its checks (with their numbers) and the exact command, password masked. */
public interface CheckedPlan {
    List<Check> checks();

    String commandLine();

    default boolean blocked() { return checks().stream().anyMatch(Check::blocks); }

    default List<Check> blocking() { return checks().stream().filter(Check::blocks).toList(); }
}
