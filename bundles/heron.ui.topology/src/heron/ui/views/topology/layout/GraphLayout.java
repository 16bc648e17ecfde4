package heron.ui.views.topology.layout;

import java.util.List;
import java.util.Map;

/**
 * Places the nodes of a directed graph and routes its edges, left to right. The Topology view
 * talks to layout only through this interface, so another engine (or a hand-written one) can
 * replace {@link ElkGraphLayout} without touching the view or its drawing. Implementations run
 * off the UI thread and use no widget or font classes: callers pass sizes they measured.
 */
public interface GraphLayout {

    /** Where a node must go among the layers. */
    enum Layer {
        /** Leftmost layer (sources: clients). */
        FIRST,
        /** Wherever the algorithm puts it. */
        ANY,
        /** Rightmost layer (sinks: model servers). */
        LAST
    }

    /** A node to place, with the size its drawing needs. */
    record NodeBox(String id, double width, double height, Layer layer) {
    }

    /** A directed edge, with the size of its centre label (0 x 0 for none). */
    record Link(String id, String source, String target, double labelWidth, double labelHeight) {
    }

    record Point(double x, double y) {
    }

    /** An axis-aligned rectangle, top-left corner plus size. */
    record Box(double x, double y, double width, double height) {
        public boolean contains(double px, double py) {
            return px >= x && py >= y && px <= x + width && py <= y + height;
        }

        public Point center() {
            return new Point(x + width / 2, y + height / 2);
        }

        public boolean overlaps(Box o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    /**
     * The placed graph.
     *
     * @param nodes  node id to its box
     * @param routes link id to its polyline, source end first, target end last
     * @param labels link id to its label box (links without a label are absent)
     * @param width  extent of the whole drawing
     * @param height extent of the whole drawing
     */
    record Result(Map<String, Box> nodes, Map<String, List<Point>> routes, Map<String, Box> labels, double width,
            double height) {
        public static final Result EMPTY = new Result(Map.of(), Map.of(), Map.of(), 0, 0);
    }

    /** Lays out the graph; an empty graph gives {@link Result#EMPTY}. */
    Result layout(List<NodeBox> nodes, List<Link> links);
}
