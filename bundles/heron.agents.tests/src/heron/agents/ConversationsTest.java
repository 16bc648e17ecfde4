package heron.agents;

import static heron.agents.Fixtures.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import heron.core.model.LlmCall;

class ConversationsTest {

    @Test
    void newUserTextStartsTurnEvenWithTrailingSystemNotice() {
        LlmCall c = call(1, 0, 1).user("<system-reminder>ctx</system-reminder>\nList the files").user("x").build().call();
        assertTrue(Conversations.isUserTurnStart(c));
        LlmCall withNotice = call(1, 0, 1).user("List the files").build().call();
        withNotice = call(1, 0, 1).user("List the files").build().call();
        var spec = call(1, 0, 1).user("List the files");
        spec.b.messages.add(heron.core.model.Message.text("system", "Available agent types ..."));
        assertTrue(Conversations.isUserTurnStart(spec.build().call()));
        assertEquals("List the files", Conversations.lastUserText(withNotice));
    }

    @Test
    void toolResultWithScaffoldingOrNoticeIsContinuation() {
        LlmCall c = call(1, 0, 1).user("go").assistant("", Fixtures.tc("t1", "Bash")).toolResult("t1", "ok", false)
                .user("<system-reminder>todo list unused</system-reminder>").build().call();
        assertFalse(Conversations.isUserTurnStart(c));
        LlmCall interjection = call(1, 0, 1).user("go").assistant("", Fixtures.tc("t1", "Bash"))
                .toolResult("t1", "ok", false).user("also check b.txt").build().call();
        assertFalse(Conversations.isUserTurnStart(interjection));
    }

    @Test
    void newPromptAfterAnInterruptStartsATurnDespiteTheCancelledToolsResult() {
        // Esc while a tool ran: the cancelled tool's result, the marker and the new prompt in one message.
        LlmCall c = call(1, 0, 1).user("go").assistant("", Fixtures.tc("t1", "Bash"))
                .toolResult("t1", "The user doesn't want to proceed with this tool use.", true)
                .user("[Request interrupted by user for tool use]\nuse the built-in runner instead").build().call();
        assertTrue(Conversations.isUserTurnStart(c));
        assertEquals("use the built-in runner instead", Conversations.afterInterrupt(Conversations.lastUserText(c)));
        // Marker and prompt as separate messages.
        LlmCall d = call(1, 0, 1).user("go").assistant("", Fixtures.tc("t1", "Bash")).toolResult("t1", "ok", false)
                .user("[Request interrupted by user]").user("stop, keep the old name").build().call();
        assertTrue(Conversations.isUserTurnStart(d));
        // Codex: the cancelled call's "aborted" output, a <turn_aborted> message, then the prompt.
        LlmCall x = call(1, 0, 1).user("go").assistant("", Fixtures.tc("call_1", "shell")).toolResult("call_1", "aborted", false)
                .user("<turn_aborted>\nThe user interrupted the previous turn on purpose.\n</turn_aborted>")
                .user("count the lines instead").build().call();
        assertTrue(Conversations.isUserTurnStart(x));
        assertEquals("count the lines instead", Conversations.lastUserText(x));
        // Gemini CLI: the cancelled call's error response, then the prompt.
        LlmCall g = call(1, 0, 1).user("go").assistant("", Fixtures.tc(null, "run_shell_command"))
                .toolResult("run_shell_command", "{\"error\":\"[Operation Cancelled] Reason: User cancelled the operation.\"}", true)
                .user("run it on one file only").build().call();
        assertTrue(Conversations.isUserTurnStart(g));
        LlmCall gNoPrompt = call(1, 0, 1).user("go").assistant("", Fixtures.tc(null, "run_shell_command"))
                .toolResult("run_shell_command", "{\"error\":\"[Operation Cancelled] Reason: User denied execution.\"}", true)
                .build().call();
        assertFalse(Conversations.isUserTurnStart(gNoPrompt));
        // opencode: the interrupted tool's replayed result, then the prompt.
        LlmCall o = call(1, 0, 1).user("go").assistant("", Fixtures.tc("call_9", "bash"))
                .toolResult("call_9", "[Tool execution was interrupted]", false).user("no, use ls -la").build().call();
        assertTrue(Conversations.isUserTurnStart(o));
        // The marker alone (nothing typed after it) is no new prompt.
        LlmCall e = call(1, 0, 1).user("go").assistant("", Fixtures.tc("t1", "Bash")).toolResult("t1", "ok", false)
                .user("[Request interrupted by user for tool use]").build().call();
        assertFalse(Conversations.isUserTurnStart(e));
    }

    @Test
    void reminderOnlyUserMessageIsNotATurnStart() {
        LlmCall c = call(1, 0, 1).user("go").assistant("done").user("<system-reminder>x</system-reminder>").build().call();
        assertFalse(Conversations.isUserTurnStart(c));
        assertNull(Conversations.lastUserText(c));
    }

    @Test
    void scaffoldingOfEachAgentIsStrippedFromPreview() {
        assertEquals("Count the lines", Conversations.stripScaffolding(
                "<environment_context>\n<cwd>/x</cwd>\n</environment_context>\nCount the lines"));
        assertEquals("hi", Conversations.stripScaffolding("<session_context>a\nb</session_context> hi"));
        assertEquals("a b", Conversations.preview("  a\n\n b "));
        assertEquals(240, Conversations.preview("x".repeat(500)).length());
    }

    @Test
    void answerWithOnlyServerToolUseEndsATurnButAClientToolCallDoesNot() {
        // Anthropic web search: the API ran the tool (server_tool_use, id srvtoolu_...) and answered
        var server = call(1, 0, 1).user("what is new in JDK 25?").answers("Here is what changed.");
        server.b.toolCalls.add(new heron.core.model.ToolCall("srvtoolu_01WYG3zi", "web_search", "{\"query\":\"JDK 25\"}"));
        assertTrue(Conversations.answeredWithoutTools(server.build().call()));
        var client = call(2, 0, 1).user("list the files").answers("Listing.");
        client.b.toolCalls.add(new heron.core.model.ToolCall("srvtoolu_01WYG3zi", "web_search", "{}"));
        client.b.toolCalls.add(new heron.core.model.ToolCall("toolu_01AB", "Bash", "{\"command\":\"ls\"}"));
        assertFalse(Conversations.answeredWithoutTools(client.build().call()));
        assertFalse(Conversations.answeredWithoutTools(call(3, 0, 1).user("go").asks("toolu_02", "Read", "{}").build().call()));
    }

    @Test
    void pausedAnthropicTurnDoesNotEndTheTurnButARefusalDoes() {
        // pause_turn: the API paused a long server-tool turn; the client resends to let it go on
        var paused = call(1, 0, 1).user("research JDK 25").answers("Searching...");
        paused.b.finishReason = "pause_turn";
        paused.b.finish = null;
        assertFalse(Conversations.answeredWithoutTools(paused.build().call()));
        var refused = call(2, 0, 1).user("do something bad").answers("I can't help with that.");
        refused.b.finishReason = "refusal";
        refused.b.finish = heron.core.model.FinishKind.CONTENT_FILTER;
        assertTrue(Conversations.answeredWithoutTools(refused.build().call()));
    }

    @Test
    void canonicalToolIdRestoresStrippedUnderscoreOnly() {
        assertEquals("call_d9c1", Conversations.canonicalToolId("calld9c1"));
        assertEquals("call_d9c1", Conversations.canonicalToolId("call_d9c1"));
        assertEquals("toolu_01ab", Conversations.canonicalToolId("toolu01ab"));
        assertEquals("list_directory_1", Conversations.canonicalToolId("list_directory_1"));
        assertNull(Conversations.canonicalToolId(null));
    }

    @Test
    void hashIgnoresWhiteSpaceAndIsStable() {
        assertEquals(Conversations.hash("a b\nc"), Conversations.hash("abc"));
        assertEquals("af63dc4c8601ec8c", Conversations.hash("a"));
        assertEquals("01a2", Conversations.jsonString("{\"x\":1,\"session_id\":\"01a2\"}", "session_id"));
    }

    @Test
    void requestBodyContainsFindsAsciiBytesAsTheTextSearchWould() {
        Fixtures.Pair p = call(1, 0, 1).user("go").body("{\"metadata\":{\"user_id\":\"é session_id x\"}}").build();
        byte[] needle = "session_id".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(Conversations.requestBodyContains(p.exchange(), needle));
        assertTrue(Conversations.requestBody(p.exchange()).contains("session_id"));
        Fixtures.Pair without = call(1, 0, 1).user("go").body("{\"metadata\":{\"user_id\":\"session_i\"}}").build();
        assertFalse(Conversations.requestBodyContains(without.exchange(), needle));
        assertFalse(Conversations.requestBody(without.exchange()).contains("session_id"));
        assertFalse(Conversations.requestBodyContains(null, needle));
        for (String body : new String[] { "session_id", "session_id}", "{session_id", "sssession_idd" }) {
            assertTrue(Conversations.requestBodyContains(call(1, 0, 1).user("go").body(body).build().exchange(), needle),
                    body);
        }
        for (String body : new String[] { "", "session_", "ession_id", "session_iD", "xsession-id" }) {
            assertFalse(Conversations.requestBodyContains(call(1, 0, 1).user("go").body(body).build().exchange(),
                    needle), body);
        }
        // bodies full of near misses (the needles' own letters), against String.contains
        java.util.Random r = new java.util.Random(7);
        String letters = "session_id_ponrvu\"";
        for (String n : new String[] { "session_id", "_session_", "previous_response_id", "s", "id" }) {
            byte[] bytes = n.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int found = 0;
            for (int k = 0; k < 400; k++) {
                StringBuilder sb = new StringBuilder();
                for (int j = r.nextInt(60); j > 0; j--) {
                    sb.append(letters.charAt(r.nextInt(letters.length())));
                }
                if (k % 2 == 0) {
                    // the needle itself, sometimes with its last byte changed
                    String in = k % 4 == 0 ? n : n.substring(0, n.length() - 1) + "x";
                    sb.insert(r.nextInt(sb.length() + 1), in);
                }
                String body = sb.toString();
                boolean want = body.contains(n);
                found += want ? 1 : 0;
                assertEquals(want, Conversations.requestBodyContains(
                        call(1, 0, 1).user("go").body(body).build().exchange(), bytes), n + " in " + body);
            }
            assertTrue(found > 0, n);
        }
    }
}
