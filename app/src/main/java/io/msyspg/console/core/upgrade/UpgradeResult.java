package io.msyspg.console.core.upgrade;

import java.nio.file.Path;

/**
 * How a run ended: the report (also on disk at {@code textFile} / {@code jsonFile}) and the deferred job queued
 * for the post-upgrade steps (null when none was queued, e.g. after a failure or for a dry run).
 */
public record UpgradeResult(UpgradeReport report, Path textFile, Path jsonFile, String deferredJobId) {
    public boolean succeeded() { return report.succeeded(); }

    /** CLI exit code: 0 upgraded, 1 failed or blocked, 3 upgraded but with warnings (e.g. restore errors ignored). */
    public int exitCode() {
        return switch (report.result) {
            case OK -> 0;
            case WARN -> 3;
            default -> 1;
        };
    }
}
