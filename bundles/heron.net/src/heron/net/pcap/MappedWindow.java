package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only access to a capture file through memory-mapped windows, so multi-GB files are never
 * loaded into the heap and packet bytes are handed out without copying. A window is remapped when
 * a record does not fit; records are bounded (see readers), so a window is always large enough.
 */
final class MappedWindow implements AutoCloseable {
    static final int WINDOW = 64 << 20;

    private final FileChannel channel;
    final long size;
    private MappedByteBuffer map;
    /** File offset of map index 0. */
    private long base;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    MappedWindow(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    void order(ByteOrder o) {
        this.order = o;
        if (map != null) {
            map.order(o);
        }
    }

    ByteOrder order() {
        return order;
    }

    /**
     * Makes [offset, offset+len) addressable and returns the buffer; index of file offset x is
     * {@code x - base()}. Caller guarantees offset+len <= size.
     */
    ByteBuffer ensure(long offset, int len) throws IOException {
        if (map == null || offset < base || offset + len > base + map.limit()) {
            long want = Math.max(WINDOW, len);
            long n = Math.min(want, size - offset);
            map = channel.map(FileChannel.MapMode.READ_ONLY, offset, n);
            map.order(order);
            base = offset;
        }
        return map;
    }

    long base() {
        return base;
    }

    @Override
    public void close() throws IOException {
        map = null;
        channel.close();
    }
}
