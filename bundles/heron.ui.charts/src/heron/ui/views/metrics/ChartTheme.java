package heron.ui.views.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;

import org.eclipse.swt.graphics.RGB;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;

/**
 * Chart colors derived from the widget colors the workbench theme gave the view, so charts
 * follow the light and dark themes: background and text from the view, grid lines between the
 * two, and a series palette chosen for the background's luminance.
 *
 * @param dark true when the background is dark (relative luminance below 0.4)
 */
public record ChartTheme(Color background, Color foreground, Color grid, boolean dark, List<Color> palette) {

    private static final List<Color> LIGHT = List.of(new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f));
    private static final List<Color> DARK = List.of(new Color(0x6cb6ff), new Color(0xff7b72), new Color(0x7ee787),
            new Color(0xffa657), new Color(0xd2a8ff), new Color(0xe3b341), new Color(0xf778ba), new Color(0xb1bac4));

    // Smaller than JFreeChart's defaults: several charts share one view.
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** The theme for a view whose background and text colors are {@code bg} and {@code fg}. */
    public static ChartTheme of(RGB bg, RGB fg) {
        Color b = new Color(bg.red, bg.green, bg.blue);
        Color f = new Color(fg.red, fg.green, fg.blue);
        boolean dark = luminance(bg) < 0.4;
        if (Math.abs(luminance(bg) - luminance(fg)) < 0.3) {
            // Some themes leave the foreground unset or equal to the background: keep text readable.
            f = dark ? new Color(0xe6e6e6) : new Color(0x202020);
        }
        return new ChartTheme(b, f, mix(f, b, 0.8), dark, dark ? DARK : LIGHT);
    }

    /** WCAG relative luminance, 0 (black) to 1 (white). */
    public static double luminance(RGB c) {
        return 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue);
    }

    private static double channel(int v) {
        double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    private static Color mix(Color a, Color b, double towardB) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * towardB),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * towardB),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * towardB));
    }

    public Color series(int i) {
        return palette.get(i % palette.size());
    }

    /** Translucent fill for the brushed time window. */
    public Color brush() {
        return dark ? new Color(255, 255, 255, 48) : new Color(0, 90, 200, 40);
    }

    /** Applies the colors to the chart, its titles, axes, grid and series. */
    public void apply(JFreeChart chart) {
        chart.setBackgroundPaint(background);
        chart.setBorderVisible(false);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(foreground);
            chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(Font.BOLD, 12f));
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle l) {
                l.setBackgroundPaint(background);
                l.setItemPaint(foreground);
                l.setItemFont(SMALL);
            } else if (t instanceof TextTitle tt) {
                tt.setPaint(foreground);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(background);
        plot.setOutlinePaint(grid);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
            xy.setDomainGridlineStroke(new BasicStroke(0.5f));
            xy.setRangeGridlineStroke(new BasicStroke(0.5f));
            for (int a = 0; a < xy.getDomainAxisCount(); a++) {
                axis(xy.getDomainAxis(a));
            }
            for (int a = 0; a < xy.getRangeAxisCount(); a++) {
                axis(xy.getRangeAxis(a));
            }
            for (int r = 0; r < xy.getRendererCount(); r++) {
                XYItemRenderer renderer = xy.getRenderer(r);
                if (renderer != null && xy.getDataset(r) != null) {
                    for (int s = 0; s < xy.getDataset(r).getSeriesCount(); s++) {
                        renderer.setSeriesPaint(s, series(s + 3 * r));
                        renderer.setSeriesStroke(s, new BasicStroke(1.6f));
                    }
                }
            }
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(grid);
            axis(cat.getDomainAxis());
            axis(cat.getRangeAxis());
            if (cat.getRenderer() instanceof BarRenderer bar) {
                bar.setBarPainter(new StandardBarPainter());
                bar.setShadowVisible(false);
                for (int s = 0; s < Math.max(1, cat.getDataset().getRowCount()); s++) {
                    bar.setSeriesPaint(s, series(s));
                }
            }
        } else if (plot instanceof PiePlot<?> pie) {
            pie.setLabelBackgroundPaint(background);
            pie.setLabelPaint(foreground);
            pie.setLabelFont(SMALL);
            pie.setLabelOutlinePaint(grid);
            pie.setLabelShadowPaint(null);
            pie.setShadowPaint(null);
            pie.setOutlineVisible(false);
            pie.setSectionOutlinesVisible(false);
            int i = 0;
            for (Object key : pie.getDataset().getKeys()) {
                pie.setSectionPaint((Comparable) key, series(i++));
            }
        }
    }

    private void axis(Axis a) {
        if (a == null) {
            return;
        }
        a.setLabelFont(LABEL);
        a.setTickLabelFont(SMALL);
        Paint p = foreground;
        a.setLabelPaint(p);
        a.setTickLabelPaint(p);
        a.setAxisLinePaint(grid);
        a.setTickMarkPaint(grid);
    }
}
