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
 * <p>
 * The first touch of each page of a fresh mapping is a page fault (the kernel maps the page-cache
 * page into the process): about 0.1-0.2 s of kernel time per GB on the reading thread. A daemon
 * thread therefore touches one byte per page of each new large window ahead of the reader, so the
 * reader finds the pages mapped (and, when the file is not cached yet, the disk reads start
 * early). The touching thread only reads; it stops when the window is replaced or closed.
 */
final class MappedWindow implements AutoCloseable {
    static final int WINDOW = 256 << 20;
    /**
     * Windows smaller than this are not pre-faulted (small files: a thread is not worth it). A
     * system property only for measurements (a huge value turns pre-faulting off).
     */
    static final int PREFAULT_MIN = Integer.getInteger("heron.net.prefaultMin", 8 << 20);
    private static final int PAGE = 4096;

    private final FileChannel channel;
    final long size;
    private MappedByteBuffer map;
    /** File offset of map index 0. */
    private long base;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private final int window;
    private final int prefaultMin;

    MappedWindow(Path file) throws IOException {
        this(file, WINDOW, PREFAULT_MIN);
    }

    /** Tests: other window sizes (records still have to fit: the window grows for a larger one). */
    MappedWindow(Path file, int window, int prefaultMin) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
        this.window = window;
        this.prefaultMin = prefaultMin;
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
            long want = Math.max(window, len);
            long n = Math.min(want, size - offset);
            map = channel.map(FileChannel.MapMode.READ_ONLY, offset, n);
            map.order(order);
            base = offset;
            if (n >= prefaultMin) {
                prefault(map);
            }
        }
        return map;
    }

    /** Generation of the current window: the pre-faulting thread of an older one stops. */
    private volatile int generation;

    private void prefault(MappedByteBuffer m) {
        int gen = ++generation;
        Thread t = new Thread(() -> touch(m, gen), "heron-prefault");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    private void touch(MappedByteBuffer m, int gen) {
        int n = m.limit();
        long sink = 0;
        for (int i = 0; i < n; i += PAGE) {
            if ((i & (64 * PAGE - 1)) == 0 && generation != gen) {
                return; // replaced or closed
            }
            sink += m.get(i);
        }
        touched = sink;
    }

    /** Keeps the touching loads from being optimised away. */
    @SuppressWarnings("unused")
    private long touched;

    long base() {
        return base;
    }

    @Override
    public void close() throws IOException {
        generation++;
        map = null;
        channel.close();
    }
}
