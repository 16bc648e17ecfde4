package heron.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import heron.core.model.Direction;
import heron.core.model.PacketRecord;

/**
 * The per-capture frame index side file {@code frames/<captureId>.idx}: a 16-byte header
 * ("HFIX", format version, record size, reserved) followed by one fixed-size little-endian record
 * per packet in ascending frame order. Packets are too many for database rows (a million-packet
 * capture would be a million rows written and indexed) and are only ever read by frame range,
 * which a fixed-size file answers with one positional read.
 *
 * <pre>
 * offset size field
 *  0     8    frame
 *  8     8    timestamp, ns since the epoch
 * 16     8    file offset of the packet data
 * 24     4    captured length
 * 28     4    original length
 * 32     4    link type
 * 36     1    direction: 0 none, 1 client to server, 2 server to client
 * 37     3    reserved (0)
 * 40     8    connection id (0 = none)
 * </pre>
 */
public final class FrameIndexFile implements AutoCloseable {
    public static final int MAGIC = 0x58494648; // "HFIX" little-endian
    public static final int VERSION = 1;
    public static final int HEADER = 16;
    public static final int RECORD = 48;
    private static final int BUFFER_RECORDS = 4096;

    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(RECORD * BUFFER_RECORDS).order(ByteOrder.LITTLE_ENDIAN);
    private long lastFrame = Long.MIN_VALUE;
    private long count;
    private long firstNanos;
    private long lastNanos;

    /** Creates (truncating) the side file for writing. */
    public FrameIndexFile(Path file) throws IOException {
        ch = SideFiles.create(file);
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC).putInt(VERSION).putInt(RECORD).putInt(0).flip();
        SideFiles.writeFully(ch, h);
    }

    public static Path path(Path storeDir, long captureId) {
        return storeDir.resolve("frames").resolve(captureId + ".idx");
    }

    /** Appends a record; frames must ascend (the file is read by binary search). */
    public void append(PacketRecord p) throws IOException {
        if (p.frame() <= lastFrame) {
            throw new IllegalArgumentException("frames must ascend: " + p.frame() + " after " + lastFrame);
        }
        if (count == 0) {
            firstNanos = p.timestampNanos();
        }
        lastFrame = p.frame();
        lastNanos = p.timestampNanos();
        count++;
        if (buf.remaining() < RECORD) {
            drain();
        }
        buf.putLong(p.frame()).putLong(p.timestampNanos()).putLong(p.fileOffset()).putInt(p.capturedLength())
                .putInt(p.originalLength()).putInt(p.linkType());
        buf.put((byte) (p.direction() == null ? 0 : p.direction() == Direction.CLIENT_TO_SERVER ? 1 : 2));
        buf.put((byte) 0).put((byte) 0).put((byte) 0);
        buf.putLong(p.connectionId());
    }

    private void drain() throws IOException {
        SideFiles.drain(ch, buf);
    }

    public long count() {
        return count;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    /**
     * Writes what is buffered to the file, without forcing it to the disk: enough for readers in
     * this process (they read through the OS), and a killed import is discarded anyway.
     */
    public void writeBuffered() throws IOException {
        drain();
    }

    /** Writes what is buffered and forces it to disk. */
    public void flush() throws IOException {
        drain();
        ch.force(false);
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            ch.close();
        }
    }

    /** Decodes the record at the buffer's position. */
    public static PacketRecord decode(ByteBuffer b) {
        long frame = b.getLong();
        long ts = b.getLong();
        long off = b.getLong();
        int cap = b.getInt();
        int orig = b.getInt();
        int link = b.getInt();
        byte dir = b.get();
        b.get();
        b.get();
        b.get();
        long conn = b.getLong();
        Direction d = dir == 1 ? Direction.CLIENT_TO_SERVER : dir == 2 ? Direction.SERVER_TO_CLIENT : null;
        return new PacketRecord(frame, ts, off, cap, orig, link, conn, d, null);
    }

    /** Index of the first record whose frame is {@code >= frame} ({@code n} records in the file). */
    public static long indexAtOrAfter(FileChannel ch, long n, long frame) throws IOException {
        // Frames are normally dense from 1, so frame-1 is the index; check it before searching.
        long guess = frame - 1;
        if (guess >= 0 && guess < n && frameAt(ch, guess) == frame) {
            return guess;
        }
        long lo = 0;
        long hi = n;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (frameAt(ch, mid) < frame) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long frameAt(FileChannel ch, long index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, HEADER + index * RECORD);
        return b.getLong(0);
    }

    /** Fills {@code b} from {@code pos}; the index ending early is an error. */
    public static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        SideFiles.readFully(ch, b, pos, "frame index");
    }
}
