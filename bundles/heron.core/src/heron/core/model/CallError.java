package heron.core.model;

/**
 * An error answered by the server (4xx/5xx body, or an error event inside a stream).
 *
 * @param retryAfter the Retry-After header value as sent, or null
 */
public record CallError(String type, String message, String retryAfter) {
}
