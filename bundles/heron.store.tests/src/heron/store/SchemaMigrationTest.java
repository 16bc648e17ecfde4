package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.store.schema.CaptureTables;
import heron.store.schema.Schema;

class SchemaMigrationTest {
    @TempDir
    Path dir;

    private static boolean indexExists(HeronStore store, String name) throws Exception {
        return listed(store, "INDEXES", "INDEX_NAME", name);
    }

    private static boolean tableExists(HeronStore store, String name) throws Exception {
        return listed(store, "TABLES", "TABLE_NAME", name);
    }

    /** Whether {@code INFORMATION_SCHEMA.<view>} has a row whose {@code column} is {@code name}. */
    private static boolean listed(HeronStore store, String view, String column, String name) throws Exception {
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA." + view + " WHERE " + column
                        + " = '" + name.toUpperCase() + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    @Test
    void newDatabaseIsAtTheCurrentVersion() {
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(Schema.CURRENT_VERSION, store.schemaVersion());
        }
    }

    @Test
    void databaseOfAnOlderVersionIsMigratedOnOpenKeepingItsData() throws Exception {
        long id;
        try (HeronStore v1 = HeronStore.open(dir, StoreOptions.defaults(), 1)) {
            assertEquals(1, v1.schemaVersion());
            assertTrue(!indexExists(v1, "llm_call_time"));
            // A capture as version 1 wrote it: rows in the shared tables.
            try (Connection c = v1.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO capture (path, format, size_bytes, sha256, link_types, packet_count, "
                        + "first_ns, last_ns, status, imported_at, secrets_masked) VALUES ('/old.pcap', 'pcap', 1, "
                        + "'s', '1', 0, 0, 0, 'COMPLETE', CURRENT_TIMESTAMP, TRUE)");
                try (ResultSet rs = s.executeQuery("SELECT MAX(id) FROM capture")) {
                    rs.next();
                    id = rs.getLong(1);
                }
                s.executeUpdate("INSERT INTO llm_call (capture_id, id, exchange_id, request_model, stream, status, "
                        + "request_ns, has_error, is_error, has_agent, tool_call_count) VALUES (" + id
                        + ", 64, 64, 'm', FALSE, 200, " + T0 + ", FALSE, FALSE, FALSE, 0)");
                s.executeUpdate("INSERT INTO health_counter VALUES (" + id + ", 'packets.total', 7)");
            }
        }
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(Schema.CURRENT_VERSION, store.schemaVersion());
            // Version 3 moved the rows into the capture's own tables and indexed them.
            assertTrue(indexExists(store, CaptureTables.index("llm_call", "time", id)));
            assertTrue(!tableExists(store, "llm_call"));
            assertEquals("m", store.calls().get(id, 64).orElseThrow().requestModel());
            assertEquals(7L, store.health().counters(id).get("packets.total"));
        }
        // Opening again applies nothing twice.
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(Schema.CURRENT_VERSION, store.schemaVersion());
            assertEquals(1, store.calls().count(id, null));
        }
    }

    @Test
    void anImportGetsItsViewIndexesWhenItFinishes() throws Exception {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/new.pcap", "n"));
            w.call(Fixtures.call(64, "m", 200, T0, 5));
            w.flush();
            // During the import the rows go into tables keyed by id only (ADR 0005).
            assertTrue(tableExists(store, CaptureTables.of("llm_call", id)));
            assertTrue(!indexExists(store, CaptureTables.index("llm_call", "time", id)));
            assertEquals(1, store.calls().count(id, null));
            w.finish(Capture.ImportStatus.COMPLETE);
            for (String ix : new String[] { "time", "model", "e2e", "turn" }) {
                assertTrue(indexExists(store, CaptureTables.index("llm_call", ix, id)), ix);
            }
            assertTrue(indexExists(store, CaptureTables.index("http_exchange", "time", id)));
            assertTrue(indexExists(store, CaptureTables.index("agent_turn", "session", id)));
            assertTrue(indexExists(store, CaptureTables.index("agent_session", "id", id)));
        }
    }

    @Test
    void anImportWithDeferredIndexesRunsWithASmallPageCacheAndRestoresItWhenItEnds() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            int before = store.pageCacheKb();
            try (StoreWriter w = store.writer()) {
                w.deferRows();
                w.beginCapture(Fixtures.capture("/analyze.pcap", "a"));
                assertEquals(Math.min(before, HeronStore.BULK_CACHE_KB), store.pageCacheKb());
                w.call(Fixtures.call(64, "m", 200, T0, 5));
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            assertEquals(before, store.pageCacheKb());
            // an aborted one restores it too; an import that builds its indexes keeps the big cache
            try (StoreWriter w = store.writer()) {
                w.deferRows();
                w.beginCapture(Fixtures.capture("/aborted.pcap", "b"));
            }
            assertEquals(before, store.pageCacheKb());
            try (StoreWriter w = store.writer()) {
                w.beginCapture(Fixtures.capture("/workbench.pcap", "c"));
                assertEquals(before, store.pageCacheKb());
                w.finish(Capture.ImportStatus.COMPLETE);
            }
        }
    }

    @Test
    void anImportWithDeferredRowsGetsItsRowsAndIndexesFromItsFirstQuery() throws Exception {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            w.deferRows();
            long id = w.beginCapture(Fixtures.capture("/analyze.pcap", "a"));
            w.call(Fixtures.call(64, "m", 200, T0 + 5, 5));
            w.call(Fixtures.call(128, "m", 200, T0, 5));
            w.flush();
            // While the capture is imported its rows are packed and nothing is expanded or indexed
            // (an index built now would be maintained row by row for the rest of the import).
            assertEquals(0, store.calls().page(id, null, heron.store.query.CallQueries.Sort.REQUEST_TIME, true, 0, 10)
                    .size());
            assertTrue(!indexExists(store, CaptureTables.index("llm_call", "time", id)));
            w.finish(Capture.ImportStatus.COMPLETE);
            assertTrue(!indexExists(store, CaptureTables.index("llm_call", "time", id)));
            // The first query expands the rows and builds every view index, and answers in request order.
            assertEquals(java.util.List.of(128L, 64L), store.calls()
                    .page(id, null, heron.store.query.CallQueries.Sort.REQUEST_TIME, true, 0, 10).stream()
                    .map(c -> c.id()).toList());
            for (String ix : new String[] { "time", "model", "e2e", "turn" }) {
                assertTrue(indexExists(store, CaptureTables.index("llm_call", ix, id)), ix);
            }
            assertTrue(indexExists(store, CaptureTables.index("http_exchange", "conn", id)));
            assertTrue(indexExists(store, CaptureTables.index("tool_link", "asked", id)));
        }
        // A store opened later (e.g. the workbench on `heron analyze --db`) finds them too.
        try (HeronStore store = HeronStore.open(dir)) {
            long id = store.captures().list().get(0).id();
            store.ensureRows(id);
            assertTrue(indexExists(store, CaptureTables.index("agent_session", "id", id)));
            assertEquals(2, store.calls().count(id, null));
        }
    }

    @Test
    void databaseFromANewerHeronIsRefusedWithAClearMessage() throws Exception {
        try (HeronStore store = HeronStore.open(dir); Connection c = store.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version(version, description) VALUES (99, 'future')");
        }
        StoreException e = assertThrows(StoreException.class, () -> HeronStore.open(dir));
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("newer"), e.getMessage());
        // The refused open released the file: removing the future version makes it openable again.
        try (Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + dir.toAbsolutePath().resolve("heron"),
                new java.util.Properties() {
                    private static final long serialVersionUID = 1L;
                    {
                        setProperty("user", "heron");
                        setProperty("password", "");
                    }
                }); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM schema_version WHERE version = 99");
        }
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(Schema.CURRENT_VERSION, store.schemaVersion());
        }
    }
}
