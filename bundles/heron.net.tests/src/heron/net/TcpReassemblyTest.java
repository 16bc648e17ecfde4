package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.net.PcapBuilder.Conv;

class TcpReassemblyTest {
    @TempDir
    Path dir;

    static final String REQ = "POST /v1/x HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n";
    static final String RESP = "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n";

    static byte[] body(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sequenceNumbersWrappingPast2To32AreReassembled() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 0xFFFFFF00, 0xFFFFFFF0).handshake();
        byte[] req = cat(ascii(String.format(REQ, 600)), body(600, 'a'));
        // three segments; the sequence space wraps inside the second one
        c.c2s(Arrays.copyOfRange(req, 0, 200)).c2s(Arrays.copyOfRange(req, 200, 400))
                .c2s(Arrays.copyOfRange(req, 400, req.length));
        c.s2c(String.format(RESP, 5) + "hello").finBoth();
        NetRun r = NetRun.of(b.write(dir, "wrap.pcap"));
        assertEquals(1, r.exchanges.size());
        HttpExchange x = r.exchanges.get(0);
        assertEquals(600, x.request().body().length());
        assertFalse(x.request().body().truncated());
        assertEquals("hello", x.response().body().text());
        assertEquals(0, r.count(PipelineHealth.TCP_GAPS));
    }

    @Test
    void outOfOrderSegmentsAreBufferedAndDrainedInOrder() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        byte[] req = cat(ascii(String.format(REQ, 300)), body(100, 'a'), body(100, 'b'), body(100, 'c'));
        int s0 = c.cseq;
        int h = req.length - 300;
        c.raw(true, s0, c.sseq, 24, Arrays.copyOfRange(req, 0, h));
        c.raw(true, s0 + h + 200, c.sseq, 24, Arrays.copyOfRange(req, h + 200, h + 300)); // third first
        c.raw(true, s0 + h + 100, c.sseq, 24, Arrays.copyOfRange(req, h + 100, h + 200));
        c.raw(true, s0 + h, c.sseq, 24, Arrays.copyOfRange(req, h, h + 100));
        c.cseq = s0 + req.length;
        c.s2c(String.format(RESP, 2) + "ok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "ooo.pcap"));
        assertEquals(1, r.exchanges.size());
        String text = r.exchanges.get(0).request().body().text();
        assertEquals("a".repeat(100) + "b".repeat(100) + "c".repeat(100), text);
        assertEquals(2, r.count(PipelineHealth.TCP_OUT_OF_ORDER));
        assertEquals(2, r.connections.get(0).outOfOrder());
        assertEquals(0, r.count(PipelineHealth.TCP_GAPS));
    }

    @Test
    void retransmissionsAndOverlapsAreDeliveredOnce() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        byte[] req = cat(ascii(String.format(REQ, 200)), body(100, 'a'), body(100, 'b'));
        int s0 = c.cseq;
        int h = req.length - 200;
        c.raw(true, s0, c.sseq, 24, Arrays.copyOfRange(req, 0, h + 100));
        c.raw(true, s0, c.sseq, 24, Arrays.copyOfRange(req, 0, h + 100)); // full retransmission
        c.raw(true, s0 + h + 50, c.sseq, 24, Arrays.copyOfRange(req, h + 50, req.length)); // overlaps 50 bytes
        c.cseq = s0 + req.length;
        c.s2c(String.format(RESP, 0)).finBoth();
        NetRun r = NetRun.of(b.write(dir, "retrans.pcap"));
        assertEquals(1, r.exchanges.size());
        assertEquals("a".repeat(100) + "b".repeat(100), r.exchanges.get(0).request().body().text());
        assertEquals(2, r.count(PipelineHealth.TCP_RETRANSMITTED));
        assertEquals(2, r.connections.get(0).retransmissions());
    }

    @Test
    void lostSegmentIsAGapAndTheNextMessageStillParses() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s(String.format(REQ, 0));
        byte[] resp = cat(ascii(String.format(RESP, 3000)), body(1000, 'x'), body(1000, 'y'), body(1000, 'z'));
        int h = resp.length - 3000;
        c.s2c(Arrays.copyOfRange(resp, 0, h + 1000));
        c.sseq += 1000; // the 'y' segment is lost
        c.s2c(Arrays.copyOfRange(resp, h + 2000, resp.length));
        c.c2s(String.format(REQ, 0));
        c.s2c(String.format(RESP, 4) + "next").finBoth();
        NetRun r = NetRun.of(b.write(dir, "gap.pcap"));
        assertEquals(2, r.exchanges.size());
        HttpExchange first = r.exchanges.get(0);
        assertTrue(first.response().body().truncated(), "a body with a hole is marked");
        assertEquals("x".repeat(1000), first.response().body().text(), "only the certain prefix is kept");
        assertTrue(first.response().body().decodeError().contains("gap"));
        assertEquals(3000, first.response().body().wireLength());
        assertEquals("next", r.exchanges.get(1).response().body().text());
        assertEquals(1, r.count(PipelineHealth.TCP_GAPS));
        assertEquals(1000, r.count(PipelineHealth.TCP_GAP_BYTES));
        Connection conn = r.connections.get(0);
        assertEquals(1, conn.gaps());
        assertEquals(1000, conn.gapBytes());
    }

    @Test
    void gapInsideHeadersResynchronisesAtTheNextRequest() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s("GET /first HTTP/1.1\r\nHost: h\r\n");
        c.cseq += 20; // lost rest of the header block
        c.s2c(String.format(RESP, 0));
        c.c2s("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        c.s2c(String.format(RESP, 2) + "ok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "hdrgap.pcap"));
        assertTrue(r.exchanges.stream().anyMatch(x -> x.request().target().equals("/second")));
        assertTrue(r.count(PipelineHealth.TCP_GAPS) >= 1);
    }

    @Test
    void connectionWithoutHandshakeIsPickedUpAtTheFirstRequest() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        c.s2c("data: {\"tail\":1}\n\n0\r\n\r\n"); // end of a response whose start was not captured
        c.c2s(String.format(REQ, 2) + "{}");
        c.s2c(String.format(RESP, 2) + "ok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "mid.pcap"));
        assertEquals(1, r.exchanges.size());
        assertEquals("10.0.0.1:40000", r.exchanges.get(0).client().toString());
        assertEquals("ok", r.exchanges.get(0).response().body().text());
        assertEquals(1, r.count(PipelineHealth.TCP_MIDSTREAM));
    }

    @Test
    void responseToARequestBeforeTheCaptureDoesNotStealAPipelinedRequest() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        c.c2s("GET /seen HTTP/1.1\r\n\r\n"); // the request this answers was not captured ...
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nold");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew").finBoth();
        NetRun r = NetRun.of(b.write(dir, "steal.pcap"));
        assertEquals(1, r.exchanges.size());
        assertEquals("old", r.exchanges.get(0).response().body().text(), "first response after the request");
        // ... whereas a response that starts before the request cannot answer it
        PcapBuilder b2 = new PcapBuilder();
        Conv c2 = new Conv(b2, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        c2.s2c("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nold");
        c2.c2s("GET /seen HTTP/1.1\r\n\r\n");
        c2.s2c("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew").finBoth();
        NetRun r2 = NetRun.of(b2.write(dir, "steal2.pcap"));
        assertEquals(1, r2.exchanges.size());
        assertEquals("new", r2.exchanges.get(0).response().body().text());
        assertEquals(1, r2.count(PipelineHealth.HTTP_ORPHAN_RESPONSES));
    }

    @Test
    void responseCapturedBeforeItsRequestIsPairedWithItWhenTheRequestComes() throws IOException {
        // capture artefact: the server's packets of an exchange are written before the client's
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.s2c(String.format(RESP, 5) + "first"); // before any request, on a connection whose SYN was seen
        c.c2s("GET /a HTTP/1.1\r\n\r\n");
        c.c2s("GET /b HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 6) + "second");
        c.s2c("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthi");
        c.c2s("GET /c HTTP/1.1\r\n\r\n"); // claims the response while it is still arriving
        c.s2c("rd\r\n0\r\n\r\n").finBoth();
        NetRun r = NetRun.of(b.write(dir, "resp-first.pcap"));
        assertEquals(3, r.exchanges.size());
        assertEquals("/a", r.exchanges.get(0).request().target());
        assertEquals("first", r.exchanges.get(0).response().body().text());
        assertEquals("second", r.exchanges.get(1).response().body().text());
        assertEquals("/c", r.exchanges.get(2).request().target());
        assertEquals("third", r.exchanges.get(2).response().body().text());
        assertEquals(0, r.count(PipelineHealth.HTTP_ORPHAN_RESPONSES));
        assertEquals(0, r.count(PipelineHealth.HTTP_UNANSWERED));
        assertEquals(2, r.count(PipelineHealth.HTTP_RESPONSES_BEFORE_REQUEST));
    }

    @Test
    void responseBeforeARequestLostInAGapIsNotGivenToTheNextRequest() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s("GET /a HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 1) + "a");
        c.cseq += "GET /lost HTTP/1.1\r\n\r\n".length(); // never captured
        c.s2c(String.format(RESP, 4) + "lost");
        c.c2s("GET /b HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 1) + "b").finBoth();
        NetRun r = NetRun.of(b.write(dir, "resp-lost-req.pcap"));
        assertEquals(2, r.exchanges.size());
        assertEquals("/b", r.exchanges.get(1).request().target());
        // /b waits behind the hole until the connection ends; whatever it gets, never the lost one's answer
        HttpExchange second = r.exchanges.get(1);
        assertTrue(second.response() == null || !"lost".equals(second.response().body().text()));
        assertEquals(0, r.count(PipelineHealth.HTTP_RESPONSES_BEFORE_REQUEST));
        assertEquals(1, r.count(PipelineHealth.TCP_GAPS));
    }

    @Test
    void segmentTheCaptureMissedButThePeerAckedBecomesAGapAtOnceSoLaterExchangesPair() throws IOException {
        // a capture drop (not network loss): the server got and acknowledged the segment, so no
        // retransmission comes; without the ACK rule the hole would hold every later request back
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s("GET /1 HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 1) + "1");
        byte[] req2 = cat(ascii(String.format(REQ, 300)), body(300, 'b'));
        c.cseq += 100; // the first 100 bytes of request 2 are not in the capture
        c.c2s(Arrays.copyOfRange(req2, 100, req2.length));
        c.s2c(String.format(RESP, 1) + "2"); // acknowledges all of request 2
        c.c2s("GET /3 HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 1) + "3");
        c.c2s("GET /4 HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 1) + "4").finBoth();
        NetRun r = NetRun.of(b.write(dir, "acked-hole.pcap"));
        assertEquals(3, r.exchanges.size(), r.canonical());
        assertEquals("/3", r.exchanges.get(1).request().target());
        assertEquals("3", r.exchanges.get(1).response().body().text());
        assertEquals("/4", r.exchanges.get(2).request().target());
        assertEquals("4", r.exchanges.get(2).response().body().text());
        assertEquals(1, r.count(PipelineHealth.TCP_GAPS));
        assertEquals(100, r.count(PipelineHealth.TCP_GAP_BYTES));
        assertEquals(1, r.count(PipelineHealth.HTTP_ORPHAN_RESPONSES), "request 2's answer");
        assertEquals(0, r.count(PipelineHealth.HTTP_UNANSWERED));
    }

    @Test
    void newSynOnAFinishedFourTupleStartsANewConnection() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c1 = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c1.c2s("GET /a HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 0)).finBoth();
        Conv c2 = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 90000, 70000);
        c2.t = c1.t;
        c2.handshake().c2s("GET /b HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 0)).finBoth();
        NetRun r = NetRun.of(b.write(dir, "reuse.pcap"));
        assertEquals(2, r.connections.size());
        assertEquals(2, r.exchanges.size());
        assertEquals(1, r.connections.get(0).id(), "id = frame of the first packet");
        assertEquals(1, r.exchanges.get(0).connectionId());
        assertTrue(r.exchanges.get(1).connectionId() > 1);
        assertEquals(r.connections.get(1).id(), r.exchanges.get(1).connectionId());
    }

    @Test
    void idleConnectionsAreEvictedAndTheirOpenRequestReported() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c1 = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c1.c2s("GET /slow HTTP/1.1\r\n\r\n");
        Conv c2 = new Conv(b, "10.0.0.3", 40001, "10.0.0.2", 80, 1000, 5000);
        c2.t = c1.t + 20_000_000_000L;
        c2.handshake().c2s("GET /later HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 0)).finBoth();
        NetOptions opt = new NetOptions(1, 1 << 20, 1 << 20, 5_000_000_000L);
        NetRun r = NetRun.of(b.write(dir, "idle.pcap"), 1, opt);
        assertEquals(1, r.count(PipelineHealth.TCP_IDLE_EVICTED));
        HttpExchange slow = r.exchanges.get(0);
        assertEquals("/slow", slow.request().target());
        assertNull(slow.response());
        assertEquals(1, r.count(PipelineHealth.HTTP_UNANSWERED));
    }

    @Test
    void resetEndsAResponseAsIncomplete() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s("GET /x HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 100) + "partial");
        c.raw(true, c.cseq, c.sseq, PcapBuilder.RST, new byte[0]);
        NetRun r = NetRun.of(b.write(dir, "rst.pcap"));
        assertEquals(1, r.exchanges.size());
        assertFalse(r.exchanges.get(0).response().complete());
        assertEquals("partial", r.exchanges.get(0).response().body().text());
        assertTrue(r.exchanges.get(0).response().body().truncated());
    }

    @Test
    void snaplenCutBytesBecomeGapsNotData() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000).handshake();
        c.c2s("GET /x HTTP/1.1\r\n\r\n");
        byte[] resp = cat(ascii(String.format(RESP, 500)), body(500, 'q'));
        c.raw(false, c.sseq, c.cseq, 24, resp, 54 + 100);
        c.sseq += resp.length;
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "snap.pcap"));
        HttpExchange x = r.exchanges.get(0);
        assertEquals(1, r.count(PipelineHealth.PACKETS_TRUNCATED_SNAPLEN));
        assertTrue(x.response().body().truncated());
        assertEquals(500, x.response().body().wireLength());
        String kept = x.response().body().text();
        assertTrue(kept.chars().allMatch(ch -> ch == 'q'), "no invented bytes");
        assertTrue(kept.length() < 100);
    }

    @Test
    void cancellationStopsTheRunWithOperationCanceled() throws IOException {
        PcapBuilder b = new PcapBuilder();
        for (int i = 0; i < 3000; i++) {
            Conv c = new Conv(b, "10.0.0.1", 20000 + i, "10.0.0.2", 80, i, i);
            c.t += i * 10_000_000L;
            c.handshake().c2s("GET / HTTP/1.1\r\n\r\n").s2c(String.format(RESP, 0)).finBoth();
        }
        Path p = b.write(dir, "many.pcap");
        org.eclipse.core.runtime.NullProgressMonitor canceled = new org.eclipse.core.runtime.NullProgressMonitor();
        canceled.setCanceled(true);
        for (int workers : new int[] { 1, 2 }) {
            PipelineHealth h = new PipelineHealth();
            java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
            try (heron.core.capture.PacketStream ps = NetRun.open(p)) {
                org.junit.jupiter.api.Assertions.assertThrows(org.eclipse.core.runtime.OperationCanceledException.class,
                        () -> NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), new NetSink() {
                            @Override
                            public void exchange(HttpExchange exchange) {
                                seen.incrementAndGet();
                            }

                            @Override
                            public void connection(Connection connection) {
                            }
                        }, h, canceled));
            }
            assertTrue(h.get(PipelineHealth.PACKETS_TOTAL) < b.packets, "stopped early");
            assertTrue(seen.get() < 3000);
        }
        NetRun all = NetRun.of(p, 2);
        assertEquals(3000, all.exchanges.size());
        assertEquals(3000, all.connections.size());
    }
}
