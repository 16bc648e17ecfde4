package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;
import heron.net.PcapBuilder.Conv;

/**
 * A flow worker reuses the session (directions, parsers, header buffers, body collectors) of a
 * finished connection for the next one: a connection must parse exactly as it does alone in a
 * capture, whatever the connection before it left behind.
 */
class SessionReuseTest {
    @TempDir
    Path dir;

    /** Ends cleanly (so its session is kept), leaving chunked SSE framing and a grown header buffer. */
    private static Conv chunkedSse(PcapBuilder b, long t) {
        Conv a = new Conv(b, "10.1.0.1", 41000, "10.1.0.2", 443, 1000, 5000);
        a.t = t;
        a.handshake();
        String head = "POST /v1/messages HTTP/1.1\r\nHost: api\r\nX-Long: " + "y".repeat(3000)
                + "\r\nContent-Length: 4\r\n\r\n";
        // the header block arrives in two segments: the parser gathers it in its own buffer
        a.c2s(head.substring(0, 1500)).c2s(head.substring(1500) + "ping");
        a.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: identity\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        a.s2c(chunk("event: a\ndata: {\"n\":1}\n\n")).s2c(chunk("event: b\ndata: {\"n\":2}\n\n")).s2c("0\r\n\r\n");
        a.finBoth();
        return a;
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** Picked up mid-way (no handshake): the client direction starts unsynchronised. */
    private static Conv midstream(PcapBuilder b, long t) {
        Conv c = new Conv(b, "10.1.0.1", 41001, "10.1.0.2", 443, 7000, 9000);
        c.t = t;
        c.c2s("tail of an earlier body").c2s("GET /v1/models HTTP/1.1\r\nHost: api\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"data\":[]}");
        c.finBoth();
        return c;
    }

    /** A plain exchange with a handshake and a response without body. */
    private static Conv plain(PcapBuilder b, long t) {
        Conv c = new Conv(b, "10.1.0.1", 41002, "10.1.0.2", 443, 3000, 8000);
        c.t = t;
        c.handshake();
        c.c2s("DELETE /v1/files/f1 HTTP/1.1\r\nHost: api\r\n\r\n").s2c("HTTP/1.1 204 No Content\r\n\r\n");
        c.finBoth();
        return c;
    }

    @Test
    void connectionsAfterAFinishedOneParseAsTheyDoAlone() throws IOException {
        long t0 = 1_700_000_000_000_000_000L;
        PcapBuilder all = new PcapBuilder();
        Conv a = chunkedSse(all, t0);
        Conv m = midstream(all, a.t + 1_000_000L);
        plain(all, m.t + 1_000_000L);
        NetRun together = NetRun.of(all.write(dir, "together.pcap"));

        PcapBuilder onlyA = new PcapBuilder();
        chunkedSse(onlyA, t0);
        PcapBuilder onlyM = new PcapBuilder();
        midstream(onlyM, t0);
        PcapBuilder onlyP = new PcapBuilder();
        plain(onlyP, t0);
        List<String> alone = new ArrayList<>();
        List<String> aloneConnections = new ArrayList<>();
        long midstreamAlone = 0;
        Map<String, Long> countersAlone = new TreeMap<>();
        int i = 0;
        for (PcapBuilder b : List.of(onlyA, onlyM, onlyP)) {
            NetRun r = NetRun.of(b.write(dir, "alone" + i++ + ".pcap"));
            r.exchanges.forEach(x -> alone.add(text(x)));
            r.connections.forEach(c -> aloneConnections.add(text(c)));
            midstreamAlone += r.health.get(PipelineHealth.TCP_MIDSTREAM);
            r.health.snapshot().forEach((k, v) -> countersAlone.merge(k, v, Long::sum));
        }

        assertEquals(3, together.exchanges.size());
        assertEquals(alone, together.exchanges.stream().map(SessionReuseTest::text).toList());
        assertEquals(aloneConnections, together.connections.stream().map(SessionReuseTest::text).toList());
        assertEquals(1, midstreamAlone);
        assertEquals(midstreamAlone, together.health.get(PipelineHealth.TCP_MIDSTREAM));
        // every counter is a sum over connections: the three alone add up to the capture
        Map<String, Long> countersTogether = new TreeMap<>(together.health.snapshot());
        countersAlone.values().removeIf(v -> v == 0);
        countersTogether.values().removeIf(v -> v == 0);
        assertEquals(countersAlone, countersTogether);
    }

    /** Everything about an exchange but ids, frames and times (which depend on the file). */
    private static String text(HttpExchange x) {
        StringBuilder s = new StringBuilder();
        HttpRequest q = x.request();
        s.append(q.method()).append(' ').append(q.target()).append(' ').append(q.version()).append(' ')
                .append(q.headers().list()).append(" body=").append(body(q.body().bytes()))
                .append(q.body().truncated());
        HttpResponse r = x.response();
        if (r != null) {
            s.append(" | ").append(r.status()).append(' ').append(r.reason()).append(' ').append(r.version()).append(' ')
                    .append(r.headers().list()).append(" body=").append(body(r.body().bytes())).append(' ')
                    .append(r.body().truncated()).append(' ').append(r.body().encoding()).append(' ')
                    .append(r.complete());
            for (SseEvent e : r.events()) {
                s.append(" event[").append(e.event()).append('|').append(e.data()).append('|').append(e.id()).append(']');
            }
        }
        s.append(" client=").append(x.client()).append(" server=").append(x.server()).append(" seq=").append(x.sequence());
        return s.toString();
    }

    private static String text(Connection c) {
        return c.client() + " " + c.server() + " " + c.packetsToServer() + " " + c.packetsToClient() + " "
                + c.bytesToServer() + " " + c.bytesToClient() + " " + c.retransmissions() + " " + c.outOfOrder() + " "
                + c.gaps() + " " + c.gapBytes() + " " + c.protocol();
    }

    private static String body(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
