package heron.store.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ticks of a time axis from nanoseconds to days: the step is the smallest "round" duration
 * (1-2-5 steps up to 10 s, then 15 s, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, days)
 * that keeps labels at least a given number of pixels apart, and labels are offsets from an
 * origin written in the unit that suits the step (µs, ms, s, or m:ss / h:mm:ss clock time).
 */
public final class TimeAxis {
    /** A tick at time {@code nanos}, pixel column {@code x}. */
    public record Tick(long nanos, int x, String label) {
    }

    private static final long NS = 1;
    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final long S = 1_000_000_000L;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final long[] LONG_STEPS = { 10 * S, 15 * S, 30 * S, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN,
            30 * MIN, H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H };

    private TimeAxis() {
    }

    /**
     * The tick step for {@code spanNanos} shown across {@code widthPx} pixels with ticks at least
     * {@code minSpacingPx} apart.
     */
    public static long step(long spanNanos, int widthPx, int minSpacingPx) {
        double minStep = Math.max(1, spanNanos) * (double) Math.max(1, minSpacingPx) / Math.max(1, widthPx);
        for (long decade = NS; decade <= S; decade *= 10) {
            for (long m : new long[] { 1, 2, 5 }) {
                if (decade * m >= minStep) {
                    return decade * m;
                }
            }
        }
        for (long s : LONG_STEPS) {
            if (s >= minStep) {
                return s;
            }
        }
        long days = (long) Math.ceil(minStep / (24.0 * H));
        return days * 24 * H;
    }

    /**
     * The ticks in {@code [fromNanos, toNanos]} across {@code widthPx} pixels, labelled as offsets
     * from {@code originNanos} (the start of the data, so labels read "+3 ms", not wall time).
     */
    public static List<Tick> ticks(long originNanos, long fromNanos, long toNanos, int widthPx, int minSpacingPx) {
        List<Tick> out = new ArrayList<>();
        if (toNanos <= fromNanos || widthPx <= 0) {
            return out;
        }
        long step = step(toNanos - fromNanos, widthPx, minSpacingPx);
        double pxPerNano = widthPx / (double) (toNanos - fromNanos);
        // Ticks sit on multiples of the step counted from the origin, so they do not move when panning.
        long first = originNanos + Math.floorDiv(fromNanos - originNanos + step - 1, step) * step;
        for (long t = first; t <= toNanos; t += step) {
            out.add(new Tick(t, (int) Math.round((t - fromNanos) * pxPerNano), label(t - originNanos, step)));
        }
        return out;
    }

    /** {@code offsetNanos} written with the unit and precision {@code step} needs. */
    public static String label(long offsetNanos, long step) {
        String sign = offsetNanos < 0 ? "-" : "";
        long v = Math.abs(offsetNanos);
        if (step >= 10 * S) {
            long secs = v / S;
            String clock = secs >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
                    : String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
            return sign + clock;
        }
        // The largest unit at most ten steps long: a 500 ns step reads "2.5 µs", a 50 ns step "2550 ns".
        long scale = step * 10;
        long unit = scale >= S ? S : scale >= MS ? MS : scale >= US ? US : NS;
        String name = unit == S ? "s" : unit == MS ? "ms" : unit == US ? "µs" : "ns";
        return sign + decimal(v, unit) + " " + name;
    }

    /** {@code v / unit} with exactly the decimals needed (none for a whole number of units). */
    private static String decimal(long v, long unit) {
        long whole = v / unit;
        long frac = v % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        int digits = Long.toString(unit).length() - 1;
        String f = String.format(Locale.ROOT, "%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }

    /** A duration for tooltips: "850 ns", "12.3 µs", "4.56 ms", "1.23 s", "2 min 5 s", "1 h 02 min". */
    public static String duration(long nanos) {
        long v = Math.abs(nanos);
        String sign = nanos < 0 ? "-" : "";
        if (v < US) {
            return sign + v + " ns";
        }
        if (v < MS) {
            return sign + String.format(Locale.ROOT, "%.1f µs", v / 1e3);
        }
        if (v < S) {
            return sign + String.format(Locale.ROOT, "%.2f ms", v / 1e6);
        }
        if (v < MIN) {
            return sign + String.format(Locale.ROOT, "%.2f s", v / 1e9);
        }
        if (v < H) {
            return sign + String.format(Locale.ROOT, "%d min %d s", v / MIN, v % MIN / S);
        }
        return sign + String.format(Locale.ROOT, "%d h %02d min", v / H, v % H / MIN);
    }
}
