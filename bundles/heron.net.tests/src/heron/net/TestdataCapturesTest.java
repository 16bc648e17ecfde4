package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.testing.Corpus;

/** The captures committed in testdata/: never skipped. */
class TestdataCapturesTest {

    @Test
    void everyTestdataCaptureReconstructsTheExchangesOfItsTruthFile() throws IOException {
        List<Path> caps = Corpus.captures(Corpus.testdata());
        assertTrue(caps.size() >= 5, "expected the committed captures");
        for (Path p : caps) {
            System.out.println(TruthCheck.check(p));
        }
    }

    @Test
    void claudeCodeTurnHasHeadProbeAndThreeStreamedMessages() throws IOException {
        NetRun r = NetRun.of(Corpus.testdata("cc-turn-2tools.pcap"));
        assertEquals(4, r.exchanges.size());
        HttpExchange head = r.exchanges.get(0);
        assertEquals("HEAD", head.request().method());
        assertEquals(404, head.response().status());
        for (HttpExchange x : r.exchanges.subList(1, 4)) {
            assertEquals("/v1/messages?beta=true", x.request().target());
            assertEquals(200, x.response().status());
            assertTrue(x.response().isEventStream());
            assertFalse(x.response().events().isEmpty());
            assertTrue(x.response().headersNanos() >= x.response().firstByteNanos());
            assertTrue(x.response().lastByteNanos() >= x.response().headersNanos());
        }
        assertEquals(r.count(PipelineHealth.PACKETS_TOTAL), r.result.packets());
    }

    @Test
    void pipelinedRequestsArePairedInOrder() throws IOException {
        NetRun r = NetRun.of(Corpus.testdata("edge-http-pipelining.pcap"));
        assertEquals(3, r.exchanges.size());
        assertEquals("/v1/chat/completions", r.exchanges.get(0).request().target());
        assertEquals("/v1/messages", r.exchanges.get(1).request().target());
        assertEquals("/v1/responses", r.exchanges.get(2).request().target());
        assertTrue(r.exchanges.get(0).response().isEventStream());
        assertFalse(r.exchanges.get(1).response().isEventStream());
        assertTrue(r.exchanges.get(2).response().isEventStream());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, r.exchanges.get(i).sequence());
        }
    }

    @Test
    void gzipJsonResponsesAreDecoded() throws IOException {
        NetRun r = NetRun.of(Corpus.testdata("edge-gzip-json.pcap"));
        assertEquals(3, r.exchanges.size());
        for (HttpExchange x : r.exchanges) {
            assertEquals("gzip", x.response().body().encoding());
            assertTrue(x.response().body().text().startsWith("{"), x.response().body().text());
            assertTrue(x.response().body().decodedLength() > x.response().body().wireLength());
        }
    }

    @Test
    void everyPacketIsAccountedInExactlyOneBucket() throws IOException {
        for (Path p : Corpus.captures(Corpus.testdata())) {
            NetRun r = NetRun.of(p);
            long sum = r.count(PipelineHealth.PACKETS_TCP) + r.count(PipelineHealth.PACKETS_TCP_NO_PAYLOAD)
                    + r.count(PipelineHealth.PACKETS_NON_TCP) + r.count(PipelineHealth.PACKETS_NON_IP)
                    + r.count(PipelineHealth.PACKETS_UNSUPPORTED_LINK) + r.count(PipelineHealth.PACKETS_MALFORMED)
                    + r.count(PipelineHealth.PACKETS_IP_FRAGMENT);
            assertEquals(r.count(PipelineHealth.PACKETS_TOTAL), sum, p.toString());
            assertEquals(r.result.packets(), r.packets.size(), p.toString());
            for (int i = 0; i < r.packets.size(); i++) {
                assertEquals(i + 1, r.packets.get(i).frame());
            }
        }
    }

    @Test
    void oneAndTwoWorkersGiveIdenticalResults() throws IOException {
        for (Path p : Corpus.captures(Corpus.testdata())) {
            String one = NetRun.of(p, 1).canonical();
            String two = NetRun.of(p, 2).canonical();
            String again = NetRun.of(p, 2).canonical();
            assertEquals(one, two, p.toString());
            assertEquals(two, again, p.toString());
        }
    }

    @Test
    void snaplenTruncationBecomesCountedGapsNotData() throws IOException {
        NetRun r = NetRun.of(Corpus.testdata("edge-snaplen200.pcap"));
        assertTrue(r.count(PipelineHealth.PACKETS_TRUNCATED_SNAPLEN) > 0);
        assertTrue(r.count(PipelineHealth.TCP_GAPS) > 0);
        // headers cut by the snaplen: start lines survive, bodies are reported missing, not invented
        assertEquals(3, r.exchanges.size());
        for (HttpExchange x : r.exchanges) {
            assertTrue(x.request().body().truncated());
            assertEquals(0, x.request().body().length());
            assertEquals(200, x.response().status());
            assertFalse(x.response().complete());
        }
    }
}
