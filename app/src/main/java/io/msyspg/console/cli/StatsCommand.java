package io.msyspg.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.stats.Metric;
import io.msyspg.console.core.stats.Sample;
import io.msyspg.console.core.stats.StatsHistory;
import io.msyspg.console.core.stats.StatsSampler;
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
                "rates are null on the first sample and across a gap (stats reset or restart), ratios are null when n/a."})
final class StatsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin ConnectionOptions conn;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10", description = "Number of samples (default: ${DEFAULT-VALUE}; 0 = until interrupted).")
    int samples;

    @Option(names = "--interval", paramLabel = "S", defaultValue = "1", description = "Seconds between samples, decimals allowed (default: ${DEFAULT-VALUE}).")
    double interval;

    @Override public Integer call() throws Exception {
        if (samples < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be 0 or more, not " + samples);
        if (!(interval >= 0.1) || interval > 3600) throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be between 0.1 and 3600 seconds, not " + interval);
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        try (PooledDbSession db = conn.open();
             StatsSampler sampler = new StatsSampler(db, new StatsHistory(Math.max(2, Math.min(samples == 0 ? 3600 : samples, 86_400))), new StatsHistory(16))) {
            int major = db.serverVersion().major();
            long step = Math.round(interval * 1000);
            long next = System.nanoTime();
            for (int i = 0; samples == 0 || i < samples; i++) {
                Sample s = sampler.sampleNow();
                ObjectNode o = json.createObjectNode();
                o.put("time", Instant.ofEpochMilli(s.serverTimeMillis()).toString());
                o.put("status", s.status().name().toLowerCase(java.util.Locale.ROOT));
                if (!s.reason().isEmpty() && s.status() != Sample.Status.COLLECTING) o.put("reason", s.reason());
                for (Metric m : Metric.values()) {
                    if (!m.availableOn(major)) continue;
                    double v = s.get(m);
                    if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(m.key());
                    else o.put(m.key(), Math.round(v * 1000.0) / 1000.0);
                }
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

    static Duration parse(double s) { return Duration.ofMillis(Math.round(s * 1000)); }
}
