package io.msyspg.console.core.logs;

import java.io.IOException;
import java.util.List;

/**
 * Where log files come from: a local directory or file ({@link LocalLogSource}) or a server over SQL
 * ({@link RemoteLogSource}). Errors are {@link io.msyspg.console.core.common.ConsoleException}s naming the
 * file or the missing privilege.
 */
public interface LogSource extends AutoCloseable {
    /** What the admin sees: "/var/db/msyspg/pg_log" or "server 10.0.0.5:5432". */
    String describe();

    /** The files of the log (one entry for a single-file source), any order. */
    List<LogFileInfo> list() throws IOException;

    /** The file the server writes to now for this format, or null when nobody can tell. */
    String current(LogFormat format) throws IOException;

    /**
     * Reads up to {@code len} bytes at {@code offset} of {@code name}; returns the count (0 at end of file),
     * or -1 when the file does not exist any more.
     */
    int read(String name, long offset, byte[] buf, int off, int len) throws IOException;

    /** The largest read worth asking for at once. */
    default int maxChunk() { return 4 << 20; }

    /** The server's log_line_prefix when the source knows it (remote, or a data directory's configuration). */
    default String logLinePrefix() { return null; }

    /** The server's log_timezone when known, else null (the system zone is used for abbreviations it cannot map). */
    default String logTimezone() { return null; }

    /** The current file and the listing together (one round trip where the source can). */
    record Snapshot(String current, List<LogFileInfo> files) {}

    default Snapshot snapshot(LogFormat format) throws IOException {
        return new Snapshot(current(format), list());
    }

    /** A standing remark about the source (a missing privilege worked around), or null. */
    default String note() { return null; }

    @Override default void close() {}
}
