package heron.ui.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.store.query.Topology;
import heron.ui.views.topology.TopologyScene;
import heron.ui.views.topology.bench.TopologyBenchmark;
import heron.ui.views.topology.layout.ElkGraphLayout;
import heron.ui.views.topology.layout.GraphLayout;
import heron.ui.views.topology.layout.GraphLayout.Box;
import heron.ui.views.topology.layout.GraphLayout.Layer;
import heron.ui.views.topology.layout.GraphLayout.Link;
import heron.ui.views.topology.layout.GraphLayout.NodeBox;
import heron.ui.views.topology.layout.GraphLayout.Point;

/** The ELK layout behind {@link GraphLayout}, without a display. */
class ElkGraphLayoutTest {
    private final GraphLayout layout = new ElkGraphLayout();

    static List<NodeBox> chain() {
        return List.of(new NodeBox("server", 120, 50, Layer.LAST), new NodeBox("proxy", 120, 50, Layer.ANY),
                new NodeBox("agent", 100, 40, Layer.FIRST), new NodeBox("sdk", 100, 40, Layer.FIRST));
    }

    static List<Link> chainLinks() {
        return List.of(new Link("a", "agent", "proxy", 80, 30), new Link("b", "sdk", "proxy", 80, 30),
                new Link("c", "proxy", "server", 80, 30), new Link("d", "sdk", "server", 0, 0));
    }

    @Test
    void layersRunLeftToRightFromClientsThroughProxyToServer() {
        GraphLayout.Result r = layout.layout(chain(), chainLinks());
        Box agent = r.nodes().get("agent");
        Box sdk = r.nodes().get("sdk");
        Box proxy = r.nodes().get("proxy");
        Box server = r.nodes().get("server");
        assertTrue(agent.x() + agent.width() < proxy.x(), "client left of proxy");
        assertTrue(sdk.x() + sdk.width() < proxy.x(), "client left of proxy");
        assertTrue(proxy.x() + proxy.width() < server.x(), "proxy left of server");
        assertEquals(100, agent.width(), 1e-9);
        assertEquals(50, server.height(), 1e-9);
        assertTrue(r.width() >= server.x() + server.width());
    }

    @Test
    void routesRunFromTheSourcesRightSideToTheTargetsLeftSide() {
        GraphLayout.Result r = layout.layout(chain(), chainLinks());
        for (Link l : chainLinks()) {
            List<Point> route = r.routes().get(l.id());
            Box s = r.nodes().get(l.source());
            Box t = r.nodes().get(l.target());
            assertTrue(route.size() >= 2);
            assertEquals(s.x() + s.width(), route.get(0).x(), 1e-6, l.id());
            assertEquals(t.x(), route.get(route.size() - 1).x(), 1e-6, l.id());
        }
        assertEquals(3, r.labels().size(), "labels only for links that have one");
        assertFalse(r.labels().containsKey("d"));
    }

    @Test
    void nodesAndLabelsOfALargeGraphDoNotOverlap() {
        Topology t = TopologyBenchmark.synthetic(200, new long[1]);
        TopologyScene scene = TopologyScene.build(t, new TopologyScene.TextMetrics(7, 15), layout);
        List<Box> boxes = new ArrayList<>();
        for (Topology.Node n : t.nodes()) {
            boxes.add(scene.box(n));
        }
        for (Topology.Edge e : t.edges()) {
            boxes.add(scene.labelBox(e));
        }
        assertEquals(t.nodes().size() + t.edges().size(), boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertFalse(boxes.get(i).overlaps(boxes.get(j)), boxes.get(i) + " overlaps " + boxes.get(j));
            }
        }
        for (Topology.Edge e : t.edges()) {
            Box s = scene.box(t.node(e.source()).orElseThrow());
            Box d = scene.box(t.node(e.target()).orElseThrow());
            assertTrue(s.x() < d.x(), "every edge points right: " + e.source() + " -> " + e.target());
        }
    }

    @Test
    void sameGraphGivesTheSamePicture() {
        assertEquals(layout.layout(chain(), chainLinks()), layout.layout(chain(), chainLinks()));
    }

    @Test
    void emptyGraphAndUnknownNodes() {
        assertEquals(GraphLayout.Result.EMPTY, layout.layout(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> layout.layout(chain(), List.of(new Link("x", "agent", "nowhere", 0, 0))));
    }
}
