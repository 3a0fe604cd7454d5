package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.Sample;
import io.msyspg.console.core.stats.StatsHistory;
import io.msyspg.console.core.stats.StatsSampler;
import io.msyspg.console.core.stats.TopQueries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "stats",
        description = {"Sample the server's statistics and print one JSON object per sample (JSON Lines).",
                "Each object has 'time', 'status' (collecting, ok, gap, error) and every metric by name;",
                "rates are null on the first sample and across a gap (stats reset or restart), ratios are null when n/a.",
                "--database NAME: the per-database figures (tps, commits, rollbacks, tuples, blocks, temp, deadlocks) are that",
                "database's, under the same keys, plus \"database\": NAME. --top N adds \"top_queries\" (pg_stat_statements rates",
                "since the previous sample)."})
final class StatsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions conn;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10", description = "Number of samples (default: ${DEFAULT-VALUE}; 0 = until interrupted).")
    int samples;

    @Option(names = "--interval", paramLabel = "S", defaultValue = "1", description = "Seconds between samples, decimals allowed (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--database", paramLabel = "NAME", description = "Report the per-database figures of this database instead of the whole server.")
    String database;

    @Option(names = "--top", paramLabel = "N", defaultValue = "0", description = "Add the top N statements by time from pg_stat_statements (default: none).")
    int top;

    @Override public Integer call() throws Exception {
        if (samples < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be 0 or more, not " + samples);
        if (!(interval >= 0.1) || interval > 3600) throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be between 0.1 and 3600 seconds, not " + interval);
        if (top < 0 || top > 1000) throw new CommandLine.ParameterException(spec.commandLine(), "--top must be between 0 and 1000, not " + top);
        if (database != null && database.isBlank()) throw new CommandLine.ParameterException(spec.commandLine(), "--database needs a database name");
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        try (PooledDbSession db = conn.open();
             StatsSampler sampler = new StatsSampler(db, new StatsHistory(Math.max(2, Math.min(samples == 0 ? 3600 : samples, 86_400))), new StatsHistory(16))) {
            int major = db.serverVersion().major();
            sampler.setTopQueriesEnabled(top > 0);
            sampler.setTopInterval(Duration.ZERO);
            long step = Math.round(interval * 1000);
            long next = System.nanoTime();
            for (int i = 0; samples == 0 || i < samples; i++) {
                long lastTopReading = sampler.topQueries().lastReadingMillis();
                Sample s = sampler.sampleNow();
                double[] dbValues = null;
                if (database != null && s.status() != Sample.Status.ERROR) {
                    dbValues = s.database(database);
                    if (dbValues == null) throw new CommandLine.ParameterException(spec.commandLine(), "--database: no database \"" + database
                            + "\" on " + db.target().display() + " (there are: " + String.join(", ", s.databases().keySet()) + ")");
                }
                ObjectNode o = json.createObjectNode();
                o.put("time", Instant.ofEpochMilli(s.serverTimeMillis()).toString());
                if (database != null) o.put("database", database);
                o.put("status", s.status().name().toLowerCase(java.util.Locale.ROOT));
                if (!s.reason().isEmpty() && s.status() != Sample.Status.COLLECTING) o.put("reason", s.reason());
                for (Metric m : Metric.values()) {
                    if (!m.availableOn(major)) continue;
                    double v = database != null && m.perDatabase() ? (dbValues == null ? Double.NaN : dbValues[m.ordinal()]) : s.get(m);
                    if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(m.key());
                    else o.put(m.key(), Math.round(v * 1000.0) / 1000.0);
                }
                if (top > 0) topQueries(o, sampler, lastTopReading);
                out.println(json.writeValueAsString(o));
                out.flush();
                if (samples != 0 && i == samples - 1) break;
                next += step * 1_000_000L;
                long sleep = (next - System.nanoTime()) / 1_000_000L;
                if (sleep > 0) Thread.sleep(sleep);
            }
        }
        return 0;
    }

    private void topQueries(ObjectNode o, StatsSampler sampler, long since) {
        TopQueries.Result r = sampler.topQueries().top(since == Long.MIN_VALUE ? Long.MAX_VALUE : since, top, database);
        if (!r.availability().available()) {
            o.putNull("top_queries");
            o.put("top_queries_note", r.availability().title() + ". " + r.availability().hint());
            return;
        }
        if (r.coveredSeconds() <= 0) { o.putNull("top_queries"); return; }   // first sample, or a reset: no interval yet
        var arr = o.putArray("top_queries");
        for (TopQueries.Row row : r.rows()) {
            ObjectNode q = arr.addObject();
            q.put("queryid", row.queryId());
            q.put("database", row.database());
            q.put("user", row.user());
            q.put("calls_per_s", round(row.callsPerSec()));
            q.put("time_ms_per_s", round(row.timeMsPerSec()));
            q.put("mean_ms", round(row.meanMs()));
            q.put("rows_per_s", round(row.rowsPerSec()));
            q.put("shared_blks_hit_per_s", round(row.sharedHitPerSec()));
            q.put("shared_blks_read_per_s", round(row.sharedReadPerSec()));
            q.put("query", row.query());
        }
    }

    private static double round(double v) { return Double.isFinite(v) ? Math.round(v * 1000.0) / 1000.0 : 0; }

    static Duration parse(double s) { return Duration.ofMillis(Math.round(s * 1000)); }
}
