package heron.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.CallError;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.core.model.TokenUsage;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.core.model.ToolResult;

/** Entities built directly for store tests, and equality checks for records holding byte arrays. */
final class Fixtures {
    static final long T0 = 1_700_000_000_000_000_000L;
    /**
     * These tests write synthetic exchanges with no capture file behind them, so they test the
     * archive path (payloads copied into the store, ADR 0002); payloads by reference (ADR 0006)
     * are tested over real captures in heron.cli.tests (PayloadsByReferenceTest).
     */
    static final StoreOptions ARCHIVE = StoreOptions.defaults().withArchivePayloads(true);

    static final Endpoint CLIENT = new Endpoint("10.0.0.2", 50123);
    static final Endpoint SERVER = new Endpoint("2001:db8::1", 443);

    private Fixtures() {
    }

    static Capture capture(String path, String sha) {
        return new Capture(0, path, "pcapng", 12345, sha, List.of(1, 113), 0, 0, 0, Capture.ImportStatus.IMPORTING);
    }

    static Connection connection(long id) {
        return new Connection(id, CLIENT, SERVER, T0 + id, T0 + id + 5_000_000, 10, 12, 1500, 9000, 1, 2, 1, 40,
                Connection.Protocol.HTTP);
    }

    static Body body(String text, boolean truncated) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new Body(b, b.length + 7, b.length + 100, truncated, truncated ? "gzip" : null,
                truncated ? "cap reached" : null);
    }

    static HttpExchange exchange(long id, long connId, boolean stream) {
        HttpRequest rq = new HttpRequest("POST", "/v1/messages?beta=true", "HTTP/1.1",
                new Headers(List.of(new Header("Host", "api.anthropic.com"), new Header("Content-Type", "application/json"),
                        new Header("X-Dup", "a"), new Header("x-dup", "b"))),
                body("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hé\"}]}", false),
                T0 + id * 1000, T0 + id * 1000 + 10, id / 64, id / 64 + 1);
        List<SseEvent> events = stream
                ? List.of(new SseEvent("message_start", "{\"type\":\"message_start\"}", null, T0 + id * 1000 + 50, 7),
                        new SseEvent(null, "line1\nline2", "42", T0 + id * 1000 + 60, 8))
                : List.of();
        HttpResponse rs = new HttpResponse(200, "OK", "HTTP/1.1",
                new Headers(List.of(new Header("Content-Type", stream ? "text/event-stream" : "application/json"))),
                body("{\"id\":\"msg_1\"}", true), events, T0 + id * 1000 + 40, T0 + id * 1000 + 45,
                T0 + id * 1000 + 90, id / 64 + 2, id / 64 + 5, true);
        return new HttpExchange(id, connId, 0, CLIENT, SERVER, rq, rs, null);
    }

    static LlmCall call(long id, String model, int status, long requestNanos, long e2eNanos) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = id;
        b.exchangeId = id;
        b.wireApi = "anthropic";
        b.host = "api.anthropic.com";
        b.serverKind = "Anthropic";
        b.requestModel = model;
        b.responseModel = model + "-20250101";
        b.stream = true;
        b.status = status;
        b.finishReason = "tool_use";
        b.finish = FinishKind.TOOL_USE;
        b.inputTokens = 100L;
        b.outputTokens = 20L;
        b.cacheReadTokens = 5L;
        b.cacheWriteTokens = null;
        b.reasoningTokens = 3L;
        b.requestNanos = requestNanos;
        b.responseHeadersNanos = requestNanos + 1_000_000;
        b.firstContentNanos = requestNanos + 2_000_000;
        b.endNanos = requestNanos + e2eNanos;
        b.toolsOffered = List.of(new ToolDefinition("bash", "Run a command", "{\"type\":\"object\"}"));
        b.toolCalls = List.of(new ToolCall("toolu_1", "bash", "{\"cmd\":\"ls\"}"));
        b.toolResults = List.of(new ToolResult("toolu_0", "file.txt", false));
        b.systemPrompt = "You are helpful.";
        b.messages = List.of(Message.text("user", "list files"),
                new Message("assistant", null, "thinking", List.of(new ToolCall("toolu_0", "bash", "{}")), null, false),
                Message.toolResult("toolu_0", "file.txt", true));
        b.outputText = "Here you go";
        b.reasoningText = "Let me think";
        b.error = status >= 400 ? new CallError("rate_limit_error", "slow down", "30") : null;
        b.responseId = "msg_" + id;
        b.decodeError = null;
        b.agent = new AgentTag("claude-code", "sess-1", id, false, false, 0);
        return b.build();
    }

    static AgentTurn turn(long id, List<Long> callIds) {
        return new AgentTurn(id, "sess-1", "claude-code", AgentTurn.Status.COMPLETE, T0, T0 + 9_000_000, callIds, 300,
                60, 10, 0, 2, 1, List.of("claude-x"), List.of("Explore"), "list files", "Here you go");
    }

    static AgentSession session(String id, List<Long> turnIds) {
        return new AgentSession(id, "claude-code", turnIds, T0, T0 + 9_000_000, 300, 60, 10, 0);
    }

    static void assertBodyEquals(Body expected, Body actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertNotNull(actual);
        assertArrayEquals(expected.bytes(), actual.bytes());
        assertEquals(expected.wireLength(), actual.wireLength());
        assertEquals(expected.decodedLength(), actual.decodedLength());
        assertEquals(expected.truncated(), actual.truncated());
        assertEquals(expected.encoding(), actual.encoding());
        assertEquals(expected.decodeError(), actual.decodeError());
    }

    /** Field-by-field, since records holding byte[] compare arrays by identity. */
    static void assertExchangeEquals(HttpExchange e, HttpExchange a) {
        assertEquals(e.id(), a.id());
        assertEquals(e.connectionId(), a.connectionId());
        assertEquals(e.sequence(), a.sequence());
        assertEquals(e.client(), a.client());
        assertEquals(e.server(), a.server());
        assertEquals(e.label(), a.label());
        HttpRequest er = e.request();
        HttpRequest ar = a.request();
        assertEquals(new HttpRequest(er.method(), er.target(), er.version(), er.headers(), null, er.firstByteNanos(),
                er.lastByteNanos(), er.firstFrame(), er.lastFrame()),
                new HttpRequest(ar.method(), ar.target(), ar.version(), ar.headers(), null, ar.firstByteNanos(),
                        ar.lastByteNanos(), ar.firstFrame(), ar.lastFrame()));
        assertBodyEquals(er.body(), ar.body());
        if (e.response() == null) {
            assertNull(a.response());
            return;
        }
        HttpResponse es = e.response();
        HttpResponse as = a.response();
        assertEquals(withoutBody(es), withoutBody(as));
        assertBodyEquals(es.body(), as.body());
    }

    private static HttpResponse withoutBody(HttpResponse r) {
        return new HttpResponse(r.status(), r.reason(), r.version(), r.headers(), null, r.events(), r.firstByteNanos(),
                r.headersNanos(), r.lastByteNanos(), r.firstFrame(), r.lastFrame(), r.complete());
    }
}
