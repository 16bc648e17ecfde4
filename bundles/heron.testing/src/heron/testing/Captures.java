package heron.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.PacketStream;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.net.NetOptions;
import heron.net.NetPipeline;
import heron.net.NetSink;

/**
 * Runs heron.net over a capture file and keeps its exchanges, for tests and benchmarks of the
 * stages above it (decoders, turn tracker, exporters). No JUnit here: benchmarks use it on a plain
 * class path.
 */
public final class Captures {
    private Captures() {
    }

    /**
     * The exchanges of a capture opened by the platform's capture sources, with default options,
     * sorted by id (workers hand them over in any order).
     */
    public static List<HttpExchange> exchanges(Path capture, PipelineHealth health) throws IOException {
        return exchanges(CaptureSourceRegistry.fromPlatform(), capture, NetOptions.defaults(), health);
    }

    /** The exchanges of a capture opened by {@code sources}, sorted by id. */
    public static List<HttpExchange> exchanges(CaptureSourceRegistry sources, Path capture, NetOptions options,
            PipelineHealth health) throws IOException {
        List<HttpExchange> exchanges = Collections.synchronizedList(new ArrayList<>());
        try (PacketStream ps = sources.open(capture)) {
            NetPipeline.run(ps, options, new NetSink() {
                @Override
                public void exchange(HttpExchange exchange) {
                    exchanges.add(exchange);
                }

                @Override
                public void connection(Connection connection) {
                }
            }, health, new NullProgressMonitor());
        }
        List<HttpExchange> sorted = new ArrayList<>(exchanges);
        sorted.sort(Comparator.comparingLong(HttpExchange::id));
        return sorted;
    }

    /** Decodes every exchange with {@code decoders}; returns how many became LLM calls (a benchmark's pass). */
    public static long decodeAll(WireApiDecoderRegistry decoders, List<HttpExchange> exchanges, PipelineHealth health) {
        long calls = 0;
        for (HttpExchange e : exchanges) {
            if (decoders.decode(e, health).call() != null) {
                calls++;
            }
        }
        return calls;
    }

    /** Bytes of the request and response bodies of the exchanges (a benchmark's MB/s base). */
    public static long bodyBytes(List<HttpExchange> exchanges) {
        long n = 0;
        for (HttpExchange e : exchanges) {
            n += e.request().body().length() + (e.response() == null ? 0 : e.response().body().length());
        }
        return n;
    }
}
