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
        }
        // the view is positioned only when someone asks for it (data()): the pipeline reads the
        // stable buffer at stableIndex() and never needs it
        index = (int) (off - file.base());
        viewStale = true;
        dataOffset = off;
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
