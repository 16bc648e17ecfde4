package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.Direction;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.core.model.ToolLink;
import heron.store.query.TurnQueries;

class StoreRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyEntityTypeReadsBackEqualToWhatWasWritten() {
        HttpExchange ex1 = Fixtures.exchange(64, 3, false);
        HttpExchange ex2 = Fixtures.exchange(128, 3, true);
        HttpExchange unanswered = new HttpExchange(192, 3, 2, Fixtures.CLIENT, Fixtures.SERVER,
                new HttpRequest("GET", "/v1/models", "HTTP/1.1", heron.core.model.Headers.EMPTY, Body.EMPTY, T0, T0,
                        3, 3),
                null, "models");
        LlmCall c1 = Fixtures.call(64, "claude-x", 200, T0, 50_000_000);
        LlmCall c2 = Fixtures.call(128, "claude-y", 429, T0 + 1, 10_000_000);
        LlmCall bare = LlmCall.builder().build();
        LlmCall bare2 = new LlmCall(256, 256, null, null, null, null, null, false, 0, null, null, null, 0, 0, 0, 0,
                List.of(), List.of(), List.of(), null, List.of(), null, null, null, null, "invalid JSON", null);
        AgentTurn turn = Fixtures.turn(64, List.of(64L, 128L));
        AgentSession session = Fixtures.session("sess-1", List.of(64L));
        ToolLink link = new ToolLink("toolu_1", "bash", 64, 128, 1_234_567, true);
        Map<String, Long> health = Map.of("packets.total", 10L, "http.exchanges", 2L);
        Connection conn = Fixtures.connection(3);

        long id;
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/tmp/a.pcapng", "ab".repeat(32)));
                w.connection(conn);
                w.exchange(ex1);
                w.exchange(ex2);
                w.exchange(unanswered);
                w.call(c1);
                w.call(c2);
                w.call(bare2);
                w.packet(new PacketRecord(1, T0, 24, 60, 60, 1, 3, Direction.CLIENT_TO_SERVER, null));
                w.packet(new PacketRecord(2, T0 + 5, 100, 1514, 9000, 113, 0, null, null));
                w.turn(turn);
                w.session(session);
                w.toolLink(link);
                w.health(health);
                Capture done = w.finish(Capture.ImportStatus.COMPLETE);
                assertEquals(2, done.packetCount());
            }
        }
        // Reopen, so everything comes from disk.
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            Capture cap = store.captures().get(id).orElseThrow();
            assertEquals(new Capture(id, "/tmp/a.pcapng", "pcapng", 12345, "ab".repeat(32), List.of(1, 113), 2, T0,
                    T0 + 5, Capture.ImportStatus.COMPLETE), cap);
            assertEquals(conn, store.connections().get(id, 3).orElseThrow());
            Fixtures.assertExchangeEquals(ex1, store.exchanges().get(id, 64).orElseThrow());
            HttpExchange back2 = store.exchanges().get(id, 128).orElseThrow();
            Fixtures.assertExchangeEquals(ex2, back2);
            assertEquals(2, back2.response().events().size());
            assertEquals("line1\nline2", back2.response().events().get(1).data());
            Fixtures.assertExchangeEquals(unanswered, store.exchanges().get(id, 192).orElseThrow());
            assertEquals(3, store.exchanges().byConnection(id, 3).size());

            assertEquals(c1, store.calls().get(id, 64).orElseThrow());
            assertEquals(c2, store.calls().get(id, 128).orElseThrow());
            assertEquals(bare2, store.calls().get(id, 256).orElseThrow());
            assertEquals(c1, store.calls().byExchange(id, 64).orElseThrow());
            assertEquals(bare.usage(), store.calls().get(id, 256).orElseThrow().usage());

            assertEquals(turn, store.turns().turn(id, 64).orElseThrow());
            TurnQueries.TurnWithCalls twc = store.turns().turnWithCalls(id, 64).orElseThrow();
            assertEquals(List.of(c1, c2), twc.calls());
            TurnQueries.SessionWithTurns swt = store.turns().session(id, "sess-1").orElseThrow();
            assertEquals(session, swt.session());
            assertEquals(List.of(turn), swt.turns());
            assertEquals(List.of(link), store.turns().toolLinks(id));
            assertEquals(List.of(link), store.turns().toolLinksOfCall(id, 128));
            assertEquals(health, store.health().counters(id));

            List<PacketRecord> packets = store.packets().range(id, 1, 10);
            assertEquals(List.of(new PacketRecord(1, T0, 24, 60, 60, 1, 3, Direction.CLIENT_TO_SERVER, null),
                    new PacketRecord(2, T0 + 5, 100, 1514, 9000, 113, 0, null, null)), packets);
        }
    }

    @Test
    void agentTagSetAfterTheCallWasWrittenIsStored() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE); StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/x", null));
            LlmCall c = Fixtures.call(64, "m", 200, T0, 1).withAgent(null);
            w.call(c);
            AgentTag tag = new AgentTag("codex", "s9", 64, true, true, 12);
            w.callAgent(64, tag);
            w.finish(Capture.ImportStatus.COMPLETE);
            assertEquals(tag, store.calls().get(id, 64).orElseThrow().agent());
        }
    }

    @Test
    void untaggedCallReadsBackWithoutAgent() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE); StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/x", null));
            w.call(Fixtures.call(64, "m", 200, T0, 1).withAgent(null));
            w.finish(Capture.ImportStatus.COMPLETE);
            LlmCall back = store.calls().get(id, 64).orElseThrow();
            assertNull(back.agent());
            assertFalse(back.isError());
        }
    }

    @Test
    void bodyOfOneAndAHalfMegabytesReadsBackWhole() {
        byte[] big = new byte[1_500_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        HttpExchange e = Fixtures.exchange(64, 1, false);
        HttpRequest r = e.request();
        HttpExchange bigEx = new HttpExchange(64, 1, 0, e.client(), e.server(),
                new HttpRequest(r.method(), r.target(), r.version(), r.headers(),
                        new Body(big, big.length, big.length, false, null, null), r.firstByteNanos(),
                        r.lastByteNanos(), r.firstFrame(), r.lastFrame()),
                e.response(), null);
        // Compressed, so the deflate path of the payload file is exercised too.
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE.withCompress(true));
                StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/x", null));
            w.exchange(bigEx);
            w.finish(Capture.ImportStatus.COMPLETE);
            Fixtures.assertExchangeEquals(bigEx, store.exchanges().get(id, 64).orElseThrow());
            assertTrue(store.databaseFile().toFile().length() > 0);
        }
    }
}
