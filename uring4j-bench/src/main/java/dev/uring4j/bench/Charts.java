package dev.uring4j.bench;

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

import javax.imageio.ImageIO;

/**
 * PNG charts of a run, drawn with java.awt (headless) and ImageIO: one panel per cell, one
 * horizontal bar (or group, or stack) per server, best first, each with its value written out.
 * <ul>
 *   <li>{@code throughput.png}: round trips per second in the saturating cells;
 *   <li>{@code latency.png}: p50, p99 and p99.9 per server and cell, on a log scale;
 *   <li>{@code cpu.png}: server CPU µs per round trip at the fixed load, user and kernel stacked.
 * </ul>
 */
final class Charts {
    private static final int WIDTH = 1400;
    private static final int COLUMN_GAP = 30;
    private static final int LABEL_WIDTH = 200;
    private static final int VALUE_WIDTH = 120;
    private static final Color SUBJECT = new Color(0xE4, 0x6C, 0x0A);
    private static final Color PEER = new Color(0x3B, 0x6E, 0xA8);
    private static final Color NATIVE = new Color(0x7A, 0x7A, 0x7A);
    private static final Color[] PERCENTILES = { new Color(0x9E, 0xC5, 0xE8), new Color(0x3B, 0x6E, 0xA8), new Color(0x1B, 0x2E, 0x4F) };
    private static final Color[] CPU_PARTS = { new Color(0xE4, 0x6C, 0x0A), new Color(0xF5, 0xC0, 0x8C) };

    private Charts() {}

    /** One bar row: a server's values (grouped side by side, or stacked) and the text after it. */
    record Bar(String label, boolean emphasis, double[] values, Color[] colors, String text) {}

    record Panel(String title, List<Bar> bars, boolean log, boolean stacked, String unit) {}

    static void writeAll(BenchResults r, Path dir) throws IOException {
        List<Panel> throughput = new ArrayList<>(), latency = new ArrayList<>(), cpu = new ArrayList<>();
        for (Cell cell : r.cells) {
            List<ServerSpec> ranked = Report.ranked(r, cell).stream().filter(s -> r.summary(cell, s).ok()).toList();
            if (ranked.isEmpty()) {
                continue;
            }
            List<Bar> rate = new ArrayList<>(), lat = new ArrayList<>(), cost = new ArrayList<>();
            for (ServerSpec s : ranked) {
                RunResult x = r.summary(cell, s).median();
                Color c = s.subject() ? SUBJECT : s.java() ? PEER : NATIVE;
                rate.add(new Bar(s.label(), s.subject(), new double[] { x.rate() }, new Color[] { c },
                        String.format(Locale.ROOT, "%,.0f", x.rate())));
                lat.add(new Bar(s.label(), s.subject(), new double[] { x.p50Us(), x.p99Us(), x.p999Us() }, PERCENTILES,
                        String.format(Locale.ROOT, "%s / %s / %s", us(x.p50Us()), us(x.p99Us()), us(x.p999Us()))));
                double user = x.serverUserUsPerRt(), kernel = x.serverCpuUsPerRt() - user;
                String shortOfLoad = x.rate() < 0.97 * cell.rate() ? String.format(Locale.ROOT, ", only %,.0f rt/s", x.rate()) : "";
                cost.add(new Bar(s.label(), s.subject(), new double[] { user, kernel }, CPU_PARTS,
                        String.format(Locale.ROOT, "%.2f (user %.2f%s)", x.serverCpuUsPerRt(), user, shortOfLoad)));
            }
            latency.add(new Panel(cell.title(), lat, true, false, "µs"));
            if (cell.fixedLoad()) {
                cpu.add(new Panel(cell.title(), cost, false, true, "server CPU µs per round trip"));
            } else {
                throughput.add(new Panel(cell.title(), rate, false, false, "round trips per second"));
            }
        }
        // A quick run's charts say so in their titles, as its report does: they are not figures to quote.
        String quick = r.options.quick() ? "QUICK RUN, not for quoting: " : "";
        if (!throughput.isEmpty()) {
            render(quick + "Throughput, saturating load (more is better)", throughput,
                    new String[] { "uring4j", "Java peers", "C peers (the native limit)" }, new Color[] { SUBJECT, PEER, NATIVE },
                    dir.resolve("throughput.png"));
        }
        if (!latency.isEmpty()) {
            render(quick + "Latency percentiles, µs (less is better; log scale)", latency,
                    new String[] { "p50", "p99", "p99.9" }, PERCENTILES, dir.resolve("latency.png"));
        }
        if (!cpu.isEmpty()) {
            render(quick + "Server CPU per round trip at a fixed offered load (less is better)", cpu,
                    new String[] { "user", "kernel (system)" }, CPU_PARTS, dir.resolve("cpu.png"));
        }
    }

    private static int rowHeight(Panel p) {
        return p.stacked() || p.bars().getFirst().values().length == 1 ? 22 : 30;
    }

    private static int panelHeight(Panel p) {
        return 56 + p.bars().size() * rowHeight(p) + 24;
    }

    static void render(String title, List<Panel> panels, String[] legend, Color[] legendColors, Path file) throws IOException {
        int columns = panels.size() > 2 ? 2 : 1;
        int columnWidth = (WIDTH - 40 - (columns - 1) * COLUMN_GAP) / columns;
        int[] columnHeights = new int[columns];
        int top = legend == null ? 60 : 86;
        int[][] position = new int[panels.size()][];
        for (int i = 0; i < panels.size(); i++) {
            int col = i % columns;
            position[i] = new int[] { 20 + col * (columnWidth + COLUMN_GAP), top + columnHeights[col] };
            columnHeights[col] += panelHeight(panels.get(i)) + 16;
        }
        int height = top + java.util.Arrays.stream(columnHeights).max().orElse(0) + 10;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartScale.canvas(image, title, 36);
        try {
            if (legend != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                int x = 20;
                for (int i = 0; i < legend.length; i++) {
                    g.setColor(legendColors[i]);
                    g.fillRect(x, 54, 14, 14);
                    g.setColor(Color.BLACK);
                    g.drawString(legend[i], x + 20, 66);
                    x += 30 + g.getFontMetrics().stringWidth(legend[i]);
                }
            }
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, panels.get(i), position[i][0], position[i][1], columnWidth);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void drawPanel(Graphics2D g, Panel p, int x0, int y0, int width) {
        g.setColor(new Color(0xF4, 0xF4, 0xF4));
        g.fillRect(x0, y0, width, panelHeight(p));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(p.title(), x0 + 10, y0 + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString(p.unit(), x0 + 10, y0 + 40);

        double max = 0, min = Double.MAX_VALUE;
        for (Bar b : p.bars()) {
            double total = 0;
            for (double v : b.values()) {
                if (v > 0 && !Double.isNaN(v)) {
                    max = Math.max(max, p.stacked() ? total + v : v);
                    min = Math.min(min, v);
                    total += v;
                }
            }
        }
        if (max <= 0) {
            return;
        }
        ChartScale scale = p.log() ? ChartScale.log(min, max) : ChartScale.linear(max);
        int plotX = x0 + LABEL_WIDTH, plotW = width - LABEL_WIDTH - VALUE_WIDTH - 10;
        int plotY = y0 + 52, rowH = rowHeight(p), plotH = p.bars().size() * rowH;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double tick : scale.ticks()) {
            int tx = plotX + (int) Math.round(scale.position(tick) * plotW);
            g.setColor(new Color(0xD8, 0xD8, 0xD8));
            g.drawLine(tx, plotY - 2, tx, plotY + plotH);
            g.setColor(Color.GRAY);
            String label = scale.label(tick);
            g.drawString(label, tx - g.getFontMetrics().stringWidth(label) / 2, plotY + plotH + 15);
        }
        for (int i = 0; i < p.bars().size(); i++) {
            Bar b = p.bars().get(i);
            int rowY = plotY + i * rowH;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, b.emphasis() ? Font.BOLD : Font.PLAIN, 13));
            g.drawString(b.label(), x0 + 10, rowY + rowH / 2 + 5);
            int n = b.values().length;
            int end = plotX;
            if (p.stacked()) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    int from = plotX + (int) Math.round(scale.position(acc) * plotW);
                    acc += Math.max(0, b.values()[k]);
                    int to = plotX + (int) Math.round(scale.position(acc) * plotW);
                    g.setColor(b.colors()[k]);
                    g.fillRect(from, rowY + 3, Math.max(1, to - from), rowH - 6);
                    end = to;
                }
            } else {
                int sub = (rowH - 6) / n;
                for (int k = 0; k < n; k++) {
                    double v = b.values()[k];
                    if (Double.isNaN(v) || v <= 0) {
                        continue;
                    }
                    int to = plotX + (int) Math.round(scale.position(v) * plotW);
                    g.setColor(b.colors()[k]);
                    g.fillRect(plotX, rowY + 3 + k * sub, Math.max(1, to - plotX), sub - 1);
                    end = Math.max(end, to);
                }
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(b.text(), end + 6, rowY + rowH / 2 + 5);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(plotX, plotY - 2, plotX, plotY + plotH);
    }

    /** A latency label; "–" where the tool gave none (wrk's percentiles under pipelining). */
    private static String us(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
