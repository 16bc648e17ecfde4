package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.health.PipelineHealth;
import heron.testing.Corpus;

/** Damaged files made from the testdata captures: partial results, damage reported, never a hang. */
class DamagedCaptureTest {
    @TempDir
    Path dir;

    private static byte[] testdata(String name) throws IOException {
        return Files.readAllBytes(Corpus.testdata(name));
    }

    /** File offsets of the pcap record headers (little-endian testdata). */
    private static long[] recordOffsets(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[10_000];
        int n = 0;
        int p = 24;
        while (p + 16 <= pcap.length) {
            out[n++] = p;
            p += 16 + b.getInt(p + 8);
        }
        return Arrays.copyOf(out, n);
    }

    @Test
    void truncatedFileYieldsEverythingBeforeTheCut() throws IOException {
        byte[] all = testdata("cc-turn-2tools.pcap");
        NetRun full = NetRun.of(Corpus.testdata("cc-turn-2tools.pcap"));
        Path p = dir.resolve("cut.pcap");
        Files.write(p, Arrays.copyOf(all, all.length * 6 / 10 + 5));
        NetRun r = NetRun.of(p);
        assertTrue(r.result.damage().any());
        assertTrue(r.result.damage().firstReason().contains("cut short"), r.result.damage().toString());
        assertTrue(r.result.packets() < full.result.packets());
        assertTrue(r.exchanges.size() >= 2, "exchanges before the cut survive");
        assertEquals("HEAD", r.exchanges.get(0).request().method());
        assertTrue(r.count(PipelineHealth.FILE_DAMAGED_BYTES) > 0);
    }

    @Test
    void corruptRecordLengthIsSkippedAndReadingResumes() throws IOException {
        byte[] all = testdata("cc-turn-2tools.pcap");
        long[] recs = recordOffsets(all);
        int victim = recs.length - 20;
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt((int) recs[victim] + 8, 0x7FFFFFF0);
        Path p = dir.resolve("badlen.pcap");
        Files.write(p, all);
        NetRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> NetRun.of(p));
        assertTrue(r.result.damage().any());
        assertEquals(recs[victim], r.result.damage().firstOffset());
        assertEquals(recs.length - 1, r.result.packets(), "only the corrupt record is lost");
        assertTrue(r.exchanges.size() >= 3, r.exchanges.size() + " exchanges");
    }

    @Test
    void garbagePcapngBlockIsSkipped() throws IOException {
        byte[] all = testdata("edge-pcapng.pcapng");
        NetRun full = NetRun.of(Corpus.testdata("edge-pcapng.pcapng"));
        // find the 10th block and destroy its length field
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        for (int i = 0; i < 10; i++) {
            p += b.getInt(p + 4);
        }
        int blockLen = b.getInt(p + 4);
        b.putInt(p + 4, 0x13);
        Path f = dir.resolve("garbage.pcapng");
        Files.write(f, all);
        NetRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> NetRun.of(f));
        assertTrue(r.result.damage().any());
        assertEquals(p, r.result.damage().firstOffset());
        assertEquals(blockLen, r.result.damage().skippedBytes());
        assertEquals(full.result.packets() - 1, r.result.packets());
        assertEquals(1, r.count(PipelineHealth.FILE_SKIPPED_BLOCKS));
    }

    @Test
    void randomBytesAfterAValidHeaderGiveDamageNotAHang() throws IOException {
        for (String name : new String[] { "cc-turn-2tools.pcap", "edge-pcapng.pcapng" }) {
            byte[] all = testdata(name);
            int keep = name.endsWith("ng") ? 200 : 24;
            byte[] junk = new byte[1 << 20];
            new Random(42).nextBytes(junk);
            System.arraycopy(all, 0, junk, 0, keep);
            Path f = dir.resolve("junk-" + name);
            Files.write(f, junk);
            NetRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> NetRun.of(f));
            assertTrue(r.result.damage().any(), name);
            assertTrue(r.result.damage().skippedBytes() > 0, name);
        }
    }

    @Test
    void randomBytesInsidePacketsNeverBreakTheParsers() throws IOException {
        byte[] all = testdata("cc-turn-2tools.pcap");
        long[] recs = recordOffsets(all);
        Random rnd = new Random(3);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < recs.length; i += 3) {
            int off = (int) recs[i] + 16;
            int len = b.getInt((int) recs[i] + 8);
            for (int k = 0; k < 8 && len > 0; k++) {
                all[off + rnd.nextInt(len)] = (byte) rnd.nextInt();
            }
        }
        Path f = dir.resolve("flipped.pcap");
        Files.write(f, all);
        NetRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> NetRun.of(f));
        assertEquals(recs.length, r.result.packets());
        assertFalse(r.result.damage().any(), "record structure intact");
        assertEquals(recs.length, r.count(PipelineHealth.PACKETS_TOTAL));
    }
}
