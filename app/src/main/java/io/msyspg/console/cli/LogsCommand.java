package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.logs.LocalLogSource;
import io.msyspg.console.core.logs.LogDocument;
import io.msyspg.console.core.logs.LogFilter;
import io.msyspg.console.core.logs.LogFollower;
import io.msyspg.console.core.logs.LogFormat;
import io.msyspg.console.core.logs.LogOpener;
import io.msyspg.console.core.logs.LogRecord;
import io.msyspg.console.core.logs.LogSeverity;
import io.msyspg.console.core.task.JobControl;
import io.msyspg.console.core.task.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print (and follow) a PostgreSQL server log: stderr with any log_line_prefix, csvlog or jsonlog.",
                "FILE prints one file; DIR (a log directory such as pg_log, or a data directory) prints the current file,",
                "and with --follow keeps following it through rotations."})
final class LogsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE|DIR", description = "A log file, a log directory or a data directory.")
    Path path;

    @Option(names = "--follow", description = "Keep printing new records, through rotations, until interrupted.")
    boolean follow;

    @Option(names = "--format", paramLabel = "jsonl|text", defaultValue = "text",
            description = "Output: text (records as written) or jsonl (one JSON object per record). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--min-severity", paramLabel = "LEVEL", description = "Only records at this severity or above (DEBUG5..PANIC); unrecognised lines are kept.")
    String minSeverity;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "The server's log_line_prefix (default: from the data directory's configuration, else guessed).")
    String prefix;

    @Option(names = "--grep", paramLabel = "REGEX", description = "Only records whose text matches this regular expression.")
    String grep;

    @Option(names = "--log-format", paramLabel = "stderr|csvlog|jsonlog", description = "The file format (default: by file name and content).")
    String logFormat;

    private final ObjectMapper json = new ObjectMapper();

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("jsonl") && !format.equals("text")) {
            err.println("msyspg-console: --format must be jsonl or text, not '" + format + "'");
            return 2;
        }
        LogFormat lf = null;
        if (logFormat != null) {
            lf = LogFormat.ofDestination(logFormat);
            if (lf == null) {
                err.println("msyspg-console: --log-format must be stderr, csvlog or jsonlog, not '" + logFormat + "'");
                return 2;
            }
        }
        LogFilter filter;
        try {
            filter = new LogFilter(minSeverity == null ? null : LogFilter.atLeast(LogSeverity.parseLevel(minSeverity)),
                    Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, LogFilter.regex("--grep", grep), null);
        } catch (ConsoleException e) {
            err.println("msyspg-console: " + e.getMessage());
            return 2;
        }
        LocalLogSource src = LocalLogSource.open(path);
        LogOpener.Choice choice = LogOpener.choose(src, null, lf, prefix);
        LogDocument doc = new LogDocument(src, choice.format(), choice.prefix());
        if (!follow) {
            JobRunner.runInForeground(ctx -> {
                doc.load(choice.file(), ctx);
                return null;
            }, JobControl.ProgressListener.NONE);
            for (int i = 0; i < doc.index().size(); i++) print(doc, i, filter, out);
            out.flush();
            return 0;
        }
        doc.onEvent(m -> {
            err.println("msyspg-console: " + m);
            err.flush();
        });
        LogFollower follower = new LogFollower(src, doc);
        JobRunner.runInForeground(ctx -> {
            int printed = 0;
            long lastBytes = -1;
            while (!ctx.isCancelled()) {
                follower.poll();
                int n = doc.index().size();
                long bytes = doc.index().bytesIndexed();
                // the last record may still get continuation lines: print it once the log is quiet for a poll
                int upTo = bytes == lastBytes ? n : n - 1;
                for (; printed < upTo; printed++) print(doc, printed, filter, out);
                out.flush();
                lastBytes = bytes;
                Thread.sleep(200);
            }
            return null;
        }, JobControl.ProgressListener.NONE);
        return 0;
    }

    private void print(LogDocument doc, int i, LogFilter filter, PrintWriter out) throws Exception {
        if (!filter.matchesIndex(doc.index(), i)) return;
        String raw = doc.text(i);
        if (!filter.matchesText(raw)) return;
        if (format.equals("text")) {
            out.print(raw.endsWith("\n") ? raw : raw + "\n");
            return;
        }
        LogRecord r = doc.parser().parse(doc.index().segment(doc.index().segmentOf(i)).file(), doc.index().offset(i), raw);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", r.file());
        o.put("offset", r.offset());
        o.put("time", r.time() == null ? null : r.time().toString());
        o.put("severity", r.severity().name());
        o.put("pid", r.pid());
        o.put("message", r.message());
        r.fields().forEach((k, v) -> {
            if (!k.equals("pid") && !k.equals("time")) o.putIfAbsent(k, v);
        });
        if (r.fields().containsKey("time")) o.put("time_text", r.fields().get("time"));
        out.println(json.writeValueAsString(o));
    }
}
