package heron.export.internal;

import java.time.Instant;

import heron.core.secrets.SecretMasker;

/** Small helpers shared by the exporters: time formatting and the masking switch. */
public final class Texts {
    private Texts() {
    }

    /** ISO-8601 UTC instant for a time in ns since the epoch, or null when 0 ("not seen"). */
    public static String iso(long nanos) {
        if (nanos <= 0) {
            return null;
        }
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
    }

    /** Milliseconds between two ns times, or -1 when either is unknown or they are out of order. */
    public static double millisBetween(long fromNanos, long toNanos) {
        if (fromNanos <= 0 || toNanos <= 0 || toNanos < fromNanos) {
            return -1;
        }
        return (toNanos - fromNanos) / 1e6;
    }

    /** Masks key shapes in {@code s} when {@code mask} is on; null stays null. */
    public static String mask(boolean mask, String s) {
        return mask ? SecretMasker.maskText(s) : s;
    }

    public static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
