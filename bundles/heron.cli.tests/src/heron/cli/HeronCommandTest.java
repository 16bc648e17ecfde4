package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

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
}
