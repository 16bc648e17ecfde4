package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.ImportResult;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.testing.Corpus;

/**
 * A sink that ends in the background ({@code heron analyze} makes its report meanwhile): the
 * import returns before the last rows are written, {@link StoreImportSink#awaitEnd} waits for them
 * and reports a failed write, which leaves no capture behind.
 */
class BackgroundEndTest {
    private static final Path CAPTURE = Corpus.testdata().resolve("cc-turn-2tools.pcap");

    @TempDir
    Path dir;

    @Test
    void awaitEndLeavesTheCaptureComplete() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            ImportResult r;
            long id;
            try (StoreImportSink sink = new StoreImportSink(store, x -> {
            }, true)) {
                sink.endInBackground();
                r = CaptureImporter.fromPlatform(NetOptions.defaults()).importFile(CAPTURE, sink, null);
                sink.awaitEnd();
                id = sink.captureId();
            }
            assertEquals(Capture.ImportStatus.COMPLETE, store.captures().get(id).orElseThrow().status());
            assertEquals(r.calls().size(), store.calls().count(id, null));
            assertTrue(r.calls().size() > 0);
        }
    }

    @Test
    void aWriteThatFailsIsReportedByAwaitEndAndLeavesNoCapture() throws Exception {
        try (HeronStore store = HeronStore.open(dir)) {
            // the capture's packed rows cannot be written: a folder is where their file goes (the
            // first capture of a new database gets id 1)
            Files.createDirectories(dir.resolve("rows").resolve("1.rows"));
            try (StoreImportSink sink = new StoreImportSink(store, x -> {
            }, true)) {
                sink.endInBackground();
                // returns: the failure is the writer thread's, met by awaitEnd
                CaptureImporter.fromPlatform(NetOptions.defaults()).importFile(CAPTURE, sink, null);
                IllegalStateException e = assertThrows(IllegalStateException.class, sink::awaitEnd);
                assertTrue(e.getMessage().startsWith("writing to the workspace database failed"), e.getMessage());
            }
            assertEquals(0, store.captures().list().size());
        }
    }
}
