package heron.store.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import heron.store.query.TimelineQuery.CallSpan;
import heron.store.query.TimelineQuery.Data;
import heron.store.query.TimelineQuery.ToolRun;

/**
 * The model of a timeline (Gantt chart) of LLM calls, headless: lanes (one per turn or per
 * connection), each with one row per nesting depth (sub-agent calls one row below the call that
 * started them), and bars — one per call, from request to response end with its time to first
 * content, and one per tool run between a call and the call that carried the tool results.
 * <p>
 * A view asks {@link #visible} for the bars of the time range and rows it shows at its pixel
 * width and only paints what comes back: bars outside the range are skipped by binary search and
 * bars thinner than a pixel that fall on the same pixels are merged, so the cost of a frame
 * depends on the screen, not on the number of calls. Immutable; safe to share between threads.
 */
public final class Timeline {
    /** How calls are grouped into lanes. */
    public enum LaneMode {
        /** One lane per agent turn (calls outside any turn share a last lane). */
        TURN,
        /** One lane per TCP connection. */
        CONNECTION
    }

    public enum BarKind {
        /** An LLM call: request to response end. */
        CALL,
        /** The client running tools between a call and the next one of the same agent. */
        TOOL_RUN
    }

    /**
     * One bar. For a call, {@code firstContentNanos} ends its time-to-first-content part (0 when
     * not seen); for a tool run, {@code callId} is the call that asked for the tools,
     * {@code resultCallId} the call that carried their results and {@code label} the tool names.
     *
     * @param depth nesting: 0 for the main agent, 1 for a sub-agent it started, ...
     */
    public record Bar(int index, BarKind kind, long callId, long resultCallId, long startNanos, long firstContentNanos,
            long endNanos, String label, int lane, int depth, long parentCallId, boolean error, boolean auxiliary) {
        public long durationNanos() {
            return endNanos - startNanos;
        }
    }

    /**
     * One lane; it covers rows {@code firstRow .. firstRow + rows - 1} (one per depth).
     *
     * @param key the turn id or connection id the lane groups by (0: none)
     */
    public record Lane(int index, long key, String label, int firstRow, int rows, int calls) {
    }

    /**
     * A bar (or a merged run of bars thinner than a pixel) at pixel columns {@code x0 .. x1}
     * (exclusive, at least one pixel wide) of {@code row}; {@code merged} counts the bars drawn as
     * one, {@code bar} is the first of them.
     */
    public record Visible(Bar bar, int row, int x0, int x1, int merged) {
    }

    private final LaneMode mode;
    private final List<Lane> lanes;
    private final List<Bar> bars;
    private final Map<Long, Bar> callBars;
    private final int[] rowLane;
    // Per row: bar indexes by start time, their starts and the running maximum of their ends (for
    // the binary search of the first bar that can reach into the visible range).
    private final int[][] rowBars;
    private final long[][] rowStarts;
    private final long[][] rowMaxEnds;
    private final long startNanos;
    private final long endNanos;

    private Timeline(LaneMode mode, List<Lane> lanes, List<Bar> bars) {
        this.mode = mode;
        this.lanes = List.copyOf(lanes);
        this.bars = List.copyOf(bars);
        Map<Long, Bar> byCall = new HashMap<>();
        int rows = lanes.isEmpty() ? 0 : lanes.get(lanes.size() - 1).firstRow() + lanes.get(lanes.size() - 1).rows();
        rowLane = new int[rows];
        for (Lane l : lanes) {
            for (int r = 0; r < l.rows(); r++) {
                rowLane[l.firstRow() + r] = l.index();
            }
        }
        List<List<Bar>> perRow = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            perRow.add(new ArrayList<>());
        }
        long s = Long.MAX_VALUE;
        long e = Long.MIN_VALUE;
        for (Bar b : bars) {
            if (b.kind() == BarKind.CALL) {
                byCall.put(b.callId(), b);
            }
            perRow.get(lanes.get(b.lane()).firstRow() + b.depth()).add(b);
            s = Math.min(s, b.startNanos());
            e = Math.max(e, b.endNanos());
        }
        callBars = byCall;
        startNanos = bars.isEmpty() ? 0 : s;
        endNanos = bars.isEmpty() ? 0 : e;
        rowBars = new int[rows][];
        rowStarts = new long[rows][];
        rowMaxEnds = new long[rows][];
        for (int r = 0; r < rows; r++) {
            List<Bar> l = perRow.get(r);
            l.sort(Comparator.comparingLong(Bar::startNanos).thenComparingInt(Bar::index));
            rowBars[r] = new int[l.size()];
            rowStarts[r] = new long[l.size()];
            rowMaxEnds[r] = new long[l.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < l.size(); i++) {
                Bar b = l.get(i);
                rowBars[r][i] = b.index();
                rowStarts[r][i] = b.startNanos();
                max = Math.max(max, b.endNanos());
                rowMaxEnds[r][i] = max;
            }
        }
    }

    /** An empty timeline. */
    public static Timeline empty(LaneMode mode) {
        return new Timeline(mode, List.of(), List.of());
    }

    /** Lanes and bars of {@code data} grouped by {@code mode}. */
    public static Timeline of(Data data, LaneMode mode) {
        Map<Long, CallSpan> byId = new HashMap<>();
        for (CallSpan c : data.calls()) {
            byId.put(c.callId(), c);
        }
        Map<Long, Integer> depths = new HashMap<>();
        for (CallSpan c : data.calls()) {
            depths.put(c.callId(), depth(c, byId));
        }
        // Lanes in order of their first call (the calls come in request order).
        Map<Long, List<CallSpan>> grouped = new LinkedHashMap<>();
        for (CallSpan c : data.calls()) {
            grouped.computeIfAbsent(laneKey(c, mode), k -> new ArrayList<>()).add(c);
        }
        if (mode == LaneMode.TURN && grouped.containsKey(0L)) {
            grouped.put(0L, grouped.remove(0L)); // calls outside turns go last
        }
        List<Lane> lanes = new ArrayList<>(grouped.size());
        Map<Long, Integer> laneOfKey = new HashMap<>();
        int row = 0;
        for (Map.Entry<Long, List<CallSpan>> g : grouped.entrySet()) {
            int maxDepth = 0;
            for (CallSpan c : g.getValue()) {
                maxDepth = Math.max(maxDepth, depths.get(c.callId()));
            }
            laneOfKey.put(g.getKey(), lanes.size());
            lanes.add(new Lane(lanes.size(), g.getKey(), laneLabel(g.getKey(), g.getValue(), mode), row, maxDepth + 1,
                    g.getValue().size()));
            row += maxDepth + 1;
        }
        List<Bar> bars = new ArrayList<>(data.calls().size() + data.toolRuns().size());
        for (CallSpan c : data.calls()) {
            long end = end(c);
            long fc = c.firstContentNanos() >= c.requestNanos() && c.firstContentNanos() <= end ? c.firstContentNanos()
                    : 0;
            bars.add(new Bar(0, BarKind.CALL, c.callId(), 0, c.requestNanos(), fc, end,
                    c.model() == null ? "call " + c.callId() : c.model(), laneOfKey.get(laneKey(c, mode)),
                    depths.get(c.callId()), c.parentCallId(), c.error(), c.auxiliary()));
        }
        for (ToolRun t : data.toolRuns()) {
            CallSpan asked = byId.get(t.askedByCallId());
            CallSpan result = byId.get(t.resultCallId());
            if (asked == null || result == null) {
                continue; // the other end is outside the scope shown
            }
            long start = end(asked);
            long end = Math.max(start, result.requestNanos());
            bars.add(new Bar(0, BarKind.TOOL_RUN, asked.callId(), result.callId(), start, 0, end,
                    String.join(", ", t.toolNames()), laneOfKey.get(laneKey(asked, mode)), depths.get(asked.callId()),
                    asked.parentCallId(), t.error(), false));
        }
        // Reading order: lane, depth, start; a call before the tool run that starts at its end.
        bars.sort(Comparator.comparingInt(Bar::lane).thenComparingInt(Bar::depth).thenComparingLong(Bar::startNanos)
                .thenComparing(Bar::kind).thenComparingLong(Bar::callId));
        List<Bar> indexed = new ArrayList<>(bars.size());
        for (Bar b : bars) {
            indexed.add(new Bar(indexed.size(), b.kind(), b.callId(), b.resultCallId(), b.startNanos(),
                    b.firstContentNanos(), b.endNanos(), b.label(), b.lane(), b.depth(), b.parentCallId(), b.error(),
                    b.auxiliary()));
        }
        return new Timeline(mode, lanes, indexed);
    }

    /** The end of a call's bar: its response end, else the last time seen of it. */
    private static long end(CallSpan c) {
        return Math.max(c.requestNanos(), Math.max(c.endNanos(), c.firstContentNanos()));
    }

    /**
     * Sub-agent calls sit one level below the call that started them. A sub-agent call whose
     * parent is outside the data still shows as nested; cycles (which a correct tracker never
     * writes) are cut after a bounded walk.
     */
    private static int depth(CallSpan c, Map<Long, CallSpan> byId) {
        int d = 0;
        CallSpan cur = c;
        while (cur.parentCallId() != 0 && d < 16) {
            d++;
            CallSpan p = byId.get(cur.parentCallId());
            if (p == null) {
                return d;
            }
            cur = p;
        }
        return d == 0 && c.subagent() ? 1 : d;
    }

    private static long laneKey(CallSpan c, LaneMode mode) {
        return mode == LaneMode.TURN ? c.turnId() : c.connectionId();
    }

    private static String laneLabel(long key, List<CallSpan> calls, LaneMode mode) {
        if (mode == LaneMode.TURN) {
            return key == 0 ? "no turn" : "turn " + key;
        }
        String server = calls.get(0).server();
        return key == 0 ? "connection ?" : "conn " + key + (server == null ? "" : " " + server);
    }

    public LaneMode mode() {
        return mode;
    }

    public List<Lane> lanes() {
        return lanes;
    }

    /** All bars in reading order: lane, depth, start time. */
    public List<Bar> bars() {
        return bars;
    }

    /** The call bars in reading order. */
    public List<Bar> calls() {
        return bars.stream().filter(b -> b.kind() == BarKind.CALL).toList();
    }

    /** The bar of a call, or null when the call is not in this timeline. */
    public Bar callBar(long callId) {
        return callBars.get(callId);
    }

    public int rowCount() {
        return rowLane.length;
    }

    /** The lane a row belongs to. */
    public Lane laneOfRow(int row) {
        return lanes.get(rowLane[row]);
    }

    /** The row a bar is drawn on. */
    public int row(Bar b) {
        return lanes.get(b.lane()).firstRow() + b.depth();
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public boolean isEmpty() {
        return bars.isEmpty();
    }

    /**
     * What to paint for the time range {@code [fromNanos, toNanos]} shown across {@code widthPx}
     * pixels, rows {@code firstRow .. lastRow} (inclusive): bars that overlap the range, clipped
     * to at least one pixel; consecutive bars of a row narrower than {@code mergeBelowPx} that
     * touch the same pixels are returned as one.
     */
    public List<Visible> visible(long fromNanos, long toNanos, int widthPx, int firstRow, int lastRow,
            int mergeBelowPx) {
        List<Visible> out = new ArrayList<>();
        if (toNanos <= fromNanos || widthPx <= 0) {
            return out;
        }
        double pxPerNano = widthPx / (double) (toNanos - fromNanos);
        for (int r = Math.max(0, firstRow); r <= Math.min(lastRow, rowCount() - 1); r++) {
            int[] ix = rowBars[r];
            long[] starts = rowStarts[r];
            int i = firstReaching(rowMaxEnds[r], fromNanos);
            Visible pending = null;
            boolean pendingThin = false;
            for (; i < ix.length && starts[i] <= toNanos; i++) {
                Bar b = bars.get(ix[i]);
                if (b.endNanos() < fromNanos) {
                    continue;
                }
                int x0 = clampPx((b.startNanos() - fromNanos) * pxPerNano, widthPx);
                int x1 = Math.max(x0 + 1, clampPx(Math.ceil((b.endNanos() - fromNanos) * pxPerNano), widthPx));
                boolean thin = x1 - x0 < mergeBelowPx;
                if (pendingThin && thin && x0 <= pending.x1() && pending.bar().kind() == b.kind()) {
                    pending = new Visible(pending.bar(), r, pending.x0(), Math.max(x1, pending.x1()),
                            pending.merged() + 1);
                    continue;
                }
                if (pending != null) {
                    out.add(pending);
                }
                pending = new Visible(b, r, x0, x1, 1);
                pendingThin = thin;
            }
            if (pending != null) {
                out.add(pending);
            }
        }
        return out;
    }

    private static int clampPx(double x, int widthPx) {
        return (int) Math.max(-1, Math.min(widthPx + 1, Math.floor(x)));
    }

    /** Index of the first bar whose end (running maximum) reaches {@code t}. */
    private static int firstReaching(long[] maxEnds, long t) {
        int lo = 0;
        int hi = maxEnds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (maxEnds[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The bar of {@code row} under time {@code t}, or the nearest one within {@code slopNanos}
     * (so thin bars can be hit); calls win over tool runs. Null when none.
     */
    public Bar hit(int row, long t, long slopNanos) {
        if (row < 0 || row >= rowCount()) {
            return null;
        }
        int[] ix = rowBars[row];
        long[] starts = rowStarts[row];
        Bar best = null;
        long bestDistance = Long.MAX_VALUE;
        for (int i = firstReaching(rowMaxEnds[row], t - slopNanos); i < ix.length && starts[i] <= t + slopNanos;
                i++) {
            Bar b = bars.get(ix[i]);
            long d = t < b.startNanos() ? b.startNanos() - t : t > b.endNanos() ? t - b.endNanos() : 0;
            if (d > slopNanos) {
                continue;
            }
            boolean better = best == null || d < bestDistance
                    || d == bestDistance && b.kind() == BarKind.CALL && best.kind() != BarKind.CALL;
            if (better) {
                best = b;
                bestDistance = d;
            }
        }
        return best;
    }
}
