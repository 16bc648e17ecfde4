package heron.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.store.query.TimeAxis;
import heron.store.query.Timeline;
import heron.store.query.Timeline.Bar;
import heron.store.query.Timeline.BarKind;
import heron.store.query.Timeline.LaneMode;
import heron.store.query.TimelineQuery.CallSpan;
import heron.store.query.TimelineQuery.Data;
import heron.store.query.TimelineQuery.ToolRun;

/** The headless timeline model: lanes, order, nesting, tool runs, culling and the time axis. */
class TimelineTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000_000_000L;

    static CallSpan call(long id, long turn, long conn, long startMs, long ttftMs, long endMs, long parent,
            String... tools) {
        return new CallSpan(id, turn, "s", conn, "api.example", T0 + startMs * MS, T0 + ttftMs * MS, T0 + endMs * MS,
                "model-" + id, 200, false, parent != 0, false, parent, List.of(tools));
    }

    /**
     * Turn 1: main call 1 asks for Agent; sub-agent calls 2 and 3 (parent 1) with a Bash run
     * between them; main call 4 gets the Agent result. Turn 5: one call. Calls 1-3 on connection
     * 10, 4-5 on connection 11.
     */
    static Data sample() {
        return new Data(List.of(call(1, 1, 10, 0, 100, 300, 0, "Agent"), call(2, 1, 10, 310, 400, 500, 1, "Bash"),
                call(3, 1, 10, 700, 750, 800, 1), call(4, 1, 11, 900, 950, 1000, 0),
                call(5, 5, 11, 2000, 2100, 2500, 0)),
                List.of(new ToolRun(1, 4, List.of("Agent"), false), new ToolRun(2, 3, List.of("Bash"), true)));
    }

    @Test
    void oneBarPerCallInLaneThenTimeOrderWithSubagentCallsNestedUnderTheirParent() {
        Timeline t = Timeline.of(sample(), LaneMode.TURN);
        assertEquals(2, t.lanes().size());
        assertEquals("turn 1", t.lanes().get(0).label());
        assertEquals(2, t.lanes().get(0).rows(), "main row + one sub-agent row");
        assertEquals(List.of(1L, 4L, 2L, 3L, 5L), t.calls().stream().map(Bar::callId).toList());
        assertEquals(0, t.callBar(1).depth());
        assertEquals(1, t.callBar(2).depth());
        assertEquals(1, t.callBar(2).parentCallId());
        assertEquals(t.row(t.callBar(1)) + 1, t.row(t.callBar(3)));
        assertEquals(2, t.row(t.callBar(5)));
        assertEquals(T0, t.startNanos());
        assertEquals(T0 + 2500 * MS, t.endNanos());
    }

    @Test
    void callBarsRunFromRequestToEndWithTheFirstContentMarked() {
        Bar b = Timeline.of(sample(), LaneMode.TURN).callBar(2);
        assertEquals(T0 + 310 * MS, b.startNanos());
        assertEquals(T0 + 400 * MS, b.firstContentNanos());
        assertEquals(T0 + 500 * MS, b.endNanos());
        assertEquals("model-2", b.label());
    }

    @Test
    void toolRunsFillTheGapBetweenAskingAndAnsweringCallLabelledWithToolNames() {
        Timeline t = Timeline.of(sample(), LaneMode.TURN);
        List<Bar> runs = t.bars().stream().filter(b -> b.kind() == BarKind.TOOL_RUN).toList();
        assertEquals(2, runs.size());
        Bar agent = runs.get(0);
        assertEquals("Agent", agent.label());
        assertEquals(T0 + 300 * MS, agent.startNanos());
        assertEquals(T0 + 900 * MS, agent.endNanos());
        assertEquals(0, agent.depth());
        assertEquals(4, agent.resultCallId());
        Bar bash = runs.get(1);
        assertEquals("Bash", bash.label());
        assertEquals(1, bash.depth(), "a sub-agent's tool run sits on the sub-agent's row");
        assertTrue(bash.error());
    }

    @Test
    void toolRunWhoseAnswerIsOutsideTheScopeIsLeftOut() {
        Data d = sample();
        Data onlyFirst = new Data(d.calls().subList(0, 3), d.toolRuns());
        assertEquals(List.of("Bash"), Timeline.of(onlyFirst, LaneMode.TURN).bars().stream()
                .filter(b -> b.kind() == BarKind.TOOL_RUN).map(Bar::label).toList());
    }

    @Test
    void connectionLanesGroupCallsByConnection() {
        Timeline t = Timeline.of(sample(), LaneMode.CONNECTION);
        assertEquals(2, t.lanes().size());
        assertEquals("conn 10 api.example", t.lanes().get(0).label());
        assertEquals(3, t.lanes().get(0).calls());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), t.calls().stream().map(Bar::callId).toList());
        assertEquals(1, t.laneOfRow(t.row(t.callBar(4))).index());
    }

    @Test
    void visibleReturnsOnlyBarsInTheRangeAndMergesSubPixelNeighbours() {
        List<CallSpan> calls = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            calls.add(call(i + 1, 1, 1, i * 10L, i * 10L + 1, i * 10L + 5, 0));
        }
        Timeline t = Timeline.of(new Data(calls, List.of()), LaneMode.TURN);
        // Whole range (100 s) in 1,000 px: 10 calls per pixel, all merged into few runs.
        List<Timeline.Visible> all = t.visible(t.startNanos(), t.endNanos(), 1000, 0, 0, 2);
        assertTrue(all.size() <= 1000, "at most one run per pixel, got " + all.size());
        assertEquals(10_000, all.stream().mapToInt(Timeline.Visible::merged).sum(), "every call drawn once");
        // Zoomed to calls 501..510 (5 s .. 5.1 s): only those, each wider than a pixel.
        List<Timeline.Visible> zoomed = t.visible(T0 + 5000 * MS, T0 + 5099 * MS, 1000, 0, 0, 2);
        assertEquals(List.of(501L, 502L, 503L, 504L, 505L, 506L, 507L, 508L, 509L, 510L),
                zoomed.stream().map(v -> v.bar().callId()).toList());
        assertTrue(zoomed.stream().allMatch(v -> v.merged() == 1 && v.x1() - v.x0() >= 40));
        assertEquals(0, t.visible(T0 + 200_000 * MS, T0 + 300_000 * MS, 1000, 0, 0, 2).size());
    }

    @Test
    void hitFindsTheBarUnderThePointerOrNearbyAndPrefersCalls() {
        Timeline t = Timeline.of(sample(), LaneMode.TURN);
        assertEquals(1, t.hit(0, T0 + 150 * MS, 0).callId());
        assertEquals(BarKind.TOOL_RUN, t.hit(0, T0 + 600 * MS, 0).kind());
        assertEquals(BarKind.CALL, t.hit(0, T0 + 300 * MS, MS).kind(), "at the boundary the call wins");
        assertNull(t.hit(2, T0 + 1500 * MS, 10 * MS));
        assertEquals(5, t.hit(2, T0 + 1995 * MS, 10 * MS).callId());
        assertNull(t.hit(7, T0, MS));
    }

    @Test
    void axisStepAdaptsFromMicrosecondsToHours() {
        assertEquals(1_000, TimeAxis.step(10_000, 1000, 80), "10 µs in 1000 px: 1 µs ticks");
        assertEquals(20 * MS, TimeAxis.step(200 * MS, 1000, 80));
        assertEquals(500 * MS, TimeAxis.step(5_000 * MS, 1000, 80));
        assertEquals(10_000 * MS, TimeAxis.step(120_000 * MS, 1000, 80), "2 min: 10 s ticks");
        assertEquals(15_000 * MS, TimeAxis.step(180_000 * MS, 1000, 80), "3 min: 15 s ticks");
        long hour = 3_600_000 * MS;
        assertEquals(hour / 2, TimeAxis.step(5 * hour, 1000, 80), "5 h: 30 min ticks");
        assertEquals(48 * hour, TimeAxis.step(400 * hour, 1000, 80));
        assertEquals(1, TimeAxis.step(5, 1000, 80));
    }

    @Test
    void axisLabelsUseTheUnitOfTheStep() {
        assertEquals("3 µs", TimeAxis.label(3_000, 1_000));
        assertEquals("2.5 µs", TimeAxis.label(2_500, 500));
        assertEquals("40 ms", TimeAxis.label(40 * MS, 20 * MS));
        assertEquals("1.5 s", TimeAxis.label(1_500 * MS, 500 * MS));
        assertEquals("1:30", TimeAxis.label(90_000 * MS, 15_000 * MS));
        assertEquals("2:30:00", TimeAxis.label(9_000_000 * MS, 1_800_000 * MS));
        List<TimeAxis.Tick> ticks = TimeAxis.ticks(0, 5 * MS, 25 * MS, 1000, 80);
        assertEquals(2 * MS, ticks.get(1).nanos() - ticks.get(0).nanos());
        assertEquals(6 * MS, ticks.get(0).nanos(), "ticks on multiples of the step from the origin");
        assertEquals(50, ticks.get(0).x());
        assertEquals("6 ms", ticks.get(0).label());
        assertEquals("12.3 µs", TimeAxis.duration(12_345));
        assertEquals("1 h 02 min", TimeAxis.duration(3_720_000 * MS));
    }
}
