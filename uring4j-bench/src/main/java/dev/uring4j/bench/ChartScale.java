package dev.uring4j.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An axis of a chart: maps a value to [0, 1] of the plot's length, with round-numbered ticks and
 * short labels (1.5k, 2M). Linear axes start at 0, so a flat line looks flat and a doubling looks
 * like one; log axes span whole decades. Shared by the benchmark's bar charts and the soak's time
 * series, as is their blank, titled {@link #canvas}.
 */
public record ChartScale(boolean log, double lo, double hi, double step) {

    /**
     * A linear axis from 0 to a round number a little above {@code max}, about five ticks.
     *
     * @param max the largest value to show, positive
     * @return the axis
     */
    public static ChartScale linear(double max) {
        double raw = max * 1.05 / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / magnitude < 2 ? 2 * magnitude : raw / magnitude < 5 ? 5 * magnitude : 10 * magnitude;
        return new ChartScale(false, 0, Math.ceil(max * 1.05 / step) * step, step);
    }

    /**
     * A log axis over the whole decades around {@code min} and {@code max}.
     *
     * @param min the smallest positive value to show
     * @param max the largest value to show
     * @return the axis
     */
    public static ChartScale log(double min, double max) {
        return new ChartScale(true, Math.floor(Math.log10(min)), Math.ceil(Math.log10(max) + 0.05), 1);
    }

    /**
     * Where {@code v} falls on the axis.
     *
     * @param v a value
     * @return 0 at the axis' start, 1 at its end
     */
    public double position(double v) {
        if (log) {
            return v <= 0 ? 0 : Math.max(0, (Math.log10(v) - lo) / (hi - lo));
        }
        return v / hi;
    }

    /**
     * The values to draw a tick and a label at.
     *
     * @return the ticks, ascending
     */
    public List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        if (log) {
            for (double e = lo; e <= hi + 1e-9; e++) {
                t.add(Math.pow(10, e));
            }
        } else {
            for (double v = 0; v <= hi + step / 2; v += step) {
                t.add(v);
            }
        }
        return t;
    }

    /**
     * A tick's label.
     *
     * @param v the tick's value
     * @return {@code v} shortened with k or M
     */
    public String label(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 1000) {
            return trim(v / 1000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * Drawing on {@code image}: antialiased, white, with {@code title} in bold at the top left
     * (baseline {@code y}); the caller disposes of it.
     */
    public static Graphics2D canvas(BufferedImage image, String title, int y) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(title, 20, y);
        return g;
    }
}
