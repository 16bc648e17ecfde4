package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.CallError;
import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.store.query.Metrics;
import heron.store.query.Metrics.Bucket;
import heron.store.query.Metrics.CacheUsage;
import heron.store.query.Metrics.ModelLatency;
import heron.store.query.Metrics.TimeRange;
import heron.store.query.MetricsQuery;

class MetricsQueryTest {
    private static final long MS = 1_000_000L;
    private static final long SEC = 1_000 * MS;

    @TempDir
    Path dir;
    long captureId;

    /**
     * Four calls over 9.1 s: an Anthropic call and its 429, an OpenAI call whose prompt includes
     * its cached tokens, and a failed OpenAI call.
     */
    @BeforeEach
    void fill() {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            captureId = w.beginCapture(Fixtures.capture("/m.pcap", "mm"));
            w.call(call(1, "anthropic", "claude", 200, 0, 100, 1000, 10, 5, 80L, 10L));
            w.call(call(2, "anthropic", "claude", 429, 1000, -1, 50, 0, 0, null, null));
            w.call(call(3, "openai-chat", "gpt", 200, 2000, 200, 3000, 100, 20, 40L, null));
            w.call(call(4, "openai-chat", "gpt", 500, 9000, -1, 100, 50, 0, null, null));
            w.finish(Capture.ImportStatus.COMPLETE);
        }
    }

    static LlmCall call(long id, String wireApi, String model, int status, long atMs, long ttftMs, long e2eMs, long in,
            long out, Long read, Long write) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = id;
        b.exchangeId = id;
        b.wireApi = wireApi;
        b.requestModel = model;
        b.stream = true;
        b.status = status;
        b.inputTokens = in;
        b.outputTokens = out;
        b.cacheReadTokens = read;
        b.cacheWriteTokens = write;
        b.requestNanos = T0 + atMs * MS;
        b.firstContentNanos = ttftMs < 0 ? 0 : b.requestNanos + ttftMs * MS;
        b.endNanos = b.requestNanos + e2eMs * MS;
        b.error = status >= 400 ? new CallError("err", "failed", null) : null;
        return b.build();
    }

    @Test
    void bucketWidthIsTheSmallestNiceStepKeepingBucketsEightPixelsWide() {
        assertEquals(100 * MS, MetricsQuery.bucketNanos(10 * SEC, 1000)); // 125 buckets: 80 ms -> 100 ms
        assertEquals(MS, MetricsQuery.bucketNanos(1, 1000));
        assertEquals(MS, MetricsQuery.bucketNanos(0, 0));
        assertEquals(60 * SEC, MetricsQuery.bucketNanos(3_600 * SEC, 800)); // 100 buckets: 36 s -> 1 min
        assertEquals(3 * 3_600 * SEC, MetricsQuery.bucketNanos(10 * 86_400 * SEC, 800)); // 8640 s -> 3 h
    }

    @Test
    void spanRunsFromTheFirstRequestToTheLastEndOfResponse() {
        try (HeronStore store = HeronStore.open(dir)) {
            TimeRange span = new MetricsQuery(store).span(captureId).orElseThrow();
            assertEquals(new TimeRange(T0, T0 + 9_100 * MS), span);
            assertTrue(new MetricsQuery(store).span(captureId + 99).isEmpty());
        }
    }

    @Test
    void totalsSeparate429FromOtherErrors() {
        Metrics m = wholeCapture();
        assertEquals(new Metrics.Totals(4, 160, 25, 120, 10, 250, 1, 1), m.totals());
        assertEquals(Map.of("anthropic", 2L, "openai-chat", 2L), m.callsByWireApi());
        assertEquals(List.of("claude", "gpt"), List.copyOf(m.callsByModel().keySet()));
    }

    @Test
    void cacheHitRatioCountsAnthropicCachedTokensBesideTheInputAndOpenAiCachedTokensInsideIt() {
        Metrics m = wholeCapture();
        CacheUsage anthropic = m.cacheByWireApi().stream().filter(u -> u.wireApi().equals("anthropic")).findFirst()
                .orElseThrow();
        CacheUsage openai = m.cacheByWireApi().stream().filter(u -> u.wireApi().equals("openai-chat")).findFirst()
                .orElseThrow();
        assertEquals(100, anthropic.promptTokens()); // 10 input + 80 read + 10 write
        assertEquals(0.8, anthropic.hitRatio(), 1e-12);
        assertEquals(150, openai.promptTokens()); // input already holds the 40 cached
        assertEquals(40.0 / 150, openai.hitRatio(), 1e-12);
        assertEquals(120.0 / 250, m.totals().cacheHitRatio(), 1e-12);
    }

    @Test
    void bedrockConverseCountsCachedTokensBesideTheInputLikeAnthropic() {
        assertEquals(100, MetricsQuery.promptTokens("bedrock-converse", 10, 80, 10));
        assertEquals(10, MetricsQuery.promptTokens("gemini", 10, 80, 10));
        assertEquals(10, MetricsQuery.promptTokens(null, 10, 80, 10));
        assertEquals(0.8, new heron.core.model.TokenUsage(10L, 5L, 80L, 10L, null).cacheHitRatio("bedrock-converse"),
                1e-12);
    }

    @Test
    void bucketsCoverTheSpanAndCountCallsAtTheirRequestTime() {
        Metrics m = wholeCapture();
        assertEquals(100 * MS, m.bucketNanos());
        assertEquals(92, m.buckets().size()); // 0 .. 9.1 s in 100 ms buckets
        Bucket b0 = m.buckets().get(0);
        assertEquals(T0, b0.startNanos());
        assertEquals(1, b0.calls());
        assertEquals(10.0, b0.callsPerSecond(m.bucketNanos()), 1e-9);
        assertEquals(50.0, b0.outputTokensPerSecond(m.bucketNanos()), 1e-9);
        assertEquals(1.0, m.buckets().get(10).rateLimitedRate());
        assertEquals(0.0, m.buckets().get(10).errorRate());
        assertEquals(1.0, m.buckets().get(90).errorRate());
        assertTrue(Double.isNaN(m.buckets().get(50).errorRate()), "no calls, no rate");
        assertEquals(4, m.buckets().stream().mapToLong(Bucket::calls).sum());
        assertEquals(25, m.buckets().stream().mapToLong(Bucket::outputTokens).sum());
    }

    @Test
    void activeCallsIsTheMeanNumberOfCallsInFlight() {
        Metrics m = wholeCapture();
        assertEquals(1.0, m.buckets().get(0).activeCalls(), 1e-9); // call 1 runs 0..1 s
        assertEquals(0.5, m.buckets().get(10).activeCalls(), 1e-9); // the 429 took 50 of 100 ms
        assertEquals(0.0, m.buckets().get(15).activeCalls(), 1e-9);
        assertEquals(1.0, m.buckets().get(45).activeCalls(), 1e-9); // call 3 runs 2..5 s
    }

    @Test
    void latencyPercentilesArePerModelByNearestRank() {
        Metrics m = wholeCapture();
        ModelLatency claude = m.latencyByModel().stream().filter(l -> l.model().equals("claude")).findFirst()
                .orElseThrow();
        assertEquals(2, claude.calls());
        assertEquals(1, claude.ttftMs().count()); // the 429 sent no content
        assertEquals(100.0, claude.ttftMs().p99());
        assertEquals(50.0, claude.e2eMs().p50()); // ranks: ceil(0.5*2)=1 -> 50, ceil(0.95*2)=2 -> 1000
        assertEquals(1000.0, claude.e2eMs().p95());
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertEquals(50.0, MetricsQuery.percentile(hundred, 100, 50));
        assertEquals(95.0, MetricsQuery.percentile(hundred, 100, 95));
        assertEquals(99.0, MetricsQuery.percentile(hundred, 100, 99));
        assertEquals(100.0, MetricsQuery.percentile(hundred, 100, 100));
    }

    @Test
    void aWindowCountsOnlyItsRequestsButKeepsEarlierCallsStillInFlight() {
        try (HeronStore store = HeronStore.open(dir)) {
            Metrics m = new MetricsQuery(store).compute(captureId, new TimeRange(T0 + 3 * SEC, T0 + 9_500 * MS), 1000,
                    () -> false);
            assertEquals(1, m.totals().calls()); // only call 4; call 3 was requested at 2 s
            assertEquals(Map.of("openai-chat", 1L), m.callsByWireApi());
            assertEquals(1.0, m.buckets().get(0).activeCalls(), 1e-9); // call 3 still running at 3 s
            assertNull(m.latencyByModel().get(0).ttftMs().p50());
        }
    }

    @Test
    void cancellationStopsTheComputation() {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            long big = w.beginCapture(Fixtures.capture("/big.pcap", "big"));
            for (int i = 1; i <= 5000; i++) {
                w.call(call(i, "openai-chat", "gpt", 200, i, 1, 2, 1, 1, null, null));
            }
            w.finish(Capture.ImportStatus.COMPLETE);
            MetricsQuery q = new MetricsQuery(store);
            assertThrows(CancellationException.class, () -> q.compute(big, 1000, () -> true));
            assertEquals(5000, q.compute(big, 1000, () -> false).orElseThrow().totals().calls());
        }
    }

    private Metrics wholeCapture() {
        try (HeronStore store = HeronStore.open(dir)) {
            return new MetricsQuery(store).compute(captureId, 1000, () -> false).orElseThrow();
        }
    }
}
