package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.store.HeronStore;
import heron.testing.Corpus;

/**
 * Ctrl-C / SIGTERM during {@code heron analyze}: the shutdown hook's {@link Interruption#signal}
 * is called here directly, from the import's first progress step, as the JVM would call it.
 */
class InterruptionTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<Path> temporaries = new ArrayList<>();

    /** Signals once the import is under way; the hook's wait returns when the command settles. */
    final class MidImport extends Interruption {
        final AtomicBoolean fired = new AtomicBoolean();
        Thread hook;

        MidImport() {
            super(Analyzer::deleteTree);
        }

        @Override
        void temporary(Path dir) {
            temporaries.add(dir);
            super.temporary(dir);
        }

        @Override
        void progressed() {
            if (fired.compareAndSet(false, true)) {
                hook = new Thread(() -> signal(WAIT_MS), "test-hook");
                hook.start();
                while (!requested()) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    int run(Interruption i, String... args) {
        return new HeronCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), i).run(args);
    }

    @Test
    void interruptedAnalysisPrintsNoReportAndDeletesItsTemporaryDatabase() throws Exception {
        MidImport i = new MidImport();
        int rc;
        try (i) {
            rc = run(i, "analyze", "--json", Corpus.testdata("cc-turn-2tools.pcap").toString());
        }
        i.hook.join(Interruption.WAIT_MS);
        assertEquals(HeronCommand.INTERRUPTED, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("heron analyze: interrupted; the temporary"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(1, temporaries.size());
        assertFalse(Files.exists(temporaries.get(0)), "temporary database left behind: " + temporaries);
        assertFalse(i.hook.isAlive(), "the hook kept waiting after the command settled");
    }

    @Test
    void interruptedImportIntoADatabaseKeepsItMarkedCancelled(@TempDir Path db) throws Exception {
        MidImport i = new MidImport();
        int rc;
        try (i) {
            rc = run(i, "analyze", "--db", db.toString(), Corpus.testdata("cc-turn-2tools.pcap").toString());
        }
        assertEquals(HeronCommand.INTERRUPTED, rc, err.toString(StandardCharsets.UTF_8));
        try (HeronStore store = HeronStore.open(db)) {
            List<Capture> captures = store.captures().list();
            assertEquals(1, captures.size());
            assertEquals(Capture.ImportStatus.CANCELLED, captures.get(0).status());
        }
    }

    @Test
    void hookDeletesTheTemporaryFolderItselfWhenTheCommandDoesNotStopInTime(@TempDir Path tmp) throws Exception {
        Path db = Files.createDirectories(tmp.resolve("heron-analyze-1"));
        Files.writeString(db.resolve("heron.mv.db"), "x");
        Interruption i = new Interruption(Analyzer::deleteTree);
        i.temporary(db);
        i.signal(50);
        assertTrue(i.requested());
        assertFalse(Files.exists(db));
    }

    @Test
    void hookDoesNotWaitForACommandThatWatchesNothing() {
        Interruption i = new Interruption(Analyzer::deleteTree);
        long t0 = System.nanoTime();
        i.signal(Interruption.WAIT_MS);
        assertTrue(i.requested());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the hook waited for a command it cannot stop");
    }

    @Test
    void hookLeavesFoldersAloneWhenTheCommandHasCleanedUp(@TempDir Path tmp) throws Exception {
        Path db = Files.createDirectories(tmp.resolve("heron-analyze-2"));
        Interruption i = new Interruption(Analyzer::deleteTree);
        i.temporary(db);
        i.close();
        i.signal(Interruption.WAIT_MS);
        assertTrue(Files.exists(db), "the hook must not delete what a finished command owns");
    }
}
