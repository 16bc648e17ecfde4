package heron.net.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records read through small, pre-faulted windows are the same as through one big window: the
 * window moves at record boundaries, the pre-faulting thread only reads, and the positioned view
 * ({@code data()}) and the stable buffer at {@code stableIndex()} show the same bytes.
 */
class MappedWindowTest {

    @TempDir
    Path dir;

    @Test
    void smallPrefaultedWindowsGiveTheSameRecordsAsOneWindow() throws IOException {
        Random rnd = new Random(7);
        List<byte[]> written = new ArrayList<>();
        ByteBuffer file = ByteBuffer.allocate(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
        file.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        while (file.remaining() > 20_000) {
            // sizes from tiny to larger than the 16 KB test window, so records straddle windows
            byte[] data = new byte[rnd.nextInt(10) == 0 ? 16_000 + rnd.nextInt(4000) : 40 + rnd.nextInt(1500)];
            rnd.nextBytes(data);
            file.putInt(1_750_000_000 + written.size()).putInt(written.size() % 1_000_000).putInt(data.length)
                    .putInt(data.length).put(data);
            written.add(data);
        }
        Path f = dir.resolve("windows.pcap");
        Files.write(f, java.util.Arrays.copyOf(file.array(), file.position()));

        List<byte[]> big = read(new PcapStream(f));
        // windows of 16 KB, every one pre-faulted by the background thread
        List<byte[]> small = read(new PcapStream(f, new MappedWindow(f, 16 << 10, 0)));
        assertEquals(written.size(), big.size());
        assertEquals(written.size(), small.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(written.get(i), big.get(i), "record " + i + " (one window)");
            assertArrayEquals(written.get(i), small.get(i), "record " + i + " (small windows)");
        }
    }

    private static List<byte[]> read(PcapStream s) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (s) {
            while (s.next()) {
                ByteBuffer view = s.data();
                byte[] a = new byte[view.remaining()];
                view.get(view.position(), a);
                byte[] b = new byte[s.capturedLength()];
                s.stableData().get(s.stableIndex(), b);
                assertArrayEquals(a, b, "frame " + s.frame() + ": view and stable buffer differ");
                // asking twice gives the same positioned view
                assertEquals(view.position(), s.data().position());
                out.add(a);
            }
            assertFalse(s.damage().any());
        }
        assertTrue(out.size() > 100);
        return out;
    }
}
