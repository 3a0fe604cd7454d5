package io.msyspg.console.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects and prints figures: each beside its reference and target, with a verdict. */
public final class BenchReport {
    public record Figure(String bench, String name, double value, String unit, String referenceName, double reference,
                         String target, boolean met) {}

    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private String current = "";

    public BenchReport(PrintStream out) {
        this.out = out;
    }

    void begin(Benchmark b) {
        current = b.name();
        out.printf("%n== %s: %s%n", b.name(), b.description());
    }

    /** A context line (data size, machine facts) printed as is. */
    public void note(String text) {
        out.println("   " + text);
    }

    /**
     * A figure beside its reference. {@code target} says what "good" is in words ("<= 2x wc -l"); {@code met}
     * is the verdict computed by the benchmark from the two numbers.
     */
    public void figure(String name, double value, String unit, String referenceName, double reference, String target, boolean met) {
        Figure f = new Figure(current, name, value, unit, referenceName, reference, target, met);
        figures.add(f);
        String ratio = reference > 0 ? String.format(Locale.ROOT, "%.2fx", value / reference) : "-";
        out.printf(Locale.ROOT, "   %-44s %12.3f %-6s | %-28s %12.3f %-6s | ratio %-7s | target %-22s %s%n",
                name, value, unit, referenceName, reference, unit, ratio, target, met ? "MET" : "NOT MET");
    }

    /** A figure with an absolute target and no external reference (memory per line, say). */
    public void absolute(String name, double value, String unit, String target, boolean met) {
        figures.add(new Figure(current, name, value, unit, null, Double.NaN, target, met));
        out.printf(Locale.ROOT, "   %-44s %12.3f %-6s | %-61s | target %-22s %s%n", name, value, unit, "(no external reference)",
                target, met ? "MET" : "NOT MET");
    }

    public List<Figure> figures() { return List.copyOf(figures); }

    /** The median of {@code v} (the upper one for an even count). */
    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** "1.23, 4.56": values with two decimals, for a note. */
    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(sb.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.2f", d));
        return sb.toString();
    }
}
