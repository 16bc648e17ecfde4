package heron.core.model;

/**
 * A request and its response (null when none was seen) on one connection.
 *
 * @param id       deterministic: {@code requestFirstFrame * 64 + k}, k the index of this request
 *                 among those that start in the same frame (pipelining), so ids do not depend on
 *                 worker count or arrival order
 * @param sequence index of the exchange within its connection, from 0
 * @param label    what the exchange is when it is on an LLM host but is no call (e.g.
 *                 "count-tokens", "models", "telemetry"), or null
 */
public record HttpExchange(long id, long connectionId, int sequence, Endpoint client, Endpoint server,
        HttpRequest request, HttpResponse response, String label) {

    public static long idOf(long requestFirstFrame, int indexInFrame) {
        return requestFirstFrame * 64 + Math.min(indexInFrame, 63);
    }

    public boolean hasResponse() {
        return response != null;
    }

    public HttpExchange withLabel(String newLabel) {
        return new HttpExchange(id, connectionId, sequence, client, server, request, response, newLabel);
    }
}
