package heron.store.internal;

import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.secrets.SecretMasker;

/**
 * The payload values of an exchange and a call, masked: what the archive path writes to the
 * payload side file and what the by-reference path rebuilds from the capture file at read time.
 * One encoder for both, so the two paths hand out identical values (ADR 0006).
 */
public final class Payloads {
    private Payloads() {
    }

    /** An exchange's payload value and the lengths of its (masked) bodies. */
    public record ExchangeValue(byte[] value, int requestBodyLength, int responseBodyLength) {
    }

    /**
     * Request headers, request body, response headers, response body and SSE events as one value
     * (see {@link BlobFile.Builder}), masked with {@code mask}.
     */
    public static ExchangeValue exchange(HttpExchange e, boolean mask) {
        HttpRequest rq = e.request();
        HttpResponse rs = e.response();
        byte[] rqBody = rq == null || rq.body() == null ? null : maskBytes(rq.body().bytes(), mask);
        byte[] rsBody = rs == null || rs.body() == null ? null : maskBytes(rs.body().bytes(), mask);
        byte[] value = new BlobFile.Builder()
                .put(rq == null ? null : Codec.headerBytes(maskHeaders(rq.headers(), mask))).put(rqBody)
                .put(rs == null ? null : Codec.headerBytes(maskHeaders(rs.headers(), mask))).put(rsBody)
                .put(rs == null || rs.events().isEmpty() ? null : Codec.events(rs.events(), mask)).bytes();
        return new ExchangeValue(value, rqBody == null ? 0 : rqBody.length, rsBody == null ? 0 : rsBody.length);
    }

    /** A call's lists and texts as one JSON document, masked with {@code mask}. */
    public static byte[] callDetail(LlmCall c, boolean mask) {
        byte[] detail = Codec.toJsonBytes(new CallDetail(c.toolsOffered(), c.toolCalls(), c.toolResults(),
                c.systemPrompt(), c.messages(), c.outputText(), c.reasoningText()));
        return maskBytes(detail, mask);
    }

    private static Headers maskHeaders(Headers h, boolean mask) {
        return mask ? SecretMasker.maskHeaders(h) : h;
    }

    private static byte[] maskBytes(byte[] b, boolean mask) {
        return mask ? SecretMasker.maskBytes(b) : b;
    }
}
