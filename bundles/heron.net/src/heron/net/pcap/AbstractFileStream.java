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
        this.file = new MappedWindow(path);
    }

    /** Sets the current packet to [off, off+capLen) of the file. */
    final void setData(long off) throws IOException {
        ByteBuffer b = file.ensure(off, capLen);
        if (view == null || viewSource != b) {
            // duplicates are big-endian (network order), whatever the file's byte order
            view = b.duplicate();
            stable = b.duplicate();
            viewSource = b;
        }
        int i = (int) (off - file.base());
        view.clear();
        view.position(i).limit(i + capLen);
        dataOffset = off;
    }

    private ByteBuffer viewSource;
    /** The whole current window, never repositioned: what {@link #stableData()} hands out. */
    private ByteBuffer stable;

    @Override
    public ByteBuffer stableData() {
        return stable;
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
