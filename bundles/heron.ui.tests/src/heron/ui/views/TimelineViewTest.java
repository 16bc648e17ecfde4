package heron.ui.views;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.page;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.model.EntityRef;
import heron.store.query.Timeline;
import heron.store.query.Timeline.Bar;
import heron.store.query.Timeline.BarKind;
import heron.store.query.TimelineQuery.Scope;
import heron.ui.views.turns.SessionListView;
import heron.ui.views.timeline.TimelineView;

/**
 * The Timeline view on real Claude Code captures: one bar per call of the selected session in
 * the truth file's order, tool runs labelled with the truth's tools, sub-agent calls nested
 * under the call that started them, and a click selecting the call for the other views. Calls
 * are matched to the truth's exchanges by request time.
 */
class TimelineViewTest {
    private static final String SUBAGENT = "cc-subagent";

    static JsonNode truth(Path capture) throws Exception {
        String name = capture.getFileName().toString().replaceAll("\\.pcap(ng)?$", ".truth.json");
        return new ObjectMapper().readTree(capture.resolveSibling(name).toFile());
    }

    /** Truth exchange index by request time (ns). */
    static Map<Long, Integer> requestTimes(JsonNode truth) {
        Map<Long, Integer> out = new TreeMap<>();
        for (JsonNode e : truth.get("exchanges")) {
            out.put(Math.round(e.get("t_request").asDouble() * 1e9), e.get("index").asInt());
        }
        return out;
    }

    static int truthIndex(Map<Long, Integer> times, Bar b) {
        long best = Long.MAX_VALUE;
        int index = -1;
        for (Map.Entry<Long, Integer> e : times.entrySet()) {
            long d = Math.abs(e.getKey() - b.startNanos());
            if (d < best) {
                best = d;
                index = e.getValue();
            }
        }
        assertTrue(best < 5_000_000, "call " + b.callId() + " matches no truth exchange (off by " + best + " ns)");
        return index;
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** Selects the capture's only session in the Sessions view and waits for the timeline of it. */
    static TimelineView timelineOfFirstSession() throws Exception {
        SessionListView sessions = show(SessionListView.ID);
        sessions.reload();
        // Views may first show the capture while it is being imported: wait for its session row.
        waitFor("sessions", () -> sessions.isLoaded() && sessions.table().table().getItemCount() > 0
                && sessions.table().row(0) != null, 30_000);
        TimelineView v = show(TimelineView.ID);
        String key = sessions.table().row(0).id();
        v.selectionChanged(sessions, new StructuredSelection(
                new EntityRef(heron.ui.CaptureContext.get().captureId(), EntityRef.Kind.SESSION, 0, key)));
        waitFor("timeline of the session", () -> Scope.session(key).equals(v.shownScope()), 30_000);
        return v;
    }

    @Test
    void sessionTimelineHasOneBarPerCallInTruthOrderWithToolRuns() throws Exception {
        Path capture = testdata("cc-turn-2tools.pcap");
        JsonNode truth = truth(capture);
        open(capture);
        TimelineView v = timelineOfFirstSession();
        Timeline t = v.timeline();
        Map<Long, Integer> times = requestTimes(truth);
        List<Integer> order = t.calls().stream().map(b -> truthIndex(times, b)).toList();
        assertEquals(ints(truth.get("turns").get(0).get("agent_loop_calls")), order);
        assertEquals(1, t.lanes().size(), "one turn, one lane");
        assertTrue(t.calls().stream().allMatch(b -> b.depth() == 0 && b.endNanos() > b.startNanos()
                && b.firstContentNanos() > b.startNanos()));
        List<String> tools = t.bars().stream().filter(b -> b.kind() == BarKind.TOOL_RUN).map(Bar::label).toList();
        assertEquals(ints(truth.get("turns").get(0).get("agent_loop_calls")).size() - 1, tools.size());
        List<String> truthTools = new ArrayList<>();
        truth.get("turns").get(0).get("tools_called").forEach(n -> truthTools.add(n.asText()));
        assertEquals(truthTools, tools);

        // Per connection: the three calls share the keep-alive connection (truth conn_index 2).
        v.setLaneMode(Timeline.LaneMode.CONNECTION);
        waitFor("connection lanes", () -> v.timeline().mode() == Timeline.LaneMode.CONNECTION,
                30_000);
        assertEquals(1, v.timeline().lanes().size());
        assertEquals(3, v.timeline().lanes().get(0).calls());
        v.setLaneMode(Timeline.LaneMode.TURN);
        waitFor("turn lanes", () -> v.timeline().mode() == Timeline.LaneMode.TURN, 30_000);
    }

    @Test
    void clickingABarSelectsItsCallForTheOtherViews() throws Exception {
        open(testdata("cc-turn-2tools.pcap"));
        TimelineView v = timelineOfFirstSession();
        page().activate(v);
        Bar second = v.timeline().calls().get(1);
        Point p = v.canvas().pointOf(second);
        assertEquals(second, v.canvas().click(p.x, p.y));
        IStructuredSelection sel = (IStructuredSelection) v.getSite().getSelectionProvider().getSelection();
        EntityRef ref = (EntityRef) sel.getFirstElement();
        assertEquals(EntityRef.Kind.CALL, ref.kind());
        assertEquals(second.callId(), ref.id());
        assertEquals(java.util.Set.of(second.callId()), v.canvas().selection());
        // Zoom to the selection puts the call across most of the plot.
        v.canvas().zoomToSelection();
        long span = v.canvas().viewport().span();
        assertTrue(span < second.durationNanos() * 2 && span >= second.durationNanos(), "span " + span);
        v.canvas().fit();
        long fitted = v.canvas().viewport().span();
        assertTrue(fitted >= v.timeline().endNanos() - v.timeline().startNanos());
        // Keys: + halves the range, - doubles it, F fits; the wheel zooms around the pointer.
        key(v, '+');
        assertEquals(fitted / 2, v.canvas().viewport().span(), fitted / 1000.0);
        key(v, '-');
        assertEquals(fitted, v.canvas().viewport().span(), fitted / 1000.0);
        org.eclipse.swt.widgets.Event wheel = new org.eclipse.swt.widgets.Event();
        wheel.count = 3;
        wheel.x = p.x;
        wheel.y = p.y;
        v.canvas().control().notifyListeners(org.eclipse.swt.SWT.MouseWheel, wheel);
        assertTrue(v.canvas().viewport().span() < fitted, "wheel up zooms in");
        assertEquals(second, v.canvas().barAt(p.x, p.y), "the bar under the pointer stays under it");
        key(v, 'f');
        assertEquals(fitted, v.canvas().viewport().span());
        // A range dragged with the right button becomes the shown range.
        Bar third = v.timeline().calls().get(2);
        Point q = v.canvas().pointOf(third);
        v.canvas().zoomToPixels(p.x, q.x);
        assertTrue(v.canvas().viewport().span() < fitted, "zoomed in");
        int right = v.canvas().control().getClientArea().width - 2;
        assertEquals(second, v.canvas().barAt(heron.ui.views.timeline.TimelinePainter.LABEL_WIDTH + 1, p.y),
                "the range starts in the middle of the second call");
        assertEquals(third, v.canvas().barAt(right, q.y), "and ends in the middle of the third");
    }

    /**
     * Paints the session offscreen, narrow enough that no label covers a bar, and checks the pixel
     * in the middle of every bar: call colours for calls, the tool colour for tool runs, on the
     * row of the bar's lane and depth.
     */
    @Test
    void paintsEveryBarWhereTheModelPutsIt() throws Exception {
        open(testdata("cc-turn-2tools.pcap"));
        TimelineView v = timelineOfFirstSession();
        Timeline t = v.timeline();
        var display = v.canvas().control().getDisplay();
        int width = heron.ui.views.timeline.TimelinePainter.LABEL_WIDTH + 80;
        var image = new org.eclipse.swt.graphics.Image(display, width, 100);
        var gc = new org.eclipse.swt.graphics.GC(image);
        var painter = new heron.ui.views.timeline.TimelinePainter(display);
        var vp = new heron.ui.views.timeline.TimelinePainter.Viewport(t.startNanos(), t.endNanos(), 0);
        try {
            painter.paint(gc, t, vp, width, 100, java.util.Set.of());
            var data = image.getImageData();
            int checked = 0;
            for (Bar b : t.bars()) {
                double x0 = heron.ui.views.timeline.TimelinePainter.x(vp, 80, b.startNanos());
                double x1 = heron.ui.views.timeline.TimelinePainter.x(vp, 80, b.endNanos());
                if (x1 - x0 < 3) {
                    continue; // a bar this thin may share its pixel with its neighbour
                }
                checked++;
                int x = heron.ui.views.timeline.TimelinePainter.LABEL_WIDTH + (int) ((x0 + x1) / 2);
                int y = heron.ui.views.timeline.TimelinePainter.AXIS_HEIGHT
                        + t.row(b) * heron.ui.views.timeline.TimelinePainter.ROW_HEIGHT
                        + heron.ui.views.timeline.TimelinePainter.ROW_HEIGHT / 2;
                org.eclipse.swt.graphics.RGB rgb = data.palette.getRGB(data.getPixel(x, y));
                List<org.eclipse.swt.graphics.RGB> expected = b.kind() == BarKind.CALL
                        ? List.of(new org.eclipse.swt.graphics.RGB(74, 134, 200),
                                new org.eclipse.swt.graphics.RGB(168, 200, 235))
                        : List.of(new org.eclipse.swt.graphics.RGB(240, 190, 110),
                                new org.eclipse.swt.graphics.RGB(230, 130, 90));
                assertTrue(expected.contains(rgb), b + " painted " + rgb + " at " + x + "," + y);
            }
            assertTrue(checked >= 3, "every call is wide enough to check, got " + checked);
        } finally {
            painter.dispose();
            gc.dispose();
            image.dispose();
        }
    }

    private static void key(TimelineView v, char c) {
        org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
        e.character = c;
        v.canvas().control().notifyListeners(org.eclipse.swt.SWT.KeyDown, e);
    }

    static Path corpus(String name) {
        String dir = System.getProperty("heron.corpus");
        Path p = dir == null ? null : Path.of(dir, name + ".pcap");
        Assumptions.assumeTrue(p != null && Files.isReadable(p),
                "shared corpus not available (heron.corpus): skipping the sub-agent timeline test");
        return p;
    }

    @Test
    void subagentCallsAreNestedUnderTheCallThatStartedThem() throws Exception {
        Path capture = corpus(SUBAGENT);
        JsonNode truth = truth(capture);
        open(capture);
        TimelineView v = timelineOfFirstSession();
        Timeline t = v.timeline();
        Map<Long, Integer> times = requestTimes(truth);
        JsonNode turn = truth.get("turns").get(0);
        assertEquals(ints(turn.get("agent_loop_calls")).size(), t.calls().size());
        JsonNode agents = turn.get("agents");
        List<Integer> main = ints(agents.get("main").get("calls"));
        Map<Integer, Bar> byTruth = new TreeMap<>();
        t.calls().forEach(b -> byTruth.put(truthIndex(times, b), b));
        for (Map.Entry<String, JsonNode> a : iterable(agents.fields())) {
            boolean sub = !a.getValue().get("parent").isNull();
            List<Integer> calls = ints(a.getValue().get("calls"));
            for (int idx : calls) {
                Bar b = byTruth.get(idx);
                assertNotNull(b, "truth call " + idx);
                assertEquals(sub ? 1 : 0, b.depth(), "depth of truth call " + idx);
                if (sub) {
                    // Started by the main agent's call just before the sub-agent's first call.
                    int parent = main.stream().filter(m -> m < calls.get(0)).reduce((x, y) -> y).orElseThrow();
                    assertEquals(byTruth.get(parent).callId(), b.parentCallId());
                }
            }
        }
        // Reading order: the main agent's row, then the sub-agent's row below it.
        List<Integer> order = t.calls().stream().map(b -> truthIndex(times, b)).toList();
        List<Integer> expected = new ArrayList<>(main);
        for (Map.Entry<String, JsonNode> a : iterable(agents.fields())) {
            if (!a.getValue().get("parent").isNull()) {
                expected.addAll(ints(a.getValue().get("calls")));
            }
        }
        assertEquals(expected, order);
        List<String> tools = t.bars().stream().filter(b -> b.kind() == BarKind.TOOL_RUN).map(Bar::label).sorted()
                .toList();
        List<String> truthTools = new ArrayList<>();
        turn.get("tools_called").forEach(n -> truthTools.add(n.asText()));
        assertEquals(truthTools.stream().sorted().toList(), tools);
        Bar agentRun = t.bars().stream().filter(b -> b.label().equals("Agent")).findFirst().orElseThrow();
        assertEquals(0, agentRun.depth(), "the Agent tool runs on the main agent's row, its calls below");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }

    /**
     * Leaves target/screenshots/timeline.png: the Timeline view maximized on the sub-agent capture
     * (the README sample when the corpus is absent), first call selected.
     */
    @Test
    void screenshotOfTheTimelineOnARealAgentCapture() throws Exception {
        String dir = System.getProperty("heron.corpus");
        Path sub = dir == null ? null : Path.of(dir, SUBAGENT + ".pcap");
        open(sub != null && Files.isReadable(sub) ? sub : testdata("cc-turn-2tools.pcap"));
        TimelineView v = timelineOfFirstSession();
        var ref = page().findViewReference(TimelineView.ID);
        page().activate(v);
        page().setPartState(ref, IWorkbenchPage.STATE_MAXIMIZED);
        try {
            Bar first = v.timeline().calls().get(0);
            v.canvas().setSelection(java.util.Set.of(first.callId()), false);
            v.canvas().fit();
            var shell = v.getSite().getShell();
            heron.ui.UiTestSupport.settle(shell.getDisplay(), 700);
            Path png = heron.ui.UiTestSupport.screenshot(shell, "timeline");
            assertTrue(Files.size(png) > 10_000, "screenshot written");
        } finally {
            page().setPartState(ref, IWorkbenchPage.STATE_RESTORED);
        }
    }
}
