package heron.ui.views;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Formatting shared by the views (plain functions: tested without a display). */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    private Format() {
    }

    public static String time(long nanos) {
        return nanos <= 0 ? "" : TIME.format(Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L));
    }

    /** Seconds relative to a reference, Wireshark's default time column. */
    public static String relative(long nanos, long reference) {
        return nanos <= 0 ? "" : String.format("%.6f", (nanos - reference) / 1e9);
    }

    public static String ms(Double v) {
        return v == null ? "" : String.format("%.1f", v);
    }

    public static String num(Long v) {
        return v == null ? "" : String.format("%,d", v);
    }

    public static String num(long v) {
        return String.format("%,d", v);
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MB", n / 1024.0 / 1024);
        }
        return String.format("%.2f GB", n / 1024.0 / 1024 / 1024);
    }

    public static String duration(long nanos) {
        if (nanos < 1_000_000_000L) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.2f s", nanos / 1e9);
    }

    /** First line, at most {@code max} characters, for previews in table cells. */
    public static String preview(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
