package io.msyspg.console.core.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs short external commands (tool version checks, pg_ctl, initdb) to completion. Standard input is
 * closed, output is captured, {@code LC_ALL=C} and {@code PG_COLOR=never} make it parseable. Long-running
 * tools with progress (pg_dump, pg_restore…) use their feature's own runner on top of {@link ProcessBuilder}.
 */
public final class Processes {
    private Processes() {}

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0; }
        public String output() { return (stdout + (stderr.isEmpty() ? "" : "\n" + stderr)).strip(); }
    }

    public static Result run(List<String> command, Path workDir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(command, workDir, env);
        Process p = pb.start();
        StreamCollector out = new StreamCollector(p.getInputStream());
        StreamCollector err = new StreamCollector(p.getErrorStream());
        out.start();
        err.start();
        awaitOrKill(p, command, timeoutSeconds);
        out.join(5000);
        err.join(5000);
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** A builder for a child that parses: {@code LC_ALL=C}, {@code PG_COLOR=never}, standard input closed. */
    public static ProcessBuilder builder(List<String> command, Path workDir, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) pb.directory(workDir.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("PG_COLOR", "never");
        if (env != null) pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    /** Waits for {@code p}; past the timeout, or when interrupted, kills it and its descendants. */
    private static void awaitOrKill(Process p, List<String> command, long timeoutSeconds) throws InterruptedException {
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new ConsoleException("'" + String.join(" ", command.subList(0, Math.min(command.size(), 3)))
                        + "' did not finish within " + timeoutSeconds + " s and was stopped");
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    public static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, null, null, timeoutSeconds);
    }

    /**
     * Runs a command and hands every output line (stdout and stderr, in arrival order) to {@code lines} as it
     * comes, for output shown live (pg_ctl, a service script). {@code started} receives the process as soon as
     * it runs, so a caller can register {@code process::destroy} as a cancel hook. The returned result holds
     * the whole output too (stdout: every line, stderr: empty).
     */
    public static Result stream(List<String> command, Path workDir, Map<String, String> env, long timeoutSeconds,
                                java.util.function.Consumer<String> lines, java.util.function.Consumer<Process> started)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(command, workDir, env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        if (started != null) started.accept(p);
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (all) { all.append(line).append('\n'); }
                    if (lines != null) lines.accept(line);
                }
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }, "process-lines");
        reader.setDaemon(true);
        reader.start();
        awaitOrKill(p, command, timeoutSeconds);
        // a daemon the command started (postgres) may keep the pipe open: do not wait for its end forever
        reader.join(2000);
        synchronized (all) { return new Result(p.exitValue(), all.toString(), ""); }
    }

    private static final class StreamCollector extends Thread {
        private final InputStream in;
        private final StringBuilder sb = new StringBuilder();

        StreamCollector(InputStream in) {
            super("process-output");
            setDaemon(true);
            this.in = in;
        }

        @Override public void run() {
            try (in) {
                byte[] all = in.readAllBytes();
                synchronized (sb) { sb.append(new String(all, StandardCharsets.UTF_8)); }
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }

        String text() { synchronized (sb) { return sb.toString(); } }
    }

    /** Quotes a command for display (never include secrets in a command in the first place). */
    public static String display(List<String> command) {
        List<String> parts = new ArrayList<>();
        for (String c : command) {
            parts.add(c.matches("[A-Za-z0-9_./:=,@%+-]+") ? c : "'" + c.replace("'", "'\\''") + "'");
        }
        return String.join(" ", parts);
    }
}
