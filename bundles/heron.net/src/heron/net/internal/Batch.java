package heron.net.internal;

import java.nio.ByteBuffer;

/** A run of packets (payload copied into one arena) handed from the reader to one worker. */
final class Batch {
    static final int CAP = 1024;
    static final int ARENA = 1 << 20;
    static final byte PKT = 0, CLOSE = 1, CLOSE_IDLE = 2, END = 3;

    int n;
    final byte[] kind = new byte[CAP];
    final byte[] side = new byte[CAP];
    final byte[] hint = new byte[CAP];
    final int[] seq = new int[CAP];
    final int[] flags = new int[CAP];
    final int[] off = new int[CAP];
    final int[] len = new int[CAP];
    final int[] wire = new int[CAP];
    final long[] ts = new long[CAP];
    final long[] frame = new long[CAP];
    final FlowEntry[] entry = new FlowEntry[CAP];
    /** The source buffer of a packet passed without a copy (stable buffers), else null (arena). */
    final ByteBuffer[] buf = new ByteBuffer[CAP];
    /** Copied payloads of packets from buffers that are reused; allocated on first use. */
    byte[] arena = new byte[0];
    ByteBuffer view = ByteBuffer.wrap(arena);
    int used;

    boolean fits(int bytes) {
        return n < CAP && used + bytes <= arena.length;
    }

    void reset() {
        java.util.Arrays.fill(entry, 0, n, null);
        java.util.Arrays.fill(buf, 0, n, null);
        n = 0;
        used = 0;
    }
}
