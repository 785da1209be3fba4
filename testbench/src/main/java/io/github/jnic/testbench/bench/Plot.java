package io.github.jnic.testbench.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** A small SVG line plot for the interrupt study: offered load on a log axis, one curve per moderation setting. */
final class Plot {
    private static final String[] COLOURS = {"#000000", "#1f77b4", "#2ca02c", "#17becf", "#ff7f0e", "#9467bd", "#d62728", "#8c564b"};
    private static final int W = 760, H = 440, L = 80, R = 170, T = 40, B = 60;

    private Plot() {}

    static String svg(String title, String xLabel, String yLabel, List<IrqBench.Point> points, int size,
                      ToDoubleFunction<IrqBench.Point> y, boolean logY) {
        Map<String, List<IrqBench.Point>> curves = new LinkedHashMap<>();
        double yMin = Double.MAX_VALUE, yMax = -Double.MAX_VALUE;
        for (IrqBench.Point p : points) {
            if (p.frameBytes() != size) continue;
            double v = y.applyAsDouble(p);
            if (Double.isNaN(v) || (logY && v <= 0)) continue;
            curves.computeIfAbsent(p.policy(), k -> new java.util.ArrayList<>()).add(p);
            yMin = Math.min(yMin, v);
            yMax = Math.max(yMax, v);
        }
        if (yMin > yMax) { yMin = 0; yMax = 1; }
        double lo, hi;
        if (logY) {
            lo = Math.floor(Math.log10(yMin));
            hi = Math.ceil(Math.log10(yMax));
            if (hi == lo) hi = lo + 1;
        } else {
            lo = 0;
            hi = niceCeiling(yMax);
        }
        final double fLo = lo, fHi = hi;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", L, esc(title)));
        // x: 1 % .. 100 %, log
        for (double load : new double[] {1, 2, 5, 10, 20, 50, 100}) {
            double x = x(load / 100);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, T, x, H - B));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, H - B + 16, fmt(load)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", L + (W - L - R) / 2, H - 18, esc(xLabel)));
        // y
        if (logY) {
            for (double e = lo; e <= hi; e++) tick(s, yOf(Math.pow(10, e), fLo, fHi, true), fmt(Math.pow(10, e)));
        } else {
            for (int i = 0; i <= 5; i++) tick(s, yOf(hi * i / 5, fLo, fHi, false), fmt(hi * i / 5));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">%s</text>%n",
                T + (H - T - B) / 2, T + (H - T - B) / 2, esc(yLabel + (logY ? " (log)" : ""))));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", L, T, W - L - R, H - T - B));
        int c = 0;
        for (Map.Entry<String, List<IrqBench.Point>> curve : curves.entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (IrqBench.Point p : curve.getValue()) {
                double px = x(p.load()), py = yOf(y.applyAsDouble(p), fLo, fHi, logY);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", px, py, colour));
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"/>%n", pts.toString().trim(), colour));
            int ly = T + 14 + 18 * c;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n", W - R + 12, ly - 4, W - R + 32, ly - 4, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", W - R + 38, ly, esc(curve.getKey())));
            c++;
        }
        return s.append("</svg>\n").toString();
    }

    private static void tick(StringBuilder s, double y, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", L, y, W - R, y));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", L - 6, y + 4, label));
    }

    private static double x(double load) {
        return L + (Math.log10(load) + 2) / 2 * (W - L - R);
    }

    private static double yOf(double v, double lo, double hi, boolean log) {
        double f = log ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
        return H - B - f * (H - T - B);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) return 1;
        double e = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * e >= v) return m * e;
        return 10 * e;
    }

    private static String fmt(double v) {
        if (v >= 1e6) return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        if (v >= 1 || v == 0) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.2g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
