package heron.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The per-capture payload side file {@code blobs/<captureId>.dat}: bodies, headers, SSE events and
 * call details, appended one value after another; database rows hold each value's offset and
 * stored length. Large values inside H2's B-tree pages made every insert, commit and table scan
 * copy them again (see docs/adr/0002-store-bodies.md); here they are written once, sequentially,
 * and read with one positional read.
 *
 * <p>Layout: an 8-byte header ("HBLB", format version 1), then values. A value is one codec byte
 * (0 stored, 1 deflate), the uncompressed length (int, little-endian) and the payload.
 * Not thread-safe for writing; {@link #read} may be used by any thread at any time.
 */
public final class BlobFile implements AutoCloseable {
    public static final int MAGIC = 0x424C4248; // "HBLB" little-endian
    public static final int HEADER = 8;
    private static final int VALUE_HEADER = 5;
    // Values this small gain little from compression and cost a deflater call each.
    private static final int MIN_COMPRESS = 256;
    private static final int BUFFER = 1 << 20;

    private final FileChannel ch;
    private final boolean compress;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    /** Creates (truncating) the side file. */
    public BlobFile(Path file, boolean compress) throws IOException {
        this.ch = SideFiles.create(file);
        this.compress = compress;
        buf.putInt(MAGIC).putInt(1);
        position = HEADER;
    }

    public static Path path(Path storeDir, long captureId) {
        return storeDir.resolve("blobs").resolve(captureId + ".dat");
    }

    /** Appends a value; returns {offset, stored length}, what {@link #read} needs to read it back. */
    public long[] append(byte[] value) throws IOException {
        return appendEncoded(encode(value, compress, deflater));
    }

    /**
     * Encodes a value as it will be stored (codec byte, length, payload, compressed when that
     * helps). Thread-safe: importers encode on their worker threads and hand the result to the
     * single writing thread, which then only copies bytes ({@link #appendEncoded}).
     */
    public static byte[] encode(byte[] value, boolean compress) {
        return encode(value, compress, compress ? DEFLATERS.get() : null);
    }

    // One Deflater per encoding thread: creating one per value costs a native allocation.
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal
            .withInitial(() -> new Deflater(Deflater.BEST_SPEED));

    private static byte[] encode(byte[] value, boolean compress, Deflater deflater) {
        if (compress && value.length >= MIN_COMPRESS) {
            deflater.reset();
            deflater.setInput(value);
            deflater.finish();
            // Only a result smaller than the input is kept, so the input size bounds the output.
            byte[] out = new byte[VALUE_HEADER + value.length];
            int n = deflater.deflate(out, VALUE_HEADER, value.length);
            if (deflater.finished() && n < value.length) {
                out[0] = 1;
                putInt(out, 1, value.length);
                return java.util.Arrays.copyOf(out, VALUE_HEADER + n);
            }
        }
        byte[] out = new byte[VALUE_HEADER + value.length];
        putInt(out, 1, value.length);
        System.arraycopy(value, 0, out, VALUE_HEADER, value.length);
        return out;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    /** Appends a value made by {@link #encode}; returns {offset, stored length}. */
    public long[] appendEncoded(byte[] stored) throws IOException {
        if (buf.remaining() < stored.length) {
            drain();
            if (buf.capacity() < stored.length) {
                buf = ByteBuffer.allocate(stored.length).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        buf.put(stored);
        long at = position;
        position += stored.length;
        return new long[] { at, stored.length };
    }

    private void drain() throws IOException {
        SideFiles.drain(ch, buf);
    }

    /** Hands everything appended so far to the OS, so readers see it (no fsync). */
    public void flush() throws IOException {
        drain();
    }

    /** Flushes and forces the file to the disk. */
    public void sync() throws IOException {
        drain();
        ch.force(false);
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            ch.close();
            deflater.end();
        }
    }

    /** Reads a value written by {@link #append}; null when the file is missing. */
    public static byte[] read(Path file, long offset, int storedLength) throws IOException {
        try (FileChannel rc = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(rc, offset, storedLength);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads a value from an open channel. */
    public static byte[] read(FileChannel rc, long offset, int storedLength) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(storedLength).order(ByteOrder.LITTLE_ENDIAN);
        SideFiles.readFully(rc, b, offset, "payload file");
        b.flip();
        byte codec = b.get();
        int len = b.getInt();
        byte[] out = new byte[len];
        if (codec == 0) {
            b.get(out);
            return out;
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(b.array(), VALUE_HEADER, storedLength - VALUE_HEADER);
            int n = inf.inflate(out);
            if (n != len) {
                throw new IOException("payload inflates to " + n + " bytes, expected " + len);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("corrupt payload at " + offset, e);
        } finally {
            inf.end();
        }
    }

    /** Concatenates length-prefixed parts (length -1 = null) into one value. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

        public Builder put(byte[] part) {
            int n = part == null ? -1 : part.length;
            out.write(n);
            out.write(n >>> 8);
            out.write(n >>> 16);
            out.write(n >>> 24);
            if (part != null) {
                out.write(part, 0, part.length);
            }
            return this;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Reads the parts of a value made by {@link Builder}. */
    public static final class Parts {
        private final ByteBuffer b;

        public Parts(byte[] value) {
            b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        }

        public byte[] next() {
            int n = b.getInt();
            if (n < 0) {
                return null;
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }
    }
}
