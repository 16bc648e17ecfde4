package heron.core.decode;

import java.util.ArrayList;
import java.util.List;

import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;
import heron.core.registry.RegistryReader;

/**
 * The contributions to {@code heron.core.wireApiDecoders}, and the two-pass detection that picks
 * the decoder for an exchange (see {@link WireApiDecoder}). Every call into a decoder is guarded:
 * an exception becomes a counted decode error and the exchange stays plain HTTP.
 */
public final class WireApiDecoderRegistry extends RegistryReader<WireApiDecoder> {
    public static final String POINT_ID = "heron.core.wireApiDecoders";
    public static final String ELEMENT = "decoder";

    public WireApiDecoderRegistry(List<Contribution<WireApiDecoder>> contributions, RegistryProblems problems) {
        super(contributions, problems);
    }

    public static WireApiDecoderRegistry fromPlatform() {
        RegistryProblems problems = new RegistryProblems();
        return new WireApiDecoderRegistry(readPlatform(POINT_ID, ELEMENT, WireApiDecoder.class, problems), problems);
    }

    /** The decoder contribution for this exchange, or null if no wire API claims it. */
    public Contribution<WireApiDecoder> match(HttpExchange exchange, PipelineHealth health) {
        List<Contribution<WireApiDecoder>> unknown = new ArrayList<>();
        for (Contribution<WireApiDecoder> c : working()) {
            WireApiDecoder.Route r;
            try {
                r = c.get().classifyRoute(exchange);
            } catch (RuntimeException e) {
                health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
                continue;
            }
            if (r == WireApiDecoder.Route.ACCEPT) {
                return c;
            }
            if (r == WireApiDecoder.Route.UNKNOWN) {
                unknown.add(c);
            }
        }
        if (unknown.isEmpty() || !"POST".equals(exchange.request().method())) {
            return null;
        }
        JsonShape shape = JsonShape.of(exchange.request().body().bytes());
        if (!shape.isObject()) {
            return null;
        }
        for (Contribution<WireApiDecoder> c : unknown) {
            try {
                if (c.get().matchesShape(exchange, shape)) {
                    return c;
                }
            } catch (RuntimeException e) {
                health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            }
        }
        return null;
    }

    /**
     * Labels or decodes one exchange. Returns the exchange (labelled if it is a non-call on an
     * LLM API) and the call, or a null call.
     */
    public DecodeResult decode(HttpExchange exchange, PipelineHealth health) {
        for (Contribution<WireApiDecoder> c : working()) {
            try {
                String label = c.get().nonCallLabel(exchange);
                if (label != null) {
                    health.inc(PipelineHealth.EXCHANGES_LABELLED);
                    return new DecodeResult(exchange.withLabel(label), null);
                }
            } catch (RuntimeException e) {
                health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            }
        }
        Contribution<WireApiDecoder> c = match(exchange, health);
        if (c == null) {
            return new DecodeResult(exchange, null);
        }
        LlmCall call;
        try {
            call = c.get().decode(exchange);
        } catch (RuntimeException | StackOverflowError e) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            health.inc(PipelineHealth.CALL_DECODE_ERRORS);
            return new DecodeResult(exchange, null);
        }
        if (call == null) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return new DecodeResult(exchange, null);
        }
        call = completeFromExchange(call, exchange, c.id());
        health.inc(PipelineHealth.CALLS);
        if (call.decodeError() != null) {
            health.inc(PipelineHealth.CALL_DECODE_ERRORS);
        }
        return new DecodeResult(exchange, call);
    }

    /** Fills what a decoder may leave unset: ids, wire API, host, status and timing. */
    static LlmCall completeFromExchange(LlmCall c, HttpExchange ex, String wireApi) {
        var b = LlmCall.builder();
        b.id = ex.id();
        b.exchangeId = ex.id();
        b.wireApi = c.wireApi() != null ? c.wireApi() : wireApi;
        b.host = c.host() != null ? c.host() : ex.request().host();
        b.serverKind = c.serverKind();
        b.requestModel = c.requestModel();
        b.responseModel = c.responseModel();
        b.stream = c.stream();
        b.status = c.status() != 0 ? c.status() : ex.hasResponse() ? ex.response().status() : 0;
        b.finishReason = c.finishReason();
        b.finish = c.finish();
        b.inputTokens = c.usage().input();
        b.outputTokens = c.usage().output();
        b.cacheReadTokens = c.usage().cacheRead();
        b.cacheWriteTokens = c.usage().cacheWrite();
        b.reasoningTokens = c.usage().reasoning();
        b.requestNanos = c.requestNanos() != 0 ? c.requestNanos() : ex.request().lastByteNanos();
        if (ex.hasResponse()) {
            b.responseHeadersNanos = c.responseHeadersNanos() != 0 ? c.responseHeadersNanos()
                    : ex.response().headersNanos();
            b.endNanos = c.endNanos() != 0 ? c.endNanos() : ex.response().lastByteNanos();
            b.firstContentNanos = c.firstContentNanos() != 0 ? c.firstContentNanos() : b.endNanos;
        }
        b.toolsOffered = c.toolsOffered();
        b.toolCalls = c.toolCalls();
        b.toolResults = c.toolResults();
        b.systemPrompt = c.systemPrompt();
        b.messages = c.messages();
        b.outputText = c.outputText();
        b.reasoningText = c.reasoningText();
        b.error = c.error();
        b.responseId = c.responseId();
        b.decodeError = c.decodeError();
        b.agent = c.agent();
        return b.build();
    }
}
