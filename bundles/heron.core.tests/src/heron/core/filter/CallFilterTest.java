package heron.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.model.AgentTag;
import heron.core.model.LlmCall;
import heron.core.model.ToolCall;

class CallFilterTest {

    static LlmCall call(String model, int status, double ttftMs, String agent, boolean stream) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = 7;
        b.wireApi = "anthropic";
        b.requestModel = model;
        b.status = status;
        b.stream = stream;
        b.requestNanos = 1_000_000_000L;
        b.firstContentNanos = b.requestNanos + (long) (ttftMs * 1e6);
        b.endNanos = b.firstContentNanos + 5_000_000;
        b.inputTokens = 120L;
        b.toolCalls = List.of(new ToolCall("t1", "Bash", "{\"command\":\"ls\"}"));
        b.agent = agent == null ? null : new AgentTag(agent, "s1", 7, false, false, 0);
        return b.build();
    }

    static boolean matches(String filter, LlmCall c) throws Exception {
        return CallFilter.parse(filter).test(c);
    }

    @Test
    void fieldComparisonsAndBooleanCombinations() throws Exception {
        LlmCall c = call("claude-sonnet-4-5", 200, 2500, "claude-code", true);
        assertTrue(matches("model contains \"sonnet\"", c));
        assertTrue(matches("model contains \"SONNET\"", c));
        assertFalse(matches("status >= 400", c));
        assertTrue(matches("ttft_ms > 2000", c));
        assertTrue(matches("agent_kind == \"claude-code\"", c));
        assertTrue(matches("model contains \"sonnet\" and (status >= 400 or ttft_ms > 2000)", c));
        assertFalse(matches("model contains \"sonnet\" and status >= 400 and ttft_ms > 2000", c));
        assertTrue(matches("not status >= 400 && stream", c));
        assertTrue(matches("tool == \"bash\"", c));
        assertTrue(matches("model matches \"^claude-.*-4-5$\"", c));
        assertTrue(matches("input_tokens = 120", c));
        assertTrue(matches("", c));
    }

    @Test
    void requestTimeComparesEpochNanosecondsExactly() throws Exception {
        LlmCall.Builder b = LlmCall.builder();
        b.requestNanos = 1_764_240_000_000_000_001L; // one ns past a value a double cannot tell apart
        LlmCall c = b.build();
        assertTrue(matches("request_ns >= 1764240000000000001 and request_ns <= 1764240000000000001", c));
        assertFalse(matches("request_ns > 1764240000000000001", c));
        assertFalse(matches("request_ns <= 1764240000000000000", c));
        assertTrue(matches(new heron.core.model.TimeWindow(1, 1_764_240_000_000_000_000L, 1_764_240_000_000_000_001L)
                .callFilter(), c));
        assertFalse(matches(new heron.core.model.TimeWindow(1, 0, 1_764_240_000_000_000_000L).callFilter(), c));
        assertFalse(matches("request_ns > 0", LlmCall.builder().build()), "no request time, no match");
    }

    @Test
    void absentValuesNeverMatchComparisons() throws Exception {
        LlmCall c = call("gpt-4o", 0, 0, null, false);
        assertFalse(matches("agent_kind == \"codex\"", c));
        assertTrue(matches("agent_kind != \"codex\"", c));
        assertFalse(matches("status < 300", c));
    }

    @Test
    void networkFieldsAreReadThroughTheRouteLookup() throws Exception {
        LlmCall c = call("gpt-4o", 200, 10, null, false);
        CallFilter.Route route = new CallFilter.Route("127.0.0.1", new heron.core.model.Endpoint("127.0.0.2", 4000));
        assertTrue(CallFilter.parse("client == \"127.0.0.1\" and server == \"127.0.0.2:4000\"", x -> route).test(c));
        assertTrue(CallFilter.parse("server_ip == \"127.0.0.2\" and server_port == 4000", x -> route).test(c));
        assertFalse(CallFilter.parse("server == \"127.0.0.3:8000\"", x -> route).test(c));
        // without a lookup the network fields are absent, and absent values never match
        assertFalse(matches("client == \"127.0.0.1\"", c));
        assertTrue(CallFilter.fields().containsAll(List.of("client", "server", "server_ip", "server_port")));
    }

    @Test
    void bareNonBooleanFieldTestsPresence() throws Exception {
        assertTrue(matches("not agent_kind", call("gpt-4o", 200, 10, null, false)));
        assertFalse(matches("not agent_kind", call("gpt-4o", 200, 10, "codex", false)));
        assertTrue(matches("agent_kind and tool", call("gpt-4o", 200, 10, "codex", false)));
    }

    @Test
    void syntaxErrorsCarryTheirPosition() {
        var e = assertThrows(CallFilter.ParseException.class, () -> CallFilter.parse("model contains"));
        assertEquals(14, e.position());
        e = assertThrows(CallFilter.ParseException.class, () -> CallFilter.parse("modle == \"x\""));
        assertEquals(0, e.position());
        assertTrue(e.getMessage().contains("unknown field 'modle'"));
        e = assertThrows(CallFilter.ParseException.class, () -> CallFilter.parse("(status > 1"));
        assertTrue(e.getMessage().contains("missing ')'"));
        e = assertThrows(CallFilter.ParseException.class, () -> CallFilter.parse("model > \"a\""));
        assertTrue(e.getMessage().contains("needs a number"));
        e = assertThrows(CallFilter.ParseException.class, () -> CallFilter.parse("model == \"open"));
        assertTrue(e.getMessage().contains("unterminated string"));
    }
}
