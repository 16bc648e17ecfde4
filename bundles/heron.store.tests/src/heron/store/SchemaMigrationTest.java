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
import heron.store.schema.Schema;

class SchemaMigrationTest {
    @TempDir
    Path dir;

    private static boolean indexExists(HeronStore store, String name) throws Exception {
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = '"
                        + name.toUpperCase() + "'")) {
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
            try (StoreWriter w = v1.writer()) {
                id = w.beginCapture(Fixtures.capture("/old.pcap", "s"));
                w.call(Fixtures.call(64, "m", 200, T0, 5));
                w.finish(Capture.ImportStatus.COMPLETE);
            }
        }
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(2, store.schemaVersion());
            assertTrue(indexExists(store, "llm_call_time"));
            assertEquals("m", store.calls().get(id, 64).orElseThrow().requestModel());
        }
        // Opening again applies nothing twice.
        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(2, store.schemaVersion());
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
