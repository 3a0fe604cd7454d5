package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Processes;
import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.task.JobContext;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one long PostgreSQL client tool (pg_dump, pg_restore, psql, pg_basebackup…) the safe way:
 * {@code LC_ALL=C}, {@code PG_COLOR=never}, standard input from {@code /dev/null} (or a given stream), standard
 * output to a file, standard error read line by line on a thread, the password only through a per-job 0600
 * {@code PGPASSFILE} named in the child's environment (never argv, never {@code PGPASSWORD}) that is deleted
 * when the tool ends, fails or is cancelled. Cancel: SIGTERM to the tool and its descendants, then SIGKILL after
 * a grace period.
 */
public final class ToolProcess {
    /** What the console shows for the password file in a command line. */
    public static final String PASSFILE_PLACEHOLDER = "<temporary 0600 file>";
    public static final long DEFAULT_GRACE_MILLIS = 5000;
    private static final int MAX_KEPT_LINES = 20000;

    /** How a run ended. {@code signal} is the signal that ended the tool (0 when it exited by itself). */
    public record Outcome(int exitCode, int signal, boolean cancelled, List<String> lines) {
        public boolean ok() { return exitCode == 0 && !cancelled; }

        /** The last lines that look like a problem ("error:", "FATAL", "could not…"), or the last lines. */
        public String problemSummary() {
            List<String> errs = new ArrayList<>();
            for (String l : lines) {
                String s = l.toLowerCase();
                if (s.contains("error") || s.contains("fatal") || s.contains("could not") || s.contains("unsupported")
                        || s.contains("aborting") || s.contains("no data will be available")) errs.add(l.strip());
            }
            List<String> src = errs.isEmpty() ? lines : errs;
            return String.join("\n", src.subList(Math.max(0, src.size() - 4), src.size())).strip();
        }

        public String firstProblem() {
            for (String l : lines) {
                String s = l.toLowerCase();
                if (s.contains("error:") || s.contains("fatal:")) return l.strip();
            }
            String sum = problemSummary();
            return sum.isEmpty() ? "" : sum.lines().reduce((a, b) -> b).orElse("");
        }
    }

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private char[] password;
    private Path stdout;
    private InputStream stdin;
    private Consumer<String> lineListener = l -> {};
    private Consumer<ProcessHandle> startListener = p -> {};
    private long graceMillis = DEFAULT_GRACE_MILLIS;
    private List<String> launchPrefix = List.of();

    public ToolProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Adds the libpq environment for a target (SSL mode, root certificate, application name, connect timeout). */
    public ToolProcess target(ConnectionTarget t) {
        env.put("PGSSLMODE", t.sslMode());
        if (t.sslRootCert() != null && !t.sslRootCert().isBlank()) env.put("PGSSLROOTCERT", t.sslRootCert());
        env.put("PGAPPNAME", t.applicationName());
        env.put("PGCONNECT_TIMEOUT", "10");
        return this;
    }

    public ToolProcess env(String k, String v) { env.put(k, v); return this; }

    String envValue(String k) { return env.get(k); }

    /** The password (copied; cleared after the run). Null means none (trust, or the user's own ~/.pgpass). */
    public ToolProcess password(char[] pw) { this.password = pw == null ? null : pw.clone(); return this; }

    /** Standard output goes to this file (default: discarded). */
    public ToolProcess stdoutTo(Path file) { this.stdout = file; return this; }

    /** Feeds standard input from this stream (default: /dev/null). */
    public ToolProcess stdinFrom(InputStream in) { this.stdin = in; return this; }

    public ToolProcess onLine(Consumer<String> l) { this.lineListener = l; return this; }

    public ToolProcess onStart(Consumer<ProcessHandle> l) { this.startListener = l; return this; }

    public ToolProcess grace(long millis) { this.graceMillis = millis; return this; }

    /** Runs the tool under another program (nice, ionice, prlimit…). */
    public ToolProcess launchPrefix(List<String> prefix) { this.launchPrefix = prefix == null ? List.of() : List.copyOf(prefix); return this; }

    /** The command as shown to the admin: environment that matters, then the quoted command. */
    public String display() {
        StringBuilder sb = new StringBuilder("LC_ALL=C PG_COLOR=never ");
        if (password != null) sb.append("PGPASSFILE=").append(PASSFILE_PLACEHOLDER).append(' ');
        if (env.containsKey("PGSSLMODE") && !"prefer".equals(env.get("PGSSLMODE"))) sb.append("PGSSLMODE=").append(env.get("PGSSLMODE")).append(' ');
        List<String> full = new ArrayList<>(launchPrefix);
        full.addAll(command);
        return sb + Processes.display(full);
    }

    public List<String> command() { return command; }

    /** Runs to the end; honours cancellation of {@code ctx}. Never throws for a non-zero exit (see {@link Outcome}). */
    public Outcome run(JobContext ctx) throws IOException, InterruptedException {
        Path passfile = null;
        try {
            List<String> full = new ArrayList<>(launchPrefix);
            full.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(full);
            Map<String, String> e = pb.environment();
            e.remove("PGPASSWORD");
            e.put("LC_ALL", "C");
            e.put("LC_MESSAGES", "C");
            e.put("PG_COLOR", "never");
            e.putAll(env);
            if (password != null) {
                passfile = writePassFile(password);
                e.put("PGPASSFILE", passfile.toString());
            }
            pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE);
            pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
            pb.redirectErrorStream(false);
            ctx.checkCancelled();
            Process p;
            try {
                p = pb.start();
            } catch (IOException ex) {
                throw new ConsoleException("Cannot start " + command.get(0) + ": " + ex.getMessage(), ex);
            }
            startListener.accept(p.toHandle());
            AtomicBoolean cancelled = new AtomicBoolean();
            ctx.onCancel(() -> {
                cancelled.set(true);
                terminate(p, graceMillis);
            });
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> readLines(p.getErrorStream(), lines), command.get(0) + "-stderr");
            reader.setDaemon(true);
            reader.start();
            Thread feeder = null;
            if (stdin != null) {
                InputStream in = stdin;
                feeder = new Thread(() -> {
                    try (OutputStream os = p.getOutputStream(); in) {
                        in.transferTo(os);
                    } catch (IOException ignored) {
                        // the tool stopped reading (it failed or was cancelled): its exit code tells why
                    }
                }, command.get(0) + "-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException ie) {
                terminate(p, graceMillis);
                p.waitFor(graceMillis + 2000, TimeUnit.MILLISECONDS);
                throw ie;
            }
            reader.join(5000);
            if (feeder != null) feeder.join(2000);
            int signal = code > 128 && code < 160 ? code - 128 : 0;
            synchronized (lines) {
                return new Outcome(code, signal, cancelled.get() || ctx.isCancelled(), List.copyOf(lines));
            }
        } finally {
            if (passfile != null) Files.deleteIfExists(passfile);
            if (password != null) Arrays.fill(password, '\0');
        }
    }

    private void readLines(InputStream in, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            int ch;
            // pg_basebackup -P ends its progress lines with \r: treat \r and \n both as line ends
            while ((ch = r.read()) != -1) {
                if (ch == '\n' || ch == '\r') {
                    if (!sb.isEmpty() || ch == '\n') emit(sb.toString(), lines);
                    sb.setLength(0);
                } else {
                    sb.append((char) ch);
                }
            }
            if (!sb.isEmpty()) emit(sb.toString(), lines);
        } catch (IOException ignored) {
            // the process went away
        }
    }

    private void emit(String line, List<String> lines) {
        synchronized (lines) {
            lines.add(line);
            if (lines.size() > MAX_KEPT_LINES) lines.subList(0, lines.size() - MAX_KEPT_LINES / 2).clear();
        }
        try {
            lineListener.accept(line);
        } catch (RuntimeException ignored) {
            // a listener's bug never stops the tool's output from being read
        }
    }

    /** SIGTERM to the tool and its descendants now, SIGKILL to whatever is left after {@code graceMillis}. */
    static void terminate(Process p, long graceMillis) {
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        family.forEach(ProcessHandle::destroy);
        p.destroy();
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            } catch (InterruptedException ignored) {
                p.destroyForcibly();
            }
        }, "tool-killer");
        killer.setDaemon(true);
        killer.start();
    }

    /** A 0600 pgpass file matching every host, port, database and user, with the password escaped. */
    static Path writePassFile(char[] password) throws IOException {
        Path f = Files.createTempFile("msyspg-pgpass-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder sb = new StringBuilder("*:*:*:*:");
        for (char c : password) {
            if (c == '\\' || c == ':') sb.append('\\');
            sb.append(c);
        }
        sb.append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        sb.setLength(0);
        Files.write(f, bytes);
        Arrays.fill(bytes, (byte) 0);
        return f;
    }

    /** "killed by SIGKILL (9)" and friends, for messages. */
    public static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            case 25 -> "SIGXFSZ (file size limit exceeded)";
            default -> "signal " + signal;
        };
    }
}
