package io.msyspg.console.ui.stats;

import java.util.Arrays;

/**
 * Rasterises time-series polylines into a premultiplied ARGB pixel array, one pixel column at a time: each
 * series covers, per column, the vertical span its line passes through (min..max of the line inside the
 * column), widened by the line thickness and anti-aliased at both ends, then composited over the layer.
 * Costs O(columns + vertices) per series, whatever the number of samples behind it, and hands the renderer one
 * image instead of thousands of path segments to tessellate (JavaFX rasterises canvas paths on the CPU in every
 * pipeline). Not thread-safe; plain Java (no JavaFX), so it can be tested and benchmarked anywhere.
 */
final class SeriesRaster {
    private int w, h;
    private int[] argb = new int[0];
    private double[] top = new double[0], bottom = new double[0];
    private int[] stamp = new int[0];
    private int current;
    private double px = Double.NaN, py;

    /** Resizes (if needed) and clears to transparent. */
    void reset(int width, int height) {
        if (width != w || height != h) {
            w = Math.max(1, width);
            h = Math.max(1, height);
            argb = new int[w * h];
            top = new double[w];
            bottom = new double[w];
            stamp = new int[w];
            current = 0;
        } else {
            Arrays.fill(argb, 0);
        }
    }

    int width() { return w; }
    int height() { return h; }
    int[] pixels() { return argb; }

    /** Starts a new series (its spans are composited by {@link #paint}). */
    void beginSeries() {
        current++;
        if (current == Integer.MAX_VALUE) { Arrays.fill(stamp, 0); current = 1; }
        px = Double.NaN;
    }

    /** Starts a new polyline (after a gap) at (x, y), pixel coordinates. */
    void moveTo(double x, double y) {
        px = x;
        py = y;
        span(x, y, y);
    }

    /** Continues the polyline to (x, y). */
    void lineTo(double x, double y) {
        if (Double.isNaN(px)) { moveTo(x, y); return; }
        double x0 = px, y0 = py, x1 = x, y1 = y;
        px = x;
        py = y;
        if (x1 < x0) { double t = x0; x0 = x1; x1 = t; t = y0; y0 = y1; y1 = t; }
        if (x1 < 0 || x0 >= w) return;
        int c0 = (int) Math.max(0, Math.floor(x0)), c1 = (int) Math.min(w - 1, Math.floor(x1));
        double dx = x1 - x0;
        for (int c = c0; c <= c1; c++) {
            double ya, yb;
            if (dx < 1e-9) { ya = y0; yb = y1; }
            else {
                double xa = Math.max(x0, c), xb = Math.min(x1, c + 1);
                ya = y0 + (y1 - y0) * (xa - x0) / dx;
                yb = y0 + (y1 - y0) * (xb - x0) / dx;
            }
            spanColumn(c, Math.min(ya, yb), Math.max(ya, yb));
        }
    }

    /** A dot of the given radius (a lone sample between two gaps). */
    void dot(double x, double y, double r) {
        for (int c = (int) Math.floor(x - r); c <= (int) Math.floor(x + r); c++) {
            if (c < 0 || c >= w) continue;
            double d = Math.min(Math.abs(c + 0.5 - x), r);
            double half = Math.sqrt(Math.max(0, r * r - d * d));
            spanColumn(c, y - Math.max(half - 0.75, 0), y + Math.max(half - 0.75, 0));
        }
    }

    private void span(double x, double lo, double hi) {
        int c = (int) Math.floor(x);
        if (c >= 0 && c < w) spanColumn(c, lo, hi);
    }

    private void spanColumn(int c, double lo, double hi) {
        if (stamp[c] != current) {
            stamp[c] = current;
            top[c] = lo;
            bottom[c] = hi;
        } else {
            if (lo < top[c]) top[c] = lo;
            if (hi > bottom[c]) bottom[c] = hi;
        }
    }

    /** Composites the current series' spans in {@code colour} (0xAARRGGBB, not premultiplied), {@code thickness} px tall lines. */
    void paint(int colour, double thickness) {
        int ca = colour >>> 24, cr = (colour >> 16) & 255, cg = (colour >> 8) & 255, cb = colour & 255;
        double half = thickness / 2;
        for (int c = 0; c < w; c++) {
            if (stamp[c] != current) continue;
            double a = top[c] - half, b = bottom[c] + half;
            if (b < 0 || a >= h) continue;
            int ya = (int) Math.max(0, Math.floor(a)), yb = (int) Math.min(h - 1, Math.floor(b));
            for (int y = ya; y <= yb; y++) {
                double cover = Math.min(b, y + 1) - Math.max(a, y);
                if (cover <= 0) continue;
                int alpha = (int) Math.round(ca * Math.min(1, cover));
                if (alpha == 0) continue;
                int i = y * w + c;
                int d = argb[i];
                int inv = 255 - alpha;
                int oa = alpha + ((d >>> 24) * inv + 127) / 255;
                int or = (cr * alpha + ((d >> 16) & 255) * inv + 127) / 255;
                int og = (cg * alpha + ((d >> 8) & 255) * inv + 127) / 255;
                int ob = (cb * alpha + (d & 255) * inv + 127) / 255;
                argb[i] = (oa << 24) | (or << 16) | (og << 8) | ob;
            }
        }
    }
}
