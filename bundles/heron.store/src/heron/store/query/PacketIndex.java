package heron.store.query;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import heron.core.model.PacketRecord;
import heron.store.HeronStore;
import heron.store.StoreException;
import heron.store.internal.FrameIndexFile;

/**
 * Reads a capture's frame index side file (see {@code docs/storage.md}). Records come back with
 * a null summary: the packet bytes, and so the one-line summary, are read from the capture file by
 * whoever shows them. Thread-safe; every call opens the file for the duration of the read.
 */
public final class PacketIndex {
    private final HeronStore store;

    public PacketIndex(HeronStore store) {
        this.store = store;
    }

    /** Number of packets indexed for the capture (0 when it has no side file). */
    public long count(long captureId) {
        Path f = FrameIndexFile.path(store.directory(), captureId);
        try {
            return Files.exists(f) ? Math.max(0, (Files.size(f) - FrameIndexFile.HEADER) / FrameIndexFile.RECORD) : 0;
        } catch (IOException e) {
            throw new StoreException("cannot read frame index " + f, e);
        }
    }

    /** The packet with this frame number. */
    public Optional<PacketRecord> get(long captureId, long frame) {
        List<PacketRecord> r = range(captureId, frame, 1);
        return r.isEmpty() || r.get(0).frame() != frame ? Optional.empty() : Optional.of(r.get(0));
    }

    /**
     * Up to {@code count} packets in frame order, starting at the first frame {@code >= fromFrame}.
     */
    public List<PacketRecord> range(long captureId, long fromFrame, int count) {
        Path f = FrameIndexFile.path(store.directory(), captureId);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long n = Math.max(0, (ch.size() - FrameIndexFile.HEADER) / FrameIndexFile.RECORD);
            if (n == 0 || count <= 0) {
                return List.of();
            }
            long start = FrameIndexFile.indexAtOrAfter(ch, n, fromFrame);
            int len = (int) Math.min(count, n - start);
            if (len <= 0) {
                return List.of();
            }
            ByteBuffer b = ByteBuffer.allocate(len * FrameIndexFile.RECORD).order(ByteOrder.LITTLE_ENDIAN);
            FrameIndexFile.readFully(ch, b, FrameIndexFile.HEADER + start * FrameIndexFile.RECORD);
            b.flip();
            List<PacketRecord> out = new ArrayList<>(len);
            for (int i = 0; i < len; i++) {
                out.add(FrameIndexFile.decode(b));
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException("cannot read frame index " + f, e);
        }
    }
}
