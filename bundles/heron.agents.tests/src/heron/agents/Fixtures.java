package heron.agents;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import heron.core.model.Body;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.core.model.ToolResult;

/** Builds calls and exchanges the way decoders would, for tests. Times are in milliseconds from 0. */
final class Fixtures {
    static final long MS = 1_000_000L;
    static final long T0 = 1_795_770_000_000L * MS;

    private Fixtures() {
    }

    /** A call plus the exchange it came from. */
    record Pair(LlmCall call, HttpExchange exchange) {
    }

    static final class CallSpec {
        final LlmCall.Builder b = LlmCall.builder();
        final List<Header> headers = new ArrayList<>();
        String body = "{}";
        String path = "/v1/messages";

        CallSpec(long id, long startMs, long endMs) {
            b.id = id;
            b.exchangeId = id;
            b.wireApi = "anthropic";
            b.host = "127.0.0.1:8000";
            b.requestModel = "model-a";
            b.status = 200;
            b.finish = FinishKind.COMPLETE;
            b.requestNanos = T0 + startMs * MS;
            b.responseHeadersNanos = b.requestNanos + MS;
            b.firstContentNanos = b.requestNanos + MS;
            b.endNanos = T0 + endMs * MS;
            b.inputTokens = 100L;
            b.outputTokens = 10L;
            b.cacheReadTokens = 5L;
            b.cacheWriteTokens = 1L;
        }

        CallSpec wire(String wire) {
            b.wireApi = wire;
            return this;
        }

        CallSpec model(String m) {
            b.requestModel = m;
            return this;
        }

        CallSpec header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        CallSpec ua(String ua) {
            return header("User-Agent", ua);
        }

        CallSpec tools(String... names) {
            for (String n : names) {
                b.toolsOffered.add(new ToolDefinition(n, n + " tool", "{}"));
            }
            return this;
        }

        CallSpec system(String s) {
            b.systemPrompt = s;
            b.messages.add(0, Message.text("system", s));
            return this;
        }

        CallSpec user(String text) {
            b.messages.add(Message.text("user", text));
            return this;
        }

        CallSpec assistant(String text, ToolCall... calls) {
            b.messages.add(new Message("assistant", text, null, List.of(calls), null, false));
            return this;
        }

        CallSpec toolResult(String id, String content, boolean error) {
            b.messages.add(Message.toolResult(id, content, error));
            b.toolResults.add(new ToolResult(id, content, error));
            return this;
        }

        /** The response asks for a tool. */
        CallSpec asks(String id, String name, String args) {
            b.toolCalls.add(new ToolCall(id, name, args));
            b.finish = FinishKind.TOOL_USE;
            b.finishReason = "tool_use";
            return this;
        }

        CallSpec answers(String text) {
            b.outputText = text;
            b.finish = FinishKind.COMPLETE;
            b.finishReason = "end_turn";
            return this;
        }

        CallSpec fails(int status) {
            b.status = status;
            b.finish = FinishKind.ERROR;
            b.error = new heron.core.model.CallError("server_error", "boom", null);
            b.outputText = null;
            return this;
        }

        CallSpec body(String json) {
            body = json;
            return this;
        }

        CallSpec respId(String id) {
            b.responseId = id;
            return this;
        }

        CallSpec path(String p) {
            path = p;
            return this;
        }

        Pair build() {
            LlmCall call = b.build();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpRequest req = new HttpRequest("POST", path, "HTTP/1.1", new Headers(headers),
                    new Body(bytes, bytes.length, bytes.length, false, null, null), call.requestNanos(),
                    call.requestNanos(), 1, 1);
            HttpResponse resp = new HttpResponse(call.status(), "OK", "HTTP/1.1", Headers.EMPTY, Body.EMPTY, List.of(),
                    call.responseHeadersNanos(), call.responseHeadersNanos(), call.endNanos(), 2, 2, true);
            HttpExchange ex = new HttpExchange(call.exchangeId(), 1, 0, new Endpoint("127.0.0.1", 50000),
                    new Endpoint("127.0.0.1", 8000), req, resp, null);
            return new Pair(call, ex);
        }
    }

    static CallSpec call(long id, long startMs, long endMs) {
        return new CallSpec(id, startMs, endMs);
    }

    static ToolCall tc(String id, String name) {
        return new ToolCall(id, name, "{}");
    }

    static TurnResult track(List<Pair> pairs) {
        return track(pairs, new heron.core.health.PipelineHealth(), TurnOptions.defaults());
    }

    static TurnResult track(List<Pair> pairs, heron.core.health.PipelineHealth health, TurnOptions options) {
        TurnTracker t = new TurnTracker(BuiltinProfiles.registry(), health, options);
        for (Pair p : pairs) {
            t.add(p.call(), p.exchange());
        }
        return t.finish();
    }

    static PlacedCall byId(TurnResult r, long id) {
        return r.calls().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }
}
