package heron.net.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import heron.core.model.Body;
import heron.core.model.DeferredList;
import heron.core.model.SseEvent;

/**
 * Splits a decoded {@code text/event-stream} body into events (WHATWG HTML "event stream
 * interpretation"): lines end in CRLF, LF or CR; a blank line dispatches; {@code data} lines are
 * joined with '\n'; lines starting with ':' are comments. Each event carries the time and frame of
 * the packet whose bytes completed it.
 * <p>
 * Two modes with the same line and dispatch rules. <b>Scan</b> (the start): lines are found
 * word-at-a-time straight in the packet buffers and only the first five bytes of a line are
 * looked at (enough to tell a {@code data} field); each dispatch that carries data records its
 * time and frame. The events themselves are built later, from the complete body, by
 * {@link #deferredEvents} when someone reads them. <b>Full</b>: events are built as bytes arrive;
 * used when the body will not hold the whole stream (compressed, capped, or with a gap). Switching
 * from scan to full replays the bytes seen so far with the recorded times.
 */
final class SseSplitter {
    /** Bytes of a line kept in scan mode: "data:" is five. */
    private static final int SCAN_KEEP = 5;
    /** "data" read as a big-endian int. */
    private static final int DATA = ('d' << 24) | ('a' << 16) | ('t' << 8) | 'a';

    private boolean scanning = true;
    private byte[] line = new byte[8];
    /** Length of the current line (in scan mode: counted in full, only SCAN_KEEP bytes stored). */
    private int lineLen;
    private boolean lastCr;
    private boolean hasData;
    // scan mode: dispatch points; full mode: replayed in order before live times are used
    private long[] pointTs = new long[8];
    private long[] pointFrame = new long[8];
    private int points;
    private int replayed;
    // full mode
    private String eventType;
    private String id;
    private StringBuilder data;
    private String firstData;
    final List<SseEvent> events = new ArrayList<>();

    boolean scanning() {
        return scanning;
    }

    /** Scan mode: finds lines in b[off, off+len) without copying. */
    void scan(ByteBuffer b, int off, int len, long ts, long frame) {
        int i = off;
        int end = off + len;
        if (lastCr && i < end) {
            lastCr = false;
            if (b.get(i) == '\n') {
                i++; // second half of a CRLF split across deliveries
            }
        }
        while (i < end) {
            int j = Scan.indexOfEol(b, i, end);
            if (j < 0) {
                keep(b, i, end - i);
                return;
            }
            if (j > i && lineLen == 0) {
                // the usual case, a whole line in this buffer: look at its first bytes in place
                int n = j - i;
                if (n >= 4 && b.getInt(i) == DATA && (n == 4 || b.get(i + 4) == ':')) {
                    hasData = true;
                }
            } else {
                if (j > i) {
                    keep(b, i, j - i);
                }
                scanLine(ts, frame);
            }
            if (b.get(j) == '\r') {
                if (j + 1 < end) {
                    if (b.get(j + 1) == '\n') {
                        j++;
                    }
                } else {
                    lastCr = true;
                }
            }
            i = j + 1;
        }
    }

    private void keep(ByteBuffer b, int off, int n) {
        int k = Math.min(n, SCAN_KEEP - Math.min(lineLen, SCAN_KEEP));
        if (k > 0) {
            b.get(off, line, lineLen, k);
        }
        lineLen += n;
    }

    private void scanLine(long ts, long frame) {
        if (lineLen == 0) {
            scanDispatch(ts, frame);
            return;
        }
        // a data field: name "data", then ':' or the end of the line (comments start with ':')
        if (lineLen >= 4 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a'
                && (lineLen == 4 || line[4] == ':')) {
            hasData = true;
        }
        lineLen = 0;
    }

    private void scanDispatch(long ts, long frame) {
        if (hasData) {
            if (points == pointTs.length) {
                pointTs = Arrays.copyOf(pointTs, points * 2);
                pointFrame = Arrays.copyOf(pointFrame, points * 2);
            }
            pointTs[points] = ts;
            pointFrame[points] = frame;
            points++;
        }
        hasData = false;
    }

    /**
     * Leaves scan mode: replays {@code bytes[0, len)} (everything scanned so far) in full mode, so
     * the events so far are built with their recorded times and the partial line carries over.
     */
    void toFull(byte[] bytes, int len) {
        if (!scanning) {
            return;
        }
        scanning = false;
        lineLen = 0;
        lastCr = false;
        hasData = false;
        replayed = 0;
        feed(bytes, 0, len, 0, 0);
    }

    /** Full mode: builds events from b[off, off+len). */
    void feed(byte[] b, int off, int len, long ts, long frame) {
        int i = off;
        int end = off + len;
        if (lastCr && i < end) {
            lastCr = false;
            if (b[i] == '\n') {
                i++; // second half of a CRLF split across deliveries
            }
        }
        while (i < end) {
            int j = i;
            while (j < end) {
                byte c = b[j];
                if (c == '\n' || c == '\r') {
                    break;
                }
                j++;
            }
            if (j > i) {
                append(b, i, j - i);
            }
            if (j == end) {
                return;
            }
            line(ts, frame);
            if (b[j] == '\r') {
                if (j + 1 < end) {
                    if (b[j + 1] == '\n') {
                        j++;
                    }
                } else {
                    lastCr = true;
                }
            }
            i = j + 1;
        }
    }

    private void append(byte[] b, int off, int n) {
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(b, off, line, lineLen, n);
        lineLen += n;
    }

    /** A hole in the stream (full mode): the partial line and event cannot be trusted. */
    void discontinuity() {
        lineLen = 0;
        lastCr = false;
        eventType = null;
        id = null;
        data = null;
        firstData = null;
        hasData = false;
    }

    /** End of the body: an event cut off before its blank line is still reported. */
    void finish(long ts, long frame) {
        if (scanning) {
            if (lineLen > 0) {
                scanLine(ts, frame);
            }
            scanDispatch(ts, frame);
            return;
        }
        if (lineLen > 0) {
            line(ts, frame);
        }
        dispatch(ts, frame);
    }

    /** Events counted so far (scan mode) or built (full mode). */
    int count() {
        return scanning ? points : events.size();
    }

    /**
     * After {@link #finish} in scan mode: the events of {@code body} (which holds the whole
     * stream), built on first access from its bytes with the recorded times.
     */
    List<SseEvent> deferredEvents(Body body) {
        if (points == 0) {
            return List.of();
        }
        // the splitter is done with its arrays (the body is finished): the list keeps them as they are
        long[] ts = pointTs;
        long[] fr = pointFrame;
        int n = points;
        return new DeferredList<>(n) {
            @Override
            protected List<SseEvent> produce() {
                SseSplitter s = new SseSplitter();
                s.scanning = false;
                s.pointTs = ts;
                s.pointFrame = fr;
                s.points = n;
                byte[] bytes = body.bytes();
                s.feed(bytes, 0, bytes.length, 0, 0);
                s.finish(0, 0);
                return s.events;
            }
        };
    }

    private void line(long ts, long frame) {
        if (lineLen == 0) {
            dispatch(ts, frame);
            return;
        }
        if (line[0] == ':') {
            lineLen = 0;
            return;
        }
        int colon = -1;
        for (int i = 0; i < lineLen; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        int nameLen = colon < 0 ? lineLen : colon;
        int v = colon < 0 ? lineLen : colon + 1;
        if (v < lineLen && line[v] == ' ') {
            v++;
        }
        // field names compared as bytes: no String per field name
        if (is(nameLen, 'd', 'a', 't', 'a')) {
            String value = new String(line, v, lineLen - v, StandardCharsets.UTF_8);
            if (!hasData) {
                // the usual event has one data line: keep its String, build nothing
                firstData = value;
                hasData = true;
            } else {
                if (data == null) {
                    data = new StringBuilder(firstData.length() + value.length() + 16).append(firstData);
                }
                data.append('\n').append(value);
            }
        } else if (nameLen == 5 && line[0] == 'e' && line[1] == 'v' && line[2] == 'e' && line[3] == 'n'
                && line[4] == 't') {
            eventType = new String(line, v, lineLen - v, StandardCharsets.UTF_8);
        } else if (nameLen == 2 && line[0] == 'i' && line[1] == 'd') {
            String value = new String(line, v, lineLen - v, StandardCharsets.UTF_8);
            if (value.indexOf('\0') < 0) {
                id = value;
            }
        }
        // retry and unknown fields are ignored
        lineLen = 0;
    }

    private boolean is(int nameLen, char a, char b, char c, char d) {
        return nameLen == 4 && line[0] == a && line[1] == b && line[2] == c && line[3] == d;
    }

    private void dispatch(long ts, long frame) {
        if (hasData) {
            if (replayed < points) {
                // an event the scan already counted: it keeps the time recorded then
                ts = pointTs[replayed];
                frame = pointFrame[replayed];
                replayed++;
            }
            events.add(new SseEvent(eventType == null || eventType.isEmpty() ? null : eventType,
                    data == null ? firstData : data.toString(), id, ts, frame));
        }
        eventType = null;
        id = null;
        data = null;
        firstData = null;
        hasData = false;
    }
}
