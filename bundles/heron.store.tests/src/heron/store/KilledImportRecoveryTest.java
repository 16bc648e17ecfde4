package heron.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.store.internal.FrameIndexFile;
import heron.store.schema.CaptureTables;

/**
 * Kills a separate JVM in the middle of an import (destroyForcibly, i.e. SIGKILL) and checks the
 * database opens afterwards with the half import removed and earlier captures intact.
 */
class KilledImportRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void databaseOpensAfterTheImportingProcessIsKilledAndThePartialCaptureIsRemoved() throws Exception {
        long kept;
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            kept = w.beginCapture(Fixtures.capture("/kept.pcap", "kept"));
            w.call(Fixtures.call(64, "m", 200, Fixtures.T0, 5));
            w.finish(Capture.ImportStatus.COMPLETE);
        }

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath(), KillTarget.class.getName(),
                dir.toString());
        pb.redirectError(dir.resolveSibling(dir.getFileName() + "-child-stderr.txt").toFile());
        Process p = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // the process was killed
            }
        }, "kill-target-stdout");
        reader.setDaemon(true);
        reader.start();

        long partial = -1;
        long idSeen = 0;
        long rows = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (rows < 3000 && System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l == null) {
                assertTrue(p.isAlive(), "child JVM exited early: " + stderr());
                continue;
            }
            if (l.startsWith("ID ")) {
                partial = Long.parseLong(l.substring(3));
                idSeen = System.nanoTime();
            } else if (l.startsWith("ROWS ")) {
                rows = Long.parseLong(l.substring(5));
            }
        }
        assertTrue(rows >= 3000, "child JVM did not get going (" + rows + " rows): " + stderr());
        // H2 writes committed changes to the file in the background within its write delay
        // (500 ms by default): a kill sooner after the capture row was committed may lose the row
        // itself, leaving nothing partial to recover. Kill mid-import, but after that delay.
        long settled = idSeen + TimeUnit.MILLISECONDS.toNanos(2_000);
        while (System.nanoTime() < settled) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "child JVM exited early: " + stderr());
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(partial > 0);

        try (HeronStore store = HeronStore.open(dir)) {
            assertEquals(List.of(partial), store.recoveredCaptures().stream().map(Capture::id).toList());
            assertEquals(List.of(kept), store.captures().list().stream().map(Capture::id).toList());
            LlmCall c = store.calls().get(kept, 64).orElseThrow();
            assertEquals("m", c.requestModel());
            try (Connection conn = store.connect()) {
                // The partial capture's tables are gone; the kept one's have their view indexes.
                assertFalse(CaptureTables.captureIdsWithTables(conn).contains(partial));
                assertTrue(CaptureTables.exist(conn, kept));
            }
            assertFalse(Files.exists(FrameIndexFile.path(store.directory(), partial)));
            assertFalse(Files.exists(heron.store.internal.BlobFile.path(store.directory(), partial)));
        }
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolveSibling(dir.getFileName() + "-child-stderr.txt"));
        } catch (Exception e) {
            return "(no stderr)";
        }
    }

    /**
     * The child's class path from the code sources of the bundles involved: OSGi gives no
     * java.class.path, but each bundle's classes come from a jar or a folder we can name.
     */
    private static String classpath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        List<Class<?>> anchors = new ArrayList<>(List.of(KillTarget.class, HeronStore.class, LlmCall.class,
                org.h2.Driver.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class));
        // jackson-annotations: loaded through databind's own class loader (not imported here).
        anchors.add(com.fasterxml.jackson.databind.ObjectMapper.class.getClassLoader()
                .loadClass("com.fasterxml.jackson.annotation.JsonInclude"));
        for (Class<?> c : anchors) {
            var cs = c.getProtectionDomain().getCodeSource();
            assertNotNull(cs, "no code source for " + c);
            Path p = toPath(cs.getLocation());
            entries.add(p.toString());
            // A bundle run from its project folder keeps its classes in a sub-folder.
            for (String sub : List.of("target/classes", "bin", "target/test-classes")) {
                if (Files.isDirectory(p.resolve(sub))) {
                    entries.add(p.resolve(sub).toString());
                }
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path toPath(java.net.URL url) throws URISyntaxException {
        String s = url.toString();
        if (s.startsWith("reference:")) {
            s = s.substring("reference:".length());
        }
        if (s.startsWith("jar:")) {
            s = s.substring(4, s.indexOf("!/"));
        }
        return Path.of(new java.net.URI(s));
    }
}
