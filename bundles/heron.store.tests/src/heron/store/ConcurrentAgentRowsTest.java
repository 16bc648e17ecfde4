package heron.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.core.model.ToolLink;

/** {@link StoreWriter#agentRowsConcurrently} writes the rows that the one-thread methods write. */
class ConcurrentAgentRowsTest {
    private static final int N = 2_500;
    /** Small batches and commits, so that each side connection executes and commits many of them. */
    private static final StoreOptions OPTIONS = Fixtures.ARCHIVE.withBatching(100, 300);

    @TempDir
    Path dir;

    @Test
    void turnsSessionsAndLinksWrittenConcurrentlyReadBackAsWhenWrittenOneAfterAnother() {
        List<LlmCall> calls = new ArrayList<>();
        List<AgentTurn> turns = new ArrayList<>();
        List<AgentSession> sessions = new ArrayList<>();
        List<ToolLink> links = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            long id = 64L * (i + 1);
            String sid = "sess-" + i;
            calls.add(Fixtures.call(id, "claude-x", 200, Fixtures.T0 + i, 1_000_000)
                    .withAgent(new AgentTag("claude-code", sid, id, false, false, 0)));
            turns.add(Fixtures.turn(id, List.of(id)));
            sessions.add(Fixtures.session(sid, List.of(id)));
            if (i % 2 == 0) {
                links.add(new ToolLink("toolu_" + i, "bash", id, id + 64, 1000 + i, i % 4 == 0));
            }
        }
        try (HeronStore store = HeronStore.open(dir, OPTIONS)) {
            long serial;
            long concurrent;
            long serialRows;
            long concurrentRows;
            try (StoreWriter w = store.writer()) {
                serial = w.beginCapture(Fixtures.capture("/tmp/serial.pcapng", null));
                calls.forEach(w::call);
                w.turns(turns);
                w.sessions(sessions);
                w.toolLinks(links);
                serialRows = w.rowsWritten();
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            try (StoreWriter w = store.writer()) {
                concurrent = w.beginCapture(Fixtures.capture("/tmp/concurrent.pcapng", null));
                w.agentRowsConcurrently(turns, sessions, links);
                calls.forEach(w::call);
                concurrentRows = w.rowsWritten();
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            assertEquals(serialRows, concurrentRows);
            assertEquals(N, store.turns().count(concurrent));
            assertEquals(store.turns().page(serial, 0, N), store.turns().page(concurrent, 0, N));
            assertEquals(turns, store.turns().page(concurrent, 0, N));
            assertEquals(store.turns().sessions(serial), store.turns().sessions(concurrent));
            assertEquals(N, store.turns().sessions(concurrent).size());
            assertEquals(links, store.turns().toolLinks(concurrent));
            assertEquals(store.turns().toolLinks(serial), store.turns().toolLinks(concurrent));
            assertEquals(store.turns().session(serial, "sess-7"), store.turns().session(concurrent, "sess-7"));
            assertEquals(store.turns().turnWithCalls(serial, 64L * 8), store.turns().turnWithCalls(concurrent, 64L * 8));
        }
    }

    @Test
    void aFailedConcurrentWriteFailsTheFinishAndTheCaptureIsDeleted() {
        // two turns with one id: H2 refuses the second row (the id is the row key)
        try (HeronStore store = HeronStore.open(dir, OPTIONS)) {
            long id;
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/tmp/bad.pcapng", null));
                w.agentRowsConcurrently(List.of(Fixtures.turn(64, List.of(64L)), Fixtures.turn(64, List.of(128L))),
                        List.of(), List.of());
                StoreException e = assertThrows(StoreException.class, () -> w.finish(Capture.ImportStatus.COMPLETE));
                assertTrue(e.getMessage().contains("cannot finish capture"), e.getMessage());
            }
            assertTrue(store.captures().get(id).isEmpty());
        }
    }
}
