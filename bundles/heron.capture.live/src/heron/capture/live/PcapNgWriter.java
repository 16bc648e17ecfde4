package heron.capture.live;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pcapng file (one section, one interface, enhanced packet blocks) as packets arrive,
 * so a live capture can be re-opened later like Wireshark's capture files. Timestamps use
 * if_tsresol = 9 (nanoseconds). Block layout per the pcapng specification (IETF
 * draft-ietf-opsawg-pcapng): every block is padded to 32 bits and repeats its length at the end.
 */
public final class PcapNgWriter implements Closeable {
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private final OutputStream out;
    private long offset;

    public PcapNgWriter(Path file, int linkType, int snaplen, String interfaceName) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        // Section header: byte-order magic, version 1.0, section length unknown (-1).
        ByteBuffer shb = block(SHB, 16);
        shb.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        write(shb);
        byte[] name = interfaceName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int nameOpt = 4 + pad4(name.length);
        ByteBuffer idb = block(IDB, 8 + nameOpt + 8 + 4);
        idb.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        idb.putShort((short) 2).putShort((short) name.length).put(name).put(new byte[pad4(name.length) - name.length]);
        idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]); // if_tsresol = 10^-9
        idb.putShort((short) 0).putShort((short) 0); // opt_endofopt
        write(idb);
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer block(int type, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(12 + bodyLength);
        return b;
    }

    private void write(ByteBuffer b) throws IOException {
        b.putInt(b.capacity());
        out.write(b.array(), 0, b.capacity());
        offset += b.capacity();
    }

    /**
     * Appends one packet and returns the file offset of its data (what the frame index stores).
     */
    public synchronized long write(long timestampNanos, byte[] data, int originalLength) throws IOException {
        int padded = pad4(data.length);
        ByteBuffer b = block(EPB, 20 + padded);
        b.putInt(0).putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos);
        b.putInt(data.length).putInt(originalLength);
        long dataOffset = offset + 28;
        b.put(data).put(new byte[padded - data.length]);
        write(b);
        return dataOffset;
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
