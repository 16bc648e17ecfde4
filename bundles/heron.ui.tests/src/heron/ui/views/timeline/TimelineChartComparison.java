package heron.ui.views.timeline;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Display;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.swt.SWTGraphics2D;

import heron.store.query.Timeline;
import heron.store.query.Timeline.Bar;
import heron.store.query.Timeline.BarKind;

/**
 * Measurement behind the choice of drawing the Timeline with SWT directly rather than with
 * JFreeChart (not run by the build): the same 5,000-call timeline as {@link TimelineBenchmark},
 * as a JFreeChart XY interval chart (the usual way to draw a Gantt chart with a time axis),
 * rendered into 1600x900 through SWTGraphics2D onto an SWT image (what an SWT view would do) and
 * through Java2D onto a BufferedImage; then the same with {@link TimelinePainter}. The chart shows
 * the same time range and the same 40 rows as the painter.
 *
 * <pre>
 * xvfb-run -a java -cp ... heron.ui.views.timeline.TimelineChartComparison [calls=5000] [frames=10]
 * </pre>
 */
public final class TimelineChartComparison {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TimelineChartComparison() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("load average %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Timeline t = Timeline.of(TimelineBenchmark.session(n, 10), Timeline.LaneMode.TURN);
        int rows = 40;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        JFreeChart chart = null;
        for (int i = 0; i < frames; i++) {
            chart = chart(t, rows);
        }
        System.out.printf("%-50s cpu %8.2f ms%n", "JFreeChart dataset + chart build", ms(cpu0) / frames);
        Display display = new Display();
        Image image = new Image(display, 1600, 900);
        GC gc = new GC(image);
        try {
            Rectangle2D area = new Rectangle2D.Double(0, 0, 1600, 900);
            SWTGraphics2D g = new SWTGraphics2D(gc);
            chart.draw(g, area); // warm-up
            cpu0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                chart.draw(g, area);
            }
            System.out.printf("%-50s cpu %8.2f ms%n", "JFreeChart draw via SWTGraphics2D, 1600x900", ms(cpu0) / frames);
            BufferedImage bi = new BufferedImage(1600, 900, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g2 = bi.createGraphics();
            chart.draw(g2, area);
            cpu0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                chart.draw(g2, area);
            }
            System.out.printf("%-50s cpu %8.2f ms%n", "JFreeChart draw via Java2D (BufferedImage)", ms(cpu0) / frames);
            g2.dispose();
            TimelinePainter painter = new TimelinePainter(display);
            TimelinePainter.Viewport v = new TimelinePainter.Viewport(t.startNanos(), t.endNanos(), 0);
            painter.paint(gc, t, v, 1600, 900, Set.of());
            cpu0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                painter.paint(gc, t, v, 1600, 900, Set.of());
            }
            System.out.printf("%-50s cpu %8.2f ms%n", "TimelinePainter on SWT GC, 1600x900", ms(cpu0) / frames);
            painter.dispose();
        } finally {
            gc.dispose();
            image.dispose();
            display.dispose();
        }
    }

    private static double ms(long cpu0) {
        return (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6;
    }

    /** Bars as x = time interval (ms from the start), y = row interval; rows counted downwards. */
    static JFreeChart chart(Timeline t, int rows) {
        XYIntervalSeries calls = new XYIntervalSeries("calls");
        XYIntervalSeries tools = new XYIntervalSeries("tool runs");
        for (Bar b : t.bars()) {
            double x0 = (b.startNanos() - t.startNanos()) / 1e6;
            double x1 = (b.endNanos() - t.startNanos()) / 1e6;
            int row = t.row(b);
            (b.kind() == BarKind.CALL ? calls : tools).add((x0 + x1) / 2, x0, x1, row, row - 0.35, row + 0.35);
        }
        XYIntervalSeriesCollection ds = new XYIntervalSeriesCollection();
        ds.addSeries(calls);
        ds.addSeries(tools);
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setShadowVisible(false);
        r.setBarPainter(new StandardXYBarPainter());
        NumberAxis y = new NumberAxis();
        y.setInverted(true);
        y.setRange(-0.5, rows - 0.5);
        NumberAxis x = new NumberAxis("ms");
        x.setRange(0, (t.endNanos() - t.startNanos()) / 1e6);
        JFreeChart chart = new JFreeChart(new XYPlot(ds, x, y, r));
        chart.setAntiAlias(false);
        return chart;
    }
}
