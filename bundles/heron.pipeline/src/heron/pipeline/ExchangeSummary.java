package heron.pipeline;

import heron.core.model.Endpoint;
import heron.core.model.HttpExchange;

/**
 * The few facts of an exchange that summaries and the JSON output need, without its bodies, so
 * an import of a large capture does not keep every body in memory.
 *
 * @param status       the response status, or 0 when no response was seen
 * @param responseNanos when the response ended, or 0
 * @param callId       the LLM call decoded from it, or 0
 */
public record ExchangeSummary(long id, long connectionId, Endpoint client, Endpoint server, String method,
        String target, int status, boolean stream, long requestNanos, long responseNanos, long callId, String label) {

    public static ExchangeSummary of(HttpExchange ex, long callId) {
        var resp = ex.response();
        return new ExchangeSummary(ex.id(), ex.connectionId(), ex.client(), ex.server(), ex.request().method(),
                ex.request().target(), resp == null ? 0 : resp.status(), resp != null && resp.isEventStream(),
                ex.request().firstByteNanos(), resp == null ? 0 : resp.lastByteNanos(), callId, ex.label());
    }
}
