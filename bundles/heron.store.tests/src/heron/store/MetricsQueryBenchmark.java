package heron.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.store.query.Metrics;
import heron.store.query.MetricsQuery;

/**
 * Benchmark of the Metrics view's provider (not run by the build): writes N calls (4 wire APIs,
 * 12 models, ~2 calls/s with overlapping latencies, 2% errors and 1% 429s), then times
 * {@link MetricsQuery#compute} for the whole span at 800 px and for a 10% window, in CPU time
 * of the calling thread and wall time.
 *
 * <pre>
 * java -cp ... heron.store.MetricsQueryBenchmark [dir] [calls=100000]
 * </pre>
 */
public final class MetricsQueryBenchmark {
    private static final String[] APIS = { "anthropic", "openai-chat", "openai-responses", "gemini" };

    private MetricsQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/heron-metrics-bench");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Random r = new Random(42);
        long captureId;
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            captureId = w.beginCapture(Fixtures.capture("/bench.pcap", "bench"));
            long t = Fixtures.T0;
            for (int i = 1; i <= n; i++) {
                t += (long) (r.nextDouble() * 1e9); // mean 0.5 s apart
                String api = APIS[i % APIS.length];
                int status = r.nextInt(100) == 0 ? 429 : r.nextInt(50) == 0 ? 500 : 200;
                long ttft = 200 + r.nextInt(2000);
                long e2e = ttft + r.nextInt(20_000);
                LlmCall c = MetricsQueryTest.call(i, api, "model-" + (i % 12), status, 0, ttft, e2e, 500 + r.nextInt(
                        5000), 50 + r.nextInt(800), (long) r.nextInt(4000), api.equals("anthropic") ? 100L : null);
                w.call(shift(c, t - Fixtures.T0));
            }
            w.finish(Capture.ImportStatus.COMPLETE);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (HeronStore store = HeronStore.open(dir)) {
            MetricsQuery q = new MetricsQuery(store);
            for (int round = 0; round < 3; round++) {
                long cpu = mx.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                Metrics m = q.compute(captureId, 800, () -> false).orElseThrow();
                long cpuAll = mx.getCurrentThreadCpuTime() - cpu;
                long wallAll = System.nanoTime() - wall;
                Metrics.TimeRange span = m.range();
                Metrics.TimeRange tenth = new Metrics.TimeRange(span.fromNanos() + span.durationNanos() / 2,
                        span.fromNanos() + span.durationNanos() / 2 + span.durationNanos() / 10);
                cpu = mx.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                Metrics w = q.compute(captureId, tenth, 800, () -> false);
                System.out.printf(
                        "round %d: %,d calls, %d buckets of %d ms: whole span %.0f ms CPU (%.0f ms wall); "
                                + "10%% window (%,d calls) %.0f ms CPU (%.0f ms wall)%n",
                        round, m.totals().calls(), m.buckets().size(), m.bucketNanos() / 1_000_000, cpuAll / 1e6,
                        wallAll / 1e6, w.totals().calls(), (mx.getCurrentThreadCpuTime() - cpu) / 1e6,
                        (System.nanoTime() - wall) / 1e6);
            }
        }
    }

    private static LlmCall shift(LlmCall c, long by) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = c.id();
        b.exchangeId = c.exchangeId();
        b.wireApi = c.wireApi();
        b.requestModel = c.requestModel();
        b.stream = true;
        b.status = c.status();
        b.inputTokens = c.usage().input();
        b.outputTokens = c.usage().output();
        b.cacheReadTokens = c.usage().cacheRead();
        b.cacheWriteTokens = c.usage().cacheWrite();
        b.requestNanos = c.requestNanos() + by;
        b.firstContentNanos = c.firstContentNanos() + by;
        b.endNanos = c.endNanos() + by;
        b.error = c.error();
        return b.build();
    }
}
