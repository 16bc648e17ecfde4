package heron.export.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.export.ExportOptions;
import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.export.SimpleExportInput;
import heron.export.support.Fixtures;
import heron.export.support.Io;
import heron.export.support.MiniJsonSchema;
import heron.export.support.Secrets;

class SftJsonlExporterTest {
    private static final MiniJsonSchema SCHEMA = Io.sftSchema();
    private final SftJsonlExporter exporter = new SftJsonlExporter();

    private static SimpleExportInput turnInput(List<LlmCall> calls, AgentTurn... turns) {
        return SimpleExportInput.builder().capture(Fixtures.CAPTURE).knownCalls(calls, Fixtures.CAPTURE)
                .selectTurns(List.of(turns)).build();
    }

    private static JsonNode onlyLine(Io.Output out) {
        List<JsonNode> lines = out.lines();
        assertEquals(1, lines.size(), out.text());
        assertValid(lines.get(0));
        return lines.get(0);
    }

    static void assertValid(JsonNode line) {
        List<String> errors = SCHEMA.validate(line);
        assertTrue(errors.isEmpty(), () -> errors + " in " + line);
    }

    @ParameterizedTest
    @ValueSource(strings = { "anthropic", "bedrock-converse", "openai-chat", "openai-responses", "gemini" })
    void turnOfEachWireApiBecomesOneChatLineWithSystemToolCallsResultsAndFinalAnswer(String wire) {
        List<LlmCall> calls = Fixtures.turnCalls(wire, 100, "claude-cli", "s1", null);
        AgentTurn t = Fixtures.turn(calls, "s1", "claude-cli", AgentTurn.Status.COMPLETE);
        Io.Output out = Io.run(exporter, turnInput(calls, t), ExportOptions.DEFAULT);
        assertEquals(1, out.result().written());
        assertEquals(0, out.result().skipped());
        JsonNode line = onlyLine(out);
        JsonNode msgs = line.get("messages");
        List<String> roles = new ArrayList<>();
        msgs.forEach(m -> roles.add(m.get("role").asText()));
        assertEquals(List.of("system", "user", "assistant", "tool", "assistant", "tool", "assistant"), roles, wire);
        assertEquals(Fixtures.SYSTEM, msgs.get(0).get("content").asText());
        assertEquals(Fixtures.PROMPT, msgs.get(1).get("content").asText());
        JsonNode bash = msgs.get(2).get("tool_calls").get(0);
        assertEquals(Fixtures.resultId(wire, 1, "Bash"), bash.get("id").asText());
        assertEquals("function", bash.get("type").asText());
        assertEquals("Bash", bash.get("function").get("name").asText());
        assertTrue(bash.get("function").get("arguments").isObject(), "arguments rehydrated to an object");
        assertEquals("ls -la", bash.get("function").get("arguments").get("command").asText());
        assertEquals(bash.get("id").asText(), msgs.get(3).get("tool_call_id").asText());
        assertEquals(Fixtures.LS_OUT, msgs.get(3).get("content").asText());
        assertEquals("notes.txt", msgs.get(4).get("tool_calls").get(0).get("function").get("arguments").get("path")
                .asText());
        assertEquals(Fixtures.NOTES, msgs.get(5).get("content").asText());
        assertEquals(Fixtures.ANSWER, msgs.get(6).get("content").asText());
        assertFalse(msgs.get(6).has("tool_calls"));
        if (!wire.equals("openai-chat")) {
            assertEquals("need the listing first", msgs.get(2).get("reasoning_content").asText());
        }
        JsonNode tools = line.get("tools");
        assertEquals(2, tools.size());
        assertEquals("function", tools.get(0).get("type").asText());
        assertEquals("Bash", tools.get(0).get("function").get("name").asText());
        assertEquals("run a shell command", tools.get(0).get("function").get("description").asText());
        assertEquals("object", tools.get(0).get("function").get("parameters").get("type").asText());
        JsonNode meta = line.get("_meta");
        assertEquals(wire, meta.get("wire_api").asText());
        assertEquals("turn", meta.get("scope").asText());
        assertEquals("100", meta.get("turn_id").asText());
        assertEquals("102", meta.get("terminal_call_id").asText());
        assertEquals("s1", meta.get("session_id").asText());
        assertEquals("claude-cli", meta.get("agent_kind").asText());
        assertEquals("end_turn", meta.get("finish_reason").asText());
        assertEquals("complete", meta.get("finish").asText());
        assertEquals(303, meta.get("input_tokens").asLong());
        assertEquals(33, meta.get("output_tokens").asLong());
        assertEquals(Fixtures.CAPTURE.path(), meta.get("capture_file").asText());
        assertEquals(Fixtures.CAPTURE.sha256(), meta.get("capture_sha256").asText());
        assertEquals("2025-11-27T08:00:00Z", meta.get("start_time").asText());
        assertEquals("2025-11-27T08:00:02.500Z", meta.get("end_time").asText());
        assertEquals(3, meta.get("call_ids").size());
        assertFalse(meta.has("missing_tool_call_ids"), "earlier calls' tool calls all appear");
    }

    @Test
    void toolCallsOfEarlierCallsMissingFromTheTerminalRequestAreListedInMeta() {
        List<LlmCall> calls = new ArrayList<>(Fixtures.turnCalls("anthropic", 100, "claude-cli", "s1", null));
        // Compaction: the terminal request no longer carries the Bash exchange.
        LlmCall last = calls.get(2);
        List<Message> compacted = last.messages().stream()
                .filter(m -> !"toolu_01".equals(m.toolCallId())
                        && m.toolCalls().stream().noneMatch(tc -> "toolu_01".equals(tc.id())))
                .toList();
        calls.set(2, Fixtures.call("anthropic", 102, compacted, List.of(), Fixtures.ANSWER, null, "end_turn",
                FinishKind.COMPLETE, last.agent(), 2));
        AgentTurn t = Fixtures.turn(calls, "s1", "claude-cli", AgentTurn.Status.COMPLETE);
        JsonNode meta = onlyLine(Io.run(exporter, turnInput(calls, t), ExportOptions.DEFAULT)).get("_meta");
        assertEquals("[\"toolu_01\"]", meta.get("missing_tool_call_ids").toString());
    }

    @Test
    void geminiCallsWithoutIdAreSeenUnderTheClientNumberedIdsOfTheHistory() {
        AgentTag tag = new AgentTag("gemini-cli", "g", 100, false, false, 0);
        ToolCall asked = new ToolCall(null, "list_directory", "{\"dir_path\":\".\"}");
        ToolCall resent = new ToolCall("list_directory_1795770600277_0", "list_directory", "{\"dir_path\":\".\"}");
        List<Message> m1 = List.of(Message.text("user", "list"));
        List<Message> m2 = List.of(Message.text("user", "list"),
                new Message("assistant", null, null, List.of(resent), null, false),
                Message.toolResult("list_directory_1795770600277_0", "a\nb", false));
        LlmCall c1 = Fixtures.call("gemini", 100, m1, List.of(asked), null, null, "STOP", FinishKind.TOOL_USE, tag, 0);
        LlmCall c2 = Fixtures.call("gemini", 101, m2, List.of(), "two files", null, "STOP", FinishKind.COMPLETE, tag,
                1);
        List<LlmCall> calls = List.of(c1, c2);
        JsonNode line = onlyLine(Io.run(exporter,
                turnInput(calls, Fixtures.turn(calls, "g", "gemini-cli", AgentTurn.Status.COMPLETE)),
                ExportOptions.DEFAULT));
        assertFalse(line.get("_meta").has("missing_tool_call_ids"), line.toString());
        assertEquals("list_directory_1795770600277_0",
                line.get("messages").get(2).get("tool_calls").get(0).get("id").asText());
    }

    @Test
    void unexportableTurnsAreSkippedWithReasonsAndTheOthersStillWritten() {
        List<LlmCall> all = new ArrayList<>();
        List<AgentTurn> turns = new ArrayList<>();
        // good
        List<LlmCall> good = Fixtures.turnCalls("anthropic", 100, "claude-cli", "s1", null);
        all.addAll(good);
        turns.add(Fixtures.turn(good, "s1", "claude-cli", AgentTurn.Status.COMPLETE));
        // incomplete
        List<LlmCall> inc = Fixtures.turnCalls("anthropic", 200, "claude-cli", "s1", null);
        all.addAll(inc);
        turns.add(Fixtures.turn(inc, "s1", "claude-cli", AgentTurn.Status.INCOMPLETE));
        // request truncated by the cap
        List<LlmCall> cut = new ArrayList<>(Fixtures.turnCalls("openai-chat", 300, "opencode", "s2", null));
        cut.set(2, withDecodeError(cut.get(2), "request body capped (1048576 of 2000000 bytes kept)"));
        all.addAll(cut);
        turns.add(Fixtures.turn(cut, "s2", "opencode", AgentTurn.Status.COMPLETE));
        // unknown wire API
        List<LlmCall> odd = Fixtures.turnCalls("openai-completions", 400, "x", "s3", null);
        all.addAll(odd);
        turns.add(Fixtures.turn(odd, "s3", "x", AgentTurn.Status.COMPLETE));
        // no messages
        LlmCall empty = Fixtures.call("gemini", 500, List.of(), List.of(), "hi", null, "STOP", FinishKind.COMPLETE,
                null, 0);
        all.add(empty);
        turns.add(Fixtures.turn(List.of(empty), "s4", "gemini-cli", AgentTurn.Status.COMPLETE));
        // no terminal call: the turn's calls are not in the input
        turns.add(new AgentTurn(600, "s5", "codex", AgentTurn.Status.COMPLETE, 1, 2, List.of(600L, 601L), 0, 0, 0, 0,
                0, 0, List.of(), List.of(), null, null));
        // only an auxiliary (title generation) call: no main-agent call to export
        LlmCall aux = Fixtures.call("anthropic", 700, List.of(Message.text("user", "title?")), List.of(), "Title",
                null, "end_turn", FinishKind.COMPLETE, new AgentTag("claude-cli", "s6", 700, true, false, 0), 0);
        all.add(aux);
        turns.add(Fixtures.turn(List.of(aux), "s6", "claude-cli", AgentTurn.Status.COMPLETE));

        SimpleExportInput in = SimpleExportInput.builder().knownCalls(all, null).selectTurns(turns).build();
        Io.Output out = Io.run(exporter, in, ExportOptions.DEFAULT);
        assertEquals(1, out.result().written());
        assertEquals(6, out.result().skipped());
        assertEquals(Map.of(SftJsonlExporter.SKIP_TURN_INCOMPLETE, 1L, SftJsonlExporter.SKIP_REQUEST_TRUNCATED, 1L,
                SftJsonlExporter.SKIP_UNKNOWN_WIRE_API, 1L, SftJsonlExporter.SKIP_NO_MESSAGES, 1L,
                SftJsonlExporter.SKIP_NO_TERMINAL_CALL, 2L), out.result().skippedByReason());
        assertEquals("100", onlyLine(out).get("_meta").get("turn_id").asText());
        assertFalse(onlyLine(out).get("_meta").has("capture_file"), "no capture known: no invented evidence");
    }

    @Test
    void failedOrCutResponsesAreSkippedWithTheirOwnReasons() {
        List<LlmCall> a = new ArrayList<>(Fixtures.turnCalls("openai-responses", 100, "codex", "s1", null));
        a.set(2, withDecodeError(a.get(2), "truncated stream"));
        List<LlmCall> b = new ArrayList<>(Fixtures.turnCalls("openai-responses", 200, "codex", "s1", null));
        LlmCall x = b.get(2);
        b.set(2, new LlmCall(x.id(), x.exchangeId(), x.wireApi(), x.host(), x.serverKind(), x.requestModel(),
                x.responseModel(), x.stream(), 500, null, FinishKind.ERROR, x.usage(), x.requestNanos(),
                x.responseHeadersNanos(), x.firstContentNanos(), x.endNanos(), x.toolsOffered(), x.toolCalls(),
                x.toolResults(), x.systemPrompt(), x.messages(), null, null, null, null, null, x.agent()));
        List<LlmCall> all = new ArrayList<>(a);
        all.addAll(b);
        SimpleExportInput in = SimpleExportInput.builder().knownCalls(all, null)
                .selectTurns(List.of(Fixtures.turn(a, "s1", "codex", AgentTurn.Status.COMPLETE),
                        Fixtures.turn(b, "s1", "codex", AgentTurn.Status.COMPLETE)))
                .build();
        Io.Output out = Io.run(exporter, in, ExportOptions.DEFAULT);
        assertEquals(0, out.result().written());
        assertEquals(Map.of(SftJsonlExporter.SKIP_RESPONSE_TRUNCATED, 1L, SftJsonlExporter.SKIP_TERMINAL_CALL_FAILED,
                1L), out.result().skippedByReason());
        assertEquals("", out.text());
    }

    private static LlmCall withDecodeError(LlmCall x, String err) {
        return new LlmCall(x.id(), x.exchangeId(), x.wireApi(), x.host(), x.serverKind(), x.requestModel(),
                x.responseModel(), x.stream(), x.status(), x.finishReason(), x.finish(), x.usage(), x.requestNanos(),
                x.responseHeadersNanos(), x.firstContentNanos(), x.endNanos(), x.toolsOffered(), x.toolCalls(),
                x.toolResults(), x.systemPrompt(), x.messages(), x.outputText(), x.reasoningText(), x.error(),
                x.responseId(), err, x.agent());
    }

    /** A turn whose every outgoing string carries every credential shape. */
    private static SimpleExportInput secretTurn() {
        String s = Secrets.sample();
        AgentTag tag = new AgentTag("claude-cli", "s1", 100, false, false, 0);
        ToolCall tc = new ToolCall("toolu_01", "Bash",
                "{\"command\":\"curl -H 'Authorization: " + Secrets.BEARER + "' -H 'x-api-key: " + Secrets.ANTHROPIC
                        + "'\"}");
        List<Message> msgs = List.of(Message.text("user", "use " + s),
                new Message("assistant", "ok " + s, "thinking " + s, List.of(tc), null, false),
                Message.toolResult("toolu_01", "result " + s, false));
        LlmCall c0 = Fixtures.call("anthropic", 100, msgs, List.of(), "final " + s, "why " + s, "end_turn",
                FinishKind.COMPLETE, tag, 0);
        LlmCall c = new LlmCall(c0.id(), c0.exchangeId(), c0.wireApi(), c0.host(), c0.serverKind(), c0.requestModel(),
                c0.responseModel(), c0.stream(), c0.status(), c0.finishReason(), c0.finish(), c0.usage(),
                c0.requestNanos(), c0.responseHeadersNanos(), c0.firstContentNanos(), c0.endNanos(),
                List.of(new heron.core.model.ToolDefinition("Bash", "run; key " + s, "{\"type\":\"object\"}")),
                c0.toolCalls(), c0.toolResults(), "system " + s, msgs, c0.outputText(), c0.reasoningText(), null,
                null, null, tag);
        return turnInput(List.of(c), Fixtures.turn(List.of(c), "s1", "claude-cli", AgentTurn.Status.COMPLETE));
    }

    @Test
    void secretsAreMaskedByDefaultInEveryOutgoingString() {
        Io.Output out = Io.run(exporter, secretTurn(), ExportOptions.DEFAULT);
        JsonNode line = onlyLine(out);
        assertEquals(List.of(), Secrets.findShapes(out.text()), out.text());
        for (String secret : Secrets.ALL) {
            assertFalse(out.text().contains(secret), secret);
        }
        assertTrue(out.text().contains("sk-ant-api03-…[masked]"), "masked keys keep a recognisable prefix");
        assertTrue(line.get("_meta").get("masked").asBoolean());
        // Arguments are still an object after masking.
        assertTrue(line.get("messages").get(2).get("tool_calls").get(0).get("function").get("arguments")
                .get("command").asText().contains("…[masked]"));
    }

    @Test
    void secretsAreKeptWhenMaskingIsTurnedOff() {
        Io.Output out = Io.run(exporter, secretTurn(), new ExportOptions("turn", false, false));
        JsonNode line = onlyLine(out);
        for (String secret : Secrets.ALL) {
            assertTrue(out.text().contains(secret), secret);
        }
        assertFalse(line.get("_meta").get("masked").asBoolean());
    }

    /** A main turn (2 main calls) that starts a sub-agent (3 calls) through an Agent tool call. */
    private static SimpleExportInput subagentTurn() {
        List<LlmCall> main = Fixtures.turnCalls("anthropic", 100, "claude-cli", "main", null);
        AgentTag subTag = new AgentTag("claude-cli", "sub-1", 100, false, true, 100);
        List<LlmCall> sub = Fixtures.turnCalls("anthropic", 110, "claude-cli", "sub-1", subTag);
        List<LlmCall> ordered = List.of(main.get(0), sub.get(0), sub.get(1), sub.get(2), main.get(1), main.get(2));
        AgentTurn t = Fixtures.turn(ordered, "main", "claude-cli", AgentTurn.Status.COMPLETE);
        return turnInput(ordered, t);
    }

    @Test
    void subagentRunsBecomeTheirOwnLinesWhenAskedAndNeverMixIntoTheMainLine() {
        Io.Output without = Io.run(exporter, subagentTurn(), ExportOptions.DEFAULT);
        JsonNode mainOnly = onlyLine(without);
        assertEquals("102", mainOnly.get("_meta").get("terminal_call_id").asText());
        assertEquals(3, mainOnly.get("_meta").get("call_ids").size(), "sub-agent calls are not main calls");

        Io.Output with = Io.run(exporter, subagentTurn(), new ExportOptions("turn", true, true));
        List<JsonNode> lines = with.lines();
        assertEquals(2, lines.size());
        assertEquals(2, with.result().written());
        lines.forEach(SftJsonlExporterTest::assertValid);
        JsonNode sub = lines.get(1).get("_meta");
        assertTrue(sub.get("subagent").asBoolean());
        assertFalse(lines.get(0).get("_meta").get("subagent").asBoolean());
        assertEquals("100", sub.get("parent_turn_id").asText());
        assertEquals("100", sub.get("parent_call_id").asText());
        assertEquals("112", sub.get("terminal_call_id").asText());
        assertEquals("110", sub.get("turn_id").asText(), "a sub-agent run is named by its first call");
        assertEquals("sub-1", sub.get("session_id").asText());
        assertEquals(3, sub.get("call_ids").size());
        assertEquals(Fixtures.ANSWER, lines.get(1).get("messages").get(6).get("content").asText());
    }

    @Test
    void sessionScopeWritesOneLineFromTheLastExportableTurnWithSessionTotals() {
        List<LlmCall> t1 = Fixtures.turnCalls("anthropic", 100, "claude-cli", "s1", null);
        List<LlmCall> t2 = Fixtures.turnCalls("anthropic", 200, "claude-cli", "s1", null);
        List<LlmCall> t3 = Fixtures.turnCalls("anthropic", 300, "claude-cli", "s1", null);
        AgentTurn a = Fixtures.turn(t1, "s1", "claude-cli", AgentTurn.Status.COMPLETE);
        AgentTurn b = Fixtures.turn(t2, "s1", "claude-cli", AgentTurn.Status.COMPLETE);
        AgentTurn c = Fixtures.turn(t3, "s1", "claude-cli", AgentTurn.Status.INCOMPLETE);
        List<LlmCall> all = new ArrayList<>(t1);
        all.addAll(t2);
        all.addAll(t3);
        AgentSession s = new AgentSession("s1", "claude-cli", List.of(100L, 200L, 300L), a.startNanos(),
                c.endNanos(), 0, 0, 0, 0);
        SimpleExportInput in = SimpleExportInput.builder().knownCalls(all, Fixtures.CAPTURE).knownTurns(List.of(a, b, c))
                .selectSessions(List.of(s)).build();
        Io.Output out = Io.run(exporter, in, new ExportOptions("session", true, false));
        JsonNode meta = onlyLine(out).get("_meta");
        assertEquals("session", meta.get("scope").asText());
        assertEquals("s1", meta.get("session_id").asText());
        assertEquals("200", meta.get("turn_id").asText());
        assertEquals("202", meta.get("terminal_call_id").asText());
        assertEquals(3, meta.get("turn_count").asInt());
        assertEquals(1, meta.get("turns_after_terminal").asInt());
        assertEquals(606, meta.get("input_tokens").asLong(), "tokens of the two included turns");
        assertEquals(6, meta.get("call_ids").size());
    }

    @Test
    void sessionScopeOverSelectedTurnsGroupsThemBySessionId() {
        List<LlmCall> t1 = Fixtures.turnCalls("gemini", 100, "gemini-cli", "g1", null);
        List<LlmCall> t2 = Fixtures.turnCalls("gemini", 200, "gemini-cli", "g2", null);
        List<LlmCall> all = new ArrayList<>(t1);
        all.addAll(t2);
        SimpleExportInput in = turnInput(all, Fixtures.turn(t1, "g1", "gemini-cli", AgentTurn.Status.COMPLETE),
                Fixtures.turn(t2, "g2", "gemini-cli", AgentTurn.Status.COMPLETE));
        Io.Output out = Io.run(exporter, in, new ExportOptions("session", true, false));
        assertEquals(2, out.result().written());
        assertEquals(List.of("g1", "g2"),
                out.lines().stream().map(l -> l.get("_meta").get("session_id").asText()).toList());
    }

    @Test
    void unparseableArgumentsBecomeAnEmptyObjectAndAreListed() {
        AgentTag tag = new AgentTag("opencode", "s1", 100, false, false, 0);
        List<Message> msgs = List.of(Message.text("user", "go"));
        LlmCall c = Fixtures.call("openai-chat", 100, msgs,
                List.of(new ToolCall("call_9", "bash", "{\"command\":\"ls"), new ToolCall("call_10", "noargs", "")),
                null, null, "tool_calls", FinishKind.TOOL_USE, tag, 0);
        Io.Output out = Io.run(exporter,
                turnInput(List.of(c), Fixtures.turn(List.of(c), "s1", "opencode", AgentTurn.Status.COMPLETE)),
                ExportOptions.DEFAULT);
        JsonNode line = onlyLine(out);
        JsonNode last = line.get("messages").get(line.get("messages").size() - 1);
        assertEquals("{}", last.get("tool_calls").get(0).get("function").get("arguments").toString());
        assertEquals("{}", last.get("tool_calls").get(1).get("function").get("arguments").toString());
        assertEquals("[\"call_9\"]", line.get("_meta").get("unparsed_argument_ids").toString());
    }

    @Test
    void cancellationStopsTheExportWithOperationCanceled() {
        List<LlmCall> all = new ArrayList<>();
        List<AgentTurn> turns = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<LlmCall> cs = Fixtures.turnCalls("anthropic", 1000L * (i + 1), "claude-cli", "s", null);
            all.addAll(cs);
            turns.add(Fixtures.turn(cs, "s", "claude-cli", AgentTurn.Status.COMPLETE));
        }
        NullProgressMonitor m = new NullProgressMonitor();
        m.setCanceled(true);
        SimpleExportInput in = SimpleExportInput.builder().knownCalls(all, null).selectTurns(turns).build();
        assertThrows(OperationCanceledException.class,
                () -> exporter.export(in, ExportOptions.DEFAULT, new ByteArrayOutputStream(), m));
    }

    @Test
    void callScopeIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> exporter.export(turnInput(List.of()), new ExportOptions("call", true, false),
                        new ByteArrayOutputStream(), new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("'call'"));
    }
}
