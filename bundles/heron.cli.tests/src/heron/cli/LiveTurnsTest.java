package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.ForwardingPacketStream;
import heron.core.capture.PacketStream;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;
import heron.testing.Corpus;

/**
 * A live capture shows its turns and sessions while it still runs (interim groupings written by
 * the store sink), and once it ends the store holds exactly what a capture grouped only at the end
 * holds. A real agent capture is fed as a stream that stays open after its last packet until the
 * test has seen the turns in the store (as a live capture stays open until the user stops it).
 */
class LiveTurnsTest {
    private static final Path CAPTURE = Corpus.testdata("cc-turn-2tools.pcap");

    /** Delegates to a capture file; before reporting its end, runs {@code beforeEnd} once. */
    private static final class HeldOpenStream extends ForwardingPacketStream {
        private final Runnable beforeEnd;
        private boolean ended;

        HeldOpenStream(PacketStream in, Runnable beforeEnd) {
            super(in);
            this.beforeEnd = beforeEnd;
        }

        @Override
        public boolean next() throws IOException {
            if (in.next()) {
                return true;
            }
            if (!ended) {
                ended = true;
                beforeEnd.run();
            }
            return false;
        }

        @Override
        public long fileOffset() {
            return -1;
        }

        @Override
        public String format() {
            return "live";
        }
    }

    private static CaptureImporter importer(Duration interim) {
        // one worker, as live captures use (see LiveCaptureJob)
        return CaptureImporter.fromPlatform(NetOptions.defaults().withWorkers(1)).withInterimGrouping(interim);
    }

    private static long importHeldOpen(HeronStore store, Duration interim, AtomicLong id, Runnable whileOpen)
            throws IOException {
        try (PacketStream packets = new HeldOpenStream(CaptureSourceRegistry.fromPlatform().open(CAPTURE), whileOpen);
                StoreImportSink sink = new StoreImportSink(store, id::set)) {
            importer(interim).importStream(CAPTURE.toString(), packets, sink, null);
            return sink.captureId();
        }
    }

    private static List<AgentTag> tags(HeronStore store, long captureId) {
        return store.calls().page(captureId, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 10_000).stream()
                .map(LlmCall::agent).toList();
    }

    @Test
    void turnsAndSessionsAppearBeforeTheCaptureEndsAndEndAsWithoutInterimGroupings() throws Exception {
        Path dir = Files.createTempDirectory("heron-live-turns");
        try (HeronStore store = HeronStore.open(dir)) {
            AtomicReference<List<AgentTurn>> seenWhileOpen = new AtomicReference<>(List.of());
            AtomicLong sessionsWhileOpen = new AtomicLong();
            AtomicLong taggedWhileOpen = new AtomicLong();
            AtomicLong liveId = new AtomicLong();
            long live = importHeldOpen(store, Duration.ofMillis(100), liveId, () -> {
                // the stream has delivered every packet but has not ended
                long id = liveId.get();
                long deadline = System.currentTimeMillis() + 20_000;
                while (System.currentTimeMillis() < deadline) {
                    List<AgentTurn> turns = store.turns().page(id, 0, 100);
                    if (!turns.isEmpty()) {
                        seenWhileOpen.set(turns);
                        sessionsWhileOpen.set(store.turns().sessions(id).size());
                        taggedWhileOpen.set(tags(store, id).stream().filter(t -> t != null && t.turnId() != 0)
                                .count());
                        return;
                    }
                    sleep(50);
                }
            });
            assertFalse(seenWhileOpen.get().isEmpty(), "no turn in the store while the capture was running");
            assertEquals(1, sessionsWhileOpen.get(), "sessions while running");
            assertTrue(taggedWhileOpen.get() > 0, "calls carry their turn while running");

            long reference = importHeldOpen(store, Duration.ZERO, new AtomicLong(), () -> {
            });
            assertEquals(1, store.turns().count(reference), "the reference capture's turns (truth: 1)");
            assertEquals(store.turns().page(reference, 0, 100), store.turns().page(live, 0, 100), "final turns");
            assertEquals(store.turns().sessions(reference), store.turns().sessions(live), "final sessions");
            assertEquals(store.turns().toolLinks(reference), store.turns().toolLinks(live), "final tool links");
            assertEquals(tags(store, reference), tags(store, live), "final agent tags of the calls");
            Map<String, Long> health = store.health().counters(live);
            assertEquals(store.health().counters(reference), health, "health counters");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
