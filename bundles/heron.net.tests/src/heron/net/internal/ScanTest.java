package heron.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The word-at-a-time searches must agree with a plain byte loop on every input and range. */
class ScanTest {
    private static final byte[] SPECIAL = { '\n', '\r', '\t', 0, 0x0B, 0x0C, 0x0D, 0x0E, (byte) 0x8A, (byte) 0x8D,
            (byte) 0x80, (byte) 0xFF, ' ', ':' };

    private static byte[] randomBytes(Random r, int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (byte) ('a' + r.nextInt(26));
        }
        return d;
    }

    private static int naive(byte[] d, int from, int to, boolean crToo) {
        for (int i = from; i < to; i++) {
            if (d[i] == '\n' || (crToo && d[i] == '\r')) {
                return i;
            }
        }
        return -1;
    }

    private static int naiveHeadEnd(byte[] a, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            if (a[k] == '\n' && (a[k - 1] == '\n' || (k - 2 >= from && a[k - 1] == '\r' && a[k - 2] == '\n'))) {
                return k;
            }
        }
        return -1;
    }

    @Test
    void lineEndSearchesAgreeWithAByteLoopOnRandomInput() {
        Random r = new Random(42);
        for (int t = 0; t < 100_000; t++) {
            byte[] d = randomBytes(r, r.nextInt(48));
            int from = r.nextInt(d.length + 1);
            int to = from + r.nextInt(d.length - from + 1);
            ByteBuffer b = ByteBuffer.wrap(d);
            assertEquals(naive(d, from, to, false), Scan.indexOfLf(b, from, to));
            assertEquals(naive(d, from, to, true), Scan.indexOfEol(b, from, to));
            assertEquals(naiveHeadEnd(d, from, to), Scan.headEnd(b, from, to));
        }
    }

    @Test
    void controlBytesOtherThanLineEndsAreSkippedInsideOneWord() {
        byte[] d = "a\tb\u000bc\u000cd\re".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(7, Scan.indexOfEol(ByteBuffer.wrap(d), 0, d.length));
    }
}
