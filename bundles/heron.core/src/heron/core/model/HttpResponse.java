package heron.core.model;

import java.util.List;

/**
 * A parsed HTTP/1.1 response (the final one: 1xx interim responses are skipped). For
 * {@code text/event-stream} responses {@code events} holds the SSE events and {@code body} the
 * raw event-stream text (capped); {@code events} may be a {@link DeferredList} (events parsed on
 * first access).
 *
 * @param firstByteNanos time of the packet that carried the status line
 * @param headersNanos   time of the packet that completed the header block
 * @param complete       false when the capture ended or the connection broke before the body ended
 */
public record HttpResponse(int status, String reason, String version, Headers headers, Body body,
        List<SseEvent> events, long firstByteNanos, long headersNanos, long lastByteNanos, long firstFrame,
        long lastFrame, boolean complete) {

    public HttpResponse {
        // a DeferredList is immutable already: copying it would build every event now
        events = events instanceof DeferredList<SseEvent> ? events : List.copyOf(events);
    }

    public boolean isEventStream() {
        String ct = headers.get("Content-Type");
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
    }
}
