package io.msyspg.console.core.backup;

import java.time.Duration;
import java.util.List;

/** How a restore ended: completed, completed with N errors (each classed), or failed. */
public record RestoreReport(Status status, String database, List<RestoreError> errors, int errorsReported, Duration duration,
                            String message) {
    public enum Status { COMPLETED, COMPLETED_WITH_ERRORS, FAILED }

    public long expectedErrors() { return errors.stream().filter(RestoreError::expected).count(); }

    public long realErrors() { return errors.stream().filter(e -> !e.expected()).count(); }

    /** "completed", "completed with 3 errors (2 expected, 1 real)", "failed: …". */
    public String headline() {
        return switch (status) {
            case COMPLETED -> "completed";
            case COMPLETED_WITH_ERRORS -> "completed with " + errorsReported + " error" + (errorsReported == 1 ? "" : "s")
                    + " (" + expectedErrors() + " expected, " + realErrors() + " real)";
            case FAILED -> "failed: " + message;
        };
    }

    /** CLI exit code: 0 completed, 3 completed with errors, 1 failed. */
    public int exitCode() {
        return switch (status) {
            case COMPLETED -> 0;
            case COMPLETED_WITH_ERRORS -> 3;
            case FAILED -> 1;
        };
    }
}
