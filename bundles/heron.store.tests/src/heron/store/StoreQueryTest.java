package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.store.query.Aggregations;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;
import heron.store.query.ExchangeQueries;

class StoreQueryTest {
    private static final long SEC = 1_000_000_000L;

    @TempDir
    Path dir;
    long captureId;
    long otherCapture;

    /** 30 calls: ids 64..1920, model "alpha" for even i and "beta" for odd, every 5th a 500. */
    @BeforeEach
    void fill() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            try (StoreWriter w = store.writer()) {
                captureId = w.beginCapture(Fixtures.capture("/a", "aa"));
                for (int i = 1; i <= 30; i++) {
                    long id = i * 64L;
                    w.exchange(Fixtures.exchange(id, 1, false));
                    LlmCall c = Fixtures.call(id, i % 2 == 0 ? "alpha" : "beta", i % 5 == 0 ? 500 : 200, T0 + i * SEC,
                            (31 - i) * 1_000_000L);
                    w.call(i > 20 ? c.withAgent(new heron.core.model.AgentTag("codex", "s", 0, false, false, 0)) : c);
                }
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            try (StoreWriter w = store.writer()) {
                otherCapture = w.beginCapture(Fixtures.capture("/b", "bb"));
                w.call(Fixtures.call(64, "alpha", 200, T0, 1));
                w.finish(Capture.ImportStatus.COMPLETE);
            }
        }
    }

    @Test
    void callPagesFollowTheSortAndDoNotOverlap() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            CallQueries q = store.calls();
            List<LlmCall> p1 = q.page(captureId, CallFilter.ALL, CallQueries.Sort.REQUEST_TIME, true, 0, 10);
            List<LlmCall> p2 = q.page(captureId, CallFilter.ALL, CallQueries.Sort.REQUEST_TIME, true, 10, 10);
            List<LlmCall> p4 = q.page(captureId, CallFilter.ALL, CallQueries.Sort.REQUEST_TIME, true, 30, 10);
            assertEquals(64, p1.get(0).id());
            assertEquals(640, p1.get(9).id());
            assertEquals(704, p2.get(0).id());
            assertEquals(0, p4.size());
            assertEquals(30, q.count(captureId, CallFilter.ALL));

            List<LlmCall> byLatency = q.page(captureId, CallFilter.ALL, CallQueries.Sort.E2E, true, 0, 3);
            assertEquals(List.of(1920L, 1856L, 1792L), byLatency.stream().map(LlmCall::id).toList());
            List<LlmCall> desc = q.page(captureId, CallFilter.ALL, CallQueries.Sort.ID, false, 0, 1);
            assertEquals(1920, desc.get(0).id());
        }
    }

    @Test
    void callSummariesPageByIdAndKeepEveryColumnButNotTheDetail() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            CallQueries q = store.calls();
            List<LlmCall> full = q.page(captureId, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 100);
            List<LlmCall> first = q.summariesAfter(captureId, Long.MIN_VALUE, 12);
            List<LlmCall> rest = q.summariesAfter(captureId, first.get(first.size() - 1).id(), 100);
            assertEquals(12, first.size());
            assertEquals(18, rest.size(), "keyset paging continues after the last id, no overlap");
            List<LlmCall> all = new java.util.ArrayList<>(first);
            all.addAll(rest);
            for (int i = 0; i < full.size(); i++) {
                LlmCall f = full.get(i);
                LlmCall s = all.get(i);
                assertEquals(f.id(), s.id());
                assertEquals(f.model(), s.model());
                assertEquals(f.status(), s.status());
                assertEquals(f.usage(), s.usage());
                assertEquals(f.e2eMs(), s.e2eMs());
                assertEquals(f.agent(), s.agent());
                assertTrue(s.messages().isEmpty() && s.toolsOffered().isEmpty() && s.systemPrompt() == null,
                        "no detail document read");
                assertEquals(f.toolCalls().stream().map(t -> t.name()).toList(),
                        s.toolCalls().stream().map(t -> t.name()).toList(), "tool names for the filter");
            }
            assertTrue(!full.get(0).messages().isEmpty(), "the full call has its messages");
            heron.core.filter.CallFilter tool = heron.core.filter.CallFilter.parse("tool == \"bash\" and tool_calls == 1");
            assertEquals(full.stream().filter(tool).count(), all.stream().filter(tool).count());
        } catch (heron.core.filter.CallFilter.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void callFiltersCombineAndCountMatchesPage() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            CallQueries q = store.calls();
            CallFilter alpha = CallFilter.ALL.withModel("ALP");
            assertEquals(15, q.count(captureId, alpha));
            assertTrue(q.page(captureId, alpha, CallQueries.Sort.ID, true, 0, 100).stream()
                    .allMatch(c -> c.model().startsWith("alpha")));
            assertEquals(6, q.count(captureId, CallFilter.ALL.withStatus(500, 599)));
            assertEquals(6, q.count(captureId, CallFilter.ALL.withErrorsOnly(true)));
            assertEquals(3, q.count(captureId, alpha.withStatus(500, null)));
            assertEquals(10, q.count(captureId, CallFilter.ALL.withAgentKind("codex")));
            assertEquals(5, q.count(captureId, CallFilter.ALL.withTime(T0 + 3 * SEC, T0 + 7 * SEC)));
            assertEquals(30, q.count(captureId, CallFilter.ALL.withWireApi("anthropic")));
            assertEquals(0, q.count(captureId, CallFilter.ALL.withWireApi("gemini")));
            assertEquals(0, q.count(captureId, CallFilter.ALL.withModel("%")));
            assertEquals(1, q.count(otherCapture, CallFilter.ALL));
        }
    }

    @Test
    void exchangePagesSortByStatusThenId() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            List<heron.core.model.HttpExchange> page = store.exchanges().page(captureId, ExchangeQueries.Sort.ID,
                    false, 5, 5);
            assertEquals(List.of(1600L, 1536L, 1472L, 1408L, 1344L),
                    page.stream().map(heron.core.model.HttpExchange::id).toList());
            assertEquals(30, store.exchanges().count(captureId));
        }
    }

    @Test
    void topologyCountsCallsErrorsAndMedianLatencyPerEdge() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            List<Aggregations.TopologyEdge> edges = store.aggregations().topology(captureId);
            assertEquals(1, edges.size());
            Aggregations.TopologyEdge e = edges.get(0);
            assertEquals("10.0.0.2", e.clientIp());
            assertEquals(Fixtures.SERVER, e.server());
            assertEquals("api.anthropic.com", e.host());
            assertEquals(30, e.calls());
            assertEquals(6, e.errors());
            // latencies 1..30 ms: median 15.5 ms
            assertEquals(15.5, e.medianE2eMs(), 1e-9);
        }
    }

    @Test
    void timeBucketsSumCallsAndTokens() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            List<Aggregations.TimeBucket> b = store.aggregations().callsOverTime(captureId, 10 * SEC);
            assertEquals(4, b.size());
            assertEquals(30, b.stream().mapToLong(Aggregations.TimeBucket::calls).sum());
            assertEquals(3000, b.stream().mapToLong(Aggregations.TimeBucket::inputTokens).sum());
            assertEquals(6, b.stream().mapToLong(Aggregations.TimeBucket::errors).sum());
            assertEquals(2, store.calls().models(captureId).size());
        }
    }
}
