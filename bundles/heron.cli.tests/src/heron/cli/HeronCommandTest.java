package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import heron.testing.Corpus;
import heron.testing.Folders;

/** The command line contract: version, help and exit codes. Runs headless, in OSGi, no display used. */
class HeronCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return new HeronCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsNameAndBundleVersion() {
        assertEquals(HeronCommand.OK, run("--version"));
        assertTrue(out().matches("Heron Workbench 0\\.1\\.0(\\.\\S+)?\\R"), out());
    }

    @Test
    void analyzeHelpPrintsUsageAndExitsZero() {
        assertEquals(HeronCommand.OK, run("analyze", "--help"));
        assertTrue(out().contains("Usage: heron analyze [options] FILE..."), out());
        assertTrue(out().contains("--export-sft FILE"), out());
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        assertEquals(HeronCommand.USAGE, run("analyze"));
        assertTrue(err().startsWith("heron analyze: no capture file given"), err());
        assertEquals(HeronCommand.USAGE, run("analyze", "--workers", "zero", "x.pcap"));
        assertEquals(HeronCommand.USAGE, run("analyze", "--bogus", "x.pcap"));
        assertEquals(HeronCommand.USAGE, run("frobnicate"));
    }

    @Test
    void missingInputExitsOne() {
        assertEquals(HeronCommand.INPUT_UNREADABLE, run("analyze", "/nonexistent/file.pcap"));
        assertTrue(err().contains("no such file"), err());
    }

    @Test
    void fileOfUnknownFormatExitsOneWithClearMessage() throws Exception {
        Path f = Files.createTempFile("heron", ".txt");
        Files.writeString(f, "this is not a capture file at all, just some text");
        try {
            assertEquals(HeronCommand.INPUT_UNREADABLE, run("analyze", f.toString()));
            assertTrue(err().contains("not a capture file Heron can read"), err());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void gzippedCaptureIsAnalyzedLikeThePlainFile() throws Exception {
        Path plain = Corpus.testdata("cc-turn-2tools.pcap");
        Path dir = Files.createTempDirectory("heron-gz");
        Path gz = dir.resolve("cc-turn-2tools.pcap.gz");
        try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, o);
        }
        try {
            assertEquals(HeronCommand.OK, run("analyze", "--json", plain.toString()));
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var expected = json.readTree(out());
            out.reset();
            assertEquals(HeronCommand.OK, run("analyze", "--json", gz.toString()), err());
            var actual = json.readTree(out());
            assertEquals(expected.get("calls").size(), actual.get("calls").size());
            assertTrue(actual.get("calls").size() > 0);
            assertEquals(expected.get("captures").get(0).get("sha256"), actual.get("captures").get(0).get("sha256"),
                    "the inflated capture is the original file");
        } finally {
            Folders.deleteTree(dir);
        }
    }

    @Test
    void truncatedGzipExitsOneWithClearMessage() throws Exception {
        Path plain = Corpus.testdata("cc-turn-2tools.pcap");
        Path gz = Files.createTempFile("heron", ".pcap.gz");
        var bytes = new ByteArrayOutputStream();
        try (var o = new java.util.zip.GZIPOutputStream(bytes)) {
            Files.copy(plain, o);
        }
        Files.write(gz, java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        try {
            assertEquals(HeronCommand.INPUT_UNREADABLE, run("analyze", gz.toString()));
            assertTrue(err().contains("truncated gzip file"), err());
        } finally {
            Files.delete(gz);
        }
    }
}
