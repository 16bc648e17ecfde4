package heron.store.query;

import java.util.List;
import java.util.Map;

/**
 * The Metrics view's model for one time window of a capture, computed by {@link MetricsQuery}
 * and sized to the screen (one {@link Bucket} per few pixels). Times are nanoseconds since the
 * epoch; a call belongs to the bucket (and the window) of its request time, except for
 * {@link Bucket#activeCalls()}, which counts every call in flight.
 *
 * @param range          the window the metrics cover
 * @param bucketNanos    width of every bucket
 * @param buckets        every bucket from the one holding {@code range.fromNanos()} to the one
 *                       holding {@code range.toNanos()}, empty ones included, in time order
 * @param totals         sums over the whole window
 * @param latencyByModel TTFT and end-to-end percentiles per model, busiest model first
 * @param cacheByWireApi prompt cache use per wire API, busiest wire API first
 * @param callsByWireApi call counts per wire API ("unknown" when absent), busiest first
 * @param callsByModel   call counts per model ("unknown" when absent), busiest first
 */
public record Metrics(TimeRange range, long bucketNanos, List<Bucket> buckets, Totals totals,
        List<ModelLatency> latencyByModel, List<CacheUsage> cacheByWireApi, Map<String, Long> callsByWireApi,
        Map<String, Long> callsByModel) {

    /** Label used for calls whose wire API or model is not known. */
    public static final String UNKNOWN = "unknown";

    public Metrics {
        buckets = List.copyOf(buckets);
        latencyByModel = List.copyOf(latencyByModel);
        cacheByWireApi = List.copyOf(cacheByWireApi);
        // Keep the busiest-first order the query built (Map.copyOf would lose it).
        callsByWireApi = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(callsByWireApi));
        callsByModel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(callsByModel));
    }

    /** A closed time window {@code [fromNanos, toNanos]}. */
    public record TimeRange(long fromNanos, long toNanos) {
        public TimeRange {
            if (toNanos < fromNanos) {
                throw new IllegalArgumentException("time range ends before it starts: " + fromNanos + " > " + toNanos);
            }
        }

        public long durationNanos() {
            return toNanos - fromNanos;
        }

        public boolean contains(long nanos) {
            return nanos >= fromNanos && nanos <= toNanos;
        }
    }

    /**
     * One bucket {@code [startNanos, startNanos + bucketNanos)}.
     *
     * @param calls              calls whose request falls into the bucket
     * @param activeCalls        mean number of calls in flight (request to end of response) over the
     *                           bucket: the summed overlap of every call with the bucket divided by
     *                           its width
     * @param inputTokens        input tokens as the providers reported them (see {@link CacheUsage})
     * @param promptTokens       the whole prompt, cached part included, per the wire API's rule
     * @param errors             failed calls (status >= 400 or an error) other than 429
     * @param rateLimited        calls answered 429 Too Many Requests
     */
    public record Bucket(long startNanos, long calls, double activeCalls, long inputTokens, long outputTokens,
            long cacheReadTokens, long cacheWriteTokens, long promptTokens, long errors, long rateLimited) {

        public double callsPerSecond(long bucketNanos) {
            return calls * 1e9 / bucketNanos;
        }

        public double outputTokensPerSecond(long bucketNanos) {
            return outputTokens * 1e9 / bucketNanos;
        }

        public double inputTokensPerSecond(long bucketNanos) {
            return inputTokens * 1e9 / bucketNanos;
        }

        /** Share of calls that failed other than with 429, or NaN without calls. */
        public double errorRate() {
            return calls == 0 ? Double.NaN : (double) errors / calls;
        }

        /** Share of calls answered 429, or NaN without calls. */
        public double rateLimitedRate() {
            return calls == 0 ? Double.NaN : (double) rateLimited / calls;
        }

        /** Cache read / prompt, or NaN without prompt tokens. */
        public double cacheHitRatio() {
            return promptTokens == 0 ? Double.NaN : (double) cacheReadTokens / promptTokens;
        }
    }

    /** Sums over the window. */
    public record Totals(long calls, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
            long promptTokens, long errors, long rateLimited) {

        /** Cache read / prompt over all wire APIs, or NaN without prompt tokens. */
        public double cacheHitRatio() {
            return promptTokens == 0 ? Double.NaN : (double) cacheReadTokens / promptTokens;
        }
    }

    /**
     * Exact percentiles by the nearest-rank method: the p-th percentile of n sorted values is the
     * value at rank ceil(p/100 * n). Milliseconds; all null when {@code count} is 0.
     */
    public record Percentiles(int count, Double p50, Double p95, Double p99) {
        public static final Percentiles NONE = new Percentiles(0, null, null, null);
    }

    /** Latency of the calls of one model (the answered model, else the requested one). */
    public record ModelLatency(String model, long calls, Percentiles ttftMs, Percentiles e2eMs) {
    }

    /**
     * Prompt cache use of one wire API. The providers count differently: Anthropic's
     * {@code input_tokens} excludes the cached tokens (cache reads and cache writes are reported
     * beside it), while OpenAI's {@code prompt_tokens}/{@code input_tokens} and Gemini's
     * {@code promptTokenCount} include the cached part. So the prompt is
     * {@code input + cacheRead + cacheWrite} for "anthropic" and "bedrock-converse"
     * ({@code TokenUsage.CACHE_BESIDE_INPUT}) and {@code input} otherwise, and the
     * hit ratio is {@code cacheRead / prompt} for both.
     */
    public record CacheUsage(String wireApi, long calls, long inputTokens, long cacheReadTokens,
            long cacheWriteTokens, long promptTokens) {

        /** Cache read / prompt, or NaN without prompt tokens. */
        public double hitRatio() {
            return promptTokens == 0 ? Double.NaN : (double) cacheReadTokens / promptTokens;
        }
    }
}
