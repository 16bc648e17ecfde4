package heron.ui.views.timeline;

import java.util.List;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;

import heron.store.query.TimeAxis;
import heron.store.query.Timeline;
import heron.store.query.Timeline.Bar;
import heron.store.query.Timeline.BarKind;

/**
 * Paints a {@link Timeline} with a plain SWT {@link GC}: lane labels on the left, the time axis
 * on top, then only the bars {@link Timeline#visible} returns for the shown range and rows. Text
 * widths are estimated from the font's average character width (no per-bar text measuring), so a
 * frame costs a few thousand GC calls at most, whatever the number of calls.
 * <p>
 * Used by the view on its canvas and by the benchmark on an offscreen image.
 */
public final class TimelinePainter {
    public static final int LABEL_WIDTH = 150;
    public static final int AXIS_HEIGHT = 22;
    public static final int ROW_HEIGHT = 20;
    private static final int BAR_INSET = 3;
    private static final int TICK_SPACING = 90;

    /** The shown part of a timeline: a time range and the first row at the top. */
    public record Viewport(long fromNanos, long toNanos, int topRow) {
        public long span() {
            return Math.max(1, toNanos - fromNanos);
        }
    }

    private final Color call;
    private final Color ttft;
    private final Color error;
    private final Color errorTtft;
    private final Color auxiliary;
    private final Color tool;
    private final Color toolError;
    private final Color merged;
    private final Color laneShade;
    private final Color grid;
    private final Color text;
    private final Color selection;
    private final Color white;
    private final Color connector;

    public TimelinePainter(Display d) {
        call = new Color(d, new RGB(74, 134, 200));
        ttft = new Color(d, new RGB(168, 200, 235));
        error = new Color(d, new RGB(200, 60, 60));
        errorTtft = new Color(d, new RGB(235, 165, 165));
        auxiliary = new Color(d, new RGB(150, 150, 160));
        tool = new Color(d, new RGB(240, 190, 110));
        toolError = new Color(d, new RGB(230, 130, 90));
        merged = new Color(d, new RGB(90, 110, 140));
        laneShade = new Color(d, new RGB(245, 246, 250));
        grid = new Color(d, new RGB(225, 225, 230));
        text = d.getSystemColor(SWT.COLOR_BLACK);
        selection = new Color(d, new RGB(20, 20, 20));
        white = d.getSystemColor(SWT.COLOR_WHITE);
        connector = new Color(d, new RGB(60, 60, 70));
    }

    /** Pixel column (in the plot, 0 = first column right of the labels) of time {@code t}. */
    public static double x(Viewport v, int plotWidth, long t) {
        return (t - v.fromNanos()) * (double) plotWidth / v.span();
    }

    /** Number of rows that fit in {@code height} pixels. */
    public static int visibleRows(int height) {
        return Math.max(1, (height - AXIS_HEIGHT + ROW_HEIGHT - 1) / ROW_HEIGHT);
    }

    /** The row at {@code y}, or -1 on the axis. */
    public static int rowAt(Viewport v, int y) {
        return y < AXIS_HEIGHT ? -1 : v.topRow() + (y - AXIS_HEIGHT) / ROW_HEIGHT;
    }

    /** Paints {@code t} into {@code width x height} pixels; returns the number of bar shapes drawn. */
    public int paint(GC gc, Timeline t, Viewport v, int width, int height, Set<Long> selectedCalls) {
        gc.setBackground(white);
        gc.fillRectangle(0, 0, width, height);
        int plotWidth = Math.max(1, width - LABEL_WIDTH);
        int charWidth = Math.max(1, (int) Math.round(gc.getFontMetrics().getAverageCharacterWidth()));
        int textHeight = gc.getFontMetrics().getHeight();
        int firstRow = v.topRow();
        int lastRow = Math.min(t.rowCount() - 1, firstRow + visibleRows(height) - 1);
        // Lane backgrounds (every other lane shaded) and labels.
        for (int r = firstRow; r <= lastRow; r++) {
            Timeline.Lane lane = t.laneOfRow(r);
            int y = AXIS_HEIGHT + (r - firstRow) * ROW_HEIGHT;
            if (lane.index() % 2 == 1) {
                gc.setBackground(laneShade);
                gc.fillRectangle(0, y, width, ROW_HEIGHT);
            }
            int depth = r - lane.firstRow();
            String label = depth == 0 ? lane.label() + "  (" + lane.calls() + ")" : "  ↳ sub-agent" + (depth > 1
                    ? " ×" + depth : "");
            gc.setForeground(text);
            gc.drawString(fit(label, (LABEL_WIDTH - 8) / charWidth), 4, y + (ROW_HEIGHT - textHeight) / 2, true);
            if (depth == 0) {
                gc.setForeground(grid);
                gc.drawLine(0, y, width, y);
            }
        }
        // Axis: ticks as offsets from the start of the data, grid lines through the rows.
        List<TimeAxis.Tick> ticks = TimeAxis.ticks(t.startNanos(), v.fromNanos(), v.toNanos(), plotWidth,
                TICK_SPACING);
        gc.setBackground(white);
        gc.fillRectangle(0, 0, width, AXIS_HEIGHT);
        for (TimeAxis.Tick k : ticks) {
            int x = LABEL_WIDTH + k.x();
            gc.setForeground(grid);
            gc.drawLine(x, AXIS_HEIGHT - 4, x, height);
            gc.setForeground(text);
            gc.drawString(k.label(), x + 2, (AXIS_HEIGHT - textHeight) / 2, true);
        }
        gc.setForeground(grid);
        gc.drawLine(0, AXIS_HEIGHT - 1, width, AXIS_HEIGHT - 1);
        gc.drawLine(LABEL_WIDTH - 1, 0, LABEL_WIDTH - 1, height);
        // Bars, clipped to the plot.
        gc.setClipping(LABEL_WIDTH, AXIS_HEIGHT, plotWidth, height - AXIS_HEIGHT);
        List<Timeline.Visible> bars = t.visible(v.fromNanos(), v.toNanos(), plotWidth, firstRow, lastRow, 2);
        long lastParent = -1;
        int lastRowSeen = -1;
        for (Timeline.Visible vb : bars) {
            Bar b = vb.bar();
            int x0 = LABEL_WIDTH + vb.x0();
            int w = Math.max(1, vb.x1() - vb.x0());
            int y = AXIS_HEIGHT + (vb.row() - firstRow) * ROW_HEIGHT + BAR_INSET;
            int h = ROW_HEIGHT - 2 * BAR_INSET;
            if (vb.row() != lastRowSeen) {
                lastRowSeen = vb.row();
                lastParent = -1;
            }
            if (b.depth() > 0 && b.kind() == BarKind.CALL && b.parentCallId() != lastParent) {
                // Where a sub-agent starts: a line up to its parent's row, which shows the nesting.
                lastParent = b.parentCallId();
                gc.setForeground(connector);
                gc.setLineStyle(SWT.LINE_DOT);
                gc.drawLine(x0, y, x0, y - 2 * BAR_INSET - 2);
                gc.setLineStyle(SWT.LINE_SOLID);
            }
            if (vb.merged() > 1) {
                gc.setBackground(b.kind() == BarKind.CALL ? merged : tool);
                gc.fillRectangle(x0, y, w, h);
                continue;
            }
            if (b.kind() == BarKind.TOOL_RUN) {
                gc.setBackground(b.error() ? toolError : tool);
                gc.fillRectangle(x0, y + 2, w, h - 4);
            } else {
                gc.setBackground(b.error() ? error : b.auxiliary() ? auxiliary : call);
                gc.fillRectangle(x0, y, w, h);
                if (b.firstContentNanos() > b.startNanos() && w > 2) {
                    // The wait for the first token, shaded lighter: the model thinking, not streaming.
                    int xf = LABEL_WIDTH + (int) Math.round(x(v, plotWidth, b.firstContentNanos()));
                    int tw = Math.min(xf, x0 + w) - x0;
                    if (tw > 0) {
                        gc.setBackground(b.error() ? errorTtft : ttft);
                        gc.fillRectangle(x0, y, tw, h);
                    }
                }
            }
            int visibleLeft = Math.max(x0, LABEL_WIDTH);
            int room = (x0 + w - visibleLeft - 6) / charWidth;
            if (room >= 3) {
                gc.setForeground(text);
                gc.drawString(fit(b.label(), room), visibleLeft + 3, y + (h - textHeight) / 2, true);
            }
        }
        // Selected calls outlined on top, also when they were merged into a run of thin bars.
        gc.setForeground(selection);
        gc.setLineWidth(2);
        for (long id : selectedCalls) {
            Bar b = t.callBar(id);
            int row = b == null ? -1 : t.row(b);
            if (row < firstRow || row > lastRow || b.endNanos() < v.fromNanos() || b.startNanos() > v.toNanos()) {
                continue;
            }
            int x0 = LABEL_WIDTH + (int) Math.floor(Math.max(-2, x(v, plotWidth, b.startNanos())));
            int x1 = LABEL_WIDTH + (int) Math.ceil(Math.min(plotWidth + 2, x(v, plotWidth, b.endNanos())));
            int y = AXIS_HEIGHT + (row - firstRow) * ROW_HEIGHT + BAR_INSET;
            gc.drawRectangle(x0 - 1, y - 1, Math.max(3, x1 - x0 + 2), ROW_HEIGHT - 2 * BAR_INSET + 2);
        }
        gc.setLineWidth(1);
        gc.setClipping((org.eclipse.swt.graphics.Rectangle) null);
        return bars.size();
    }

    private static String fit(String s, int chars) {
        if (s == null || chars <= 0) {
            return "";
        }
        return s.length() <= chars ? s : s.substring(0, Math.max(1, chars - 1)) + "…";
    }

    public void dispose() {
        for (Color c : new Color[] { call, ttft, error, errorTtft, auxiliary, tool, toolError, merged, laneShade, grid,
                selection, connector }) {
            c.dispose();
        }
    }
}
