package org.l2o.runtime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import javax.imageio.ImageIO;

/**
 * A 2-D objective drawn as filled log-spaced level bands with iso-lines, and the paths of several
 * optimizers on it (the visualisation of the Li and Malik talk). Written as PNG with Java2D.
 */
public final class ContourPlot {

    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0)};

    private ContourPlot() {
    }

    /**
     * @param f     the objective at (x, y)
     * @param paths iterates of each optimizer, {@code [steps][2]}
     * @param xLabel name of the first coordinate
     * @param yLabel name of the second coordinate
     */
    public static void write(Path file, String title, ToDoubleBiFunction<Double, Double> f,
                             Map<String, double[][]> paths, String xLabel, String yLabel) {
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (double[][] p : paths.values()) {
            for (double[] q : p) {
                if (Double.isFinite(q[0]) && Double.isFinite(q[1])) {
                    xmin = Math.min(xmin, q[0]);
                    xmax = Math.max(xmax, q[0]);
                    ymin = Math.min(ymin, q[1]);
                    ymax = Math.max(ymax, q[1]);
                }
            }
        }
        double padX = 0.15 * Math.max(xmax - xmin, 1e-3) + 0.2;
        double padY = 0.15 * Math.max(ymax - ymin, 1e-3) + 0.2;
        xmin -= padX;
        xmax += padX;
        ymin -= padY;
        ymax += padY;
        int w = 1060;
        int h = 700;
        int left = 70;
        int top = 40;
        int pw = 600;
        int ph = 600;
        int grid = 300;
        double[][] v = new double[grid][grid];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                double x = xmin + (xmax - xmin) * (i + 0.5) / grid;
                double y = ymax - (ymax - ymin) * (j + 0.5) / grid;
                v[i][j] = f.applyAsDouble(x, y);
                lo = Math.min(lo, v[i][j]);
                hi = Math.max(hi, v[i][j]);
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int levels = 14;
        double logLo = Math.log(lo - lo + 1e-12 + (lo > 0 ? lo : 0));
        double shift = lo > 0 ? 0 : -lo + 1e-6;
        logLo = Math.log(lo + shift);
        double logHi = Math.log(hi + shift);
        int cell = Math.max(1, pw / grid);
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                double level = (Math.log(v[i][j] + shift) - logLo) / Math.max(1e-12, logHi - logLo);
                int band = Math.min(levels - 1, (int) (level * levels));
                float shade = 0.95f - 0.6f * band / (levels - 1);
                g.setColor(new Color(shade, shade, Math.min(1f, shade + 0.05f)));
                g.fillRect(left + i * pw / grid, top + j * ph / grid, cell + 1, cell + 1);
                if (i > 0 && j > 0) {
                    double l2 = (Math.log(v[i - 1][j] + shift) - logLo) / Math.max(1e-12, logHi - logLo);
                    double l3 = (Math.log(v[i][j - 1] + shift) - logLo) / Math.max(1e-12, logHi - logLo);
                    if ((int) (l2 * levels) != band || (int) (l3 * levels) != band) {
                        g.setColor(new Color(120, 120, 140));
                        g.fillRect(left + i * pw / grid, top + j * ph / grid, 1, 1);
                    }
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k <= 4; k++) {
            double x = xmin + (xmax - xmin) * k / 4;
            double y = ymin + (ymax - ymin) * k / 4;
            g.drawString(String.format("%.2f", x), left + pw * k / 4 - 12, top + ph + 16);
            g.drawString(String.format("%.2f", y), left - 45, top + ph - ph * k / 4 + 4);
        }
        g.drawString(xLabel, left + pw / 2 - 10, top + ph + 34);
        g.drawString(yLabel, 10, top + ph / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, top - 14);
        int k = 0;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (var e : paths.entrySet()) {
            Color c = PALETTE[k % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(1.8f));
            Path2D line = new Path2D.Double();
            boolean started = false;
            for (double[] q : e.getValue()) {
                if (!Double.isFinite(q[0]) || !Double.isFinite(q[1])) {
                    break;
                }
                double px = left + (q[0] - xmin) / (xmax - xmin) * pw;
                double py = top + (ymax - q[1]) / (ymax - ymin) * ph;
                if (!started) {
                    line.moveTo(px, py);
                    started = true;
                } else {
                    line.lineTo(px, py);
                }
                g.fillOval((int) px - 2, (int) py - 2, 5, 5);
            }
            g.draw(line);
            g.fillRect(left + pw + 20, top + 20 + 20 * k, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw + 40, top + 26 + 20 * k);
            k++;
        }
        g.dispose();
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Convenience for building the path map in order. */
    public static Map<String, double[][]> paths(List<String> names, List<double[][]> paths) {
        Map<String, double[][]> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), paths.get(i));
        }
        return m;
    }
}
