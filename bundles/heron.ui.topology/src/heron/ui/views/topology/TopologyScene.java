package heron.ui.views.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import heron.store.query.Topology;
import heron.store.query.Topology.Edge;
import heron.store.query.Topology.Node;
import heron.store.query.Topology.Role;
import heron.ui.views.topology.layout.GraphLayout;
import heron.ui.views.topology.layout.GraphLayout.Box;
import heron.ui.views.topology.layout.GraphLayout.Point;

/**
 * A laid-out topology: the graph, the text drawn on each node and edge, their boxes and routes,
 * and hit testing in graph coordinates. Built off the UI thread (text is sized from font metrics
 * measured beforehand) and only painted by {@link TopologyCanvas}; it holds no SWT resources.
 */
public final class TopologyScene {
    /** What the width of an edge stands for (the view's toolbar switches it). */
    public enum WidthMode {
        CALLS, TURNS
    }

    /** Size of text in the font the canvas draws with, measured on the UI thread. */
    public record TextMetrics(double averageCharWidth, double lineHeight) {
        double width(String s) {
            return s.length() * averageCharWidth;
        }
    }

    static final double PAD = 8;
    static final double MIN_WIDTH = 1.5;
    static final double MAX_WIDTH = 10;

    public static final TopologyScene EMPTY = new TopologyScene(Topology.EMPTY, GraphLayout.Result.EMPTY, Map.of(),
            Map.of());

    private final Topology topology;
    private final GraphLayout.Result layout;
    private final Map<String, List<String>> nodeLines;
    private final Map<String, List<String>> edgeLines;

    private TopologyScene(Topology topology, GraphLayout.Result layout, Map<String, List<String>> nodeLines,
            Map<String, List<String>> edgeLines) {
        this.topology = topology;
        this.layout = layout;
        this.nodeLines = nodeLines;
        this.edgeLines = edgeLines;
    }

    /** Sizes every node and edge label for {@code metrics}, then lays the graph out. */
    public static TopologyScene build(Topology topology, TextMetrics metrics, GraphLayout layout) {
        Map<String, List<String>> nodeLines = new HashMap<>();
        List<GraphLayout.NodeBox> boxes = new ArrayList<>();
        for (Node n : topology.nodes()) {
            List<String> lines = nodeLines(n);
            nodeLines.put(n.id(), lines);
            double w = lines.stream().mapToDouble(metrics::width).max().orElse(0) + 2 * PAD;
            double h = lines.size() * metrics.lineHeight() + 2 * PAD;
            boxes.add(new GraphLayout.NodeBox(n.id(), Math.max(w, 90), h, switch (n.role()) {
                case CLIENT -> GraphLayout.Layer.FIRST;
                case PROXY -> GraphLayout.Layer.ANY;
                case SERVER -> GraphLayout.Layer.LAST;
            }));
        }
        Map<String, List<String>> edgeLines = new HashMap<>();
        List<GraphLayout.Link> links = new ArrayList<>();
        for (Edge e : topology.edges()) {
            List<String> lines = edgeLines(e);
            edgeLines.put(edgeId(e), lines);
            double w = lines.stream().mapToDouble(metrics::width).max().orElse(0) + 4;
            links.add(new GraphLayout.Link(edgeId(e), e.source(), e.target(), w,
                    lines.size() * metrics.lineHeight() + 2));
        }
        return new TopologyScene(topology, layout.layout(boxes, links), nodeLines, edgeLines);
    }

    static String edgeId(Edge e) {
        return e.source() + "->" + e.target();
    }

    static List<String> nodeLines(Node n) {
        List<String> out = new ArrayList<>();
        out.add(n.label());
        String role = n.role().name().toLowerCase(Locale.ROOT);
        out.add(n.kindLabel().isEmpty() ? role : role + " \u00b7 " + n.kindLabel());
        if (n.isService() && !n.models().isEmpty()) {
            String first = n.models().get(0);
            out.add(n.models().size() == 1 ? first : first + " +" + (n.models().size() - 1));
        }
        return out;
    }

    static List<String> edgeLines(Edge e) {
        String counts = e.calls() + (e.calls() == 1 ? " call" : " calls") + ", " + e.turns()
                + (e.turns() == 1 ? " turn" : " turns");
        String quality = percent(e.errorRate()) + " err \u00b7 "
                + (e.medianE2eMs() == null ? "no latency" : "p50 " + ms(e.medianE2eMs()));
        return List.of(counts, quality);
    }

    static String percent(double rate) {
        double p = rate * 100;
        return p == 0 || p >= 10 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String ms(double ms) {
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000)
                : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    public Topology topology() {
        return topology;
    }

    public GraphLayout.Result layout() {
        return layout;
    }

    public boolean isEmpty() {
        return topology.nodes().isEmpty();
    }

    public double width() {
        return layout.width();
    }

    public double height() {
        return layout.height();
    }

    public Box box(Node n) {
        return layout.nodes().get(n.id());
    }

    public List<Point> route(Edge e) {
        return layout.routes().getOrDefault(edgeId(e), List.of());
    }

    public Box labelBox(Edge e) {
        return layout.labels().get(edgeId(e));
    }

    public List<String> lines(Node n) {
        return nodeLines.getOrDefault(n.id(), List.of());
    }

    public List<String> lines(Edge e) {
        return edgeLines.getOrDefault(edgeId(e), List.of());
    }

    /** Stroke width of an edge: 1.5 to 10 graph units, by square root of its share of the maximum. */
    public double strokeWidth(Edge e, WidthMode mode) {
        long max = 0;
        for (Edge o : topology.edges()) {
            max = Math.max(max, value(o, mode));
        }
        long v = value(e, mode);
        if (max == 0 || v == 0) {
            return MIN_WIDTH;
        }
        return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * Math.sqrt((double) v / max);
    }

    private static long value(Edge e, WidthMode mode) {
        return mode == WidthMode.TURNS ? e.turns() : e.calls();
    }

    /** The node drawn at a graph point, or null. */
    public Node nodeAt(double x, double y) {
        for (Node n : topology.nodes()) {
            Box b = box(n);
            if (b != null && b.contains(x, y)) {
                return n;
            }
        }
        return null;
    }

    /** The edge whose route or label passes within {@code tolerance} of a graph point, or null. */
    public Edge edgeAt(double x, double y, double tolerance) {
        Edge best = null;
        double bestDistance = tolerance;
        for (Edge e : topology.edges()) {
            Box l = labelBox(e);
            if (l != null && l.contains(x, y)) {
                return e;
            }
            List<Point> r = route(e);
            for (int i = 0; i + 1 < r.size(); i++) {
                double d = distance(x, y, r.get(i), r.get(i + 1));
                if (d <= bestDistance) {
                    bestDistance = d;
                    best = e;
                }
            }
        }
        return best;
    }

    static double distance(double px, double py, Point a, Point b) {
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x()) * dx + (py - a.y()) * dy) / len2));
        double cx = a.x() + t * dx - px;
        double cy = a.y() + t * dy - py;
        return Math.sqrt(cx * cx + cy * cy);
    }

    /** Hover text of a node. */
    public static String tooltip(Node n) {
        StringBuilder b = new StringBuilder();
        b.append(switch (n.role()) {
            case CLIENT -> "Client ";
            case PROXY -> "Proxy / gateway ";
            case SERVER -> "Model server ";
        }).append(n.label());
        if (n.role() == Role.CLIENT) {
            b.append("\nAgent: ").append(n.agentKind() == null ? "unknown" : n.agentKind());
        } else {
            b.append("\nServer kind: ").append(n.serverKind() == null ? "not recognised" : n.serverKind());
            if (!n.models().isEmpty()) {
                b.append("\nModels: ").append(String.join(", ", n.models()));
            }
            b.append("\nCalls received: ").append(n.callsIn());
        }
        if (n.callsOut() > 0) {
            b.append("\nCalls made: ").append(n.callsOut());
        }
        return b.append("\nClick to show its calls in LLM Calls").toString();
    }

    /** Hover text of an edge. */
    public String tooltip(Edge e) {
        Node s = topology.node(e.source()).orElse(null);
        Node t = topology.node(e.target()).orElse(null);
        return (s == null ? e.source() : s.label() + (s.agentKind() == null ? "" : " (" + s.agentKind() + ")"))
                + " \u2192 " + (t == null ? e.target() : t.label()) + "\nCalls: " + e.calls() + "\nTurns: " + e.turns()
                + "\nErrors: " + e.errors() + " (" + percent(e.errorRate()) + ")\nMedian latency: "
                + (e.medianE2eMs() == null ? "none" : ms(e.medianE2eMs())) + "\nClick to show these calls in LLM Calls";
    }
}
