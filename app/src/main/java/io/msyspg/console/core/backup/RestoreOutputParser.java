package io.msyspg.console.core.backup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pg_restore's {@code -v} standard error (and psql's) into errors with their TOC entries, classed as
 * expected or real, and the "errors ignored on restore: N" count.
 */
public final class RestoreOutputParser {
    private static final Pattern IGNORED = Pattern.compile("errors ignored on restore: (\\d+)");
    private static final Pattern PSQL_ERROR = Pattern.compile("^psql:(.*?):(\\d+): (ERROR|FATAL):\\s+(.*)$");

    private final Collection<String> schemas;
    private final List<RestoreError> errors = new ArrayList<>();
    private String tocLine;
    private TocEntry toc;
    private String pendingMessage;
    private StringBuilder command;
    private int ignored = -1;
    private String fatal;

    public RestoreOutputParser(Collection<String> schemas) {
        this.schemas = schemas;
    }

    public void line(String raw) {
        String l = raw.stripTrailing();
        if (command != null) {
            if (l.isEmpty() || l.startsWith("pg_restore: ")) {
                closeError();
            } else {
                command.append(command.isEmpty() ? "" : "\n").append(l);
                return;
            }
        }
        if (l.startsWith("Command was: ") && pendingMessage != null) {
            command = new StringBuilder(l.substring("Command was: ".length()));
            return;
        }
        Matcher pm = PSQL_ERROR.matcher(l);
        if (pm.find()) {
            flushPending();
            add("psql " + pm.group(1) + " line " + pm.group(2), null, pm.group(4), "");
            return;
        }
        if (l.startsWith("pg_restore: from TOC entry ")) {
            flushPending();
            tocLine = l.substring("pg_restore: from TOC entry ".length());
            toc = TocEntry.parse(tocLine, schemas);
            return;
        }
        if (l.startsWith("pg_restore: creating ") || l.startsWith("pg_restore: processing ") || l.startsWith("pg_restore: launching ")
                || l.startsWith("pg_restore: dropping ")) {
            flushPending();
            tocLine = null;
            toc = null;
            return;
        }
        Matcher m = IGNORED.matcher(l);
        if (m.find()) {
            flushPending();
            ignored = Integer.parseInt(m.group(1));
            return;
        }
        if (l.startsWith("pg_restore: error: ")) {
            flushPending();
            String msg = l.substring("pg_restore: error: ".length());
            if (msg.startsWith("could not execute query: ")) {
                pendingMessage = msg.substring("could not execute query: ".length()).replaceFirst("^ERROR:\\s+", "");
            } else if (toc != null) {
                pendingMessage = msg;
            } else {
                fatal = msg;
            }
        }
    }

    private void flushPending() {
        if (command != null) closeError();
        else if (pendingMessage != null) {
            add(tocLine, toc, pendingMessage, "");
            pendingMessage = null;
        }
    }

    private void closeError() {
        add(tocLine, toc, pendingMessage, command.toString());
        pendingMessage = null;
        command = null;
    }

    /** Ends the stream (flushes a last error). */
    public void finish() {
        flushPending();
    }

    private void add(String tocLine, TocEntry entry, String message, String cmd) {
        String reason = expectedReason(entry, message == null ? "" : message, cmd);
        errors.add(new RestoreError(tocLine, entry, message, cmd, reason != null, reason));
    }

    /** Why an error is harmless, or null when it is a real one. */
    static String expectedReason(TocEntry e, String message, String cmd) {
        String c = cmd.strip().toUpperCase();
        String desc = e == null ? "" : e.desc();
        if (message.contains("does not exist") && c.startsWith("DROP ")) {
            return "dropping an object that was not there (use --clean --if-exists)";
        }
        if (message.contains("already exists") && (desc.equals("SCHEMA") || c.startsWith("CREATE SCHEMA"))
                && (message.contains("\"public\"") || (e != null && e.name().equals("public")))) {
            return "schema public exists in every new database";
        }
        if (message.contains("already exists") && (desc.equals("EXTENSION") || c.startsWith("CREATE EXTENSION"))) {
            return "the extension is already installed";
        }
        if (message.contains("must be owner of") && (c.startsWith("COMMENT ON EXTENSION") || c.startsWith("COMMENT ON SCHEMA PUBLIC"))) {
            return "comment on a built-in object owned by the bootstrap superuser";
        }
        return null;
    }

    public List<RestoreError> errors() { return List.copyOf(errors); }

    /** The N of "errors ignored on restore: N", or -1 when the line did not appear. */
    public int ignoredCount() { return ignored; }

    /** An error outside any TOC entry (connection failed, archive unreadable…), or null. */
    public String fatal() { return fatal; }
}
