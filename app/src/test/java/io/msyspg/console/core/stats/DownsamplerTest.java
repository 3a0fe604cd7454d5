package io.msyspg.console.core.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DownsamplerTest {
    private static double[] xs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    private static int points(List<Downsampler.Segment> segs) {
        return segs.stream().mapToInt(Downsampler.Segment::size).sum();
    }

    @Test
    void minMaxKeepsEverySpikeAndNeverExceedsThePixelBudget() {
        int n = 86_400;
        double[] x = xs(n), y = new double[n];
        Random r = new Random(42);
        for (int i = 0; i < n; i++) y[i] = 100 + r.nextGaussian();
        int[] spikes = {17, 12_345, 50_001, 86_399};
        for (int s : spikes) y[s] = 10_000 + s;
        y[70_000] = -5_000;   // a dip
        List<Downsampler.Segment> out = Downsampler.minMax(x, y, 1_000);
        assertThat(points(out)).isLessThanOrEqualTo(1_000).isGreaterThan(900);
        double[] kept = out.stream().flatMapToDouble(s -> Arrays.stream(s.y())).toArray();
        for (int s : spikes) assertThat(kept).contains(10_000.0 + s);
        assertThat(kept).contains(-5_000.0);
        // x stays increasing (a chart line never goes back in time)
        double[] kx = out.get(0).x();
        for (int i = 1; i < kx.length; i++) assertThat(kx[i]).isGreaterThan(kx[i - 1]);
    }

    @Test
    void gapsSplitTheSeriesAndAreNeverBridged() {
        double[] x = xs(10), y = {1, 2, 3, Double.NaN, Double.NaN, 6, 7, Double.NaN, 9, 10};
        List<Downsampler.Segment> mm = Downsampler.minMax(x, y, 100);
        assertThat(mm).hasSize(3);
        assertThat(mm.get(0).x()).containsExactly(0, 1, 2);
        assertThat(mm.get(1).x()).containsExactly(5, 6);
        assertThat(mm.get(2).x()).containsExactly(8, 9);
        List<Downsampler.Segment> lt = Downsampler.lttb(x, y, 100);
        assertThat(lt).hasSize(3);
        for (Downsampler.Segment s : lt) for (double v : s.y()) assertThat(v).isNotNaN();
    }

    @Test
    void minMaxOfFewPointsKeepsThemAll() {
        double[] x = xs(5), y = {5, 4, 3, 2, 1};
        assertThat(Downsampler.minMax(x, y, 1_000).get(0).y()).containsExactly(5, 4, 3, 2, 1);
        assertThat(Downsampler.minMax(new double[0], new double[0], 10)).isEmpty();
    }

    @Test
    void lttbKeepsASpikeAndHitsTheThreshold() {
        int n = 10_000;
        double[] x = xs(n), y = new double[n];
        for (int i = 0; i < n; i++) y[i] = Math.sin(i / 500.0);
        y[4_321] = 50;
        List<Downsampler.Segment> out = Downsampler.lttb(x, y, 500);
        assertThat(points(out)).isEqualTo(500);
        assertThat(out.get(0).y()).contains(50.0);
        assertThat(out.get(0).x()[0]).isEqualTo(0);
        assertThat(out.get(0).x()[499]).isEqualTo(n - 1);
    }
}
