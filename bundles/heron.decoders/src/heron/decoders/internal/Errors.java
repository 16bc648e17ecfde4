package heron.decoders.internal;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.model.CallError;
import heron.core.model.Headers;

/**
 * Error bodies of every wire API into a {@link CallError}. Shapes handled: OpenAI and Anthropic
 * {@code {"error":{"type","code","message"}}}, Gemini/Google {@code {"error":{"code","status",
 * "message","details"}}} (also inside a JSON array), vLLM {@code {"object":"error","type","message"}},
 * plain {@code {"error":"text"}} (Ollama, llama.cpp), FastAPI {@code {"detail":...}}, Bedrock
 * {@code {"message"}} with the x-amzn-errortype header, and non-JSON bodies (proxy HTML pages).
 */
public final class Errors {
    private Errors() {
    }

    public static CallError fromBody(int status, Headers headers, JsonNode body, byte[] raw) {
        JsonNode root = body;
        if (root != null && root.isArray() && root.size() > 0) {
            root = root.get(0);
        }
        String type = null;
        String message = null;
        String retry = null;
        if (root != null && root.isObject()) {
            JsonNode err = root.get("error");
            if (err != null && err.isObject()) {
                String code = err.has("code") && err.get("code").isTextual() ? err.get("code").textValue() : null;
                // OpenAI's "code" is the specific reason (rate_limit_exceeded, insufficient_quota);
                // its "type" is broader. Google puts the canonical status in "status".
                type = firstNonNull(code, Json.str(err, "type"), Json.str(err, "status"));
                message = Json.str(err, "message");
                retry = googleRetryDelay(err);
            } else if (err != null && err.isTextual()) {
                message = err.textValue();
            } else {
                type = Json.str(root, "type");
                if ("error".equals(type)) {
                    type = null;
                }
                message = firstNonNull(Json.str(root, "message"), Json.str(root, "Message"));
                JsonNode detail = root.get("detail");
                if (message == null && detail != null) {
                    message = detail.isTextual() ? detail.textValue() : Json.write(detail);
                }
            }
        }
        String amz = headers.get("x-amzn-errortype");
        if (type == null && amz != null) {
            int c = amz.indexOf(':');
            type = c < 0 ? amz : amz.substring(0, c);
        }
        if (message == null && raw != null && raw.length > 0 && (root == null || !root.isContainerNode())) {
            String text = new String(raw, 0, Math.min(raw.length, 300), StandardCharsets.UTF_8).strip();
            message = text.isEmpty() ? null : text;
        }
        if (type == null) {
            type = fallbackType(status);
        }
        return new CallError(type, message, retryAfter(headers, retry));
    }

    /** Generic error type when the body names none; 429 and 529 are kept apart from other errors. */
    public static String fallbackType(int status) {
        if (status == 429) {
            return "rate_limit";
        }
        if (status == 529) {
            return "overloaded";
        }
        if (status >= 500) {
            return "server_error";
        }
        return status > 0 ? "http_" + status : "error";
    }

    /** Retry-After as sent; else retry-after-ms (suffixed "ms"); else Google's RetryInfo delay. */
    public static String retryAfter(Headers headers, String fromBody) {
        String v = headers.get("Retry-After");
        if (v != null) {
            return v.trim();
        }
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            return ms.trim() + "ms";
        }
        return fromBody;
    }

    private static String googleRetryDelay(JsonNode err) {
        JsonNode details = err.get("details");
        if (details != null && details.isArray()) {
            for (JsonNode d : details) {
                String delay = Json.str(d, "retryDelay");
                if (delay != null) {
                    return delay;
                }
            }
        }
        return null;
    }

    /** An error carried inside a stream (Anthropic "error" event, Responses "error"/response.failed ...). */
    public static CallError fromEvent(JsonNode err, Headers headers) {
        if (err == null) {
            return new CallError("stream_error", null, null);
        }
        if (err.isTextual()) {
            return new CallError("stream_error", err.textValue(), null);
        }
        String code = err.has("code") && err.get("code").isTextual() ? err.get("code").textValue() : null;
        String type = firstNonNull(code, Json.str(err, "type"), Json.str(err, "status"));
        if ("error".equals(type)) {
            type = null;
        }
        return new CallError(type == null ? "stream_error" : type, Json.str(err, "message"),
                retryAfter(headers, googleRetryDelay(err)));
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
