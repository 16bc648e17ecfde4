package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.core.model.PacketRecord;
import heron.core.model.ToolLink;
import heron.store.internal.BlobFile;
import heron.store.internal.FrameIndexFile;
import heron.store.schema.CaptureTables;
import heron.store.schema.Schema;

class CaptureLifecycleTest {
    @TempDir
    Path dir;

    private static long fullCapture(HeronStore store, String sha) {
        try (StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/c.pcap", sha));
            w.connection(Fixtures.connection(1));
            w.exchange(Fixtures.exchange(64, 1, true));
            w.call(Fixtures.call(64, "m", 200, T0, 5));
            w.turn(Fixtures.turn(64, List.of(64L)));
            w.session(Fixtures.session("s", List.of(64L)));
            w.toolLink(new ToolLink("t", "bash", 64, 0, 0, false));
            w.health(Map.of("packets.total", 1L));
            w.packet(new PacketRecord(1, T0, 24, 60, 60, 1, 1, null, null));
            w.finish(Capture.ImportStatus.COMPLETE);
            return id;
        }
    }

    private static long rows(HeronStore store, long captureId) throws Exception {
        long n = 0;
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (String t : Schema.CAPTURE_TABLES) {
                // Each capture has its own tables (schema 3); a deleted capture has none.
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + CaptureTables.of(t, captureId)
                        + " WHERE capture_id = " + captureId)) {
                    rs.next();
                    n += rs.getLong(1);
                } catch (java.sql.SQLException e) {
                    assertTrue(heron.store.internal.Jdbc.missingTable(e), e.getMessage());
                }
            }
        }
        return n;
    }

    @Test
    void sameSha256IsFoundSoTheCallerCanReuseTheCapture() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            String sha = "0f".repeat(32);
            assertTrue(store.findCaptureBySha256(sha).isEmpty());
            long id = fullCapture(store, sha);
            assertEquals(id, store.findCaptureBySha256(sha).orElseThrow().id());
            assertEquals(id, store.findCaptureBySha256(sha.toUpperCase()).orElseThrow().id());
            assertTrue(store.findCaptureBySha256("11".repeat(32)).isEmpty());
        }
    }

    @Test
    void deleteCaptureRemovesEveryRowAndBothSideFilesButNoOtherCapture() throws Exception {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            long a = fullCapture(store, "a");
            long b = fullCapture(store, "b");
            assertTrue(rows(store, a) >= 7);
            assertTrue(Files.exists(FrameIndexFile.path(store.directory(), a)));
            assertTrue(Files.exists(BlobFile.path(store.directory(), a)));
            store.deleteCapture(a);
            assertEquals(0, rows(store, a));
            assertFalse(Files.exists(FrameIndexFile.path(store.directory(), a)));
            assertFalse(Files.exists(BlobFile.path(store.directory(), a)));
            assertTrue(Files.exists(BlobFile.path(store.directory(), b)));
            assertTrue(store.captures().get(a).isEmpty());
            assertEquals(List.of(b), store.captures().list().stream().map(Capture::id).toList());
            assertTrue(rows(store, b) >= 7);
        }
    }

    @Test
    void abortedImportLeavesNothingBehind() throws Exception {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            long id;
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/c.pcap", "x"));
                for (int i = 1; i <= 3000; i++) {
                    w.call(Fixtures.call(i * 64L, "m", 200, T0, 5));
                    w.packet(new PacketRecord(i, T0, 24, 60, 60, 1, 1, null, null));
                }
                w.abort();
            }
            assertTrue(store.captures().list().isEmpty());
            assertEquals(0, rows(store, id));
            assertFalse(Files.exists(FrameIndexFile.path(store.directory(), id)));
            assertFalse(Files.exists(BlobFile.path(store.directory(), id)));
        }
    }

    @Test
    void writerClosedWithoutFinishAbortsTheImport() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            try (StoreWriter w = store.writer()) {
                w.beginCapture(Fixtures.capture("/c.pcap", "x"));
                w.call(Fixtures.call(64, "m", 200, T0, 5));
            }
            assertTrue(store.captures().list().isEmpty());
        }
    }

    @Test
    void cancelledImportKeepsItsRowsAndSaysCancelled() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            long id;
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/c.pcap", "x"));
                w.call(Fixtures.call(64, "m", 200, T0, 5));
                w.finish(Capture.ImportStatus.CANCELLED);
            }
            assertEquals(Capture.ImportStatus.CANCELLED, store.captures().get(id).orElseThrow().status());
            assertTrue(store.calls().get(id, 64).isPresent());
        }
    }

    @Test
    void sideFilesWithoutACaptureRowAreRemovedOnOpen() throws Exception {
        Path orphanFrames;
        Path orphanBlobs;
        Path foreign;
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            orphanFrames = FrameIndexFile.path(store.directory(), 777);
            orphanBlobs = BlobFile.path(store.directory(), 777);
            Files.createDirectories(orphanFrames.getParent());
            Files.createDirectories(orphanBlobs.getParent());
            Files.write(orphanFrames, new byte[16]);
            Files.write(orphanBlobs, new byte[8]);
            foreign = orphanBlobs.resolveSibling("notes.txt");
            Files.writeString(foreign, "analyst notes");
        }
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            assertFalse(Files.exists(orphanFrames));
            assertFalse(Files.exists(orphanBlobs));
            assertTrue(Files.exists(foreign));
        }
    }

    @Test
    void importRunningInThisJvmIsNotRecoveredByASecondOpen() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE); StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/c.pcap", "x"));
            w.call(Fixtures.call(64, "m", 200, T0, 5));
            w.flush();
            try (HeronStore second = HeronStore.open(dir, Fixtures.ARCHIVE)) {
                assertTrue(second.recoveredCaptures().isEmpty());
            }
            w.finish(Capture.ImportStatus.COMPLETE);
            assertTrue(store.calls().get(id, 64).isPresent());
        }
    }

    @Test
    void captureLeftImportingByADeadProcessIsRemovedOnOpen() throws Exception {
        long id;
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            long keep = fullCapture(store, "keep");
            StoreWriter w = store.writer();
            id = w.beginCapture(Fixtures.capture("/dead.pcap", "d"));
            w.call(Fixtures.call(64, "m", 200, T0, 5));
            w.packet(new PacketRecord(1, T0, 24, 60, 60, 1, 1, null, null));
            w.flush();
            // Simulate the death: forget the writer without finishing it.
            HeronStore.ACTIVE_IMPORTS.remove(HeronStore.importKey(store.directory(), id));
            assertTrue(keep > 0);
        }
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE)) {
            assertEquals(List.of(id), store.recoveredCaptures().stream().map(Capture::id).toList());
            assertTrue(store.captures().get(id).isEmpty());
            assertEquals(0, rows(store, id));
            assertEquals(1, store.captures().list().size());
            assertFalse(Files.exists(FrameIndexFile.path(store.directory(), id)));
            assertFalse(Files.exists(BlobFile.path(store.directory(), id)));
        }
    }

    @Test
    void exchangeRowTakenOnAnotherThreadIsWrittenAsTheExchangeItself() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            heron.core.model.HttpExchange a = Fixtures.exchange(64, 1, true);
            heron.core.model.HttpExchange b = Fixtures.exchange(65, 1, false);
            long id;
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/c.pcap", "ab"));
                w.connection(Fixtures.connection(1));
                w.exchange(a);
                // what StoreImportSink does: the row is taken on a worker, the exchange dropped
                StoreWriter.Payload p = java.util.concurrent.CompletableFuture.supplyAsync(() -> w.encodeExchange(b))
                        .join();
                w.exchange(p);
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            var rows = store.exchanges().page(id, heron.store.query.ExchangeQueries.Sort.ID, true, 0, 10);
            assertEquals(2, rows.size());
            assertEquals(b.request().method(), rows.get(1).request().method());
            assertEquals(b.request().target(), rows.get(1).request().target());
            assertEquals(b.response().status(), rows.get(1).response().status());
            assertEquals(b.response().body().decodedLength(), rows.get(1).response().body().decodedLength());
            assertEquals(b.response().lastByteNanos(), rows.get(1).response().lastByteNanos());
            assertEquals(a.request().firstFrame(), rows.get(0).request().firstFrame());
        }
    }

    @Test
    void discardingCloseLeavesTheStoreClosedAndItsFolderDeletable() throws Exception {
        HeronStore store = HeronStore.open(dir);
        fullCapture(store, "d");
        store.closeDiscarding();
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, store::connect);
        store.close(); // a no-op after closeDiscarding
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        assertFalse(Files.exists(dir));
    }
}
