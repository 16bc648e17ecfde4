package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.AgentTag;
import heron.core.model.Capture;
import heron.core.model.ToolLink;
import heron.store.query.Timeline;
import heron.store.query.TimelineQuery;
import heron.store.query.TimelineQuery.CallSpan;
import heron.store.query.TimelineQuery.Data;
import heron.store.query.TimelineQuery.Scope;

/** The timeline's read of the store: scopes, request order, connections, nesting and tool runs. */
class TimelineQueryTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;
    long captureId;

    /**
     * Session "sess-1": turn 64 = calls 64 (asks bash twice and grep, answered by 128), 128
     * (asks Agent, answered by 256), sub-agent call 192 (parent 128), 256; turn 320 = call 320
     * (no answer to its tool). Calls 64-192 on connection 1, the others on connection 2; call 384
     * is in no turn.
     */
    @BeforeEach
    void fill() {
        try (HeronStore store = HeronStore.open(dir)) {
            try (StoreWriter w = store.writer()) {
                captureId = w.beginCapture(Fixtures.capture("/t", "tt"));
                long[][] calls = { { 64, 64, 1, 0 }, { 128, 64, 1, 0 }, { 192, 64, 1, 128 }, { 256, 64, 2, 0 },
                        { 320, 320, 2, 0 }, { 384, 0, 2, 0 } };
                for (long[] c : calls) {
                    w.exchange(Fixtures.exchange(c[0], c[2], true));
                    AgentTag tag = new AgentTag("claude-code", c[1] == 0 ? null : "sess-1", c[1], false, c[3] != 0,
                            c[3]);
                    // Requests 100 ms apart, 50 ms long: the sub-agent call starts inside its parent's tool run.
                    w.call(Fixtures.call(c[0], "m", 200, T0 + c[0] * 10 * MS / 6, 50 * MS).withAgent(tag));
                }
                w.turn(Fixtures.turn(64, List.of(64L, 128L, 192L, 256L)));
                w.turn(Fixtures.turn(320, List.of(320L)));
                w.session(Fixtures.session("sess-1", List.of(64L, 320L)));
                w.toolLinks(List.of(new ToolLink("t1", "bash", 64, 128, 1, false),
                        new ToolLink("t2", "grep", 64, 128, 1, true), new ToolLink("t3", "bash", 64, 128, 1, false),
                        new ToolLink("t4", "Agent", 128, 256, 1, false), new ToolLink("t5", "bash", 320, 0, 0, false)));
                w.finish(Capture.ImportStatus.COMPLETE);
            }
        }
    }

    @Test
    void turnScopeLoadsItsCallsInRequestOrderWithConnectionsAndNesting() {
        try (HeronStore store = HeronStore.open(dir)) {
            Data d = new TimelineQuery(store).load(captureId, Scope.turn(64));
            assertEquals(List.of(64L, 128L, 192L, 256L), d.calls().stream().map(CallSpan::callId).toList());
            CallSpan sub = d.calls().get(2);
            assertTrue(sub.subagent());
            assertEquals(128, sub.parentCallId());
            assertEquals(1, sub.connectionId());
            assertEquals(2, d.calls().get(3).connectionId());
            assertEquals("api.anthropic.com", sub.server());
            assertEquals(List.of("bash"), sub.toolNames());
            assertEquals(T0 + 192 * 10 * MS / 6 + 2 * MS, sub.firstContentNanos());
        }
    }

    @Test
    void toolLinksOfOneGapBecomeOneRunWithDistinctNames() {
        try (HeronStore store = HeronStore.open(dir)) {
            Data d = new TimelineQuery(store).load(captureId, Scope.turn(64));
            assertEquals(2, d.toolRuns().size());
            assertEquals(List.of("bash", "grep"), d.toolRuns().get(0).toolNames());
            assertTrue(d.toolRuns().get(0).error(), "one of its tools failed");
            assertEquals(256, d.toolRuns().get(1).resultCallId());
            Data unanswered = new TimelineQuery(store).load(captureId, Scope.turn(320));
            assertEquals(0, unanswered.toolRuns().size(), "a tool without a result has no end, so no run");
        }
    }

    @Test
    void sessionAndCaptureScopes() {
        try (HeronStore store = HeronStore.open(dir)) {
            TimelineQuery q = new TimelineQuery(store);
            assertEquals(List.of(64L, 128L, 192L, 256L, 320L),
                    q.load(captureId, Scope.session("sess-1")).calls().stream().map(CallSpan::callId).toList());
            assertEquals(6, q.load(captureId, Scope.capture()).calls().size());
            assertEquals(0, q.load(captureId, Scope.session("nope")).calls().size());
            Data firstThree = q.load(captureId, Scope.capture(), 3);
            assertEquals(List.of(64L, 128L, 192L), firstThree.calls().stream().map(CallSpan::callId).toList());
            assertTrue(firstThree.truncated());
            assertEquals(1, firstThree.toolRuns().size(), "only runs between the calls loaded");
            assertTrue(!q.load(captureId, Scope.capture(), 6).truncated(), "exactly all: not truncated");
            Timeline t = Timeline.of(q.load(captureId, Scope.capture()), Timeline.LaneMode.TURN);
            assertEquals(List.of("turn 64", "turn 320", "no turn"), t.lanes().stream().map(Timeline.Lane::label)
                    .toList());
            assertEquals(1, t.callBar(192).depth());
            assertEquals("bash, grep", t.bars().stream().filter(b -> b.kind() == Timeline.BarKind.TOOL_RUN)
                    .findFirst().orElseThrow().label());
        }
    }
}
