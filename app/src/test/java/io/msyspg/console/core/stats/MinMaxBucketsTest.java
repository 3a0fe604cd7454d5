package io.msyspg.console.core.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Incremental min/max buckets: same result as a rebuild, spikes and gaps kept, old buckets dropped. */
class MinMaxBucketsTest {
    private static final Metric[] M = {Metric.COMMITS, Metric.TUPLES_IN};
    private static final long T0 = 1_700_000_000_000L;

    private static Sample sample(long t, double commits, double tuples) {
        double[] v = new double[Metric.count()];
        Arrays.fill(v, Double.NaN);
        v[Metric.COMMITS.ordinal()] = commits;
        v[Metric.TUPLES_IN.ordinal()] = tuples;
        return new Sample(t, Double.isNaN(commits) ? Sample.Status.GAP : Sample.Status.OK, "", v, "[]");
    }

    private static double[][] flat(List<Downsampler.Segment> segs) {
        int n = segs.stream().mapToInt(Downsampler.Segment::size).sum();
        double[][] out = new double[2][n];
        int i = 0;
        for (Downsampler.Segment s : segs) {
            System.arraycopy(s.x(), 0, out[0], i, s.size());
            System.arraycopy(s.y(), 0, out[1], i, s.size());
            i += s.size();
        }
        return out;
    }

    @Test
    void incrementalUpdatesEqualARebuildWithSpikesAndGapsKept() {
        StatsHistory h = new StatsHistory(20_000);
        long window = 3_600_000, bucket = MinMaxBuckets.bucketMillis(window, 200);
        MinMaxBuckets inc = new MinMaxBuckets(M, bucket, (int) (window / bucket) + 4);
        Random rnd = new Random(7);
        int n = 12_000;
        for (int i = 0; i < n; i++) {
            boolean gap = i >= 5_000 && i < 5_003;
            double c = gap ? Double.NaN : 10 + rnd.nextDouble();
            if (i == 9_001) c = 5_000;   // a single-sample spike
            if (i == 9_500) c = -50;     // and a dip
            h.append(sample(T0 + i * 1000L, c, gap ? Double.NaN : i));
            if (i % 37 == 0 || i == n - 1) {
                long to = h.lastTime();
                int read = inc.update(h, to - window);
                assertThat(read).as("incremental: only the new samples are read").isLessThanOrEqualTo(i < 3_700 ? i + 1 : 37);
            }
        }
        long to = h.lastTime(), from = to - window;
        MinMaxBuckets fresh = new MinMaxBuckets(M, bucket, (int) (window / bucket) + 4);
        fresh.update(h, from);
        for (int k = 0; k < M.length; k++) {
            List<Downsampler.Segment> a = inc.segments(k), b = fresh.segments(k);
            assertThat(a).hasSameSizeAs(b);
            double[][] fa = flat(a), fb = flat(b);
            assertThat(fa[0]).containsExactly(fb[0]);
            assertThat(fa[1]).containsExactly(fb[1]);
        }
        // window covers samples 8_400..11_999: no gap left, spike and dip survive, at most 2 points per bucket
        double[][] c = flat(inc.segments(0));
        assertThat(inc.segments(0)).hasSize(1);
        assertThat(Arrays.stream(c[1]).max().orElseThrow()).isEqualTo(5_000);
        assertThat(Arrays.stream(c[1]).min().orElseThrow()).isEqualTo(-50);
        assertThat(c[0].length).isLessThanOrEqualTo(2 * inc.buckets());
        assertThat(inc.buckets()).isLessThanOrEqualTo(201);
        assertThat(c[0][0]).isGreaterThanOrEqualTo((from - bucket) / 1000.0);
        for (int i = 1; i < c[0].length; i++) assertThat(c[0][i]).isGreaterThan(c[0][i - 1]);
    }

    @Test
    void aGapBreaksTheLineAndOldBucketsLeaveTheWindow() {
        StatsHistory h = new StatsHistory(10_000);
        long window = 600_000, bucket = 10_000;
        MinMaxBuckets b = new MinMaxBuckets(M, bucket, 64);
        for (int i = 0; i < 600; i++) {
            boolean gap = i >= 300 && i < 302;   // inside one bucket (300..309): the bucket keeps both sides
            h.append(sample(T0 + i * 1000L, gap ? Double.NaN : i, 1));
        }
        b.update(h, h.lastTime() - window);
        List<Downsampler.Segment> segs = b.segments(0);
        assertThat(segs).hasSize(2);
        assertThat(segs.get(0).y()[segs.get(0).size() - 1]).isEqualTo(299);
        assertThat(segs.get(1).y()[0]).isEqualTo(302);
        // 10 more minutes: the gap leaves the window
        for (int i = 600; i < 1_200; i++) h.append(sample(T0 + i * 1000L, i, 1));
        int read = b.update(h, h.lastTime() - window);
        assertThat(read).isEqualTo(600);
        segs = b.segments(0);
        assertThat(segs).hasSize(1);
        assertThat(segs.get(0).x()[0]).isGreaterThanOrEqualTo((T0 + 599_000 - bucket) / 1000.0);
        assertThat(b.buckets()).isLessThanOrEqualTo(61);
        // nothing new: nothing read
        assertThat(b.update(h, h.lastTime() - window)).isZero();
    }
}
