package heron.ui.views.timeline;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ScrollBar;

import heron.store.query.TimeAxis;
import heron.store.query.Timeline;
import heron.store.query.Timeline.Bar;
import heron.store.query.Timeline.BarKind;
import heron.ui.views.Format;
import heron.ui.views.timeline.TimelinePainter.Viewport;

/**
 * The timeline widget: one double-buffered canvas, no widget per bar. Mouse wheel zooms around
 * the pointer (Shift+wheel scrolls lanes), dragging pans, dragging with the right button zooms to
 * the dragged time range, a click selects the bar under the pointer, hovering shows its details;
 * keys: + / - zoom, arrows pan and scroll, Z zooms to the selected calls, F (or Home) fits.
 */
public final class TimelineCanvas {
    private static final long MIN_SPAN = 1_000; // 1 µs across the plot is as far as zoom goes
    private static final double WHEEL_ZOOM = 1.25;
    private static final int DRAG_SLOP = 3;

    private final Canvas canvas;
    private final TimelinePainter painter;
    private Timeline timeline = Timeline.empty(Timeline.LaneMode.TURN);
    private Viewport viewport = new Viewport(0, 1, 0);
    private final Set<Long> selected = new LinkedHashSet<>();
    private Consumer<Bar> onSelect = b -> {
    };
    private Point dragFrom;
    private Viewport dragViewport;
    private boolean dragged;
    private Bar hovered;
    private int rangeFrom = -1;
    private int rangeTo = -1;

    public TimelineCanvas(Composite parent) {
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND | SWT.V_SCROLL);
        painter = new TimelinePainter(canvas.getDisplay());
        canvas.addListener(SWT.Paint, e -> {
            org.eclipse.swt.graphics.Rectangle area = canvas.getClientArea();
            painter.paint(e.gc, timeline, viewport, area.width, area.height, selected);
            if (rangeFrom >= 0 && rangeTo >= 0) {
                // The range being dragged with the right button, zoomed to on release.
                e.gc.setAlpha(60);
                e.gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION));
                e.gc.fillRectangle(Math.min(rangeFrom, rangeTo), 0, Math.abs(rangeTo - rangeFrom), area.height);
                e.gc.setAlpha(255);
            }
        });
        canvas.addListener(SWT.Resize, e -> updateScrollBar());
        canvas.addListener(SWT.MouseWheel, this::wheel);
        canvas.addListener(SWT.MouseDown, e -> {
            if (e.button == 1) {
                dragFrom = new Point(e.x, e.y);
                dragViewport = viewport;
                dragged = false;
            } else if (e.button == 3 && e.x >= TimelinePainter.LABEL_WIDTH) {
                rangeFrom = e.x;
                rangeTo = -1;
            }
        });
        canvas.addListener(SWT.MouseMove, this::move);
        canvas.addListener(SWT.MouseUp, e -> {
            if (e.button == 1 && dragFrom != null && !dragged) {
                click(e.x, e.y);
            }
            dragFrom = null;
            if (e.button == 3 && rangeFrom >= 0) {
                int from = rangeFrom;
                rangeFrom = -1;
                rangeTo = -1;
                if (Math.abs(e.x - from) > DRAG_SLOP) {
                    zoomToPixels(from, e.x);
                } else {
                    canvas.redraw();
                }
            }
        });
        canvas.addListener(SWT.MouseDoubleClick, e -> zoomToSelection());
        canvas.addListener(SWT.KeyDown, this::key);
        // Arrow keys and Tab reach the KeyDown listener instead of moving the focus.
        canvas.addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_ARROW_NEXT || e.detail == SWT.TRAVERSE_ARROW_PREVIOUS) {
                e.doit = false;
            }
        });
        canvas.getVerticalBar().addListener(SWT.Selection, e -> {
            viewport = new Viewport(viewport.fromNanos(), viewport.toNanos(), canvas.getVerticalBar().getSelection());
            canvas.redraw();
        });
        canvas.addListener(SWT.Dispose, e -> painter.dispose());
    }

    public Canvas control() {
        return canvas;
    }

    /** Called with the bar a click selected. */
    public void onSelect(Consumer<Bar> listener) {
        onSelect = listener;
    }

    /** Shows a new model; {@code fit} resets the view to the whole timeline, else the range is kept. */
    public void setTimeline(Timeline t, boolean fit) {
        timeline = t;
        if (fit) {
            fit();
        } else {
            setViewport(viewport);
        }
    }

    public Timeline timeline() {
        return timeline;
    }

    public Viewport viewport() {
        return viewport;
    }

    public Set<Long> selection() {
        return Set.copyOf(selected);
    }

    /** Outlines these calls (selected elsewhere or here) and brings the first into view. */
    public void setSelection(Set<Long> callIds, boolean reveal) {
        selected.clear();
        selected.addAll(callIds);
        if (reveal && !callIds.isEmpty()) {
            Bar b = timeline.callBar(callIds.iterator().next());
            if (b != null) {
                reveal(b);
            }
        }
        canvas.redraw();
    }

    private void reveal(Bar b) {
        long from = viewport.fromNanos();
        long to = viewport.toNanos();
        if (b.endNanos() < from || b.startNanos() > to) {
            long half = viewport.span() / 2;
            long mid = b.startNanos() + b.durationNanos() / 2;
            from = mid - half;
            to = mid + half;
        }
        int row = timeline.row(b);
        int rows = TimelinePainter.visibleRows(canvas.getClientArea().height) - 1;
        int top = row < viewport.topRow() || row >= viewport.topRow() + rows ? Math.max(0, row - rows / 2)
                : viewport.topRow();
        setViewport(new Viewport(from, to, top));
    }

    /** Shows the whole timeline with a little room on both sides. */
    public void fit() {
        long span = Math.max(MIN_SPAN, timeline.endNanos() - timeline.startNanos());
        long margin = span / 50;
        setViewport(new Viewport(timeline.startNanos() - margin, timeline.startNanos() + span + margin, 0));
    }

    /** Zooms by {@code factor} (> 1 zooms in) keeping time at plot pixel {@code anchorX} in place. */
    public void zoom(double factor, int anchorX) {
        int plot = plotWidth();
        double frac = Math.max(0, Math.min(1, anchorX / (double) plot));
        long anchor = viewport.fromNanos() + (long) (viewport.span() * frac);
        long span = Math.max(MIN_SPAN, Math.min(maxSpan(), (long) (viewport.span() / factor)));
        long from = anchor - (long) (span * frac);
        setViewport(new Viewport(from, from + span, viewport.topRow()));
    }

    /** Zooms so the selected calls fill the plot. */
    public void zoomToSelection() {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        int row = -1;
        for (long id : selected) {
            Bar b = timeline.callBar(id);
            if (b != null) {
                from = Math.min(from, b.startNanos());
                to = Math.max(to, b.endNanos());
                row = row < 0 ? timeline.row(b) : Math.min(row, timeline.row(b));
            }
        }
        if (row < 0) {
            return;
        }
        long span = Math.max(MIN_SPAN, to - from);
        long margin = span / 10;
        int top = Math.max(0, row - 1);
        setViewport(new Viewport(from - margin, from + span + margin, top));
    }

    /** Moves the range by {@code fraction} of its width (negative: to the left). */
    public void pan(double fraction) {
        long d = (long) (viewport.span() * fraction);
        setViewport(new Viewport(viewport.fromNanos() + d, viewport.toNanos() + d, viewport.topRow()));
    }

    public void scrollRows(int delta) {
        setViewport(new Viewport(viewport.fromNanos(), viewport.toNanos(), viewport.topRow() + delta));
    }

    private long maxSpan() {
        return Math.max(MIN_SPAN, (timeline.endNanos() - timeline.startNanos()) * 4);
    }

    private void setViewport(Viewport v) {
        int rows = TimelinePainter.visibleRows(canvas.getClientArea().height);
        int maxTop = Math.max(0, timeline.rowCount() - rows + 1);
        viewport = new Viewport(v.fromNanos(), Math.max(v.fromNanos() + MIN_SPAN, v.toNanos()),
                Math.max(0, Math.min(maxTop, v.topRow())));
        updateScrollBar();
        canvas.redraw();
    }

    private void updateScrollBar() {
        ScrollBar bar = canvas.getVerticalBar();
        int rows = TimelinePainter.visibleRows(canvas.getClientArea().height);
        bar.setValues(viewport.topRow(), 0, Math.max(1, timeline.rowCount() + 1), Math.max(1, rows), 1,
                Math.max(1, rows - 1));
    }

    private int plotWidth() {
        return Math.max(1, canvas.getClientArea().width - TimelinePainter.LABEL_WIDTH);
    }

    private void wheel(Event e) {
        e.doit = false;
        if ((e.stateMask & SWT.SHIFT) != 0) {
            scrollRows(e.count > 0 ? -3 : 3);
        } else if (e.count != 0) {
            zoom(e.count > 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM, e.x - TimelinePainter.LABEL_WIDTH);
        }
    }

    /** Zooms to the time between two canvas pixel columns (a range dragged with the right button). */
    public void zoomToPixels(int x0, int x1) {
        double nanosPerPx = viewport.span() / (double) plotWidth();
        long from = viewport.fromNanos() + (long) ((Math.min(x0, x1) - TimelinePainter.LABEL_WIDTH) * nanosPerPx);
        long to = viewport.fromNanos() + (long) ((Math.max(x0, x1) - TimelinePainter.LABEL_WIDTH) * nanosPerPx);
        setViewport(new Viewport(from, Math.max(to, from + MIN_SPAN), viewport.topRow()));
    }

    private void move(Event e) {
        if (rangeFrom >= 0 && (e.stateMask & SWT.BUTTON3) != 0) {
            rangeTo = Math.max(TimelinePainter.LABEL_WIDTH, e.x);
            canvas.redraw();
            return;
        }
        if (dragFrom != null && (e.stateMask & SWT.BUTTON1) != 0) {
            int dx = e.x - dragFrom.x;
            int dy = e.y - dragFrom.y;
            if (Math.abs(dx) > DRAG_SLOP || Math.abs(dy) > DRAG_SLOP) {
                dragged = true;
            }
            if (dragged) {
                long dt = (long) (dragViewport.span() * (double) dx / plotWidth());
                setViewport(new Viewport(dragViewport.fromNanos() - dt, dragViewport.toNanos() - dt,
                        dragViewport.topRow() - dy / TimelinePainter.ROW_HEIGHT));
            }
            return;
        }
        Bar b = barAt(e.x, e.y);
        if (b != hovered) {
            hovered = b;
            canvas.setToolTipText(b == null ? null : tooltip(b));
        }
    }

    /** The bar under pixel (x, y) of the canvas, with a few pixels of slack for thin bars. */
    public Bar barAt(int x, int y) {
        int row = TimelinePainter.rowAt(viewport, y);
        if (row < 0 || x < TimelinePainter.LABEL_WIDTH) {
            return null;
        }
        double nanosPerPx = viewport.span() / (double) plotWidth();
        long t = viewport.fromNanos() + (long) ((x - TimelinePainter.LABEL_WIDTH) * nanosPerPx);
        return timeline.hit(row, t, (long) (3 * nanosPerPx));
    }

    /** Canvas pixel at the middle of a bar's visible part (for tests driving clicks). */
    public Point pointOf(Bar b) {
        double x0 = Math.max(0, TimelinePainter.x(viewport, plotWidth(), b.startNanos()));
        double x1 = Math.min(plotWidth() - 1, TimelinePainter.x(viewport, plotWidth(), b.endNanos()));
        return new Point(TimelinePainter.LABEL_WIDTH + (int) ((x0 + x1) / 2),
                TimelinePainter.AXIS_HEIGHT + (timeline.row(b) - viewport.topRow()) * TimelinePainter.ROW_HEIGHT
                        + TimelinePainter.ROW_HEIGHT / 2);
    }

    /** Selects the bar at (x, y) as a click does; returns it or null. */
    public Bar click(int x, int y) {
        canvas.setFocus();
        Bar b = barAt(x, y);
        if (b != null) {
            // A tool run selects the call that asked for the tools.
            setSelection(Set.of(b.callId()), false);
            onSelect.accept(b);
        }
        return b;
    }

    static String tooltip(Bar b) {
        StringBuilder sb = new StringBuilder();
        if (b.kind() == BarKind.CALL) {
            sb.append("Call #").append(b.callId()).append(" — ").append(b.label());
            if (b.depth() > 0) {
                sb.append("\nsub-agent call of #").append(b.parentCallId());
            }
            sb.append("\nstart ").append(Format.time(b.startNanos()));
            sb.append("\nduration ").append(TimeAxis.duration(b.durationNanos()));
            if (b.firstContentNanos() > 0) {
                sb.append("\ntime to first content ").append(TimeAxis.duration(b.firstContentNanos() - b.startNanos()));
            }
            if (b.error()) {
                sb.append("\nerror");
            }
            if (b.auxiliary()) {
                sb.append("\nauxiliary call (not part of the agent loop)");
            }
        } else {
            sb.append("Tools: ").append(b.label());
            sb.append("\nasked by call #").append(b.callId()).append(", results in call #").append(b.resultCallId());
            sb.append("\nran ").append(TimeAxis.duration(b.durationNanos()));
            if (b.error()) {
                sb.append("\na tool reported an error");
            }
        }
        return sb.toString();
    }

    private void key(Event e) {
        switch (e.character) {
        case '+', '=' -> zoom(2, plotWidth() / 2);
        case '-', '_' -> zoom(0.5, plotWidth() / 2);
        case 'z', 'Z' -> zoomToSelection();
        case 'f', 'F' -> fit();
        default -> {
            switch (e.keyCode) {
            case SWT.ARROW_LEFT -> pan(-0.1);
            case SWT.ARROW_RIGHT -> pan(0.1);
            case SWT.ARROW_UP -> scrollRows(-1);
            case SWT.ARROW_DOWN -> scrollRows(1);
            case SWT.HOME -> fit();
            case SWT.KEYPAD_ADD -> zoom(2, plotWidth() / 2);
            case SWT.KEYPAD_SUBTRACT -> zoom(0.5, plotWidth() / 2);
            default -> {
            }
            }
        }
        }
    }
}
