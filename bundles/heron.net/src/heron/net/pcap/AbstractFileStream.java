package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import heron.core.capture.CaptureDamage;
import heron.core.capture.PacketStream;

/** Shared state of the file readers: current packet fields and the reusable data view. */
abstract class AbstractFileStream implements PacketStream, SizedStream, StableBuffers {
    /** Sanity bound for one record: larger lengths are treated as corruption. */
    static final int MAX_RECORD = 16 << 20;
    /**
     * How far ahead of the current packet every cache line of the window is loaded (see
     * {@link #touchAhead}); 0 turns it off. A system property for measurements only.
     */
    static final int TOUCH_AHEAD = Integer.getInteger("heron.net.touchAhead", 8 << 10);

    final MappedWindow file;
    final CaptureDamage damage = new CaptureDamage();
    long pos;
    long frame;
    long tsNanos;
    long dataOffset;
    int capLen;
    int origLen;
    int linkType;
    ByteBuffer view;

    AbstractFileStream(Path path) throws IOException {
        this(new MappedWindow(path));
    }

    AbstractFileStream(MappedWindow file) {
        this.file = file;
    }

    /** Sets the current packet to [off, off+capLen) of the file. */
    final void setData(long off) throws IOException {
        ByteBuffer b = file.ensure(off, capLen);
        if (viewSource != b) {
            // duplicates are big-endian (network order), whatever the file's byte order
            view = b.duplicate();
            stable = b.duplicate();
            viewSource = b;
            touched = 0;
        }
        // the view is positioned only when someone asks for it (data()): the pipeline reads the
        // stable buffer at stableIndex() and never needs it
        index = (int) (off - file.base());
        if (TOUCH_AHEAD > 0) {
            touchAhead(b, index);
        }
        viewStale = true;
        dataOffset = off;
    }

    /** Index in the current window up to which every cache line was loaded by {@link #touchAhead}. */
    private int touched;
    /** Keeps the touching loads from being optimised away. */
    private long touchSink;

    /**
     * Loads one byte of each cache line from the last line loaded up to {@code TOUCH_AHEAD} (8 KB)
     * bytes past packet index {@code i} (about a dozen loads per packet, amortised), so the
     * next records and their payloads are in this core's cache when they are reached. Without
     * it the walk is a chain of cache misses: where the next record header lies is known only
     * once the current one is read, so the CPU cannot overlap them, and a capture's irregular
     * record strides do not start the hardware prefetchers. These loads are independent of the
     * chain and overlap freely: the read-only walk of a 1 GB capture (pages already mapped) took
     * 0.19-0.22 s of CPU without them and 0.125-0.14 s with them (docs/performance.md, session 7).
     * The lines must land in the cache of the core that reads them: a helper thread touching them
     * gained nothing (session 4).
     */
    private void touchAhead(ByteBuffer b, int i) {
        int lim = Math.min(i + TOUCH_AHEAD, b.limit());
        int t = Math.max(touched, i);
        if (t >= lim) {
            return;
        }
        long sum = 0;
        for (t = (t + 63) & ~63; t < lim; t += 64) {
            sum += b.get(t);
        }
        touched = lim;
        touchSink += sum;
    }

    private ByteBuffer viewSource;
    /** The whole current window, never repositioned: what {@link #stableData()} hands out. */
    private ByteBuffer stable;
    /** Index of the current packet in {@link #stable} (and in {@link #view}). */
    private int index;
    /** {@link #view} is not yet positioned on the current packet. */
    private boolean viewStale;

    @Override
    public ByteBuffer stableData() {
        return stable;
    }

    @Override
    public int stableIndex() {
        return index;
    }

    @Override
    public long frame() {
        return frame;
    }

    @Override
    public long timestampNanos() {
        return tsNanos;
    }

    @Override
    public long fileOffset() {
        return dataOffset;
    }

    @Override
    public int capturedLength() {
        return capLen;
    }

    @Override
    public int originalLength() {
        return origLen;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public ByteBuffer data() {
        if (viewStale) {
            viewStale = false;
            view.clear();
            view.position(index).limit(index + capLen);
        }
        return view;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public long size() {
        return file.size;
    }

    @Override
    public CaptureDamage damage() {
        return damage;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
