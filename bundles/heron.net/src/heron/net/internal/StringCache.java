package heron.net.internal;

import java.nio.charset.StandardCharsets;

/**
 * Worker-confined cache of short Latin-1 strings (header names and values, request targets,
 * reasons): captures repeat the same few dozen header lines, so most lookups return a String made
 * earlier instead of allocating one. Direct-mapped; a collision just replaces the entry.
 */
final class StringCache {
    private static final int SIZE = 1024;
    static final int MAX_LEN = 96;
    private final byte[][] keys = new byte[SIZE][];
    private final String[] values = new String[SIZE];

    /** The string of a[from, to) decoded as ISO-8859-1 (HTTP header octets). */
    String get(byte[] a, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return "";
        }
        if (n > MAX_LEN) {
            return new String(a, from, n, StandardCharsets.ISO_8859_1);
        }
        int h = n;
        for (int i = from; i < to; i++) {
            h = 31 * h + a[i];
        }
        h ^= h >>> 16;
        int slot = h & (SIZE - 1);
        byte[] k = keys[slot];
        if (k != null && k.length == n && java.util.Arrays.equals(k, 0, n, a, from, to)) {
            return values[slot];
        }
        String s = new String(a, from, n, StandardCharsets.ISO_8859_1);
        keys[slot] = java.util.Arrays.copyOfRange(a, from, to);
        values[slot] = s;
        return s;
    }
}
