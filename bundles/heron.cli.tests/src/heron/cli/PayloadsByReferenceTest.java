package heron.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.ForwardingPacketStream;
import heron.core.capture.PacketStream;
import heron.agents.TurnResult;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.CaptureReassembler;
import heron.pipeline.ImportResult;
import heron.pipeline.ImportSink;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.store.PayloadResolver;
import heron.store.StoreException;
import heron.store.StoreOptions;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;
import heron.store.query.ExchangeQueries;
import heron.testing.Corpus;

/**
 * Payloads by reference (ADR 0006): a store that keeps no bodies hands out, re-assembled from the
 * capture file on demand, exactly what a store that archived them at import hands out, masked;
 * a missing or changed capture file is reported in one line while rows keep working.
 */
class PayloadsByReferenceTest {
    private static final Path TESTDATA = Corpus.testdata();
    private static final Path CAPTURE = TESTDATA.resolve("cc-turn-2tools.pcap");

    private Path tmp;

    @BeforeEach
    void tempDir() throws IOException {
        tmp = Files.createTempDirectory("heron-payloads-by-ref");
    }

    static Stream<Path> testdataCaptures() throws IOException {
        return Corpus.captures(TESTDATA).stream();
    }

    private static long importInto(HeronStore store, Path capture) throws IOException {
        return importInto(store, capture, new ImportResult[1]);
    }

    private static long importInto(HeronStore store, Path capture, ImportResult[] result) throws IOException {
        try (StoreImportSink sink = new StoreImportSink(store)) {
            result[0] = CaptureImporter.fromPlatform(NetOptions.defaults().withWorkers(2)).importFile(capture, sink,
                    null);
            return sink.captureId();
        }
    }

    @ParameterizedTest
    @MethodSource("testdataCaptures")
    void everyExchangeAndCallReassembledOnDemandEqualsWhatTheArchivingImportStored(Path capture) throws IOException {
        assertTrue(assertRoundTrip(capture, tmp.resolve("rt")) >= 0);
    }

    @Test
    void corpusCapturesRoundTripToo() throws IOException {
        int n = 0;
        for (Path p : Corpus.captures(Corpus.shared())) {
            assertRoundTrip(p, tmp.resolve("corpus-" + n++));
        }
        assertTrue(n > 0, "no capture in the corpus");
    }

    /** Compares everything; returns the number of calls compared. */
    private static int assertRoundTrip(Path capture, Path dir) throws IOException {
        try (HeronStore archive = HeronStore.open(dir.resolve("a"), StoreOptions.defaults().withArchivePayloads(true));
                HeronStore ref = HeronStore.open(dir.resolve("r"))) {
            CaptureReassembler.install(ref, NetOptions.defaults());
            long a = importInto(archive, capture);
            long r = importInto(ref, capture);
            assertTrue(Files.exists(archive.directory().resolve("blobs").resolve(a + ".dat")), "archived payloads");
            assertFalse(Files.exists(ref.directory().resolve("blobs").resolve(r + ".dat")),
                    "no payload file when payloads are kept by reference");
            List<HttpExchange> rows = archive.exchanges().page(a, ExchangeQueries.Sort.ID, true, 0, 1_000_000);
            assertEquals(rows.size(), ref.exchanges().count(r), capture + ": exchanges");
            Set<Long> connections = new HashSet<>();
            for (HttpExchange e : rows) {
                assertExchangeEquals(capture + " exchange " + e.id(), archive.exchanges().get(a, e.id()).orElseThrow(),
                        ref.exchanges().get(r, e.id()).orElseThrow());
                connections.add(e.connectionId());
            }
            for (long c : connections) {
                List<HttpExchange> x = archive.exchanges().byConnection(a, c);
                List<HttpExchange> y = ref.exchanges().byConnection(r, c);
                assertEquals(x.size(), y.size(), capture + " connection " + c);
                for (int i = 0; i < x.size(); i++) {
                    assertExchangeEquals(capture + " connection " + c, x.get(i), y.get(i));
                }
            }
            List<LlmCall> calls = archive.calls().page(a, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1_000_000);
            assertEquals(calls, ref.calls().page(r, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1_000_000),
                    capture + ": calls with every list and text, paged");
            for (LlmCall c : calls) {
                assertEquals(c, ref.calls().get(r, c.id()).orElseThrow(), capture + " call " + c.id());
                assertEquals(c, ref.calls().byExchange(r, c.exchangeId()).orElseThrow(), capture + " call " + c.id());
            }
            return calls.size();
        }
    }

    @Test
    void withMaskingOffTheCallsReadBackAreTheCallsTheImportProduced() throws IOException {
        try (HeronStore ref = HeronStore.open(tmp.resolve("r"), StoreOptions.defaults().withMaskSecrets(false))) {
            CaptureReassembler.install(ref, NetOptions.defaults());
            // The import result carries call summaries; the full calls are what passed through the
            // sink, tagged with the final grouping.
            List<LlmCall> decoded = Collections.synchronizedList(new ArrayList<>());
            TurnResult[] agents = new TurnResult[1];
            long r;
            try (StoreImportSink store = new StoreImportSink(ref)) {
                ImportSink sink = new ImportSink() {
                    @Override
                    public void begin(Capture capture) {
                        store.begin(capture);
                    }

                    @Override
                    public void packet(PacketRecord packet) {
                        store.packet(packet);
                    }

                    @Override
                    public void connection(Connection connection) {
                        store.connection(connection);
                    }

                    @Override
                    public void exchange(HttpExchange exchange, LlmCall call) {
                        if (call != null) {
                            decoded.add(call);
                        }
                        store.exchange(exchange, call);
                    }

                    @Override
                    public void exchangesDone() {
                        store.exchangesDone();
                    }

                    @Override
                    public void agents(TurnResult result) {
                        agents[0] = result;
                        store.agents(result);
                    }

                    @Override
                    public void end(Capture capture, Map<String, Long> health) {
                        store.end(capture, health);
                    }
                };
                CaptureImporter.fromPlatform(NetOptions.defaults().withWorkers(2)).importFile(CAPTURE, sink, null);
                r = store.captureId();
            }
            List<LlmCall> produced = agents[0].tag(decoded);
            assertFalse(produced.isEmpty());
            for (LlmCall c : produced) {
                LlmCall back = ref.calls().get(r, c.id()).orElseThrow();
                assertFalse(back.messages().isEmpty(), "messages re-decoded");
                assertEquals(c, back, "call " + c.id());
            }
        }
    }

    @Test
    void secretsInRebuiltPayloadsAreMaskedAtReadTime() throws IOException {
        Path file = CAPTURE;
        try (HeronStore masked = HeronStore.open(tmp.resolve("m"));
                HeronStore plain = HeronStore.open(tmp.resolve("p"), StoreOptions.defaults().withMaskSecrets(false))) {
            CaptureReassembler.install(masked, NetOptions.defaults());
            CaptureReassembler.install(plain, NetOptions.defaults());
            long m = importInto(masked, file);
            long p = importInto(plain, file);
            int maskedHeaders = 0;
            for (HttpExchange e : plain.exchanges().page(p, ExchangeQueries.Sort.ID, true, 0, 1000)) {
                HttpExchange raw = plain.exchanges().get(p, e.id()).orElseThrow();
                HttpExchange hidden = masked.exchanges().get(m, e.id()).orElseThrow();
                String key = raw.request().headers().get("x-api-key");
                if (key != null) {
                    assertFalse(key.contains("[masked]"), "unmasked store keeps the key");
                    assertTrue(hidden.request().headers().get("x-api-key").contains("[masked]"), "masked at read");
                    maskedHeaders++;
                }
            }
            assertTrue(maskedHeaders > 0, "the capture carries an API key header");
        }
    }

    @Test
    void theCallsOfOneTurnReassembleEachConnectionOnce() throws IOException {
        try (HeronStore ref = HeronStore.open(tmp.resolve("r"))) {
            long r = importInto(ref, CAPTURE);
            PayloadResolver real = new CaptureReassembler(heron.core.decode.WireApiDecoderRegistry.fromPlatform(),
                    NetOptions.defaults());
            AtomicInteger runs = new AtomicInteger();
            ref.setPayloadResolver((f, packets) -> {
                runs.incrementAndGet();
                return real.reassemble(f, packets);
            });
            AgentTurn turn = ref.turns().page(r, 0, 10).get(0);
            assertTrue(turn.callIds().size() >= 2, "a turn of several calls");
            Set<Long> connections = new HashSet<>();
            for (long id : turn.callIds()) {
                LlmCall c = ref.calls().get(r, id).orElseThrow();
                assertFalse(c.messages().isEmpty());
                connections.add(ref.exchanges().get(r, c.exchangeId()).orElseThrow().connectionId());
            }
            assertEquals(connections.size(), runs.get(), "one re-assembly per connection");
            ref.turns().turnWithCalls(r, turn.id()).orElseThrow();
            assertEquals(connections.size(), runs.get(), "opened again: served from the cache");
        }
    }

    @Test
    void aMissingOrChangedCaptureFileIsReportedInOneLineAndRowsKeepWorking() throws IOException {
        Path file = tmp.resolve("capture.pcap");
        Files.copy(CAPTURE, file);
        try (HeronStore ref = HeronStore.open(tmp.resolve("r"))) {
            CaptureReassembler.install(ref, NetOptions.defaults());
            long r = importInto(ref, file);
            long callId = ref.calls().summariesAfter(r, Long.MIN_VALUE, 1).get(0).id();
            long exchangeId = ref.calls().get(r, callId).orElseThrow().exchangeId();
            long calls = ref.calls().count(r, CallFilter.ALL);
            assertTrue(Files.exists(ref.directory().resolve("frames").resolve(r + ".stamp")),
                    "the import records the file's size and time, so the first detail does not hash it again");

            Path moved = tmp.resolve("elsewhere.pcap");
            Files.move(file, moved);
            StoreException gone = assertThrows(StoreException.class, () -> ref.calls().get(r, callId));
            assertTrue(gone.getMessage().startsWith("capture file not found: " + file), gone.getMessage());
            assertFalse(gone.getMessage().contains("\n"), "one line");
            assertThrows(StoreException.class, () -> ref.exchanges().get(r, exchangeId));
            // Everything from rows still works without the file.
            assertEquals(calls, ref.calls().count(r, CallFilter.ALL));
            assertEquals(calls, ref.calls().summariesAfter(r, Long.MIN_VALUE, 1000).size());
            assertFalse(ref.exchanges().page(r, ExchangeQueries.Sort.ID, true, 0, 100).isEmpty());
            assertFalse(ref.turns().page(r, 0, 100).isEmpty());
            assertFalse(ref.aggregations().topology(r).isEmpty());
            assertFalse(ref.packets().range(r, 1, 10).isEmpty());

            // Same size, one byte different (and a new modification time): the sha256 differs.
            byte[] bytes = Files.readAllBytes(moved);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(file, bytes);
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            StoreException changed = assertThrows(StoreException.class, () -> ref.calls().get(r, callId));
            assertEquals("capture file changed since the import: " + file + " (sha256 differs)", changed.getMessage());

            // Shorter: the size differs.
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            StoreException shorter = assertThrows(StoreException.class, () -> ref.exchanges().get(r, exchangeId));
            assertTrue(shorter.getMessage().startsWith("capture file changed since the import: " + file + " is "),
                    shorter.getMessage());

            // Back in place: the detail opens again.
            Files.move(moved, file, StandardCopyOption.REPLACE_EXISTING);
            assertFalse(ref.calls().get(r, callId).orElseThrow().messages().isEmpty());
        }
    }

    @Test
    void aStoreOpenedWithoutResolverServesRowsAloneAndArchivedCapturesNeedNone() throws IOException {
        try (HeronStore store = HeronStore.open(tmp.resolve("r"))) {
            long r = importInto(store, CAPTURE);
            LlmCall c = store.calls().summariesAfter(r, Long.MIN_VALUE, 1).get(0);
            LlmCall row = store.calls().get(r, c.id()).orElseThrow();
            assertEquals(c.usage(), row.usage());
            assertTrue(row.messages().isEmpty(), "no resolver: the row alone");
            HttpExchange e = store.exchanges().get(r, row.exchangeId()).orElseThrow();
            assertEquals(0, e.request().body().bytes().length);
            assertTrue(e.request().body().decodedLength() > 0, "the row's body length");
        }
        try (HeronStore store = HeronStore.open(tmp.resolve("a"), StoreOptions.defaults().withArchivePayloads(true))) {
            long a = importInto(store, CAPTURE);
            assertNull(store.payloadResolver());
            LlmCall c = store.calls().summariesAfter(a, Long.MIN_VALUE, 1).get(0);
            assertFalse(store.calls().get(a, c.id()).orElseThrow().messages().isEmpty(), "archived detail");
        }
    }

    /**
     * A live capture's import: the stream's packets carry offsets into the pcapng file being
     * written, the capture row has no sha256; bodies re-assemble from that file.
     */
    @Test
    void aStreamImportWithFileOffsetsReassemblesFromItsFile() throws IOException {
        Path file = TESTDATA.resolve("edge-pcapng.pcapng");
        try (HeronStore archive = HeronStore.open(tmp.resolve("a"), StoreOptions.defaults().withArchivePayloads(true));
                HeronStore ref = HeronStore.open(tmp.resolve("r"))) {
            CaptureReassembler.install(ref, NetOptions.defaults());
            long a = importInto(archive, file);
            long r;
            try (PacketStream packets = CaptureSourceRegistry.fromPlatform().open(file);
                    StoreImportSink sink = new StoreImportSink(ref)) {
                CaptureImporter.fromPlatform(NetOptions.defaults().withWorkers(1)).importStream(file.toString(),
                        new Live(packets), sink, null);
                r = sink.captureId();
            }
            assertNull(ref.captures().get(r).orElseThrow().sha256(), "a stream has no sha256");
            List<LlmCall> calls = archive.calls().page(a, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1000);
            assertFalse(calls.isEmpty());
            for (LlmCall c : calls) {
                LlmCall back = ref.calls().get(r, c.id()).orElseThrow();
                assertEquals(c.messages(), back.messages());
                assertEquals(c.outputText(), back.outputText());
                assertExchangeEquals("exchange " + c.exchangeId(), archive.exchanges().get(a, c.exchangeId()).orElseThrow(),
                        ref.exchanges().get(r, c.exchangeId()).orElseThrow());
            }
        }
    }

    /** A file's packets presented as a live source would: format "live", size unknown. */
    private static final class Live extends ForwardingPacketStream {
        Live(PacketStream in) {
            super(in);
        }

        @Override
        public String format() {
            return "pcapng";
        }
    }

    static void assertExchangeEquals(String what, HttpExchange x, HttpExchange y) {
        assertEquals(x.id(), y.id(), what);
        assertEquals(x.connectionId(), y.connectionId(), what);
        assertEquals(x.sequence(), y.sequence(), what);
        assertEquals(x.client(), y.client(), what);
        assertEquals(x.server(), y.server(), what);
        assertEquals(x.label(), y.label(), what);
        HttpRequest a = x.request();
        HttpRequest b = y.request();
        assertEquals(a == null, b == null, what + " request");
        if (a != null) {
            assertEquals(a.method(), b.method(), what);
            assertEquals(a.target(), b.target(), what);
            assertEquals(a.version(), b.version(), what);
            assertEquals(a.headers(), b.headers(), what + " request headers");
            assertBodyEquals(what + " request body", a.body(), b.body());
            assertEquals(List.of(a.firstByteNanos(), a.lastByteNanos(), a.firstFrame(), a.lastFrame()),
                    List.of(b.firstByteNanos(), b.lastByteNanos(), b.firstFrame(), b.lastFrame()), what);
        }
        HttpResponse p = x.response();
        HttpResponse q = y.response();
        assertEquals(p == null, q == null, what + " response");
        if (p != null) {
            assertEquals(p.status(), q.status(), what);
            assertEquals(p.reason(), q.reason(), what);
            assertEquals(p.headers(), q.headers(), what + " response headers");
            assertBodyEquals(what + " response body", p.body(), q.body());
            assertEquals(new ArrayList<>(p.events()), new ArrayList<>(q.events()), what + " SSE events");
            assertEquals(p.complete(), q.complete(), what);
            assertEquals(List.of(p.firstByteNanos(), p.headersNanos(), p.lastByteNanos(), p.firstFrame(), p.lastFrame()),
                    List.of(q.firstByteNanos(), q.headersNanos(), q.lastByteNanos(), q.firstFrame(), q.lastFrame()),
                    what);
        }
    }

    private static void assertBodyEquals(String what, Body a, Body b) {
        assertEquals(a == null, b == null, what);
        if (a != null) {
            assertNotNull(b);
            assertArrayEquals(a.bytes(), b.bytes(), what);
            assertEquals(a.wireLength(), b.wireLength(), what);
            assertEquals(a.decodedLength(), b.decodedLength(), what);
            assertEquals(a.truncated(), b.truncated(), what);
            assertEquals(a.encoding(), b.encoding(), what);
            assertEquals(a.decodeError(), b.decodeError(), what);
        }
    }
}
