package heron.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.PacketRecord;
import heron.core.model.SseEvent;
import heron.net.pcap.PcapFileSource;
import heron.net.pcap.PcapNgFileSource;

/** Test helper: runs the pipeline on a file and keeps everything it produced, sorted by id. */
final class NetRun {
    final List<HttpExchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    final List<Connection> connections = Collections.synchronizedList(new ArrayList<>());
    final List<PacketRecord> packets = new ArrayList<>();
    final PipelineHealth health = new PipelineHealth();
    NetResult result;

    static NetRun of(Path file) throws IOException {
        return of(file, 1, NetOptions.defaults().withWorkers(1));
    }

    static NetRun of(Path file, int workers) throws IOException {
        return of(file, workers, NetOptions.defaults().withWorkers(workers));
    }

    static NetRun of(Path file, int workers, NetOptions options) throws IOException {
        return of(open(file), options.withWorkers(workers));
    }

    /** Runs the pipeline on an open stream (closed at the end). */
    static NetRun of(PacketStream stream, NetOptions options) throws IOException {
        NetRun r = new NetRun();
        try (PacketStream ps = stream) {
            r.result = NetPipeline.run(ps, options, new NetSink() {
                @Override
                public void exchange(HttpExchange exchange) {
                    r.exchanges.add(exchange);
                }

                @Override
                public void connection(Connection connection) {
                    r.connections.add(connection);
                }

                @Override
                public void packet(PacketRecord packet) {
                    r.packets.add(packet);
                }
            }, r.health, null);
        }
        r.exchanges.sort(Comparator.comparingLong(HttpExchange::id));
        r.connections.sort(Comparator.comparingLong(Connection::id));
        return r;
    }

    /**
     * One worker, the default idle timeout (600 s) and these limits: {@code bodyCap} bytes kept
     * per body, {@code decompressLimit} bytes a compressed body may inflate to.
     */
    static NetOptions limits(int bodyCap, long decompressLimit) {
        return new NetOptions(1, bodyCap, decompressLimit, 600_000_000_000L);
    }

    /** The response of the i-th exchange (in id order). */
    HttpResponse response(int i) {
        return exchanges.get(i).response();
    }

    /** Opens by magic, like the registry does (usable without a running platform). */
    static PacketStream open(Path file) throws IOException {
        byte[] all = new byte[64];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(all, 0, 64);
        }
        ByteBuffer head = ByteBuffer.wrap(Arrays.copyOf(all, n));
        if (new PcapNgFileSource().accepts(head.duplicate())) {
            return new PcapNgFileSource().open(file);
        }
        return new PcapFileSource().open(file);
    }

    long count(String counter) {
        return health.get(counter);
    }

    /** A canonical text of every exchange (ids, timing, headers, bodies, events) for equality checks. */
    String canonical() {
        StringBuilder sb = new StringBuilder();
        for (HttpExchange e : exchanges) {
            sb.append(e.id()).append(' ').append(e.connectionId()).append(' ').append(e.sequence()).append(' ')
                    .append(e.client()).append(' ').append(e.server()).append(' ').append(e.request().method())
                    .append(' ').append(e.request().target()).append(' ').append(e.request().headers()).append(' ')
                    .append(Arrays.hashCode(e.request().body().bytes())).append(' ')
                    .append(e.request().firstByteNanos()).append(' ').append(e.request().lastFrame());
            HttpResponse r = e.response();
            if (r != null) {
                sb.append(" -> ").append(r.status()).append(' ').append(r.headers()).append(' ')
                        .append(Arrays.hashCode(r.body().bytes())).append(' ').append(r.body().decodedLength())
                        .append(' ').append(r.firstByteNanos()).append(' ').append(r.headersNanos()).append(' ')
                        .append(r.lastByteNanos()).append(' ').append(r.lastFrame()).append(' ').append(r.complete());
                for (SseEvent ev : r.events()) {
                    sb.append("\n   ").append(ev);
                }
            }
            sb.append('\n');
        }
        for (Connection c : connections) {
            sb.append(c).append('\n');
        }
        sb.append(health.snapshot());
        return sb.toString();
    }
}
