package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Capture;
import heron.core.model.Direction;
import heron.core.model.PacketRecord;
import heron.store.internal.FrameIndexFile;
import heron.store.query.PacketIndex;

class FrameIndexTest {
    @TempDir
    Path dir;

    private static PacketRecord packet(long frame) {
        return new PacketRecord(frame, T0 + frame * 1000, 24 + frame * 100, (int) (frame % 1500), 1514, 1,
                frame / 10, frame % 2 == 0 ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER, null);
    }

    @Test
    void rangeReadsReturnTheRequestedFramesFromTheSideFile() {
        try (HeronStore store = HeronStore.open(dir)) {
            long id;
            try (StoreWriter w = store.writer()) {
                id = w.beginCapture(Fixtures.capture("/f.pcap", "f"));
                for (long f = 1; f <= 10_000; f++) {
                    w.packet(packet(f));
                }
                Capture c = w.finish(Capture.ImportStatus.COMPLETE);
                assertEquals(10_000, c.packetCount());
                assertEquals(T0 + 1000, c.firstNanos());
                assertEquals(T0 + 10_000_000, c.lastNanos());
            }
            Path file = FrameIndexFile.path(dir.toAbsolutePath().normalize(), id);
            assertTrue(Files.exists(file));
            PacketIndex idx = store.packets();
            assertEquals(10_000, idx.count(id));
            List<PacketRecord> r = idx.range(id, 5000, 3);
            assertEquals(List.of(packet(5000), packet(5001), packet(5002)), r);
            assertEquals(List.of(packet(9999), packet(10_000)), idx.range(id, 9999, 50));
            assertEquals(List.of(), idx.range(id, 10_001, 5));
            assertEquals(packet(1), idx.get(id, 1).orElseThrow());
            assertEquals(List.of(), idx.range(id + 1, 1, 5));
        }
    }

    @Test
    void sparseFramesAreFoundByBinarySearch() {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/f.pcap", "f"));
            for (long f = 3; f <= 3000; f += 3) {
                w.packet(packet(f));
            }
            w.finish(Capture.ImportStatus.COMPLETE);
            assertEquals(List.of(packet(300), packet(303)), store.packets().range(id, 298, 2));
            assertEquals(packet(3), store.packets().range(id, 1, 1).get(0));
            assertTrue(store.packets().get(id, 301).isEmpty());
        }
    }

    @Test
    void framesOutOfOrderAreRejected() {
        try (HeronStore store = HeronStore.open(dir); StoreWriter w = store.writer()) {
            w.beginCapture(Fixtures.capture("/f.pcap", "f"));
            w.packet(packet(5));
            assertThrows(IllegalArgumentException.class, () -> w.packet(packet(4)));
        }
    }
}
