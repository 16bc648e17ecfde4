package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import heron.pipeline.CaptureImporter;

class CaptureHashTest {
    @Test
    void captureHashIsTheSha256OfTheFile() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("heron.testdata")))) {
            files = s.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
            assertEquals(expected, CaptureImporter.sha256Of(f), f.toString());
        }
    }

    @Test
    void missingFileHasNoHash() {
        assertNull(CaptureImporter.sha256Of(Path.of(System.getProperty("java.io.tmpdir"), "heron-no-such-file.pcap")));
    }
}
