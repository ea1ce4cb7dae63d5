package org.l2o.runtime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line plots of objective curves, written as PNG and SVG. */
public final class Plots {

    /** Colour-blind-safe palette (Okabe and Ito). */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0),
        new Color(240, 228, 66)};

    /** Smallest value drawn on a log axis; exact zeros (an optimum reached) are drawn there. */
    private static final double LOG_FLOOR = 1e-16;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * True objective vs step: for each optimizer the mean over seeds as a thick line and the range
     * over seeds as thin lines of the same colour. The y axis is logarithmic unless a value is
     * negative. Writes {@code base.png} and {@code base.svg}.
     */
    public static void lossCurves(List<Curves> curves, String title, Path base) {
        curves(curves, title, "step", "true objective", true, base);
    }

    /**
     * Curves against {@code xTitle} as {@link #lossCurves} draws them, on a logarithmic axis where
     * {@code logScale} and every value is non-negative.
     */
    public static void curves(List<Curves> curves, String title, String xTitle, String yTitle, boolean logScale,
                              Path base) {
        boolean log = logScale && curves.stream().allMatch(c -> allNonNegative(c.min()));
        XYChart chart = new XYChartBuilder().width(960).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(log ? yTitle + " (log scale)" : yTitle).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        styler.setToolTipsEnabled(false);
        for (int k = 0; k < curves.size(); k++) {
            Curves c = curves.get(k);
            Color color = PALETTE[k % PALETTE.length];
            String name = c.optimizer() + (c.diverged() > 0 ? " (" + c.diverged() + "/" + c.runs() + " diverged)" : "");
            add(chart, name, c.mean(), color, 2.2f, true, log);
            if (c.runs() > 1) {
                Color light = new Color(color.getRed(), color.getGreen(), color.getBlue(), 110);
                add(chart, name + " min", c.min(), light, 0.8f, false, log);
                add(chart, name + " max", c.max(), light, 0.8f, false, log);
            }
        }
        save(chart, base);
    }

    /** Mean margin of victory vs step, one line per optimizer, linear axis with the zero line visible. */
    public static void margins(java.util.Map<String, double[]> margins, String title, Path base) {
        XYChart chart = new XYChartBuilder().width(960).height(600).title(title).xAxisTitle("iteration")
                .yAxisTitle("mean margin of victory (best other - this)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
        int k = 0;
        int steps = 0;
        for (var e : margins.entrySet()) {
            add(chart, e.getKey(), e.getValue(), PALETTE[k++ % PALETTE.length], 2.2f, true, false);
            steps = e.getValue().length - 1;
        }
        XYSeries zero = chart.addSeries("zero", new double[] {0, steps}, new double[] {0, 0});
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        zero.setLineStyle(new BasicStroke(0.8f));
        zero.setShowInLegend(false);
        save(chart, base);
    }

    private static void save(XYChart chart, Path base) {
        try {
            BitmapEncoder.saveBitmap(chart, base.toString() + ".png", BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString() + ".svg",
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + base, e);
        }
    }

    private static boolean allNonNegative(double[] v) {
        for (double x : v) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static void add(XYChart chart, String name, double[] y, Color color, float width, boolean legend,
                            boolean log) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int t = 0; t < y.length; t++) {
            if (Double.isFinite(y[t])) {
                xs.add((double) t);
                ys.add(log ? Math.max(y[t], LOG_FLOOR) : y[t]);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
        s.setShowInLegend(legend);
    }
}
