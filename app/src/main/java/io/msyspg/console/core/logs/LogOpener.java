package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Decides which file, format and log_line_prefix to use for a source when the admin did not say. */
public final class LogOpener {
    private LogOpener() {}

    public record Choice(String file, LogFormat format, LinePrefix prefix, String prefixOrigin) {}

    /**
     * @param file   a file of the source, or null for the current (else newest) one
     * @param format null: by file name / content
     * @param prefix null: the server's (remote, or the data directory's configuration), else guessed from the file
     */
    public static Choice choose(LogSource src, String file, LogFormat format, String prefix) throws IOException {
        String f = file;
        if (f == null) {
            f = src.current(format == null ? LogFormat.STDERR : format);
            if (f == null && format == null) {
                for (LogFormat x : List.of(LogFormat.CSV, LogFormat.JSON)) if (f == null) f = src.current(x);
            }
        }
        if (f == null) {
            List<LogFileInfo> all = new ArrayList<>(src.list());
            all.sort(Comparator.comparingLong(LogFileInfo::modifiedMillis).reversed());
            if (all.isEmpty()) throw new ConsoleException("There are no log files in " + src.describe() + ".");
            f = all.get(0).name();
        }
        byte[] head = new byte[64 * 1024];
        int n = Math.max(0, src.read(f, 0, head, 0, head.length));
        LogFormat fmt = format != null ? format : LogFormat.sniff(f, head, n);
        if (fmt != LogFormat.STDERR) return new Choice(f, fmt, null, "");
        if (prefix != null) return new Choice(f, fmt, LinePrefix.compile(prefix), "given");
        if (src.logLinePrefix() != null) return new Choice(f, fmt, LinePrefix.compile(src.logLinePrefix()), "from the server configuration");
        List<String> lines = new String(head, 0, n, StandardCharsets.UTF_8).lines().limit(200).toList();
        LinePrefix guessed = LinePrefix.guess(lines);
        return new Choice(f, fmt, guessed, "guessed from the file");
    }
}
