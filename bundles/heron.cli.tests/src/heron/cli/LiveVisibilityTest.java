package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Endpoint;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;

/**
 * While an import or live capture is still running, what it has written must become visible to
 * the views (which read committed rows) within about a second, not only after the writer's next
 * batch of thousands of rows or at the end.
 */
class LiveVisibilityTest {

    @Test
    void rowsBecomeVisibleWhileTheImportIsStillRunning() throws Exception {
        Path dir = Files.createTempDirectory("heron-live-visibility");
        try (HeronStore store = HeronStore.open(dir); StoreImportSink sink = new StoreImportSink(store)) {
            sink.begin(new Capture(0, dir.resolve("live.pcapng").toString(), "pcapng", -1, null, List.of(), 0, 0, 0,
                    Capture.ImportStatus.IMPORTING));
            byte[] body = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
            HttpRequest req = new HttpRequest("POST", "/v1/chat/completions", "1.1",
                    new Headers(List.of(new Header("Host", "localhost"))),
                    new Body(body, body.length, body.length, false, null, null), 1_000, 2_000, 1, 1);
            sink.exchange(new HttpExchange(HttpExchange.idOf(1, 0), 1, 0, new Endpoint("127.0.0.1", 40000),
                    new Endpoint("127.0.0.1", 8080), req, null, null), null);
            long id = sink.captureId();
            long deadline = System.currentTimeMillis() + 10_000;
            while (store.exchanges().count(id) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, store.exchanges().count(id), "the exchange is visible before the import ends");
            sink.end(new Capture(0, dir.resolve("live.pcapng").toString(), "pcapng", -1, null, List.of(), 0, 0, 0,
                    Capture.ImportStatus.COMPLETE), Map.of());
        }
    }

    @Test
    void packetsWithoutAnyRowStillBecomeVisibleAndAreAnnounced() throws Exception {
        Path dir = Files.createTempDirectory("heron-live-visibility");
        try (HeronStore store = HeronStore.open(dir); StoreImportSink sink = new StoreImportSink(store)) {
            java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
            sink.onCommit(announced::incrementAndGet);
            sink.begin(new Capture(0, dir.resolve("live.pcapng").toString(), "pcapng", -1, null, List.of(), 0, 0, 0,
                    Capture.ImportStatus.IMPORTING));
            // e.g. a live capture of TLS traffic: packets only, no connection or exchange row yet
            for (long f = 1; f <= 3; f++) {
                sink.packet(new heron.core.model.PacketRecord(f, 1_000 * f, 24 + 80 * (f - 1), 80, 80, 1, 1, null,
                        null));
            }
            long id = sink.captureId();
            long deadline = System.currentTimeMillis() + 10_000;
            while ((store.packets().count(id) < 3 || announced.get() == 0) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(3, store.packets().count(id), "the packets are visible before the capture ends");
            assertEquals(true, announced.get() > 0, "and the views were told");
            sink.end(new Capture(0, dir.resolve("live.pcapng").toString(), "pcapng", -1, null, List.of(), 0, 0, 0,
                    Capture.ImportStatus.COMPLETE), Map.of());
        }
    }

    @Test
    void eachCommitIsAnnouncedAndTheFirstCallIsCommittedBeforeTheImportEnds() throws Exception {
        Path dir = Files.createTempDirectory("heron-live-visibility");
        Path capture = Path.of(System.getProperty("heron.testdata", "../../testdata"), "sdk-anthropic.pcap");
        try (HeronStore store = HeronStore.open(dir)) {
            List<Long> callsAtCommit = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (StoreImportSink sink = new StoreImportSink(store)) {
                // what a view reloading on the announcement would read (another connection: committed rows)
                sink.onCommit(() -> callsAtCommit.add(store.calls().count(sink.captureId(),
                        heron.store.query.CallFilter.ALL)));
                heron.pipeline.CaptureImporter.fromPlatform(heron.net.NetOptions.defaults()).importFile(capture, sink,
                        null);
            }
            // The capture's one call is committed as soon as it is written (a small import may end
            // before the next commit tick): an announced commit has it readable before the end.
            assertEquals(true, callsAtCommit.stream().anyMatch(n -> n >= 1),
                    "an announced commit made the call readable: " + callsAtCommit);
        }
    }

    @Test
    void anImportThatEndsLongAfterItsLastCommitFinishesCleanly() throws Exception {
        Path dir = Files.createTempDirectory("heron-live-visibility");
        try (HeronStore store = HeronStore.open(dir); StoreImportSink sink = new StoreImportSink(store)) {
            Capture running = new Capture(0, dir.resolve("live.pcapng").toString(), "pcapng", -1, null, List.of(), 0,
                    0, 0, Capture.ImportStatus.IMPORTING);
            sink.begin(running);
            // Longer than the sink's busy-commit interval (1 s) without writes: the end write is then
            // the first write after that interval, and the writer must not commit after finishing.
            Thread.sleep(1_600);
            sink.end(new Capture(0, running.path(), "pcapng", -1, null, List.of(), 0, 0, 0,
                    Capture.ImportStatus.COMPLETE), Map.of());
            assertEquals(Capture.ImportStatus.COMPLETE, sink.finishedCapture().status());
            assertEquals(Capture.ImportStatus.COMPLETE, store.captures().get(sink.captureId()).orElseThrow().status());
        }
    }
}
