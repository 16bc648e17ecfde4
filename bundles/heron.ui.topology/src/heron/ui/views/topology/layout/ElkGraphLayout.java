package heron.ui.views.topology.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.elk.alg.layered.options.LayerConstraint;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * {@link GraphLayout} on the Eclipse Layout Kernel's layered (Sugiyama) algorithm: layers run
 * left to right, so clients, proxies and model servers line up as the calls flow, with
 * orthogonal edge routes and centre edge labels that the algorithm keeps clear of nodes.
 */
public final class ElkGraphLayout implements GraphLayout {
    private static volatile boolean registered;

    private final double nodeSpacing;
    private final double layerSpacing;

    public ElkGraphLayout() {
        this(28, 40);
    }

    public ElkGraphLayout(double nodeSpacing, double layerSpacing) {
        this.nodeSpacing = nodeSpacing;
        this.layerSpacing = layerSpacing;
    }

    /**
     * ELK finds algorithms through its meta-data service, which an Eclipse plug-in fills from
     * the org.eclipse.elk.core.layoutProviders extension point only when the ELK service plug-in
     * is active; Heron does not ship that plug-in, so the layered provider is registered here.
     */
    private static void registerAlgorithms() {
        if (registered) {
            return;
        }
        synchronized (ElkGraphLayout.class) {
            if (!registered) {
                LayoutMetaDataService service = LayoutMetaDataService.getInstance();
                if (service.getAlgorithmData(LayeredOptions.ALGORITHM_ID) == null) {
                    service.registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
                }
                registered = true;
            }
        }
    }

    @Override
    public Result layout(List<NodeBox> nodes, List<Link> links) {
        if (nodes.isEmpty()) {
            return Result.EMPTY;
        }
        registerAlgorithms();
        ElkNode graph = ElkGraphUtil.createGraph();
        graph.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        graph.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        graph.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        graph.setProperty(LayeredOptions.SPACING_NODE_NODE, nodeSpacing);
        graph.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, layerSpacing);
        graph.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 16.0);
        graph.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 10.0);
        graph.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 4.0);
        // The layout must not depend on hash order: same capture, same picture.
        graph.setProperty(LayeredOptions.RANDOM_SEED, 1);

        Map<String, ElkNode> elkNodes = new LinkedHashMap<>();
        for (NodeBox n : nodes) {
            ElkNode e = ElkGraphUtil.createNode(graph);
            e.setIdentifier(n.id());
            e.setDimensions(n.width(), n.height());
            if (n.layer() == Layer.FIRST) {
                e.setProperty(LayeredOptions.LAYERING_LAYER_CONSTRAINT, LayerConstraint.FIRST);
            } else if (n.layer() == Layer.LAST) {
                e.setProperty(LayeredOptions.LAYERING_LAYER_CONSTRAINT, LayerConstraint.LAST);
            }
            if (elkNodes.put(n.id(), e) != null) {
                throw new IllegalArgumentException("duplicate node id " + n.id());
            }
        }
        Map<String, ElkEdge> elkEdges = new LinkedHashMap<>();
        Map<String, ElkLabel> elkLabels = new HashMap<>();
        for (Link l : links) {
            ElkNode s = elkNodes.get(l.source());
            ElkNode t = elkNodes.get(l.target());
            if (s == null || t == null) {
                throw new IllegalArgumentException("link " + l.id() + " names an unknown node");
            }
            ElkEdge e = ElkGraphUtil.createSimpleEdge(s, t);
            e.setIdentifier(l.id());
            if (l.labelWidth() > 0 && l.labelHeight() > 0) {
                // ELK's importer skips labels without text; the text itself is never drawn by ELK.
                ElkLabel label = ElkGraphUtil.createLabel(l.id(), e);
                label.setDimensions(l.labelWidth(), l.labelHeight());
                label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
                elkLabels.put(l.id(), label);
            }
            elkEdges.put(l.id(), e);
        }

        new RecursiveGraphLayoutEngine().layout(graph, new BasicProgressMonitor());

        Map<String, Box> boxes = new LinkedHashMap<>();
        elkNodes.forEach((id, e) -> boxes.put(id, new Box(e.getX(), e.getY(), e.getWidth(), e.getHeight())));
        Map<String, List<Point>> routes = new LinkedHashMap<>();
        elkEdges.forEach((id, e) -> routes.put(id, route(e, boxes.get(e.getSources().get(0).getIdentifier()),
                boxes.get(e.getTargets().get(0).getIdentifier()))));
        Map<String, Box> labels = new LinkedHashMap<>();
        elkLabels.forEach((id, l) -> labels.put(id, new Box(l.getX(), l.getY(), l.getWidth(), l.getHeight())));
        return new Result(boxes, routes, labels, graph.getWidth(), graph.getHeight());
    }

    /** The edge's polyline; a straight centre-to-centre line if ELK left it unrouted. */
    private static List<Point> route(ElkEdge e, Box source, Box target) {
        List<Point> out = new ArrayList<>();
        if (e.getSections().isEmpty()) {
            out.add(new Point(source.x() + source.width(), source.center().y()));
            out.add(new Point(target.x(), target.center().y()));
            return out;
        }
        // Edges of the root graph: section coordinates are relative to the root, as node positions.
        ElkEdgeSection s = e.getSections().get(0);
        out.add(new Point(s.getStartX(), s.getStartY()));
        for (ElkBendPoint b : s.getBendPoints()) {
            out.add(new Point(b.getX(), b.getY()));
        }
        out.add(new Point(s.getEndX(), s.getEndY()));
        return out;
    }
}
