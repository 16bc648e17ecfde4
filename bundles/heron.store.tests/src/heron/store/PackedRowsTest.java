package heron.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
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
import heron.store.schema.CaptureTables;

/**
 * A bulk import's packed rows ({@link StoreWriter#deferRows}, ADR 0007) become, at the first query,
 * exactly the rows an import that inserts them writes; a deleted capture takes its side file along.
 */
class PackedRowsTest {
    private static final int N = 1_500;

    @TempDir
    Path dir;

    /** Writes the same entities, with NULLs, long and non-ASCII texts, into one capture. */
    private static long importAll(HeronStore store, String path, boolean packed) {
        try (StoreWriter w = store.writer()) {
            if (packed) {
                w.deferRows();
            }
            long id = w.beginCapture(Fixtures.capture(path, null));
            List<AgentTurn> turns = new ArrayList<>();
            List<AgentSession> sessions = new ArrayList<>();
            List<ToolLink> links = new ArrayList<>();
            List<LlmCall> calls = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                long cid = 64L * (i + 1);
                w.connection(Fixtures.connection(cid));
                w.exchange(Fixtures.exchange(cid, cid, i % 3 == 0));
                String sid = i % 7 == 0 ? "sess-é-" + i + "-" + "x".repeat(2000) : "sess-" + i;
                LlmCall call = Fixtures.call(cid, i % 5 == 0 ? null : "claude-" + i, i % 11 == 0 ? 429 : 200,
                        Fixtures.T0 + i, 1_000_000L * i);
                calls.add(i % 4 == 0 ? call.withAgent(null) : call.withAgent(new AgentTag("claude-code", sid, cid, false, i % 9 == 0, 0)));
                turns.add(Fixtures.turn(cid, List.of(cid)));
                sessions.add(Fixtures.session(sid, List.of(cid)));
                if (i % 2 == 0) {
                    links.add(new ToolLink("toolu_" + i, i % 6 == 0 ? null : "bash", cid, cid + 64, 1000 + i, i % 4 == 0));
                }
            }
            // as an import's tail: the call rows are written while turns, sessions and links are
            // written (or packed) on a thread of their own
            // a packed import stages most call rows while it runs and adds the tags in its tail
            // (heron analyze); the rows are those of calls written with their tags
            List<Runnable> tail = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                LlmCall call = calls.get(i);
                if (!packed || i % 3 == 0) {
                    tail.add(() -> w.call(call));
                } else if (i % 6 == 1) {
                    // no tag in the tail: the call's own goes in
                    StoreWriter.StagedCall s = w.stageCall(call, w.encodeCall(call));
                    tail.add(() -> w.call(s, null));
                } else {
                    StoreWriter.StagedCall s = w.stageCall(call.withAgent(null), w.encodeCall(call));
                    tail.add(() -> w.call(s, call.agent()));
                }
            }
            w.agentRowsConcurrently(turns, sessions, links);
            tail.forEach(Runnable::run);
            assertEquals(5L * N + links.size(), w.rowsWritten());
            w.finish(Capture.ImportStatus.COMPLETE);
            return id;
        }
    }

    /** Every row of a capture's table, without capture_id, in key order. */
    private static List<List<Object>> rows(HeronStore store, String base, long id) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + CaptureTables.of(base, id) + " ORDER BY id")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int k = 1; k <= md.getColumnCount(); k++) {
                    if (!"CAPTURE_ID".equals(md.getColumnName(k))) {
                        row.add(rs.getObject(k));
                    }
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Long packedOffset(HeronStore store, long id) throws Exception {
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT packed_offset FROM capture WHERE id = " + id)) {
            rs.next();
            return (Long) rs.getObject(1);
        }
    }

    @Test
    void packedRowsExpandAtTheFirstQueryIntoTheRowsAnInsertingImportWrites() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            long direct = importAll(store, "/tmp/direct.pcapng", false);
            long packed = importAll(store, "/tmp/packed.pcapng", true);
            // nothing in the tables yet: the rows wait in the side file
            assertEquals(0, rows(store, "llm_call", packed).size());
            Path file = PackedRows.path(dir, packed);
            assertTrue(Files.size(file) > 100_000, file.toString());
            assertEquals(0L, packedOffset(store, packed));
            assertEquals(null, packedOffset(store, direct));
            assertFalse(Files.exists(PackedRows.path(dir, direct)));

            assertEquals(N, store.calls().count(packed, null));
            assertEquals(null, packedOffset(store, packed));
            assertFalse(Files.exists(file));
            for (String base : CaptureTables.BASES) {
                if (!base.equals("health_counter")) {
                    List<List<Object>> want = rows(store, base, direct);
                    assertTrue(!want.isEmpty(), base);
                    assertEquals(want, rows(store, base, packed), base);
                }
            }
            assertEquals(store.turns().sessions(direct), store.turns().sessions(packed));
        }
    }

    @Test
    void anExpansionCutShortGoesOnWhereItStoppedWhenTheStoreIsOpenedAgain() throws Exception {
        long direct;
        long packed;
        try (HeronStore store = HeronStore.open(dir)) {
            direct = importAll(store, "/tmp/direct.pcapng", false);
            packed = importAll(store, "/tmp/packed.pcapng", true);
            // as if the process died after two chunks: their rows and the offset reached are committed
            try (Connection c = store.connect()) {
                c.setAutoCommit(false);
                assertTrue(PackedRows.expand(c, dir, packed, 100, 1000, 2) > 0);
            }
            assertTrue(packedOffset(store, packed) > 8);
            int expanded = 0;
            for (String base : List.of("connection", "http_exchange", "llm_call", "agent_turn", "agent_session")) {
                expanded += rows(store, base, packed).size();
            }
            assertTrue(expanded > 0 && expanded < 5 * N, "rows expanded: " + expanded);
        }
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(N, store.calls().count(packed, null));
            assertEquals(null, packedOffset(store, packed));
            assertFalse(Files.exists(PackedRows.path(dir, packed)));
            for (String base : List.of("connection", "http_exchange", "llm_call", "agent_turn", "tool_link")) {
                assertEquals(rows(store, base, direct), rows(store, base, packed), base);
            }
        }
    }

    @Test
    void rowsOfAPackedImportCannotBeUpdated() {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            w.deferRows();
            w.beginCapture(Fixtures.capture("/tmp/p.pcapng", null));
            w.call(Fixtures.call(64, "m", 200, Fixtures.T0, 5));
            assertThrows(IllegalStateException.class, () -> w.callAgent(64, new AgentTag("x", "s", 64, false, false, 0)));
            assertThrows(IllegalStateException.class, () -> w.replaceAgentRows(List.of(), List.of(), List.of()));
            assertThrows(IllegalStateException.class, w::deferRows);
        }
    }

    @Test
    void textsLongerThanTheirColumnAreCutInsteadOfFailingTheImport() {
        String longSession = "s".repeat(5000);
        try (HeronStore store = HeronStore.open(dir)) {
            for (boolean packed : new boolean[] { false, true }) {
                long id;
                try (StoreWriter w = store.writer()) {
                    if (packed) {
                        w.deferRows();
                    }
                    id = w.beginCapture(Fixtures.capture("/tmp/long" + packed + ".pcapng", null));
                    w.call(Fixtures.call(64, "m".repeat(3000), 200, Fixtures.T0, 5)
                            .withAgent(new AgentTag("claude-code", longSession, 64, false, false, 0)));
                    w.agentRowsConcurrently(List.of(), List.of(Fixtures.session(longSession, List.of(64L))), List.of());
                    w.finish(Capture.ImportStatus.COMPLETE);
                }
                LlmCall c = store.calls().get(id, 64).orElseThrow();
                assertEquals(512, c.requestModel().length());
                assertEquals(1024, c.agent().sessionId().length());
                assertEquals(1024, store.turns().sessions(id).get(0).id().length());
            }
        }
    }

    @Test
    void deletingACaptureWithPackedRowsDeletesTheirFile() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            long id = importAll(store, "/tmp/packed.pcapng", true);
            assertTrue(Files.exists(PackedRows.path(dir, id)));
            store.deleteCapture(id);
            assertFalse(Files.exists(PackedRows.path(dir, id)));
        }
    }
}
