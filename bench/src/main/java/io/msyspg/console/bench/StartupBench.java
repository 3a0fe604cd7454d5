package io.msyspg.console.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of the packaged console (packaging/build's app-image): time from process start to the first
 * window shown, with the AppCDS archive, with only the JDK's default CDS, and with no CDS at all, beside
 * {@code ./msyspg-console} from the build, all in the same run, interleaved. The GUI runs with the hidden
 * {@code -Dmsyspg.exitAfterFirstWindow=true} probe, which prints a marker once the main window is shown and
 * laid out; the clock stops when the marker line arrives. Needs a display: uses $DISPLAY, or starts Xvfb.
 * Also times {@code --version} (CLI start) the same ways. {@code -Dbench.startup.runs=N} (default 5).
 */
final class StartupBench implements Benchmark {
    private static final String MARKER = "msyspg-console: first window shown";   // io.msyspg.console.ui.App.FIRST_WINDOW_MARKER
    private static final String PROBE = "-Dmsyspg.exitAfterFirstWindow=true";

    @Override public String name() { return "startup"; }

    @Override public String description() {
        return "process start to first window: package with AppCDS vs without vs ./msyspg-console";
    }

    @Override public void run(BenchReport r) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path image = root.resolve("packaging/target/app-image/msyspg-console");
        Path launcher = image.resolve("bin/msyspg-console");
        Path app = image.resolve("lib/app");
        if (!Files.isExecutable(launcher) || !Files.isRegularFile(app.resolve("msyspg-console.jsa"))) {
            r.note("SKIPPED: the package is not built (" + launcher + " with its CDS archive). Run: packaging/build");
            return;
        }
        int runs = Integer.getInteger("bench.startup.runs", 5);
        Path home = Files.createTempDirectory("bench-startup-home");
        Process xvfb = null;
        try {
            Map<String, String> env = new HashMap<>();
            env.put("MSYSPG_CONSOLE_HOME", home.toString());
            String display = System.getenv("DISPLAY");
            if (display == null || display.isBlank()) {
                int n = freeDisplay();
                xvfb = startXvfb(n);
                if (xvfb == null) {
                    r.note("SKIPPED: no DISPLAY and Xvfb could not be started (apt-get install xvfb)");
                    return;
                }
                display = ":" + n;
                r.note("display: Xvfb " + display + " (started for this benchmark)");
            } else {
                r.note("display: " + display);
            }
            env.put("DISPLAY", display);

            String java = image.resolve("lib/runtime/bin/java").toString();
            String cp = classPath(app);
            Map<String, Variant> gui = new LinkedHashMap<>();
            gui.put("appcds", new Variant(List.of(launcher.toString()), Map.of("JAVA_TOOL_OPTIONS", PROBE)));
            gui.put("jdkcds", new Variant(List.of(java, PROBE, "-cp", cp, "io.msyspg.console.Main"), Map.of()));
            gui.put("nocds", new Variant(List.of(launcher.toString()), Map.of("JAVA_TOOL_OPTIONS", PROBE + " -Xshare:off")));
            gui.put("build", new Variant(List.of(root.resolve("msyspg-console").toString()), Map.of("MSYSPG_CONSOLE_JAVA_OPTS", PROBE)));
            Map<String, Variant> cli = new LinkedHashMap<>();
            cli.put("appcds", new Variant(List.of(launcher.toString(), "--version"), Map.of()));
            cli.put("nocds", new Variant(List.of(launcher.toString(), "--version"), Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off")));
            cli.put("build", new Variant(List.of(root.resolve("msyspg-console").toString(), "--version"), Map.of()));

            r.note(runs + " runs each after one warm-up, interleaved; medians. Archive "
                    + Files.size(app.resolve("msyspg-console.jsa")) / (1024 * 1024) + " MB");
            Map<String, double[]> g = measure(gui, env, runs, true);
            Map<String, double[]> c = measure(cli, env, runs, false);
            double appcds = median(g.get("appcds")), jdkcds = median(g.get("jdkcds")), nocds = median(g.get("nocds")),
                    build = median(g.get("build"));
            r.note("first window, all runs (ms): " + g.entrySet().stream()
                    .map(e -> e.getKey() + " " + Arrays.toString(Arrays.stream(e.getValue()).mapToLong(Math::round).toArray()))
                    .reduce((a, b) -> a + "; " + b).orElse(""));
            r.figure("first window: package + AppCDS", appcds, "ms", "package, no CDS (-Xshare:off)", nocds,
                    "<= 1500 ms", appcds <= 1500);
            r.figure("first window: package + AppCDS", appcds, "ms", "./msyspg-console (build)", build,
                    "<= 1.0x build", appcds <= build);
            r.figure("first window: package, JDK default CDS only", jdkcds, "ms", "package, no CDS (-Xshare:off)", nocds,
                    "(info) < no CDS", jdkcds < nocds);
            double cliA = median(c.get("appcds")), cliN = median(c.get("nocds")), cliB = median(c.get("build"));
            r.figure("--version: package + AppCDS", cliA, "ms", "package, no CDS (-Xshare:off)", cliN,
                    "<= 0.8x no CDS", cliA <= 0.8 * cliN);
            r.figure("--version: package + AppCDS", cliA, "ms", "./msyspg-console --version (build)", cliB,
                    "<= 1.0x build", cliA <= cliB);
        } finally {
            if (xvfb != null) {
                xvfb.destroy();
                xvfb.waitFor(10, TimeUnit.SECONDS);
            }
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Variant(List<String> command, Map<String, String> env) {}

    private static Map<String, double[]> measure(Map<String, Variant> variants, Map<String, String> env, int runs,
                                                 boolean gui) throws Exception {
        Map<String, double[]> times = new LinkedHashMap<>();
        for (var e : variants.entrySet()) {
            once(e.getValue(), env, gui);                              // warm-up: page cache, settings files
            times.put(e.getKey(), new double[runs]);
        }
        for (int i = 0; i < runs; i++) {
            for (var e : variants.entrySet()) times.get(e.getKey())[i] = once(e.getValue(), env, gui);
        }
        return times;
    }

    /** Milliseconds from just before the process starts to its first-window marker (GUI) or its exit (CLI). */
    private static double once(Variant v, Map<String, String> env, boolean gui) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(v.command()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        pb.environment().putAll(v.env());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long marker = -1;
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (gui && marker < 0 && line.startsWith(MARKER)) marker = System.nanoTime();
                lines.add(line);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", v.command()) + " did not exit within 60 s");
        }
        long end = gui ? marker : System.nanoTime();
        if (p.exitValue() != 0 || end < 0) {
            throw new IOException(String.join(" ", v.command()) + " exited " + p.exitValue()
                    + (gui && marker < 0 ? " without showing its window" : "") + "; output: " + lines);
        }
        return (end - t0) / 1e6;
    }

    /** The class path exactly as the jpackage launcher builds it ({@code app.classpath} lines of the .cfg). */
    private static String classPath(Path app) throws IOException {
        List<String> cp = new ArrayList<>();
        for (String line : Files.readAllLines(app.resolve("msyspg-console.cfg"))) {
            if (line.startsWith("app.classpath=")) cp.add(line.substring("app.classpath=".length()).replace("$APPDIR", app.toString()));
        }
        return String.join(":", cp);
    }

    private static int freeDisplay() {
        for (int n = 200; n < 260; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) return n;
        }
        return 260;
    }

    private static Process startXvfb(int n) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("Xvfb", ":" + n, "-screen", "0", "1400x900x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 100 && !Files.exists(Path.of("/tmp/.X11-unix/X" + n)); i++) Thread.sleep(50);
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n))) return p;
            p.destroy();
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
