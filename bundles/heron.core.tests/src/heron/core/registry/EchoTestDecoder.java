package heron.core.registry;

import heron.core.decode.JsonShape;
import heron.core.decode.WireApiDecoder;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/** Test contribution: claims POSTs to /echo by route, and bodies with an "echo" key by shape. */
public class EchoTestDecoder implements WireApiDecoder {
    @Override
    public Route classifyRoute(HttpExchange exchange) {
        return exchange.request().path().equals("/echo") ? Route.ACCEPT : Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange exchange, JsonShape shape) {
        return shape.has("echo");
    }

    @Override
    public String nonCallLabel(HttpExchange exchange) {
        return exchange.request().path().equals("/echo/count") ? "count" : null;
    }

    @Override
    public LlmCall decode(HttpExchange exchange) {
        if (exchange.request().path().equals("/boom")) {
            throw new IllegalStateException("decoder bug");
        }
        LlmCall.Builder b = LlmCall.builder();
        b.requestModel = JsonShape.of(exchange.request().body().bytes()).string("model");
        return b.build();
    }
}
