package heron.core.decode;

import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Recognises one wire API (a family of LLM HTTP APIs, e.g. "openai-chat") and decodes its
 * exchanges into {@link LlmCall}s. Contributed through the extension point
 * {@code heron.core.wireApiDecoders}; the contribution's id is the wire API id.
 * <p>
 * Detection has two passes, run by {@link WireApiDecoderRegistry} in priority order: first every
 * decoder looks at the route (method, path, host, headers) and answers ACCEPT, REJECT or
 * UNKNOWN; the first ACCEPT wins. If none accepts, the request body's top-level JSON shape is
 * shown to the decoders that said UNKNOWN; the first match wins.
 * <p>
 * Implementations must be stateless and thread-safe: workers call them concurrently. An
 * exception thrown here is caught, counted as a decode error on that exchange, and the
 * exchange stays a plain HTTP exchange.
 */
public interface WireApiDecoder {

    enum Route {
        ACCEPT, REJECT, UNKNOWN
    }

    /** Pass 1: decide from method, request target, host and headers only. */
    Route classifyRoute(HttpExchange exchange);

    /** Pass 2, only after no decoder accepted the route: decide from the request body's shape. */
    default boolean matchesShape(HttpExchange exchange, JsonShape shape) {
        return false;
    }

    /**
     * For an exchange on this API that is no model call (token counting, model list, telemetry,
     * quota check ...), a short label such as "count-tokens"; null otherwise. Asked before
     * {@link #classifyRoute}; a labelled exchange stays an HttpExchange.
     */
    default String nonCallLabel(HttpExchange exchange) {
        return null;
    }

    /**
     * Decodes a recognised exchange. Never returns null; problems (invalid JSON, truncated
     * stream, body capped) go into {@link LlmCall#decodeError()} with everything that could be
     * read still filled in. The call's id, exchange id, wire API and timing from the exchange are
     * filled in by the caller if left unset.
     */
    LlmCall decode(HttpExchange exchange);
}
