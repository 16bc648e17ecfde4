package heron.core.model;

/**
 * One Server-Sent Event (WHATWG HTML §9.2): {@code event} is null for the default "message" type;
 * multiple {@code data:} lines are joined with '\n'. {@code timestampNanos} is the time of the
 * packet that completed the event, so token-level timing survives.
 */
public record SseEvent(String event, String data, String id, long timestampNanos, long frame) {
}
