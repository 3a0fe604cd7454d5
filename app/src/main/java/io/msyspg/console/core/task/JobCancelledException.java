package io.msyspg.console.core.task;

import java.util.concurrent.CancellationException;

/** Thrown by a job that stops because it was asked to; reported as "cancelled", never as an error. */
public class JobCancelledException extends CancellationException {
    public JobCancelledException() {
        super("cancelled");
    }
}
