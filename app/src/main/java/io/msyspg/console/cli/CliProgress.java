package io.msyspg.console.cli;

import io.msyspg.console.core.task.JobControl;

import java.io.PrintWriter;

/** Job progress as stderr lines, at most one a second (plus every change of step), for cron logs and terminals. */
final class CliProgress implements JobControl.ProgressListener {
    private final PrintWriter err;
    private final String prefix;
    private long lastPrint;
    private String lastMessage = "";
    private volatile double fraction = -1;

    CliProgress(PrintWriter err, String prefix) {
        this.err = err;
        this.prefix = prefix;
    }

    @Override public void progress(double done, double total) {
        fraction = total > 0 ? done / total : -1;
    }

    @Override public synchronized void message(String message) {
        long now = System.currentTimeMillis();
        String step = message.split(" · ")[0];
        if (now - lastPrint >= 1000 || !step.equals(lastMessage.split(" · ")[0])) {
            err.println(prefix + ": " + message);
            err.flush();
            lastPrint = now;
        }
        lastMessage = message;
    }

    synchronized void raw(String line) {
        err.println(line);
        err.flush();
    }

    synchronized void done() {
        err.println(prefix + ": 100% done");
        err.flush();
    }

    double fraction() { return fraction; }
}
