package heron.net.dissect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads packet bytes back from the capture file at the offsets of the frame index, the way
 * Wireshark does: packet bytes never live in the database.
 */
public final class PacketBytes {
    private PacketBytes() {
    }

    public static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, offset, length);
        }
    }

    public static byte[] read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, offset + b.position());
            if (n < 0) {
                throw new IOException("capture file ends before the packet at offset " + offset
                        + " (was it changed since the import?)");
            }
        }
        return b.array();
    }

    /** Classic hex dump: offset, 16 bytes in hex, ASCII. */
    public static String hexDump(byte[] p) {
        StringBuilder b = new StringBuilder(p.length * 4 + 64);
        for (int row = 0; row < p.length; row += 16) {
            b.append(String.format("%04x  ", row));
            for (int i = 0; i < 16; i++) {
                if (row + i < p.length) {
                    b.append(String.format("%02x ", p[row + i] & 0xff));
                } else {
                    b.append("   ");
                }
                if (i == 7) {
                    b.append(' ');
                }
            }
            b.append(' ');
            for (int i = 0; i < 16 && row + i < p.length; i++) {
                int v = p[row + i] & 0xff;
                b.append(v >= 32 && v < 127 ? (char) v : '.');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Character position in {@link #hexDump} of the hex digits of byte {@code index}. */
    public static int hexPosition(int index) {
        int row = index / 16;
        int col = index % 16;
        int rowLen = 6 + 16 * 3 + 1 + 1 + 16 + 1;
        return row * rowLen + 6 + col * 3 + (col >= 8 ? 1 : 0);
    }
}
