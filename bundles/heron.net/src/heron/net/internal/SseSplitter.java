package heron.net.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import heron.core.model.SseEvent;

/**
 * Splits a decoded {@code text/event-stream} body into events (WHATWG HTML "event stream
 * interpretation"): lines end in CRLF, LF or CR; a blank line dispatches; {@code data} lines are
 * joined with '\n'; lines starting with ':' are comments. Each event carries the time and frame of
 * the packet whose bytes completed it.
 */
final class SseSplitter {
    private byte[] line = new byte[256];
    private int lineLen;
    private boolean lastCr;
    private String eventType;
    private String id;
    private StringBuilder data;
    private String firstData;
    private boolean hasData;
    final List<SseEvent> events = new ArrayList<>();

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
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(b, off, line, lineLen, n);
        lineLen += n;
    }

    /** A hole in the stream: the partial line and event cannot be trusted. */
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
        if (lineLen > 0) {
            line(ts, frame);
        }
        dispatch(ts, frame);
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
