package heron.ui.views;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import heron.store.query.Topology;
import heron.store.query.Topology.Role;
import heron.ui.views.calls.CallListView;
import heron.ui.views.topology.TopologyCanvas;
import heron.ui.views.topology.TopologyScene;
import heron.ui.views.topology.TopologyScene.WidthMode;
import heron.ui.views.topology.TopologyView;
import heron.ui.views.topology.layout.GraphLayout.Box;

/**
 * Opens testdata/relay-two-hop.pcap (clients on 127.0.0.1 → LiteLLM-like gateway 127.0.0.2:4000
 * → upstream 127.0.0.3:8000, plus one call straight upstream; 21 calls, per its truth file) and
 * checks the Topology view's graph, its layout and its link to the LLM Calls view.
 */
class TopologyViewTest {
    static final String PROXY = "service:127.0.0.2:4000";
    static final String SERVER = "service:127.0.0.3:8000";
    static TopologyView view;

    @BeforeAll
    static void openRelay() throws Exception {
        open(testdata("relay-two-hop.pcap"));
        view = show(TopologyView.ID);
        view.reload();
        waitFor("topology loaded", view::isLoaded, 60_000);
    }

    static Topology topology() {
        return view.canvas().scene().topology();
    }

    @Test
    void relayCaptureShowsClientsGatewayAndUpstreamWithTheirCallCounts() {
        Topology t = topology();
        // The SDK calls (agent kind "generic") and opencode's share client 127.0.0.1; the one call
        // straight to the upstream carries no agent kind.
        assertEquals(List.of("client:127.0.0.1", "client:127.0.0.1|generic", "client:127.0.0.1|opencode"),
                t.nodes(Role.CLIENT).stream().map(Topology.Node::id).toList());
        assertEquals(List.of(PROXY), t.nodes(Role.PROXY).stream().map(Topology.Node::id).toList());
        assertEquals(List.of(SERVER), t.nodes(Role.SERVER).stream().map(Topology.Node::id).toList());
        assertEquals("LiteLLM", t.node(PROXY).orElseThrow().serverKind());
        assertEquals(10, t.node(PROXY).orElseThrow().callsIn());
        assertEquals(10, t.node(PROXY).orElseThrow().callsOut());
        assertEquals(11, t.node(SERVER).orElseThrow().callsIn());

        assertEquals(4, t.edges().size());
        Topology.Edge upstream = t.edge(PROXY, SERVER).orElseThrow();
        assertEquals(10, upstream.calls());
        assertEquals(0, upstream.errors());
        assertNotNull(upstream.medianE2eMs());
        Topology.Edge sdk = t.edge("client:127.0.0.1|generic", PROXY).orElseThrow();
        assertEquals(6, sdk.calls());
        assertEquals(2, sdk.turns());
        Topology.Edge opencode = t.edge("client:127.0.0.1|opencode", PROXY).orElseThrow();
        assertEquals(4, opencode.calls());
        assertEquals(1, opencode.turns());
        Topology.Edge direct = t.edge("client:127.0.0.1", SERVER).orElseThrow();
        assertEquals(1, direct.calls());
        assertEquals(0, direct.turns());
        assertEquals(21, t.edges().stream().mapToLong(Topology.Edge::calls).sum());
    }

    @Test
    void layoutPutsClientsLeftOfTheGatewayLeftOfTheServerWithoutOverlaps() {
        TopologyScene s = view.canvas().scene();
        Topology t = s.topology();
        Box proxy = s.box(t.node(PROXY).orElseThrow());
        Box server = s.box(t.node(SERVER).orElseThrow());
        for (Topology.Node c : t.nodes(Role.CLIENT)) {
            assertTrue(s.box(c).x() + s.box(c).width() < proxy.x(), c.id());
        }
        assertTrue(proxy.x() + proxy.width() < server.x());
        for (Topology.Node a : t.nodes()) {
            for (Topology.Node b : t.nodes()) {
                assertTrue(a == b || !s.box(a).overlaps(s.box(b)), a.id() + " / " + b.id());
            }
        }
    }

    @Test
    void clickingAnEdgeOrANodeFiltersTheCallsViewAndPublishesIt() throws Exception {
        CallListView calls = show(CallListView.ID);
        calls.reload();
        waitFor("calls loaded", calls::isLoaded, 30_000);
        view = show(TopologyView.ID);
        TopologyCanvas canvas = view.canvas();
        canvas.fit();
        Topology.Edge upstream = topology().edge(PROXY, SERVER).orElseThrow();
        Box label = canvas.scene().labelBox(upstream);
        Point p = canvas.toScreen(label.center().x(), label.center().y());
        TopologyCanvas.Hit hit = canvas.clickAt(p.x, p.y);
        assertEquals(upstream, hit.edge());
        assertEquals(10, calls.rowCount());
        IStructuredSelection sel = (IStructuredSelection) view.getSite().getSelectionProvider().getSelection();
        assertEquals(upstream, sel.getFirstElement());

        Topology.Node server = topology().node(SERVER).orElseThrow();
        Box b = canvas.scene().box(server);
        p = canvas.toScreen(b.center().x(), b.center().y());
        assertEquals(server, canvas.clickAt(p.x, p.y).node());
        assertEquals(11, calls.rowCount());

        Topology.Node opencode = topology().node("client:127.0.0.1|opencode").orElseThrow();
        b = canvas.scene().box(opencode);
        p = canvas.toScreen(b.center().x(), b.center().y());
        canvas.clickAt(p.x, p.y);
        assertEquals(4, calls.rowCount());

        assertNull(canvas.hitAt(-50, -50), "nothing left of the graph");
        calls.setFilter("");
    }

    @Test
    void zoomKeepsThePointUnderThePointerAndFitShowsTheWholeGraph() {
        TopologyCanvas canvas = view.canvas();
        canvas.fit();
        Rectangle area = canvas.control().getClientArea();
        TopologyScene s = canvas.scene();
        Point topLeft = canvas.toScreen(0, 0);
        Point bottomRight = canvas.toScreen(s.width(), s.height());
        assertTrue(topLeft.x >= 0 && topLeft.y >= 0 && bottomRight.x <= area.width && bottomRight.y <= area.height,
                "fit shows everything");
        Box server = s.box(s.topology().node(SERVER).orElseThrow());
        Point before = canvas.toScreen(server.x(), server.y());
        double scale = canvas.scale();
        Event wheel = new Event();
        wheel.x = before.x;
        wheel.y = before.y;
        wheel.count = 3;
        canvas.control().notifyListeners(SWT.MouseWheel, wheel);
        assertTrue(canvas.scale() > scale, "wheel up zooms in");
        Point after = canvas.toScreen(server.x(), server.y());
        assertTrue(Math.abs(after.x - before.x) <= 1 && Math.abs(after.y - before.y) <= 1, "anchor stays put");
        Event key = new Event();
        key.character = 'f';
        canvas.control().notifyListeners(SWT.KeyDown, key);
        assertEquals(scale, canvas.scale(), 1e-9);
    }

    @Test
    void edgeWidthSwitchesBetweenCallAndTurnCounts() {
        TopologyScene s = view.canvas().scene();
        Topology t = s.topology();
        Topology.Edge direct = t.edge("client:127.0.0.1", SERVER).orElseThrow();
        Topology.Edge upstream = t.edge(PROXY, SERVER).orElseThrow();
        double byCalls = s.strokeWidth(direct, WidthMode.CALLS);
        assertTrue(byCalls > s.strokeWidth(direct, WidthMode.TURNS), "a call outside any turn is thinnest by turns");
        assertTrue(s.strokeWidth(upstream, WidthMode.CALLS) > byCalls);
        view.setWidthMode(WidthMode.TURNS);
        assertEquals(WidthMode.TURNS, view.canvas().widthMode());
        view.setWidthMode(WidthMode.CALLS);
        assertFalse(s.tooltip(upstream).isEmpty());
    }

    @Test
    void refreshFindingTheSameGraphKeepsTheLaidOutScene() {
        TopologyScene before = view.canvas().scene();
        view.reload();
        waitFor("topology reloaded", view::isLoaded, 60_000);
        assertSame(before, view.canvas().scene(), "no second layout for an unchanged graph");
        assertEquals(5, view.canvas().scene().topology().nodes().size());
    }

    /**
     * Leaves target/screenshots/topology.png: the view on the relay capture, painted at
     * 1200 x 640 (docs/images/topology.png is a copy).
     */
    @Test
    void screenshotOfTheTopologyOfARealAgentCapture() throws Exception {
        TopologyCanvas canvas = view.canvas();
        Display display = canvas.control().getDisplay();
        Rectangle area = new Rectangle(0, 0, 1200, 640);
        var shellSize = canvas.control().getSize();
        canvas.control().setSize(area.width, area.height);
        canvas.clearSelection();
        canvas.fit();
        Image image = new Image(display, area.width, area.height);
        GC gc = new GC(image);
        canvas.paint(gc, area);
        gc.dispose();
        canvas.control().setSize(shellSize);
        Path png = heron.ui.UiTestSupport.savePng(image, "topology");
        assertTrue(Files.size(png) > 10_000, "screenshot written");
        canvas.fit();
    }
}
