package io.msyspg.console.ui.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-column rasteriser behind TimeChart: line thickness and anti-aliasing, vertical spans, gaps, compositing. */
class SeriesRasterTest {
    private static int alpha(SeriesRaster r, int x, int y) { return r.pixels()[y * r.width() + x] >>> 24; }
    private static int rgb(SeriesRaster r, int x, int y) { return r.pixels()[y * r.width() + x] & 0xffffff; }

    @Test
    void aHorizontalLineIsAThinAntiAliasedBand() {
        SeriesRaster r = new SeriesRaster();
        r.reset(100, 50);
        r.beginSeries();
        r.moveTo(0, 10.5);
        r.lineTo(99, 10.5);
        r.paint(0xff0969da, 1.6);
        assertThat(alpha(r, 40, 10)).isEqualTo(255);
        assertThat(rgb(r, 40, 10)).isEqualTo(0x0969da);
        assertThat(alpha(r, 40, 9)).isBetween(60, 90);     // 0.3 px covered
        assertThat(alpha(r, 40, 11)).isBetween(60, 90);
        assertThat(alpha(r, 40, 8)).isZero();
        assertThat(alpha(r, 40, 12)).isZero();
    }

    @Test
    void aSpikeInsideOneColumnCoversItsWholeHeightAndAGapLeavesColumnsEmpty() {
        SeriesRaster r = new SeriesRaster();
        r.reset(100, 100);
        r.beginSeries();
        r.moveTo(0, 80.5);
        r.lineTo(20.2, 80.5);
        r.lineTo(20.5, 5);    // a single-sample spike
        r.lineTo(20.8, 80.5);
        r.lineTo(40, 80.5);
        r.moveTo(60, 80.5);     // a gap from 40 to 60: a new polyline
        r.lineTo(99, 80.5);
        r.paint(0xffff0000, 1.6);
        for (int y = 6; y <= 79; y++) assertThat(alpha(r, 20, y)).as("row " + y).isEqualTo(255);
        assertThat(alpha(r, 19, 40)).isZero();
        assertThat(alpha(r, 50, 80)).as("nothing across the gap").isZero();
        assertThat(alpha(r, 45, 80)).isZero();
        assertThat(alpha(r, 30, 80)).isEqualTo(255);
        assertThat(alpha(r, 70, 80)).isEqualTo(255);
    }

    @Test
    void laterSeriesAreCompositedOverEarlierOnesAndResetClears() {
        SeriesRaster r = new SeriesRaster();
        r.reset(10, 10);
        r.beginSeries();
        r.moveTo(0, 5.5);
        r.lineTo(9, 5.5);
        r.paint(0xff00ff00, 1.6);
        r.beginSeries();
        r.moveTo(0, 5.5);
        r.lineTo(9, 5.5);
        r.paint(0x80ff0000, 1.6);   // half-transparent red over green
        int p = r.pixels()[5 * 10 + 4];
        assertThat(p >>> 24).isEqualTo(255);
        assertThat((p >> 16) & 255).isBetween(126, 130);
        assertThat((p >> 8) & 255).isBetween(125, 129);
        r.reset(10, 10);
        assertThat(r.pixels()).containsOnly(0);
    }
}
