package heron.net;

import static heron.net.TcpReassemblyTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.health.PipelineHealth;
import heron.core.model.Body;
import heron.core.model.DeferredList;
import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;
import heron.net.PcapBuilder.Conv;

/**
 * The zero-copy path: bodies kept as slices of the mapped capture and SSE events built on first
 * access must give exactly what copying and eager parsing gave, also where the path falls back
 * (body cap, gap, out-of-order copies) and for any worker count.
 */
class FastPathTest {
    @TempDir
    Path dir;

    private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    @Test
    void requestBodySpreadOverSegmentsIsDeferredAndByteExact() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        byte[] body = new byte[5000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        c.c2s("POST /v1/messages HTTP/1.1\r\ncontent-length: 5000\r\n\r\n");
        for (int off = 0; off < body.length; off += 1448) {
            c.c2s(Arrays.copyOfRange(body, off, Math.min(body.length, off + 1448)));
        }
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "multi.pcap"));
        Body got = r.exchanges.get(0).request().body();
        assertNotNull(got.deferred(), "a mapped capture's body is kept as slices, not copied during parsing");
        assertEquals(5000, got.length());
        assertArrayEquals(body, got.bytes());
        assertTrue(got.bytes() == got.bytes(), "the copy is made once");
    }

    @Test
    void sseEventsAreCountedDuringParsingAndBuiltOnFirstAccessWithTheirPacketTimes() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c(SSE_HEAD);
        c.s2c(chunk("data: {\"a\":1}\n\n") + chunk("data: {\"a\":"));
        long t1 = c.t + 1_000_000L;
        long f1 = b.packets + 1;
        c.s2c(chunk("2}\r\n\r\n: keep-alive\r\n\r\nevent: done\ndata: x\ndata: y\r"));
        long t2 = c.t + 1_000_000L;
        long f2 = b.packets + 1;
        c.s2c(chunk("\n\ndata") + "0\r\n\r\n");
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "sse.pcap"));
        HttpResponse resp = r.response(0);
        assertInstanceOf(DeferredList.class, resp.events());
        assertEquals(4, resp.events().size());
        assertEquals(4, r.count(PipelineHealth.HTTP_SSE_EVENTS));
        List<SseEvent> ev = resp.events();
        assertEquals("{\"a\":1}", ev.get(0).data());
        assertEquals("{\"a\":2}", ev.get(1).data());
        assertEquals(t1, ev.get(1).timestampNanos());
        assertEquals(f1, ev.get(1).frame());
        assertEquals("done", ev.get(2).event());
        assertEquals("x\ny", ev.get(2).data());
        assertEquals(t2, ev.get(2).timestampNanos(), "CR then LF in the next packet is one line end");
        assertEquals(f2, ev.get(2).frame());
        assertEquals("", ev.get(3).data(), "a bare 'data' field at the end of the stream is an event");
        assertNull(ev.get(3).event());
    }

    @Test
    void sseStreamLongerThanTheBodyCapKeepsEveryEventAndItsTime() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /s HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c(SSE_HEAD);
        long[] ts = new long[6];
        for (int i = 0; i < 6; i++) {
            ts[i] = c.t + 1_000_000L;
            c.s2c(chunk("data: event number " + i + " " + "p".repeat(20) + "\n\n"));
        }
        c.s2c("0\r\n\r\n").finBoth();
        NetOptions opt = NetRun.limits(100, 1 << 20);
        NetRun r = NetRun.of(b.write(dir, "ssecap.pcap"), 1, opt);
        HttpResponse resp = r.response(0);
        assertEquals(100, resp.body().length());
        assertTrue(resp.body().truncated());
        assertEquals(6, resp.events().size(), "events past the cap are still split");
        for (int i = 0; i < 6; i++) {
            assertEquals("event number " + i + " " + "p".repeat(20), resp.events().get(i).data());
            assertEquals(ts[i], resp.events().get(i).timestampNanos());
        }
    }

    @Test
    void sseStreamWithALostSegmentKeepsTheEventsAroundTheHole() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /s HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
        long t0 = c.t + 1_000_000L;
        c.s2c("data: one\n\n");
        String lost = "data: two\n\n";
        c.sseq += lost.length(); // never captured
        long t3 = c.t + 1_000_000L;
        c.s2c("data: three\n\n");
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "ssegap.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals(2, resp.events().size());
        assertEquals("one", resp.events().get(0).data());
        assertEquals(t0, resp.events().get(0).timestampNanos());
        assertEquals("three", resp.events().get(1).data());
        assertEquals(t3, resp.events().get(1).timestampNanos());
        assertEquals("data: one\n\n", resp.body().text(), "only the prefix before the hole is kept");
        assertEquals(1, r.count(PipelineHealth.TCP_GAPS));
    }

    @Test
    void outOfOrderSseSegmentsGiveTheSameEventsAsInOrderOnes() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /s HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
        byte[] one = ascii("data: first\n\n");
        byte[] two = ascii("data: second\n\n");
        int s0 = c.sseq;
        long tTwo = c.t + 1_000_000L;
        c.raw(false, s0 + one.length, c.cseq, 24, two); // arrives first, buffered
        c.raw(false, s0, c.cseq, 24, one);
        c.sseq = s0 + one.length + two.length;
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "sseooo.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals(2, resp.events().size());
        assertEquals("first", resp.events().get(0).data());
        assertEquals("second", resp.events().get(1).data());
        assertEquals(tTwo, resp.events().get(1).timestampNanos(), "the time of the packet that carried it");
        assertEquals("data: first\n\ndata: second\n\n", resp.body().text());
        assertEquals(1, r.count(PipelineHealth.TCP_OUT_OF_ORDER));
    }

    @Test
    void repeatedHeaderLinesGiveTheSameHeadersAndFramingAsNewOnes() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        for (int i = 0; i < 3; i++) {
            c.c2s("POST /v1/x HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\ncontent-length: 2\r\n\r\n{}");
            c.s2c("HTTP/1.1 200 OK\r\nTRANSFER-encoding: Chunked\r\nContent-Type: Text/Event-Stream\r\n\r\n"
                    + chunk("data: " + i + "\n\n") + "0\r\n\r\n");
        }
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "repeat.pcap"));
        assertEquals(3, r.exchanges.size());
        for (int i = 0; i < 3; i++) {
            var x = r.exchanges.get(i);
            assertEquals("api", x.request().headers().get("host"));
            assertEquals("{}", x.request().body().text());
            assertEquals(1, x.response().events().size(), "case-insensitive framing on cached lines too");
            assertEquals(String.valueOf(i), x.response().events().get(0).data());
        }
    }

    @Test
    void headerFieldsAreBuiltOnFirstAccessWithTheParsedValues() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /v1/messages HTTP/1.1\r\nHost:  api.example \r\nX-Empty:\r\nWeird-Name\t: v:w\r\n"
                + "content-length: 2\r\n\r\n{}");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "lazyhdr.pcap"));
        var h = r.exchanges.get(0).request().headers();
        assertInstanceOf(DeferredList.class, h.list());
        assertEquals(4, h.size());
        assertEquals("api.example", h.get("host"));
        assertEquals("", h.get("X-Empty"));
        assertEquals("v:w", h.get("Weird-Name"));
        assertEquals("2", h.list().get(3).value());
        assertEquals("{}", r.exchanges.get(0).request().body().text());
    }

    @Test
    void foldedHeaderLinesAreJoinedAndTheirFinalValueDecidesTheFraming() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nX-Note: a\r\n b\r\nTransfer-Encoding: identity,\r\n\tchunked\r\n"
                + "Content-Type: text/event-stream\r\n\r\n");
        c.s2c(chunk("data: folded\n\n") + "0\r\n\r\n").finBoth();
        NetRun r = NetRun.of(b.write(dir, "fold.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals("a b", resp.headers().get("X-Note"));
        assertEquals("identity, chunked", resp.headers().get("transfer-encoding"));
        assertEquals("data: folded\n\n", resp.body().text(), "the folded Transfer-Encoding makes it chunked");
        assertEquals(1, resp.events().size());
        assertEquals("folded", resp.events().get(0).data());
        assertTrue(resp.complete());
    }

    /** A source like live capture: packet bytes are copied into one buffer that the next packet reuses. */
    private static final class ReusingStream extends heron.core.capture.ForwardingPacketStream {
        private final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);

        ReusingStream(heron.core.capture.PacketStream in) {
            super(in);
        }

        @Override
        public boolean next() throws IOException {
            if (!in.next()) {
                return false;
            }
            buf.clear();
            buf.put(in.data().duplicate());
            buf.flip();
            return true;
        }

        @Override
        public java.nio.ByteBuffer data() {
            return buf;
        }
    }

    private static String runReusing(Path f, int workers) throws IOException {
        NetRun r = NetRun.of(new ReusingStream(NetRun.open(f)), NetOptions.defaults().withWorkers(workers));
        for (var x : r.exchanges) {
            assertNull(x.request().body().deferred(), "bytes of a reused buffer are copied, never sliced");
        }
        return r.canonical();
    }

    @Test
    void aSourceThatReusesItsBufferGivesTheSameResultsByCopying() throws IOException {
        PcapBuilder b = new PcapBuilder();
        for (int k = 0; k < 12; k++) {
            Conv c = new Conv(b, "10.0.0.1", 41000 + k, "10.0.0.2", 8080, 3000 * k, 9000 * k).handshake();
            c.c2s("POST /v1/messages HTTP/1.1\r\ncontent-length: 2000\r\n\r\n");
            c.c2s("m".repeat(1448));
            c.c2s("n".repeat(552));
            c.s2c(SSE_HEAD + chunk("data: {\"k\":" + k + "}\n\n") + "0\r\n\r\n").finBoth();
        }
        Path f = b.write(dir, "reuse.pcap");
        String mapped = NetRun.of(f, 2).canonical();
        assertEquals(mapped, runReusing(f, 1));
        assertEquals(mapped, runReusing(f, 2));
    }

    @Test
    void theBigCaptureShapeGivesTheSameResultsForOneAndTwoWorkers() throws IOException {
        PcapBuilder b = new PcapBuilder();
        for (int k = 0; k < 20; k++) {
            Conv c = new Conv(b, "10.0.0.1", 40000 + k, "10.0.0.2", 8080, 1000 * k, 7000 * k).handshake();
            c.c2s("POST /v1/responses HTTP/1.1\r\ncontent-length: 3000\r\n\r\n");
            c.c2s("q".repeat(1448));
            c.c2s("r".repeat(1448));
            c.c2s("s".repeat(104));
            c.s2c(SSE_HEAD);
            for (int e = 0; e < 3; e++) {
                c.s2c(chunk("data: {\"k\":" + k + ",\"e\":" + e + "}\n\n"));
            }
            c.s2c("0\r\n\r\n").finBoth();
        }
        Path f = b.write(dir, "shape.pcap");
        NetRun one = NetRun.of(f, 1);
        NetRun two = NetRun.of(f, 2);
        assertEquals(20, one.exchanges.size());
        assertEquals(60, one.count(PipelineHealth.HTTP_SSE_EVENTS));
        assertEquals(one.canonical(), two.canonical());
    }
}
