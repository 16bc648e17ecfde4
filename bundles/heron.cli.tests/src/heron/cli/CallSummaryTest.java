package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.model.AgentTag;
import heron.core.model.CallError;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.pipeline.CallSummary;

class CallSummaryTest {
    static final long T0 = 1_795_770_000_000_000_000L;

    static LlmCall call(long id) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = id;
        b.exchangeId = id + 1;
        b.wireApi = new String("anthropic");
        b.host = new String("127.0.0.1:8000");
        b.requestModel = new String("model-a");
        b.responseModel = new String("model-a-2025");
        b.stream = true;
        b.status = 429;
        b.finishReason = "tool_use";
        b.finish = FinishKind.TOOL_USE;
        b.inputTokens = 100L;
        b.outputTokens = 7L;
        b.requestNanos = T0;
        b.responseHeadersNanos = T0 + 1_000_000;
        b.firstContentNanos = T0 + 2_345_678;
        b.endNanos = T0 + 9_876_543;
        b.toolsOffered.add(new ToolDefinition(new String("Bash"), "runs commands", "{}"));
        b.toolsOffered.add(new ToolDefinition(new String("Read"), "reads files", "{}"));
        b.toolCalls.add(new ToolCall("toolu_1", "Bash", "{\"command\":\"ls\"}"));
        b.messages.add(Message.text("user", "a long conversation"));
        b.systemPrompt = "You are an agent";
        b.error = new CallError("rate_limit_error", "slow down", "3");
        b.decodeError = "body capped";
        return b.build();
    }

    @Test
    void summaryCarriesWhatTheReportsPrintWithTheCallsOwnLatencies() {
        LlmCall c = call(5);
        CallSummary s = CallSummary.of(c, new CallSummary.Shared());
        assertEquals(c.id(), s.id());
        assertEquals(c.exchangeId(), s.exchangeId());
        assertEquals(c.wireApi(), s.wireApi());
        assertEquals(c.host(), s.host());
        assertEquals(c.requestModel(), s.requestModel());
        assertEquals(c.responseModel(), s.responseModel());
        assertEquals(c.model(), s.model());
        assertEquals(c.status(), s.status());
        assertEquals(c.finishReason(), s.finishReason());
        assertEquals(c.finish(), s.finish());
        assertEquals(c.usage(), s.usage());
        assertEquals(c.requestNanos(), s.requestNanos());
        assertEquals(c.ttftMs(), s.ttftMs());
        assertEquals(c.e2eMs(), s.e2eMs());
        assertEquals(c.tpotMs(), s.tpotMs());
        assertEquals(List.of("Bash", "Read"), s.toolsOffered());
        assertEquals(c.toolCalls(), s.toolCalls());
        assertEquals(c.error(), s.error());
        assertEquals(c.isError(), s.isError());
        assertEquals("body capped", s.decodeError());
        assertNull(s.agent());
        AgentTag tag = new AgentTag("claude-code", "claude-code:S", 5, false, false, 0);
        assertEquals(tag, s.withAgent(tag).agent());
        assertEquals(s, s.withAgent(tag).withAgent(null));
    }

    @Test
    void callsOfOneCaptureShareTheirRepeatedStringsAndToolLists() {
        CallSummary.Shared shared = new CallSummary.Shared();
        CallSummary a = CallSummary.of(call(1), shared);
        CallSummary b = CallSummary.of(call(2), shared);
        assertSame(a.toolsOffered(), b.toolsOffered());
        assertSame(a.host(), b.host());
        assertSame(a.requestModel(), b.requestModel());
        assertSame(a.wireApi(), b.wireApi());
    }
}
