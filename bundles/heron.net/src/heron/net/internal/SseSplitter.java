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
    private boolean hasData;
    final List<SseEvent> events = new ArrayList<>();

    void feed(byte[] b, int off, int len, long ts, long frame) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (lastCr) {
                    lastCr = false;
                    continue;
                }
                line(ts, frame);
            } else if (c == '\r') {
                line(ts, frame);
                lastCr = true;
            } else {
                lastCr = false;
                if (lineLen == line.length) {
                    line = java.util.Arrays.copyOf(line, line.length * 2);
                }
                line[lineLen++] = c;
            }
        }
    }

    /** A hole in the stream: the partial line and event cannot be trusted. */
    void discontinuity() {
        lineLen = 0;
        lastCr = false;
        eventType = null;
        id = null;
        data = null;
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
        String field;
        String value;
        if (colon < 0) {
            field = new String(line, 0, lineLen, StandardCharsets.UTF_8);
            value = "";
        } else {
            field = new String(line, 0, colon, StandardCharsets.ISO_8859_1);
            int v = colon + 1;
            if (v < lineLen && line[v] == ' ') {
                v++;
            }
            value = new String(line, v, lineLen - v, StandardCharsets.UTF_8);
        }
        lineLen = 0;
        switch (field) {
            case "data" -> {
                if (!hasData) {
                    data = new StringBuilder(value.length() + 16);
                    hasData = true;
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            default -> {
                // retry and unknown fields are ignored
            }
        }
    }

    private void dispatch(long ts, long frame) {
        if (hasData) {
            events.add(new SseEvent(eventType == null || eventType.isEmpty() ? null : eventType, data.toString(), id,
                    ts, frame));
        }
        eventType = null;
        id = null;
        data = null;
        hasData = false;
    }
}
