package heron.ui.views.topology;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.graphics.Transform;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;

import heron.store.query.Topology.Edge;
import heron.store.query.Topology.Node;
import heron.ui.views.topology.TopologyScene.WidthMode;
import heron.ui.views.topology.layout.GraphLayout.Box;

/**
 * Paints a {@link TopologyScene} with SWT and lets the user explore it: mouse wheel or Ctrl+= /
 * Ctrl+- zoom around the pointer, dragging pans, F (or {@link #fit()}) fits the graph to the
 * window, hovering shows details, clicking a node or an edge reports it to the click listener.
 * Graph coordinates map to the screen as {@code screen = graph * scale + offset}.
 */
public final class TopologyCanvas {
    static final double MIN_SCALE = 0.05;
    static final double MAX_SCALE = 8;
    private static final int DRAG_SLOP = 4;
    private static final double HIT_TOLERANCE_PX = 5;

    /** What a click hit: exactly one of node and edge is set. */
    public record Hit(Node node, Edge edge) {
    }

    private final Canvas canvas;
    private final Color clientFill;
    private final Color proxyFill;
    private final Color serverFill;
    private final Color border;
    private final Color edgeColor;
    private final Color errorEdgeColor;
    private final Color selectedColor;
    private final Color labelBackground;
    private final Color text;
    private final Font bold;

    private TopologyScene scene = TopologyScene.EMPTY;
    private WidthMode widthMode = WidthMode.CALLS;
    private double scale = 1;
    private double offsetX;
    private double offsetY;
    private Hit selected;
    /** True until the user zooms or pans: a resize then fits the graph again. */
    private boolean fitted = true;
    private Consumer<Hit> clickListener = h -> {
    };

    private Point pressedAt;
    private double pressedOffsetX;
    private double pressedOffsetY;
    private boolean dragging;

    public TopologyCanvas(Composite parent) {
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        var d = canvas.getDisplay();
        clientFill = new Color(d, 0xdd, 0xe8, 0xf7);
        proxyFill = new Color(d, 0xfb, 0xe5, 0xc8);
        serverFill = new Color(d, 0xd9, 0xef, 0xdc);
        border = new Color(d, 0x55, 0x5f, 0x6d);
        edgeColor = new Color(d, 0x7a, 0x86, 0x96);
        errorEdgeColor = new Color(d, 0xc6, 0x42, 0x3a);
        selectedColor = new Color(d, 0x1f, 0x6f, 0xd1);
        labelBackground = new Color(d, 0xff, 0xff, 0xff);
        text = new Color(d, 0x22, 0x26, 0x2c);
        FontData[] fd = canvas.getFont().getFontData();
        for (FontData f : fd) {
            f.setStyle(SWT.BOLD);
        }
        bold = new Font(d, fd);
        canvas.addListener(SWT.Paint, e -> paint(e.gc, canvas.getClientArea()));
        canvas.addListener(SWT.MouseWheel, this::wheel);
        canvas.addListener(SWT.MouseDown, this::mouseDown);
        canvas.addListener(SWT.MouseMove, this::mouseMove);
        canvas.addListener(SWT.MouseUp, this::mouseUp);
        canvas.addListener(SWT.KeyDown, this::key);
        canvas.addListener(SWT.Resize, e -> {
            if (fitted) {
                fit();
            }
        });
        canvas.addListener(SWT.Dispose, e -> {
            for (Color c : new Color[] { clientFill, proxyFill, serverFill, border, edgeColor, errorEdgeColor,
                    selectedColor, labelBackground, text }) {
                c.dispose();
            }
            bold.dispose();
        });
    }

    public Canvas control() {
        return canvas;
    }

    public TopologyScene scene() {
        return scene;
    }

    /** Font metrics of the canvas font, for sizing a scene off the UI thread. */
    public TopologyScene.TextMetrics metrics() {
        GC gc = new GC(canvas);
        try {
            gc.setFont(bold); // the wider of the two fonts drawn
            var fm = gc.getFontMetrics();
            return new TopologyScene.TextMetrics(fm.getAverageCharacterWidth() * 1.1, fm.getHeight());
        } finally {
            gc.dispose();
        }
    }

    /** Shows a new scene; fits it when its nodes differ from the shown one's (else keeps zoom). */
    public void setScene(TopologyScene s) {
        if (s == scene) {
            return; // unchanged graph: keep zoom, pan and selection
        }
        boolean sameNodes = scene.topology().nodes().stream().map(Node::id).toList()
                .equals(s.topology().nodes().stream().map(Node::id).toList());
        scene = s;
        selected = null;
        if (!sameNodes) {
            fit();
        }
        canvas.redraw();
    }

    public void setWidthMode(WidthMode mode) {
        widthMode = mode;
        canvas.redraw();
    }

    public WidthMode widthMode() {
        return widthMode;
    }

    public void setClickListener(Consumer<Hit> l) {
        clickListener = l;
    }

    public double scale() {
        return scale;
    }

    /** Scales and centres the whole graph into the canvas (never above 1.5x). */
    public void fit() {
        fitted = true;
        Rectangle area = canvas.getClientArea();
        if (scene.isEmpty() || area.width <= 0 || area.height <= 0) {
            scale = 1;
            offsetX = 0;
            offsetY = 0;
            canvas.redraw();
            return;
        }
        double margin = 20;
        double sx = (area.width - 2 * margin) / Math.max(1, scene.width());
        double sy = (area.height - 2 * margin) / Math.max(1, scene.height());
        scale = clamp(Math.min(1.5, Math.min(sx, sy)));
        offsetX = (area.width - scene.width() * scale) / 2;
        offsetY = (area.height - scene.height() * scale) / 2;
        canvas.redraw();
    }

    /** Multiplies the scale by {@code factor}, keeping the graph point under screen (x, y) in place. */
    public void zoom(double factor, int x, int y) {
        fitted = false;
        double next = clamp(scale * factor);
        double gx = (x - offsetX) / scale;
        double gy = (y - offsetY) / scale;
        scale = next;
        offsetX = x - gx * scale;
        offsetY = y - gy * scale;
        canvas.redraw();
    }

    public void panBy(double dx, double dy) {
        fitted = false;
        offsetX += dx;
        offsetY += dy;
        canvas.redraw();
    }

    private static double clamp(double s) {
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, s));
    }

    /** Screen position of a graph point. */
    public Point toScreen(double gx, double gy) {
        return new Point((int) Math.round(gx * scale + offsetX), (int) Math.round(gy * scale + offsetY));
    }

    /** What is drawn at a screen position, or null. */
    public Hit hitAt(int x, int y) {
        double gx = (x - offsetX) / scale;
        double gy = (y - offsetY) / scale;
        Node n = scene.nodeAt(gx, gy);
        if (n != null) {
            return new Hit(n, null);
        }
        Edge e = scene.edgeAt(gx, gy, HIT_TOLERANCE_PX / scale);
        return e == null ? null : new Hit(null, e);
    }

    /** Acts as a click at a screen position: selects what is there and notifies the listener. */
    public Hit clickAt(int x, int y) {
        Hit h = hitAt(x, y);
        selected = h;
        canvas.redraw();
        if (h != null) {
            clickListener.accept(h);
        }
        return h;
    }

    public Hit selected() {
        return selected;
    }

    public void clearSelection() {
        selected = null;
        canvas.redraw();
    }

    // ---- input

    private void wheel(Event e) {
        zoom(e.count > 0 ? 1.15 : 1 / 1.15, e.x, e.y);
        e.doit = false;
    }

    private void key(Event e) {
        Rectangle a = canvas.getClientArea();
        boolean ctrl = (e.stateMask & SWT.MOD1) != 0;
        if (ctrl && (e.character == '=' || e.character == '+' || e.keyCode == SWT.KEYPAD_ADD)) {
            zoom(1.25, a.width / 2, a.height / 2);
        } else if (ctrl && (e.character == '-' || e.keyCode == SWT.KEYPAD_SUBTRACT)) {
            zoom(1 / 1.25, a.width / 2, a.height / 2);
        } else if (!ctrl && (e.character == 'f' || e.character == 'F')) {
            fit();
        } else if (e.keyCode == SWT.ARROW_LEFT || e.keyCode == SWT.ARROW_RIGHT) {
            panBy(e.keyCode == SWT.ARROW_LEFT ? 40 : -40, 0);
        } else if (e.keyCode == SWT.ARROW_UP || e.keyCode == SWT.ARROW_DOWN) {
            panBy(0, e.keyCode == SWT.ARROW_UP ? 40 : -40);
        }
    }

    private void mouseDown(Event e) {
        canvas.forceFocus();
        if (e.button != 1) {
            return;
        }
        pressedAt = new Point(e.x, e.y);
        pressedOffsetX = offsetX;
        pressedOffsetY = offsetY;
        dragging = false;
    }

    private void mouseMove(Event e) {
        if (pressedAt != null) {
            int dx = e.x - pressedAt.x;
            int dy = e.y - pressedAt.y;
            if (dragging || Math.abs(dx) > DRAG_SLOP || Math.abs(dy) > DRAG_SLOP) {
                dragging = true;
                fitted = false;
                offsetX = pressedOffsetX + dx;
                offsetY = pressedOffsetY + dy;
                canvas.setCursor(canvas.getDisplay().getSystemCursor(SWT.CURSOR_SIZEALL));
                canvas.redraw();
            }
            return;
        }
        Hit h = hitAt(e.x, e.y);
        String tip = h == null ? null
                : h.node() != null ? TopologyScene.tooltip(h.node()) : scene.tooltip(h.edge());
        if (!java.util.Objects.equals(tip, canvas.getToolTipText())) {
            canvas.setToolTipText(tip);
        }
        canvas.setCursor(h == null ? null : canvas.getDisplay().getSystemCursor(SWT.CURSOR_HAND));
    }

    private void mouseUp(Event e) {
        if (pressedAt == null || e.button != 1) {
            return;
        }
        boolean wasDrag = dragging;
        pressedAt = null;
        dragging = false;
        canvas.setCursor(null);
        if (!wasDrag) {
            clickAt(e.x, e.y);
        }
    }

    // ---- painting

    /** Paints the scene into {@code gc} at the current zoom and pan (also used for offscreen images). */
    public void paint(GC gc, Rectangle area) {
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_WHITE));
        gc.fillRectangle(area);
        if (scene.isEmpty()) {
            gc.setForeground(text);
            gc.drawString("No LLM calls in this capture yet.", 12, 12, true);
            return;
        }
        gc.setAdvanced(true);
        gc.setAntialias(SWT.ON);
        gc.setTextAntialias(SWT.ON);
        Transform t = new Transform(gc.getDevice());
        try {
            t.translate((float) offsetX, (float) offsetY);
            t.scale((float) scale, (float) scale);
            gc.setTransform(t);
            paintScene(gc, scene, widthMode, selected);
        } finally {
            gc.setTransform(null);
            t.dispose();
        }
    }

    private void paintScene(GC gc, TopologyScene s, WidthMode mode, Hit sel) {
        gc.setLineCap(SWT.CAP_ROUND);
        gc.setLineJoin(SWT.JOIN_ROUND);
        for (Edge e : s.topology().edges()) {
            boolean isSelected = sel != null && e.equals(sel.edge());
            Color c = isSelected ? selectedColor : e.errorRate() >= 0.1 ? errorEdgeColor : edgeColor;
            drawEdge(gc, s.route(e), s.strokeWidth(e, mode), c);
        }
        gc.setLineWidth(1);
        for (Edge e : s.topology().edges()) {
            Box l = s.labelBox(e);
            if (l != null) {
                drawLines(gc, s.lines(e), l, false, labelBackground, false);
            }
        }
        for (Node n : s.topology().nodes()) {
            Box b = s.box(n);
            if (b == null) {
                continue;
            }
            boolean isSelected = sel != null && n.equals(sel.node());
            gc.setBackground(switch (n.role()) {
                case CLIENT -> clientFill;
                case PROXY -> proxyFill;
                case SERVER -> serverFill;
            });
            int x = (int) Math.round(b.x());
            int y = (int) Math.round(b.y());
            int w = (int) Math.round(b.width());
            int h = (int) Math.round(b.height());
            gc.fillRoundRectangle(x, y, w, h, 10, 10);
            gc.setForeground(isSelected ? selectedColor : border);
            gc.setLineWidth(isSelected ? 3 : 1);
            gc.drawRoundRectangle(x, y, w, h, 10, 10);
            gc.setLineWidth(1);
            drawLines(gc, s.lines(n), new Box(b.x() + TopologyScene.PAD, b.y() + TopologyScene.PAD,
                    b.width() - 2 * TopologyScene.PAD, b.height() - 2 * TopologyScene.PAD), true, null, true);
        }
    }

    private void drawEdge(GC gc, List<heron.ui.views.topology.layout.GraphLayout.Point> route, double width,
            Color c) {
        if (route.size() < 2) {
            return;
        }
        gc.setForeground(c);
        gc.setBackground(c);
        gc.setLineWidth((int) Math.max(1, Math.round(width)));
        int[] pts = new int[route.size() * 2];
        for (int i = 0; i < route.size(); i++) {
            pts[2 * i] = (int) Math.round(route.get(i).x());
            pts[2 * i + 1] = (int) Math.round(route.get(i).y());
        }
        // Stop the line where the arrow head starts, so a thick line does not blunt the tip.
        var a = route.get(route.size() - 2);
        var b = route.get(route.size() - 1);
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        double len = Math.max(1e-6, Math.hypot(dx, dy));
        double head = 8 + width;
        double ux = dx / len;
        double uy = dy / len;
        pts[pts.length - 2] = (int) Math.round(b.x() - ux * Math.min(head, len));
        pts[pts.length - 1] = (int) Math.round(b.y() - uy * Math.min(head, len));
        gc.drawPolyline(pts);
        double half = 3 + width * 0.6;
        gc.setLineWidth(1);
        gc.fillPolygon(new int[] { (int) Math.round(b.x()), (int) Math.round(b.y()),
                (int) Math.round(b.x() - ux * head - uy * half), (int) Math.round(b.y() - uy * head + ux * half),
                (int) Math.round(b.x() - ux * head + uy * half), (int) Math.round(b.y() - uy * head - ux * half) });
    }

    private void drawLines(GC gc, List<String> lines, Box box, boolean firstBold, Color background,
            boolean centred) {
        if (background != null) {
            gc.setBackground(background);
            gc.fillRectangle((int) Math.round(box.x()), (int) Math.round(box.y()), (int) Math.round(box.width()),
                    (int) Math.round(box.height()));
        }
        gc.setForeground(text);
        Font normal = canvas.getFont();
        double y = box.y();
        for (int i = 0; i < lines.size(); i++) {
            gc.setFont(i == 0 && firstBold ? bold : normal);
            Point ext = gc.stringExtent(lines.get(i));
            double x = centred ? box.x() + (box.width() - ext.x) / 2 : box.x() + 2;
            gc.drawString(lines.get(i), (int) Math.round(x), (int) Math.round(y), true);
            y += ext.y;
        }
        gc.setFont(normal);
    }
}
