package dev.uring4j.bench.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

import dev.uring4j.bench.ChartScale;

/**
 * The soak as a PNG, drawn like the benchmark's charts (java.awt, headless, ImageIO): one panel
 * per quantity over time, the warm-up shaded, the bound a dashed line where there is one. Axes
 * start at 0, so flat looks flat.
 */
final class SoakChart {
    private static final int WIDTH = 1400;
    private static final int PANEL_HEIGHT = 230;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final Color ORANGE = new Color(0xE4, 0x6C, 0x0A);
    private static final Color BLUE = new Color(0x3B, 0x6E, 0xA8);
    private static final Color GREY = new Color(0x7A, 0x7A, 0x7A);
    private static final Color BOUND = new Color(0xC0, 0x20, 0x20);

    private SoakChart() {}

    record Series(String label, Color color, ToDoubleFunction<Sample> value) {}

    record Panel(String title, List<Series> series, double bound, String boundLabel) {}

    static void write(SoakReport r, Path file) throws IOException {
        List<Sample> m = r.measured();
        double otherBound = m.isEmpty() ? Double.NaN : (m.getFirst().memory().otherKib() + SoakReport.NATIVE_GROWTH_BOUND_KIB) / 1024.0;
        List<Panel> panels = List.of(
                new Panel("Server descriptors (/proc/PID/fd) and its open TCP connections", List.of(
                        new Series("descriptors", ORANGE, Sample::descriptors),
                        new Series("TCP connections", BLUE, s -> s.stat("tcp.connections", 0))), Double.NaN, null),
                new Panel("Native memory, MiB: NMT Other (FFM allocations) and uring4j's own counters", List.of(
                        new Series("NMT Other", ORANGE, s -> s.memory().otherKib() / 1024.0),
                        new Series("buffer groups + block pool", BLUE,
                                s -> (s.stat("loops.bufferBytes", 0) + s.stat("loops.pooledBytes", 0)) / 1048576.0),
                        new Series("buffer groups + blocks in use", GREY,
                                s -> (s.stat("loops.bufferBytes", 0) + s.stat("loops.outputBytes", 0)) / 1048576.0)),
                        otherBound, "bound: +1 MiB after the warm-up"),
                new Panel("Process memory, MiB: RSS, NMT committed, heap after a full GC", List.of(
                        new Series("RSS", ORANGE, s -> s.rssKib() / 1024.0),
                        new Series("NMT committed", BLUE, s -> s.memory().committedKib() / 1024.0),
                        new Series("heap after GC", GREY, s -> s.memory().heapAfterGcKib() / 1024.0)), Double.NaN, null),
                new Panel("Checked traffic, MiB/s (every byte echoed or answered, compared)", List.of(
                        new Series("MiB/s checked", ORANGE, rate(r.samples))), Double.NaN, null),
                new Panel("CPU, % of one CPU", List.of(
                        new Series("server", ORANGE, Sample::serverCpu),
                        new Series("load (clients and sampling)", BLUE, Sample::loadCpu)), Double.NaN, null));
        render(r, panels, file);
    }

    /** Bytes checked per second over the interval ending at each sample. */
    private static ToDoubleFunction<Sample> rate(List<Sample> samples) {
        return s -> {
            int i = samples.indexOf(s);
            if (i <= 0 || s.phase() == Sample.Phase.DRAINED) {
                return Double.NaN;
            }
            Sample p = samples.get(i - 1);
            return (s.load().bytesVerified() - p.load().bytesVerified()) / 1048576.0 / Math.max(1e-3, s.seconds() - p.seconds());
        };
    }

    private static void render(SoakReport r, List<Panel> panels, Path file) throws IOException {
        int top = 80;
        int height = top + panels.size() * (PANEL_HEIGHT + 20) + 20;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartScale.canvas(image, String.format(Locale.ROOT, "uring4j soak, %s: %s",
                Soak.minutes(r.options.duration()), r.passed() ? "every bound held" : "FAILED"), 34);
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.setColor(Color.DARK_GRAY);
            g.drawString("./uring4j serve on " + r.transport + ", " + r.options.threads() + " loops; warm-up (shaded) "
                    + r.options.warmup().toSeconds() + " s; the last point of each line is after the load stopped and every "
                    + "connection closed", 20, 58);
            double xMax = r.samples.stream().mapToDouble(Sample::seconds).max().orElse(1);
            boolean minutes = xMax > 300;
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, r, panels.get(i), 20, top + i * (PANEL_HEIGHT + 20), xMax, minutes);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void drawPanel(Graphics2D g, SoakReport r, Panel p, int x0, int y0, double xMax, boolean minutes) {
        int width = WIDTH - 40;
        g.setColor(new Color(0xF4, 0xF4, 0xF4));
        g.fillRect(x0, y0, width, PANEL_HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(p.title(), x0 + 10, y0 + 20);

        int plotX = x0 + LEFT, plotY = y0 + 34, plotW = width - LEFT - RIGHT, plotH = PANEL_HEIGHT - 34 - 34;
        double yMax = 0;
        for (Series s : p.series()) {
            for (Sample sample : r.samples) {
                double v = s.value().applyAsDouble(sample);
                if (!Double.isNaN(v)) {
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (!Double.isNaN(p.bound())) {
            yMax = Math.max(yMax, p.bound());
        }
        ChartScale ys = ChartScale.linear(yMax > 0 ? yMax : 1);
        ChartScale xs = ChartScale.linear(minutes ? xMax / 60 : xMax);

        double warm = r.options.warmup().toMillis() / 1000.0;
        int warmX = plotX + (int) Math.round(xs.position(minutes ? warm / 60 : warm) * plotW);
        g.setColor(new Color(0xE2, 0xE2, 0xE2));
        g.fillRect(plotX, plotY, Math.max(0, warmX - plotX), plotH);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double tick : ys.ticks()) {
            int ty = plotY + plotH - (int) Math.round(ys.position(tick) * plotH);
            g.setColor(new Color(0xD0, 0xD0, 0xD0));
            g.drawLine(plotX, ty, plotX + plotW, ty);
            g.setColor(Color.GRAY);
            String label = ys.label(tick);
            g.drawString(label, plotX - 8 - g.getFontMetrics().stringWidth(label), ty + 4);
        }
        for (double tick : xs.ticks()) {
            int tx = plotX + (int) Math.round(xs.position(tick) * plotW);
            g.setColor(Color.GRAY);
            String label = xs.label(tick) + (tick == 0 ? (minutes ? " min" : " s") : "");
            g.drawString(label, tx - g.getFontMetrics().stringWidth(label) / 2, plotY + plotH + 16);
        }
        if (!Double.isNaN(p.bound())) {
            int by = plotY + plotH - (int) Math.round(ys.position(p.bound()) * plotH);
            g.setColor(BOUND);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
            g.drawLine(warmX, by, plotX + plotW, by);
            g.drawLine(plotX + plotW + 10, plotY + 22, plotX + plotW + 22, plotY + 22);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(p.boundLabel(), plotX + plotW + 28, plotY + 27);
        }
        int legendY = plotY + (Double.isNaN(p.bound()) ? 10 : 30);
        for (Series s : p.series()) {
            List<int[]> points = new ArrayList<>();
            for (Sample sample : r.samples) {
                double v = s.value().applyAsDouble(sample);
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = minutes ? sample.seconds() / 60 : sample.seconds();
                points.add(new int[] {plotX + (int) Math.round(xs.position(x) * plotW),
                        plotY + plotH - (int) Math.round(ys.position(v) * plotH)});
            }
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2f));
            for (int i = 1; i < points.size(); i++) {
                g.drawLine(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]);
            }
            for (int[] pt : points) {
                g.fillOval(pt[0] - 3, pt[1] - 3, 6, 6);
            }
            g.fillRect(plotX + plotW + 10, legendY + 16, 12, 12);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(s.label(), plotX + plotW + 28, legendY + 27);
            legendY += 20;
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.GRAY);
        g.drawLine(plotX, plotY, plotX, plotY + plotH);
        g.drawLine(plotX, plotY + plotH, plotX + plotW, plotY + plotH);
    }
}
