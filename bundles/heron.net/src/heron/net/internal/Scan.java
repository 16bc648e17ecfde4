package heron.net.internal;

import java.nio.ByteBuffer;

/**
 * Word-at-a-time byte searches over big-endian buffers (eight bytes per step): the hot loops of
 * HTTP header and SSE line splitting look for line ends, which are rare within the text.
 */
final class Scan {
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long LF = ONES * '\n';

    private Scan() {
    }

    /**
     * High bit set in exactly the zero bytes of x (no borrow between bytes, so no false
     * positives: the first set bit of a big-endian word is the first zero byte).
     */
    private static long zeros(long x) {
        long t = (x & LOW7) + LOW7;
        return ~(t | x | LOW7);
    }

    /** Index of the first '\n' in [from, to), or -1. {@code b} must be big-endian. */
    static int indexOfLf(ByteBuffer b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long z = zeros(b.getLong(i) ^ LF);
            if (z != 0) {
                return i + (Long.numberOfLeadingZeros(z) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static final long HIGH = 0x8080808080808080L;
    /** Added to the low seven bits of a byte, sets its high bit exactly when the byte is >= 0x0E. */
    private static final long LT_CR_PLUS_1 = ONES * (0x80 - 0x0E);

    /** Index of the first '\n' or '\r' in [from, to), or -1. {@code b} must be big-endian. */
    static int indexOfEol(ByteBuffer b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = b.getLong(i);
            // one test for both: bytes below 0x0E (CR); text rarely has other control bytes, and
            // a tab or the like is only a candidate that is checked and passed over
            long lt = ~(((w & LOW7) + LT_CR_PLUS_1) | w) & HIGH;
            while (lt != 0) {
                int k = Long.numberOfLeadingZeros(lt) >>> 3;
                byte c = (byte) (w >>> (56 - 8 * k));
                if (c == '\n' || c == '\r') {
                    return i + k;
                }
                lt &= ~(0x80L << (56 - 8 * k));
            }
        }
        for (; i < to; i++) {
            byte c = b.get(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the LF that ends an HTTP header block (the blank line: LF LF or LF CR LF) within
     * [from, to), considering only LFs at index >= from + 1; -1 if none.
     */
    static int headEnd(ByteBuffer b, int from, int to) {
        int k = from + 1;
        while (k < to) {
            k = indexOfLf(b, k, to);
            if (k < 0) {
                return -1;
            }
            byte p1 = b.get(k - 1);
            if (p1 == '\n' || (p1 == '\r' && k - 2 >= from && b.get(k - 2) == '\n')) {
                return k;
            }
            k++;
        }
        return -1;
    }
}
