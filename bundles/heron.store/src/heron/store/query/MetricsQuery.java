package heron.store.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import heron.core.model.TokenUsage;
import heron.store.HeronStore;
import heron.store.StoreException;
import heron.store.internal.Jdbc;
import heron.store.query.Metrics.Bucket;
import heron.store.query.Metrics.CacheUsage;
import heron.store.query.Metrics.ModelLatency;
import heron.store.query.Metrics.Percentiles;
import heron.store.query.Metrics.TimeRange;
import heron.store.query.Metrics.Totals;

/**
 * Computes the {@link Metrics} of a capture's calls for a time window and a pixel width: the
 * provider a chart asks for a model sized to the screen. One pass over the calls in the window
 * (read by the {@code (capture_id, request_ns)} index); percentiles are exact.
 */
public final class MetricsQuery {
    private static final long MS = 1_000_000L;
    private static final long SEC = 1_000 * MS;
    private static final long HOUR = 3_600 * SEC;

    /** Bucket widths to choose from, 1 ms to 1 h; wider spans use whole hours. */
    public static final List<Long> NICE_BUCKETS = List.of(MS, 2 * MS, 5 * MS, 10 * MS, 20 * MS, 50 * MS, 100 * MS,
            200 * MS, 500 * MS, SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC, 60 * SEC, 120 * SEC, 300 * SEC,
            600 * SEC, 900 * SEC, 1_800 * SEC, HOUR);

    /** The narrowest a bucket gets on screen, in pixels, so bars stay readable. */
    public static final int MIN_BUCKET_PIXELS = 8;

    private final HeronStore store;

    public MetricsQuery(HeronStore store) {
        this.store = store;
    }

    /**
     * The smallest nice bucket width that keeps buckets at least {@link #MIN_BUCKET_PIXELS} wide
     * when {@code spanNanos} is drawn over {@code pixelWidth} pixels.
     */
    public static long bucketNanos(long spanNanos, int pixelWidth) {
        long buckets = Math.max(1, Math.max(1, pixelWidth) / MIN_BUCKET_PIXELS);
        long wanted = Math.max(1, (Math.max(0, spanNanos) + buckets - 1) / buckets);
        for (long nice : NICE_BUCKETS) {
            if (nice >= wanted) {
                return nice;
            }
        }
        return (wanted + HOUR - 1) / HOUR * HOUR;
    }

    /** From the first request to the last end of response (or request) of the capture's calls. */
    public Optional<TimeRange> span(long captureId) {
        // An aggregate over no rows still yields one row, of NULLs.
        List<TimeRange> r = Jdbc.list(store, """
                SELECT MIN(request_ns), MAX(GREATEST(request_ns, COALESCE(end_ns, 0)))
                FROM %s WHERE capture_id = ? AND request_ns > 0""".formatted(store.table("llm_call", captureId)),
                rs -> {
            long from = rs.getLong(1);
            return rs.wasNull() ? null : new TimeRange(from, rs.getLong(2));
        }, captureId);
        return r.isEmpty() ? Optional.empty() : Optional.ofNullable(r.get(0));
    }

    /** Metrics over the capture's whole span; empty when the capture has no timed calls. */
    public Optional<Metrics> compute(long captureId, int pixelWidth, BooleanSupplier cancelled) {
        return span(captureId).map(r -> compute(captureId, r, pixelWidth, cancelled));
    }

    /**
     * Metrics of the calls requested in {@code range}, in buckets sized for {@code pixelWidth}.
     *
     * @param cancelled polled every few thousand rows
     * @throws CancellationException when {@code cancelled} turned true
     */
    public Metrics compute(long captureId, TimeRange range, int pixelWidth, BooleanSupplier cancelled) {
        long width = bucketNanos(range.durationNanos(), pixelWidth);
        long first = Math.floorDiv(range.fromNanos(), width) * width;
        int n = (int) Math.min(Integer.MAX_VALUE - 8, (range.toNanos() - first) / width + 1);
        Acc acc = new Acc(first, width, n);
        // Calls still running in the window count as active even if requested before it.
        String sql = """
                SELECT request_ns, end_ns, ttft_ns, e2e_ns, wire_api, model, status, is_error,
                       input_tokens, output_tokens, cache_read_tokens, cache_write_tokens
                FROM %s WHERE capture_id = ? AND request_ns > 0 AND request_ns <= ?
                  AND GREATEST(request_ns, COALESCE(end_ns, 0)) >= ?"""
                .formatted(store.table("llm_call", captureId));
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, captureId, range.toNanos(), range.fromNanos());
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                long rows = 0;
                while (rs.next()) {
                    if ((++rows & 4095) == 0 && cancelled != null && cancelled.getAsBoolean()) {
                        throw new CancellationException("metrics computation cancelled");
                    }
                    acc.add(rs, range);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("metrics query failed: " + e.getMessage(), e);
        }
        return acc.result(range);
    }

    /** The prompt size by the wire API's counting rule ({@link TokenUsage#promptTokens}). */
    public static long promptTokens(String wireApi, long input, long cacheRead, long cacheWrite) {
        return TokenUsage.promptTokens(wireApi, input, cacheRead, cacheWrite);
    }

    /** Nearest-rank percentile of sorted values ({@code p} in (0, 100]). */
    public static double percentile(double[] sorted, int count, double p) {
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)];
    }

    static Percentiles percentiles(DoubleList values) {
        if (values.size == 0) {
            return Percentiles.NONE;
        }
        double[] v = Arrays.copyOf(values.data, values.size);
        Arrays.sort(v);
        return new Percentiles(v.length, percentile(v, v.length, 50), percentile(v, v.length, 95),
                percentile(v, v.length, 99));
    }

    /** A growable double array: latency samples without boxing. */
    static final class DoubleList {
        double[] data = new double[16];
        int size;

        void add(double d) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = d;
        }
    }

    private static final class ModelAcc {
        long calls;
        final DoubleList ttft = new DoubleList();
        final DoubleList e2e = new DoubleList();
    }

    private static final class Acc {
        final long first;
        final long width;
        final long[] calls;
        final double[] busyNanos;
        final long[] input;
        final long[] output;
        final long[] cacheRead;
        final long[] cacheWrite;
        final long[] prompt;
        final long[] errors;
        final long[] limited;
        final Map<String, ModelAcc> models = new HashMap<>();
        final Map<String, long[]> wire = new HashMap<>(); // calls, input, read, write, prompt

        Acc(long first, long width, int n) {
            this.first = first;
            this.width = width;
            calls = new long[n];
            busyNanos = new double[n];
            input = new long[n];
            output = new long[n];
            cacheRead = new long[n];
            cacheWrite = new long[n];
            prompt = new long[n];
            errors = new long[n];
            limited = new long[n];
        }

        void add(ResultSet rs, TimeRange range) throws SQLException {
            long req = rs.getLong("request_ns");
            long end = rs.getLong("end_ns");
            if (rs.wasNull() || end < req) {
                end = req;
            }
            addBusy(req, end);
            if (!range.contains(req)) {
                return; // only in flight during the window
            }
            int b = (int) ((req - first) / width);
            String wireApi = label(rs.getString("wire_api"));
            String model = label(rs.getString("model"));
            int status = rs.getInt("status");
            boolean error = rs.getBoolean("is_error");
            long in = rs.getLong("input_tokens");
            long out = rs.getLong("output_tokens");
            long read = rs.getLong("cache_read_tokens");
            long write = rs.getLong("cache_write_tokens");
            long pr = promptTokens(wireApi, in, read, write);
            calls[b]++;
            input[b] += in;
            output[b] += out;
            cacheRead[b] += read;
            cacheWrite[b] += write;
            prompt[b] += pr;
            if (status == 429) {
                limited[b]++;
            } else if (error) {
                errors[b]++;
            }
            ModelAcc m = models.computeIfAbsent(model, k -> new ModelAcc());
            m.calls++;
            long ttft = rs.getLong("ttft_ns");
            if (!rs.wasNull()) {
                m.ttft.add(ttft / 1e6);
            }
            long e2e = rs.getLong("e2e_ns");
            if (!rs.wasNull()) {
                m.e2e.add(e2e / 1e6);
            }
            long[] w = wire.computeIfAbsent(wireApi, k -> new long[5]);
            w[0]++;
            w[1] += in;
            w[2] += read;
            w[3] += write;
            w[4] += pr;
        }

        /** Spreads the call's time in flight over the buckets it overlaps. */
        private void addBusy(long from, long to) {
            // A call without a seen end has no duration: it was never observably in flight.
            long lo = Math.max(from, first);
            long hi = Math.min(to, first + width * calls.length);
            for (long t = lo; t < hi;) {
                int b = (int) ((t - first) / width);
                long bucketEnd = first + (b + 1) * width;
                long stop = Math.min(hi, bucketEnd);
                busyNanos[b] += stop - t;
                t = stop;
            }
        }

        Metrics result(TimeRange range) {
            List<Bucket> buckets = new ArrayList<>(calls.length);
            long tc = 0, ti = 0, to = 0, tr = 0, tw = 0, tp = 0, te = 0, tl = 0;
            for (int i = 0; i < calls.length; i++) {
                buckets.add(new Bucket(first + i * width, calls[i], busyNanos[i] / width, input[i], output[i],
                        cacheRead[i], cacheWrite[i], prompt[i], errors[i], limited[i]));
                tc += calls[i];
                ti += input[i];
                to += output[i];
                tr += cacheRead[i];
                tw += cacheWrite[i];
                tp += prompt[i];
                te += errors[i];
                tl += limited[i];
            }
            List<ModelLatency> latency = new ArrayList<>();
            models.forEach((model, m) -> latency.add(new ModelLatency(model, m.calls, percentiles(m.ttft),
                    percentiles(m.e2e))));
            latency.sort(Comparator.comparingLong(ModelLatency::calls).reversed().thenComparing(ModelLatency::model));
            List<CacheUsage> cache = new ArrayList<>();
            wire.forEach((api, w) -> cache.add(new CacheUsage(api, w[0], w[1], w[2], w[3], w[4])));
            cache.sort(Comparator.comparingLong(CacheUsage::calls).reversed().thenComparing(CacheUsage::wireApi));
            Map<String, Long> byWire = new LinkedHashMap<>();
            cache.forEach(u -> byWire.put(u.wireApi(), u.calls()));
            Map<String, Long> byModel = new LinkedHashMap<>();
            latency.forEach(l -> byModel.put(l.model(), l.calls()));
            return new Metrics(range, width, buckets, new Totals(tc, ti, to, tr, tw, tp, te, tl), latency, cache,
                    byWire, byModel);
        }

        private static String label(String s) {
            return s == null || s.isBlank() ? Metrics.UNKNOWN : s;
        }
    }
}
