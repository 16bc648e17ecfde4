package heron.decoders.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;

/**
 * The streamed events of a response. Normally these are the SSE events heron.net parsed (each with
 * the time of the packet that completed it). When the response is an event stream but no events
 * were handed over (a missing or wrong Content-Type, a hand-built exchange), the body text is
 * split here per the WHATWG SSE rules, with the response's last-byte time on every event.
 */
public final class StreamEvents {
    private StreamEvents() {
    }

    public static boolean isEventStream(HttpResponse r) {
        if (!r.events().isEmpty() || r.isEventStream()) {
            return true;
        }
        byte[] b = r.body().bytes();
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return startsWith(b, i, "data:") || startsWith(b, i, "event:");
    }

    public static boolean isAwsEventStream(HttpResponse r) {
        String ct = r.headers().get("Content-Type");
        return ct != null && ct.toLowerCase(Locale.ROOT).contains("application/vnd.amazon.eventstream");
    }

    private static boolean startsWith(byte[] b, int off, String prefix) {
        if (b.length - off < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[off + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    public static List<SseEvent> of(HttpResponse r) {
        if (!r.events().isEmpty()) {
            return r.events();
        }
        return parse(new String(r.body().bytes(), StandardCharsets.UTF_8), r.lastByteNanos());
    }

    /** Splits SSE text: blank line ends an event, data lines join with '\n', ':' lines are comments. */
    public static List<SseEvent> parse(String text, long nanos) {
        List<SseEvent> out = new ArrayList<>();
        String event = null;
        String id = null;
        StringBuilder data = null;
        int pos = 0;
        int n = text.length();
        while (pos <= n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(pos, end);
            boolean atEnd = end >= n;
            if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                end++;
            }
            pos = end + 1;
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(new SseEvent(event, data.toString(), id, nanos, 0));
                }
                event = null;
                data = null;
            } else if (!line.startsWith(":")) {
                int c = line.indexOf(':');
                String name = c < 0 ? line : line.substring(0, c);
                String value = c < 0 ? "" : line.substring(c + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (name) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> event = value;
                case "id" -> id = value;
                default -> {
                }
                }
            }
            if (atEnd) {
                break;
            }
        }
        // A final event without its blank line is kept: the stream was cut, the decoder decides.
        if (data != null) {
            out.add(new SseEvent(event, data.toString(), id, nanos, 0));
        }
        return out;
    }
}
