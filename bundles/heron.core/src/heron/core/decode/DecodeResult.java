package heron.core.decode;

import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/** What the decoder registry made of one exchange: a call, a label, or nothing. */
public record DecodeResult(HttpExchange exchange, LlmCall call) {
}
