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
    final int[] ack = new int[CAP];
    final int[] flags = new int[CAP];
    final int[] off = new int[CAP];
    final int[] len = new int[CAP];
    final int[] wire = new int[CAP];
    final long[] ts = new long[CAP];
    final long[] frame = new long[CAP];
    final FlowEntry[] entry = new FlowEntry[CAP];
    /**
     * The source buffer of a packet passed without a copy (stable buffers), as an index into
     * {@link #bufs}, else -1 (arena). A byte per packet instead of a reference: storing a
     * reference per packet into this long-lived array cost the reader a tenth of its time (GC
     * write barrier), and a batch rarely meets more than one buffer (the mapped window).
     */
    final byte[] bufIdx = new byte[CAP];
    static final int MAX_BUFS = 64;
    final ByteBuffer[] bufs = new ByteBuffer[MAX_BUFS];
    int nBufs;
    /** Copied payloads of packets from buffers that are reused; allocated on first use. */
    byte[] arena = new byte[0];
    ByteBuffer view = ByteBuffer.wrap(arena);
    int used;

    boolean fits(int bytes) {
        return n < CAP && used + bytes <= arena.length;
    }

    /** Room for one more packet from stable buffer {@code src}. */
    boolean fitsStable(ByteBuffer src) {
        return n < CAP && (nBufs < MAX_BUFS || bufs[nBufs - 1] == src || indexOf(src) >= 0);
    }

    /** Index of {@code src} in {@link #bufs}, added if new (caller checked {@link #fitsStable}). */
    byte bufIndex(ByteBuffer src) {
        if (nBufs > 0 && bufs[nBufs - 1] == src) {
            return (byte) (nBufs - 1);
        }
        int i = indexOf(src);
        if (i >= 0) {
            return (byte) i;
        }
        bufs[nBufs] = src;
        return (byte) nBufs++;
    }

    private int indexOf(ByteBuffer src) {
        for (int i = 0; i < nBufs; i++) {
            if (bufs[i] == src) {
                return i;
            }
        }
        return -1;
    }

    void reset() {
        java.util.Arrays.fill(entry, 0, n, null);
        java.util.Arrays.fill(bufs, 0, nBufs, null);
        nBufs = 0;
        n = 0;
        used = 0;
    }
}
