package heron.net.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.core.model.Body;
import heron.core.model.Connection;
import heron.core.model.Header;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.PacketRecord;
import heron.core.model.SseEvent;
import heron.net.NetOptions;
import heron.net.NetPipeline;
import heron.net.NetResult;
import heron.net.NetSink;
import heron.net.pcap.PcapFileSource;
import heron.net.pcap.PcapNgFileSource;

/**
 * A fingerprint of everything {@link NetPipeline} produces for a capture (not run by the build):
 * every exchange with its headers, body bytes and metadata and SSE events, every connection, every
 * packet record and every health counter, hashed in id order. Two versions of the pipeline that
 * print the same line for a file give identical results for it; used to check that a speed-up
 * changes nothing.
 * <p>
 * Arguments: workers (e.g. 1 or 2), then capture files. Prints one line per file.
 * {@code -Dheron.digest.noPackets=true}: without the frame index (the sink does not take packets).
 */
public final class NetDigest {
    private NetDigest() {
    }

    public static void main(String[] args) throws IOException {
        int workers = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path f = Path.of(args[i]);
            System.out.println(digest(f, workers) + "  " + f.getFileName());
        }
    }

    static String digest(Path file, int workers) throws IOException {
        Map<Long, String> exchanges = new TreeMap<>();
        Map<Long, String> connections = new TreeMap<>();
        MessageDigest packets = sha();
        long[] n = new long[3];
        PipelineHealth health = new PipelineHealth();
        NetSink sink = new NetSink() {
            @Override
            public void exchange(HttpExchange x) {
                String s = hex(sha(text(x)));
                synchronized (exchanges) {
                    if (exchanges.put(x.id(), s) != null) {
                        throw new IllegalStateException("exchange id twice: " + x.id());
                    }
                }
            }

            @Override
            public void connection(Connection c) {
                synchronized (connections) {
                    connections.put(c.id(), c.toString());
                }
            }

            @Override
            public void packet(PacketRecord p) {
                packets.update(p.toString().getBytes(StandardCharsets.UTF_8));
                n[0]++;
            }
        };
        NetResult r;
        try (PacketStream ps = open(file)) {
            NetSink used = sink;
            if (Boolean.getBoolean("heron.digest.noPackets")) {
                // a sink without packet(): the pipeline builds no frame index (its own code path)
                used = new NetSink() {
                    @Override
                    public void exchange(HttpExchange x) {
                        sink.exchange(x);
                    }

                    @Override
                    public void connection(Connection c) {
                        sink.connection(c);
                    }
                };
            }
            r = NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), used, health, null);
        }
        MessageDigest all = sha();
        exchanges.forEach((id, s) -> all.update((id + " " + s + "\n").getBytes(StandardCharsets.UTF_8)));
        connections.forEach((id, s) -> all.update((s + "\n").getBytes(StandardCharsets.UTF_8)));
        all.update(packets.digest());
        all.update(health.snapshot().toString().getBytes(StandardCharsets.UTF_8));
        all.update(r.toString().getBytes(StandardCharsets.UTF_8));
        return hex(all.digest()).substring(0, 24) + " exchanges=" + exchanges.size() + " connections="
                + connections.size() + " packets=" + n[0] + " sse=" + health.get(PipelineHealth.HTTP_SSE_EVENTS);
    }

    private static String text(HttpExchange x) {
        StringBuilder sb = new StringBuilder(512);
        sb.append(x.id()).append('|').append(x.connectionId()).append('|').append(x.sequence()).append('|')
                .append(x.client()).append('|').append(x.server()).append('|').append(x.label()).append('\n');
        HttpRequest q = x.request();
        if (q != null) {
            sb.append(q.method()).append('|').append(q.target()).append('|').append(q.version()).append('|')
                    .append(q.firstByteNanos()).append('|').append(q.lastByteNanos()).append('|')
                    .append(q.firstFrame()).append('|').append(q.lastFrame()).append('\n');
            headers(sb, q.headers().list());
            body(sb, q.body());
        }
        HttpResponse r = x.response();
        if (r != null) {
            sb.append(r.status()).append('|').append(r.reason()).append('|').append(r.version()).append('|')
                    .append(r.firstByteNanos()).append('|').append(r.headersNanos()).append('|')
                    .append(r.lastByteNanos()).append('|').append(r.firstFrame()).append('|').append(r.lastFrame())
                    .append('|').append(r.complete()).append('\n');
            headers(sb, r.headers().list());
            body(sb, r.body());
            sb.append(r.events().size()).append(" events\n");
            for (SseEvent e : r.events()) {
                sb.append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private static void headers(StringBuilder sb, java.util.List<Header> hs) {
        sb.append(hs.size()).append(" headers\n");
        for (Header h : hs) {
            sb.append(h.name()).append(": ").append(h.value()).append('\n');
        }
    }

    private static void body(StringBuilder sb, Body b) {
        sb.append("body ").append(b.length()).append('|').append(b.wireLength()).append('|').append(b.decodedLength())
                .append('|').append(b.truncated()).append('|').append(b.encoding()).append('|').append(b.decodeError())
                .append('|').append(hex(sha(b.bytes()))).append('\n');
    }

    private static PacketStream open(Path file) throws IOException {
        byte[] head = new byte[64];
        int k;
        try (var in = Files.newInputStream(file)) {
            k = in.readNBytes(head, 0, 64);
        }
        PcapNgFileSource ng = new PcapNgFileSource();
        return ng.accepts(ByteBuffer.wrap(head, 0, k)) ? ng.open(file) : new PcapFileSource().open(file);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha(String s) {
        return sha(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha(byte[] b) {
        return sha().digest(b);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
