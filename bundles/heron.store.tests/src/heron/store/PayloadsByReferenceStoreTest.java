package heron.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.model.AgentTag;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.Direction;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.PacketRecord;
import heron.store.query.ExchangeQueries;

/**
 * The store's half of payloads by reference (ADR 0006), with a stand-in resolver: nothing of the
 * payload is written, the resolver gets exactly the connection's packets from the frame index, its
 * result is masked, merged with the rows and cached, and a missing capture file is one line.
 * (Real re-assembly from captures: heron.cli.tests PayloadsByReferenceTest.)
 */
class PayloadsByReferenceStoreTest {
    private static final String KEY = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab";
    private Path dir;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("heron-store-byref");
        file = dir.resolve("capture.pcap");
        byte[] bytes = new byte[4096];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(file, bytes);
    }

    private static HttpExchange exchange() {
        HttpExchange base = Fixtures.exchange(64, 1, true);
        byte[] body = ("{\"key\":\"" + KEY + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest rq = base.request();
        return new HttpExchange(64, 1, 0, base.client(), base.server(),
                new HttpRequest(rq.method(), rq.target(), rq.version(),
                        new Headers(List.of(new Header("Host", "api.anthropic.com"), new Header("x-api-key", KEY))),
                        new Body(body, body.length, body.length, false, null, null), rq.firstByteNanos(),
                        rq.lastByteNanos(), rq.firstFrame(), rq.lastFrame()),
                base.response(), null);
    }

    private static LlmCall call(AgentTag tag) {
        LlmCall c = Fixtures.call(64, "m", 200, Fixtures.T0, 5);
        return new LlmCall(c.id(), c.exchangeId(), c.wireApi(), c.host(), c.serverKind(), c.requestModel(),
                c.responseModel(), c.stream(), c.status(), c.finishReason(), c.finish(), c.usage(), c.requestNanos(),
                c.responseHeadersNanos(), c.firstContentNanos(), c.endNanos(), c.toolsOffered(), c.toolCalls(),
                c.toolResults(), "system", List.of(Message.text("user", "my key is " + KEY)), c.outputText(),
                c.reasoningText(), c.error(), c.responseId(), c.decodeError(), tag);
    }

    private long write(HeronStore store) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (StoreWriter w = store.writer()) {
            long id = w.beginCapture(new Capture(0, file.toString(), "pcap", Files.size(file), sha, List.of(1), 0, 0, 0,
                    Capture.ImportStatus.IMPORTING));
            // Two connections interleaved; a connection's id is the frame of its first packet.
            for (int f = 1; f <= 10; f++) {
                long conn = f % 2 == 1 ? 1 : 2;
                w.packet(new PacketRecord(f, Fixtures.T0 + f, 100L * f, 60, 60, 1, conn, Direction.CLIENT_TO_SERVER,
                        null));
            }
            w.connection(new Connection(1, Fixtures.CLIENT, Fixtures.SERVER, Fixtures.T0, Fixtures.T0 + 9, 3, 2, 100, 100,
                    0, 0, 0, 0, Connection.Protocol.HTTP));
            w.exchange(exchange());
            w.call(call(new AgentTag("claude-code", "s", 7, false, false, 0)));
            w.finish(Capture.ImportStatus.COMPLETE);
            return id;
        }
    }

    @Test
    void nothingOfThePayloadIsWrittenAndTheResolverFillsItInMaskedAndCached() throws Exception {
        try (HeronStore store = HeronStore.open(dir.resolve("db"))) {
            long id = write(store);
            assertFalse(Files.exists(store.directory().resolve("blobs").resolve(id + ".dat")), "no payload file");
            HttpExchange rowOnly = store.exchanges().page(id, ExchangeQueries.Sort.ID, true, 0, 10).get(0);
            assertTrue(rowOnly.request().headers().list().isEmpty(), "a list's exchange is its row");
            assertEquals(exchange().request().body().bytes().length, rowOnly.request().body().decodedLength());

            List<List<Long>> asked = new ArrayList<>();
            AtomicInteger runs = new AtomicInteger();
            store.setPayloadResolver((f, packets) -> {
                runs.incrementAndGet();
                assertEquals(file, f);
                asked.add(packets.stream().map(PacketRecord::frame).toList());
                // unmasked and untagged, as a re-run of the pipeline gives them
                return List.of(new DecodeResult(exchange(), call(null)));
            });
            HttpExchange e = store.exchanges().get(id, 64).orElseThrow();
            assertEquals(List.of(List.of(1L, 3L, 5L, 7L, 9L)), asked, "exactly the connection's packets");
            assertEquals("sk-ant-api03-…[masked]", e.request().headers().get("x-api-key"));
            assertTrue(e.request().body().text().contains("…[masked]"));
            assertFalse(e.request().body().text().contains(KEY));
            assertEquals(2, e.response().events().size(), "SSE events");
            LlmCall c = store.calls().get(id, 64).orElseThrow();
            assertEquals("my key is sk-ant-api03-…[masked]", c.messages().get(0).text());
            assertEquals(new AgentTag("claude-code", "s", 7, false, false, 0), c.agent(), "the row's agent tag");
            assertEquals(call(null).toolsOffered(), c.toolsOffered());
            assertEquals(1, runs.get(), "the connection was re-assembled once");

            Files.delete(file);
            StoreException gone = assertThrows(StoreException.class, () -> store.calls().get(id, 64));
            assertEquals("capture file not found: " + file + " (moved or deleted since the import; bodies are read "
                    + "from it)", gone.getMessage());
            assertEquals(1, store.calls().summariesAfter(id, Long.MIN_VALUE, 10).size(), "rows still work");
        }
    }

    @Test
    void aMovedCaptureFileIsFoundAgainOnlyWhereItsContentIsTheImportedOne() throws Exception {
        try (HeronStore store = HeronStore.open(dir.resolve("db"))) {
            long id = write(store);
            List<Path> read = new ArrayList<>();
            store.setPayloadResolver((f, packets) -> {
                read.add(f);
                return List.of(new DecodeResult(exchange(), call(null)));
            });
            Path moved = Files.createDirectories(dir.resolve("elsewhere")).resolve("renamed.pcap");
            Files.move(file, moved);
            assertThrows(StoreException.class, () -> store.calls().get(id, 64), "not found before it is located");

            // another file of another size, then of the same size but other bytes: refused, path kept
            Path other = dir.resolve("other.pcap");
            Files.write(other, new byte[10]);
            StoreException size = assertThrows(StoreException.class, () -> store.relocateCapture(id, other));
            assertEquals(other + " is not the imported capture: it has 10 bytes, the capture had 4096", size.getMessage());
            Files.write(other, new byte[4096]);
            StoreException sha = assertThrows(StoreException.class, () -> store.relocateCapture(id, other));
            assertTrue(sha.getMessage().endsWith("same size, but its sha256 differs"), sha.getMessage());
            assertEquals(file.toString(), store.captures().get(id).orElseThrow().path());

            store.relocateCapture(id, moved);
            assertEquals(moved.toString(), store.captures().get(id).orElseThrow().path());
            assertEquals(64, store.calls().get(id, 64).orElseThrow().id());
            assertEquals(List.of(moved), read, "the details were read from the new place");
        }
        try (HeronStore store = HeronStore.open(dir.resolve("db"))) {
            assertEquals(dir.resolve("elsewhere").resolve("renamed.pcap").toString(),
                    store.captures().list().get(0).path(), "the new place is kept in the database");
        }
    }

    @Test
    void withArchivingThePayloadIsCopiedAndNoResolverIsAsked() throws Exception {
        try (HeronStore store = HeronStore.open(dir.resolve("db"), Fixtures.ARCHIVE)) {
            long id = write(store);
            store.setPayloadResolver((f, packets) -> {
                throw new AssertionError("archived payloads need no capture file");
            });
            Files.delete(file);
            assertTrue(Files.exists(store.directory().resolve("blobs").resolve(id + ".dat")));
            assertEquals("sk-ant-api03-…[masked]", store.exchanges().get(id, 64).orElseThrow().request().headers()
                    .get("x-api-key"));
            assertEquals("my key is sk-ant-api03-…[masked]", store.calls().get(id, 64).orElseThrow().messages().get(0)
                    .text());
        }
    }
}
