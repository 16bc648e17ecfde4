package heron.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import heron.core.model.Header;

/**
 * Worker-confined cache of whole header lines: clients send the same lines again and again
 * ("content-type: application/json", the user agent ...), so a line seen before costs one
 * word-at-a-time hash and compare and returns the same immutable {@link Header}. Direct-mapped; a
 * collision replaces the entry. Each entry also keeps where name and value lie in the line, for the
 * framing checks.
 */
final class HeaderCache {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int SIZE = 2048;
    static final int MAX_LINE = 256;
    private final byte[][] keys = new byte[SIZE][];
    private final Header[] headers = new Header[SIZE];
    /** Per entry: name start, name end, value start, value end (relative to the line start). */
    private final int[] bounds = new int[SIZE * 4];
    private int slot;

    /** The cached header of line a[from, to), or null (then {@link #put} stores it in the same slot). */
    Header get(byte[] a, int from, int to) {
        int n = to - from;
        long h = n;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONGS.get(a, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < to; i++) {
            h = (h ^ a[i]) * 0x9E3779B97F4A7C15L;
        }
        slot = (int) (h ^ (h >>> 29) ^ (h >>> 47)) & (SIZE - 1);
        byte[] k = keys[slot];
        if (k != null && k.length == n && Arrays.equals(k, 0, n, a, from, to)) {
            return headers[slot];
        }
        return null;
    }

    /** Offsets of the cached entry found by the last {@link #get}: 0 name start .. 3 value end. */
    int bound(int which) {
        return bounds[slot * 4 + which];
    }

    /** Stores the line parsed after a miss of {@link #get} (same line). */
    void put(byte[] a, int from, int to, Header h, int ns, int ne, int vs, int ve) {
        keys[slot] = Arrays.copyOfRange(a, from, to);
        headers[slot] = h;
        int b = slot * 4;
        bounds[b] = ns - from;
        bounds[b + 1] = ne - from;
        bounds[b + 2] = vs - from;
        bounds[b + 3] = ve - from;
    }
}
