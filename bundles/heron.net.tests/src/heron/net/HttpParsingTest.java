package heron.net;

import static heron.net.TcpReassemblyTest.ascii;
import static heron.net.TcpReassemblyTest.cat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;
import heron.net.PcapBuilder.Conv;

class HttpParsingTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(data);
        }
        return bo.toByteArray();
    }

    static byte[] zlib(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(bo, new Deflater())) {
            d.write(data);
        }
        return bo.toByteArray();
    }

    @Test
    void pipelinedRequestsInOneSegmentArePairedInOrderWithDistinctIds() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: h\r\n\r\n");
        long reqFrame = b.packets;
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
        c.s2c("HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\ntwoHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n");
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "pipe.pcap"));
        assertEquals(3, r.exchanges.size());
        for (int i = 0; i < 3; i++) {
            HttpExchange x = r.exchanges.get(i);
            assertEquals("/" + (i + 1), x.request().target());
            assertEquals(HttpExchange.idOf(reqFrame, i), x.id());
            assertEquals(i, x.sequence());
        }
        assertEquals("one", r.response(0).body().text());
        assertEquals(201, r.response(1).status());
        assertEquals("two", r.response(1).body().text());
        assertTrue(r.response(2).body().isEmpty(), "HEAD response has no body");
        assertTrue(r.response(2).complete());
    }

    @Test
    void chunkedBodySplitAcrossSegmentsIncludingSizeLinesAndTrailers() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /c HTTP/1.1\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1");
        c.s2c("0;ext=1\r\n0123456789abcdef\r");
        c.s2c("\n5\r\nhel");
        c.s2c("lo\r\n0\r\nX-Trailer: t");
        c.s2c("1\r\n\r\n");
        c.c2s("GET /after HTTP/1.1\r\n\r\n").s2c("HTTP/1.1 204 No Content\r\n\r\n").finBoth();
        NetRun r = NetRun.of(b.write(dir, "chunked.pcap"));
        assertEquals(2, r.exchanges.size());
        HttpResponse resp = r.response(0);
        assertEquals("0123456789abcdefhello", resp.body().text());
        assertEquals("t1", resp.headers().get("X-Trailer"));
        assertTrue(resp.complete());
        assertEquals(204, r.response(1).status());
    }

    @Test
    void gzipAndDeflateBodiesAreDecoded() throws IOException {
        byte[] json = ascii("{\"hello\":\"world\",\"n\":" + "1".repeat(500) + "}");
        byte[] gz = gzip(json);
        byte[] zl = zlib(json);
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /gz HTTP/1.1\r\n\r\n");
        c.s2c(cat(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n\r\n"), gz));
        c.c2s("GET /zl HTTP/1.1\r\n\r\n");
        c.s2c(cat(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: " + zl.length + "\r\n\r\n"),
                zl));
        c.c2s("GET /br HTTP/1.1\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\n\u0001\u0002\u0003\u0004");
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "gzip.pcap"));
        assertEquals(3, r.exchanges.size());
        assertArrayEquals(json, r.response(0).body().bytes());
        assertEquals("gzip", r.response(0).body().encoding());
        assertEquals(gz.length, r.response(0).body().wireLength());
        assertArrayEquals(json, r.response(1).body().bytes());
        HttpResponse br = r.response(2);
        assertNull(br.body().encoding());
        assertEquals(4, br.body().length());
        assertEquals(1, r.count(PipelineHealth.BODY_ENCODING_UNSUPPORTED));
    }

    @Test
    void decompressionBombIsRefusedAtTheLimit() throws IOException {
        byte[] zeros = new byte[20 << 20];
        byte[] gz = gzip(zeros);
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /bomb HTTP/1.1\r\n\r\n");
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n\r\n");
        c.s2c(head);
        for (int o = 0; o < gz.length; o += 1400) {
            c.s2c(java.util.Arrays.copyOfRange(gz, o, Math.min(gz.length, o + 1400)));
        }
        c.finBoth();
        NetOptions opt = NetRun.limits(1 << 20, 2 << 20);
        NetRun r = NetRun.of(b.write(dir, "bomb.pcap"), 1, opt);
        HttpResponse resp = r.response(0);
        assertEquals(1, r.count(PipelineHealth.BODY_DECOMPRESSION_REFUSED));
        assertTrue(resp.body().truncated());
        assertTrue(resp.body().decodedLength() <= 2 << 20);
        assertEquals(1 << 20, resp.body().length(), "kept bytes stop at the body cap");
        assertTrue(resp.body().decodeError().contains("limit"));
        assertTrue(resp.complete(), "framing still completes: the next message would parse");
    }

    @Test
    void bodiesAboveTheCapAreTruncatedWithTheirOriginalLength() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /big HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + "z".repeat(1000));
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").finBoth();
        NetOptions opt = NetRun.limits(100, 1 << 20);
        NetRun r = NetRun.of(b.write(dir, "cap.pcap"), 1, opt);
        var body = r.exchanges.get(0).request().body();
        assertEquals(100, body.length());
        assertEquals(1000, body.decodedLength());
        assertTrue(body.truncated());
        assertEquals(1, r.count(PipelineHealth.BODY_CAPPED));
    }

    @Test
    void expectContinueInterimResponseIsSkipped() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        c.s2c("HTTP/1.1 100 Continue\r\n\r\n");
        c.c2s("data");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").finBoth();
        NetRun r = NetRun.of(b.write(dir, "continue.pcap"));
        assertEquals(1, r.exchanges.size());
        assertEquals("data", r.exchanges.get(0).request().body().text());
        assertEquals(200, r.response(0).status());
        assertEquals("ok", r.response(0).body().text());
        assertEquals(1, r.count(PipelineHealth.HTTP_INTERIM));
    }

    @Test
    void closeDelimitedBodyEndsAtServerFin() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /old HTTP/1.1\r\n\r\n");
        c.s2c("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil ");
        c.s2c("close");
        c.serverFin();
        NetRun r = NetRun.of(b.write(dir, "close.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals("until close", resp.body().text());
        assertTrue(resp.complete());
    }

    @Test
    void responseCutByTheEndOfTheCaptureIsReportedIncomplete() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /cut HTTP/1.1\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        c.s2c("f\r\ndata: {\"a\":1}\n\n\r\n");
        NetRun r = NetRun.of(b.write(dir, "cut.pcap"));
        HttpResponse resp = r.response(0);
        assertFalse(resp.complete());
        assertEquals(1, resp.events().size());
        assertEquals(1, r.count(PipelineHealth.HTTP_INCOMPLETE));
    }

    @Test
    void sseEventsCarryTheTimeOfTheirCompletingPacketAndJoinDataLines() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /v1/messages HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\r\n");
        c.s2c(": comment\r\nevent: message_start\r\ndata: {\"x\":");
        long t1 = c.t + 1_000_000L;
        long f1 = b.packets + 1;
        c.s2c("1}\r\n\r\ndata: line1\ndata: line2\n");
        long t2 = c.t + 1_000_000L;
        long f2 = b.packets + 1;
        c.s2c("id: 7\n\nretry: 5\rdata: cr\r\r");
        c.serverFin();
        NetRun r = NetRun.of(b.write(dir, "sse.pcap"));
        List<SseEvent> ev = r.response(0).events();
        assertEquals(3, ev.size());
        assertEquals("message_start", ev.get(0).event());
        assertEquals("{\"x\":1}", ev.get(0).data());
        assertEquals(t1, ev.get(0).timestampNanos());
        assertEquals(f1, ev.get(0).frame());
        assertNull(ev.get(1).event());
        assertEquals("line1\nline2", ev.get(1).data());
        assertEquals("7", ev.get(1).id());
        assertEquals(t2, ev.get(1).timestampNanos());
        assertEquals(f2, ev.get(1).frame());
        assertEquals("cr", ev.get(2).data());
        assertEquals(3, r.count(PipelineHealth.HTTP_SSE_EVENTS));
    }

    @Test
    void gzipEventStreamInChunksIsDecodedIncrementally() throws IOException {
        byte[] stream = ascii("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n");
        byte[] gz = gzip(stream);
        int half = gz.length / 2;
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("POST /s HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        c.s2c("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        c.s2c(cat(ascii(Integer.toHexString(half) + "\r\n"), java.util.Arrays.copyOfRange(gz, 0, half), ascii("\r\n")));
        c.s2c(cat(ascii(Integer.toHexString(gz.length - half) + "\r\n"),
                java.util.Arrays.copyOfRange(gz, half, gz.length), ascii("\r\n0\r\n\r\n")));
        c.finBoth();
        NetRun r = NetRun.of(b.write(dir, "gzsse.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals(2, resp.events().size());
        assertEquals("2", resp.events().get(1).data());
        assertArrayEquals(stream, resp.body().bytes());
        assertTrue(resp.complete());
    }

    @Test
    void tlsAndOtherProtocolsAreCountedNotParsed() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv tls = new Conv(b, "10.0.0.1", 40000, "10.0.0.2", 443, 1, 1).handshake();
        tls.c2s(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5 });
        tls.s2c(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x02, 1, 2 }).finBoth();
        Conv other = new Conv(b, "10.0.0.1", 40001, "10.0.0.2", 6379, 1, 1).handshake();
        other.t = tls.t;
        other.c2s("*1\r\n$4\r\nPING\r\n").s2c("+PONG\r\n").finBoth();
        NetRun r = NetRun.of(b.write(dir, "tls.pcap"));
        assertTrue(r.exchanges.isEmpty());
        assertEquals(2, r.count(PipelineHealth.STREAMS_TLS));
        assertEquals(2, r.count(PipelineHealth.STREAMS_NOT_HTTP));
        assertEquals(heron.core.model.Connection.Protocol.TLS, r.connections.get(0).protocol());
        assertEquals(heron.core.model.Connection.Protocol.OTHER, r.connections.get(1).protocol());
    }

    @Test
    void responseTimestampsComeFromTheirPackets() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /t HTTP/1.1\r\n\r\n");
        long tStatus = c.t + 1_000_000L;
        c.s2c("HTTP/1.1 200 OK\r\n");
        long tHeaders = c.t + 1_000_000L;
        c.s2c("Content-Length: 4\r\n\r\nab");
        long tLast = c.t + 1_000_000L;
        c.s2c("cd").finBoth();
        NetRun r = NetRun.of(b.write(dir, "times.pcap"));
        HttpResponse resp = r.response(0);
        assertEquals(tStatus, resp.firstByteNanos());
        assertEquals(tHeaders, resp.headersNanos());
        assertEquals(tLast, resp.lastByteNanos());
        assertEquals("abcd", resp.body().text());
    }

    @Test
    void unansweredRequestIsEmittedWithoutResponse() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv c = Conv.http(b);
        c.c2s("GET /none HTTP/1.1\r\n\r\n");
        NetRun r = NetRun.of(b.write(dir, "none.pcap"));
        assertEquals(1, r.exchanges.size());
        assertFalse(r.exchanges.get(0).hasResponse());
        assertEquals(1, r.count(PipelineHealth.HTTP_UNANSWERED));
        assertEquals(1, r.connections.size());
    }

    @Test
    void aFailingSinkEndsTheRunInsteadOfBeingCountedAsCaptureDamage() throws IOException {
        PcapBuilder b = new PcapBuilder();
        Conv.http(b).c2s("GET /x HTTP/1.1\r\n\r\n").s2c("HTTP/1.1 204 No Content\r\n\r\n").finBoth();
        Path p = b.write(dir, "sinkfail.pcap");
        for (int workers : new int[] { 1, 2 }) {
            try (heron.core.capture.PacketStream ps = NetRun.open(p)) {
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), new NetSink() {
                            @Override
                            public void exchange(HttpExchange exchange) {
                                throw new IllegalStateException("database full");
                            }

                            @Override
                            public void connection(heron.core.model.Connection connection) {
                            }
                        }, new PipelineHealth(), null));
                assertTrue(String.valueOf(e.getMessage()).contains("database full"), e.toString());
            }
        }
    }
}
