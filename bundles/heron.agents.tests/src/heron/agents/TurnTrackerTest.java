package heron.agents;

import static heron.agents.Fixtures.byId;
import static heron.agents.Fixtures.call;
import static heron.agents.Fixtures.tc;
import static heron.agents.Fixtures.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import heron.agents.Fixtures.CallSpec;
import heron.agents.Fixtures.Pair;
import heron.core.health.PipelineHealth;
import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.ToolLink;

class TurnTrackerTest {
    static final String CC_UA = "claude-cli/2.1.197 (external, cli)";
    static final String REMINDER = "<system-reminder>\nAs you answer the user's questions, you can use this context.\n</system-reminder>\n";
    static final String[] CC_TOOLS = { "Agent", "Bash", "Read" };

    static CallSpec cc(long id, long start, long end, String session) {
        return call(id, start, end).ua(CC_UA).header("x-claude-code-session-id", session).tools(CC_TOOLS)
                .model("claude-opus-4-8");
    }

    /** Claude Code, one prompt: Bash, Read, answer. Calls 10, 11, 12. */
    static List<Pair> ccTurn(String session, long base, long firstId, String prompt, List<Pair> history) {
        String p = prompt;
        String a = "toolu_" + firstId + "a";
        String b = "toolu_" + firstId + "b";
        CallSpec c1 = cc(firstId, base, base + 100, session);
        CallSpec c2 = cc(firstId + 1, base + 150, base + 250, session);
        CallSpec c3 = cc(firstId + 2, base + 300, base + 400, session);
        for (CallSpec c : List.of(c1, c2, c3)) {
            c.user(REMINDER + "first prompt");
            for (Pair h : history) {
                // Earlier turns resent as history: only their shape matters here.
                c.assistant("earlier answer");
                c.user("later prompt " + h.call().id());
            }
        }
        if (!history.isEmpty()) {
            for (CallSpec c : List.of(c1, c2, c3)) {
                c.b.messages.remove(c.b.messages.size() - 1);
                c.user(p);
            }
        }
        c1.system("You are Claude Code").asks(a, "Bash", "{\"command\":\"ls -la\"}");
        c2.system("You are Claude Code").assistant("listing", tc(a, "Bash")).toolResult(a, "notes.txt", false)
                .asks(b, "Read", "{}");
        c3.system("You are Claude Code").assistant("listing", tc(a, "Bash")).toolResult(a, "notes.txt", false)
                .assistant("reading", tc(b, "Read")).toolResult(b, "hello", false)
                .user("<system-reminder>todo tools unused</system-reminder>").answers("The directory has notes.txt.");
        return List.of(c1.build(), c2.build(), c3.build());
    }

    @Test
    void claudeCodeToolLoopIsOneCompleteTurnWithTotalsAndPreviews() {
        TurnResult r = track(ccTurn("S1", 0, 10, null, List.of()));
        assertEquals(1, r.turns().size());
        AgentTurn t = r.turns().get(0);
        assertEquals(10, t.id());
        assertEquals(AgentTurn.Status.COMPLETE, t.status());
        assertEquals(List.of(10L, 11L, 12L), t.callIds());
        assertEquals("claude-code:S1", t.sessionId());
        assertEquals("claude-code", t.agentKind());
        assertEquals(2, t.toolCalls());
        assertEquals(0, t.toolErrors());
        assertEquals(300, t.inputTokens());
        assertEquals(30, t.outputTokens());
        assertEquals(15, t.cacheReadTokens());
        assertEquals(3, t.cacheWriteTokens());
        assertEquals(List.of("claude-opus-4-8"), t.models());
        assertEquals("first prompt", t.userInputPreview());
        assertEquals("The directory has notes.txt.", t.finalAnswerPreview());
        assertEquals(Fixtures.T0, t.startNanos());
        assertEquals(Fixtures.T0 + 400 * Fixtures.MS, t.endNanos());
        AgentTag tag = byId(r, 11).agent();
        assertEquals(new AgentTag("claude-code", "claude-code:S1", 10, false, false, 0), tag);
        assertEquals(1, r.sessions().size());
        assertEquals(List.of(10L), r.sessions().get(0).turnIds());
    }

    @Test
    void secondPromptOfContinuedSessionStartsSecondTurnInSameSession() {
        List<Pair> turn1 = ccTurn("S1", 0, 10, null, List.of());
        List<Pair> turn2 = ccTurn("S1", 5_000, 20, "How many lines?", List.of(turn1.get(2)));
        List<Pair> all = new ArrayList<>(turn1);
        all.addAll(turn2);
        TurnResult r = track(all);
        assertEquals(2, r.turns().size());
        assertEquals(List.of(20L, 21L, 22L), r.turns().get(1).callIds());
        assertEquals("How many lines?", r.turns().get(1).userInputPreview());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(1).status());
        AgentSession s = r.sessions().get(0);
        assertEquals(List.of(10L, 20L), s.turnIds());
        assertEquals(600, s.inputTokens());
        assertEquals(Fixtures.T0, s.startNanos());
        assertEquals(Fixtures.T0 + 5_400 * Fixtures.MS, s.endNanos());
    }

    @Test
    void titleGenerationSideCallJoinsItsTurnWithoutSplittingIt() {
        List<Pair> all = new ArrayList<>(ccTurn("S1", 100, 10, null, List.of()));
        // Title generation: small model, no tools, sent just before the main loop's first call.
        all.add(call(5, 90, 300).ua(CC_UA).header("x-claude-code-session-id", "S1").model("claude-haiku-4-5")
                .user("<session> first prompt </session>").answers("{\"title\":\"List files\"}").build());
        TurnResult r = track(all);
        assertEquals(1, r.turns().size());
        AgentTurn t = r.turns().get(0);
        assertEquals(List.of(5L, 10L, 11L, 12L), t.callIds());
        assertEquals(5, t.id());
        assertEquals(AgentTurn.Status.COMPLETE, t.status());
        assertEquals(List.of("claude-haiku-4-5", "claude-opus-4-8"), t.models());
        assertEquals("first prompt", t.userInputPreview());
        assertTrue(byId(r, 5).agent().auxiliary());
        assertEquals(5, byId(r, 5).agent().turnId());
        assertEquals(5, byId(r, 12).agent().turnId());
    }

    static List<Pair> subagentScenario() {
        String s = "S9";
        List<Pair> out = new ArrayList<>();
        out.add(cc(1, 0, 100, s).system("You are Claude Code").user("Use a subagent to list files")
                .asks("toolu_ag", "Agent", "{\"description\":\"List\",\"subagent_type\":\"general-purpose\"}").build());
        String[] sub = { CC_UA };
        CallSpec s1 = call(2, 120, 200).ua(sub[0]).header("x-claude-code-session-id", s)
                .header("x-claude-code-agent-id", "aa64").tools("Bash", "Read").user(REMINDER + "List the files")
                .asks("toolu_s1", "Bash", "{}");
        CallSpec s2 = call(3, 220, 300).ua(sub[0]).header("x-claude-code-session-id", s)
                .header("x-claude-code-agent-id", "aa64").tools("Bash", "Read").user("List the files")
                .assistant("", tc("toolu_s1", "Bash")).toolResult("toolu_s1", "notes.txt", false)
                .answers("notes.txt is there");
        out.add(s1.build());
        out.add(s2.build());
        out.add(cc(4, 320, 400, s).system("You are Claude Code").user("Use a subagent to list files")
                .assistant("", tc("toolu_ag", "Agent")).toolResult("toolu_ag", "notes.txt is there", false)
                .answers("Done.").build());
        return out;
    }

    @Test
    void subagentCallsJoinParentTurnAndPointAtTheCallThatStartedThem() {
        TurnResult r = track(subagentScenario());
        assertEquals(1, r.turns().size(), r.turns()::toString);
        AgentTurn t = r.turns().get(0);
        assertEquals(List.of(1L, 2L, 3L, 4L), t.callIds());
        assertEquals(AgentTurn.Status.COMPLETE, t.status());
        assertEquals("Done.", t.finalAnswerPreview());
        assertEquals(List.of("general-purpose"), t.subagents());
        assertEquals(2, t.toolCalls());
        AgentTag sub = byId(r, 3).agent();
        assertTrue(sub.subagent());
        assertEquals(1, sub.parentCallId());
        assertEquals(1, sub.turnId());
        assertFalse(byId(r, 4).agent().subagent());
    }

    @Test
    void subagentWithoutAgentHeaderIsRecognisedByItsSpawnPrompt() {
        List<Pair> all = new ArrayList<>();
        for (Pair p : subagentScenario()) {
            CallSpec c = null;
            if (p.call().id() == 2 || p.call().id() == 3) {
                // Same calls as an older Claude Code sends them: no x-claude-code-agent-id header.
                var spec = call(p.call().id(), (p.call().requestNanos() - Fixtures.T0) / Fixtures.MS,
                        (p.call().endNanos() - Fixtures.T0) / Fixtures.MS).ua(CC_UA).header("x-claude-code-session-id", "S9")
                        .tools("Bash", "Read");
                spec.b.messages.addAll(p.call().messages());
                spec.b.toolCalls.addAll(p.call().toolCalls());
                spec.b.finish = p.call().finish();
                spec.b.outputText = p.call().outputText();
                c = spec;
            }
            all.add(c == null ? p : c.build());
        }
        // The spawn prompt must equal the sub-agent's opening: make the Agent call ask for it.
        List<Pair> fixed = new ArrayList<>();
        for (Pair p : all) {
            if (p.call().id() == 1) {
                fixed.add(cc(1, 0, 100, "S9").system("You are Claude Code").user("Use a subagent to list files")
                        .asks("toolu_ag", "Agent", "{\"prompt\":\"List the files\",\"subagent_type\":\"Explore\"}")
                        .build());
            } else {
                fixed.add(p);
            }
        }
        TurnResult r = track(fixed);
        assertEquals(1, r.turns().size(), r.turns()::toString);
        AgentTurn t = r.turns().get(0);
        assertEquals(List.of(1L, 2L, 3L, 4L), t.callIds());
        assertEquals(AgentTurn.Status.COMPLETE, t.status());
        assertEquals(List.of("Explore"), t.subagents());
        assertTrue(byId(r, 2).agent().subagent());
        assertEquals(1, byId(r, 3).agent().parentCallId());
    }

    @Test
    void opencodeTaskChildSessionJoinsTheParentTurn() {
        String ua = "opencode/1.18.33 ai-sdk/provider-utils/4.0.23";
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 100).wire("openai-chat").ua(ua).header("x-session-id", "ses_parent").tools("task", "bash")
                .user("Explore the repo with a subagent")
                .asks("call_t", "task", "{\"description\":\"explore\",\"prompt\":\"Find every TODO\\nin src\",\"subagent_type\":\"general\"}")
                .build());
        all.add(call(2, 150, 200).wire("openai-chat").ua(ua).header("x-session-id", "ses_child").tools("bash")
                .user("Find every TODO in src").asks("call_g", "bash", "{}").build());
        all.add(call(3, 250, 300).wire("openai-chat").ua(ua).header("x-session-id", "ses_child").tools("bash")
                .user("Find every TODO in src").assistant(null, tc("call_g", "bash")).toolResult("call_g", "a.py:1", false)
                .answers("One TODO in a.py").build());
        all.add(call(4, 350, 400).wire("openai-chat").ua(ua).header("x-session-id", "ses_parent").tools("task", "bash")
                .user("Explore the repo with a subagent").assistant(null, tc("call_t", "task"))
                .toolResult("call_t", "One TODO in a.py", false).answers("There is one TODO.").build());
        TurnResult r = track(all);
        assertEquals(1, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L, 3L, 4L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals(List.of("general"), r.turns().get(0).subagents());
        assertEquals("opencode:ses_parent", byId(r, 3).agent().sessionId());
        assertEquals(1, byId(r, 3).agent().parentCallId());
        assertEquals(1, r.sessions().size());
    }

    @Test
    void failedAttemptAndItsRetryStayInOneTurn() {
        String meta = "{\"session_id\":\"019a\",\"turn_id\":\"t1\",\"request_kind\":\"turn\",\"thread_source\":\"user\"}";
        List<Pair> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CallSpec c = call(1 + i, i * 200, i * 200 + 100).wire("openai-responses").ua("codex_exec/0.171.0")
                    .header("x-codex-turn-metadata", meta).tools("exec_command").user("<environment_context>cwd</environment_context>")
                    .user("list the files");
            if (i == 0) {
                c.fails(500);
            } else {
                c.asks("call_1", "exec_command", "{}");
            }
            all.add(c.build());
        }
        all.add(call(3, 500, 600).wire("openai-responses").ua("codex_exec/0.171.0").header("x-codex-turn-metadata", meta)
                .tools("exec_command").user("list the files").assistant(null, tc("call_1", "exec_command"))
                .toolResult("call_1", "a b", false).answers("Two files.").build());
        TurnResult r = track(all);
        assertEquals(1, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L, 3L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals("codex:019a", r.turns().get(0).sessionId());
        assertEquals("list the files", r.turns().get(0).userInputPreview());
    }

    @Test
    void genericFailedFirstAttemptJoinsTheSessionAndTurnOfItsRetry() {
        // Without a session header the key needs the model's answer, which the failed attempt lacks.
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 50).tools("Bash").user("list files").fails(500).build());
        all.add(call(2, 300, 400).tools("Bash").user("list files").asks("toolu_1", "Bash", "{}").build());
        all.add(call(3, 500, 600).tools("Bash").user("list files").assistant(null, tc("toolu_1", "Bash"))
                .toolResult("toolu_1", "a", false).answers("a").build());
        all.add(call(4, 700, 800).tools("Bash").user("other prompt").fails(500).build());
        PipelineHealth h = new PipelineHealth();
        TurnResult r = track(all, h, TurnOptions.defaults());
        assertEquals(2, r.sessions().size(), r.sessions()::toString);
        assertEquals(List.of(1L, 2L, 3L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals(byId(r, 2).agent().sessionId(), byId(r, 1).agent().sessionId());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(1).status());
    }

    @Test
    void responsesCallsChainedByPreviousResponseIdFormOneConversationEach() {
        // Stored Responses conversations: each follow-up sends only the tool output (or the next
        // prompt) and previous_response_id; two chains answered alike must not share a session.
        List<Pair> all = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            long base = k * 1000;
            String prompt = k == 0 ? "list the files" : "count the lines";
            all.add(call(10 * k + 1, base, base + 100).wire("openai-responses").tools("shell").user(prompt)
                    .asks("call_" + k, "shell", "{}").respId("resp_" + k + "a").build());
            all.add(call(10 * k + 2, base + 200, base + 300).wire("openai-responses").tools("shell")
                    .toolResult("call_" + k, "a b", false).answers("two files").respId("resp_" + k + "b")
                    .body("{\"model\":\"m\",\"previous_response_id\":\"resp_" + k + "a\",\"input\":[]}").build());
        }
        // The conversation goes on with a new prompt chained to the first chain's answer.
        all.add(call(3, 2500, 2600).wire("openai-responses").tools("shell").user("and the sizes?").answers("small")
                .respId("resp_0c").body("{\"previous_response_id\":\"resp_0b\",\"input\":\"and the sizes?\"}").build());
        TurnResult r = track(all);
        assertEquals(2, r.sessions().size(), r.sessions()::toString);
        assertEquals(byId(r, 1).agent().sessionId(), byId(r, 2).agent().sessionId());
        assertEquals(byId(r, 1).agent().sessionId(), byId(r, 3).agent().sessionId());
        assertEquals(byId(r, 11).agent().sessionId(), byId(r, 12).agent().sessionId());
        assertEquals(3, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals(List.of(11L, 12L), r.turns().get(1).callIds());
        assertEquals(List.of(3L), r.turns().get(2).callIds());
    }

    @Test
    void responsesCallsOfOneConversationsApiConversationShareItsSession() {
        List<Pair> all = new ArrayList<>();
        String[] conv = { "\"conv_A\"", "{\"id\":\"conv_B\"}" };
        for (int k = 0; k < 2; k++) {
            long base = k * 1000;
            String body = "{\"model\":\"m\",\"conversation\":" + conv[k] + ",\"input\":[]}";
            all.add(call(10 * k + 1, base, base + 100).wire("openai-responses").tools("shell").user("list the files")
                    .asks("call_" + k, "shell", "{}").body(body).build());
            all.add(call(10 * k + 2, base + 200, base + 300).wire("openai-responses").tools("shell")
                    .toolResult("call_" + k, "a b", false).answers("two files").body(body).build());
        }
        TurnResult r = track(all);
        assertEquals(2, r.sessions().size(), r.sessions()::toString);
        assertEquals(byId(r, 1).agent().sessionId(), byId(r, 2).agent().sessionId());
        assertEquals(byId(r, 11).agent().sessionId(), byId(r, 12).agent().sessionId());
        assertEquals(List.of(1L, 2L), r.turns().get(0).callIds());
        assertEquals(List.of(11L, 12L), r.turns().get(1).callIds());
    }

    @Test
    void geminiPleaseContinueAfterTheNextSpeakerCheckStaysInThePromptsTurn() {
        String ua = "GeminiCLI/0.61.0/gemini-2.5-pro (linux; x64; terminal)";
        String ctx = "<session_context>\nToday.\n</session_context>";
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 50).ua(ua).wire("gemini").tools("read_file").user(ctx + "\nSummarise notes.txt.")
                .answers("First, the notes say").build());
        // The next-speaker check (no tools) says the model goes on; the CLI sends "Please continue.".
        all.add(call(2, 60, 70).ua(ua).wire("gemini").model("flash").user(ctx + "\nSummarise notes.txt.")
                .assistant("First, the notes say").user("Analyze *only* the content of your preceding response")
                .answers("{\"next_speaker\":\"model\"}").build());
        all.add(call(3, 80, 120).ua(ua).wire("gemini").tools("read_file").user(ctx + "\nSummarise notes.txt.")
                .assistant("First, the notes say").user("Please continue.").answers("three things.").build());
        // The user's next prompt is a turn of its own.
        all.add(call(4, 5_000, 5_050).ua(ua).wire("gemini").tools("read_file").user(ctx + "\nSummarise notes.txt.")
                .assistant("First, the notes say").user("Please continue.").assistant("three things.")
                .user("Thanks, now count them.").answers("Three.").build());
        TurnResult r = track(all);
        assertEquals(1, r.sessions().size(), r.sessions()::toString);
        assertEquals(2, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L, 3L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals("three things.", r.turns().get(0).finalAnswerPreview());
        assertEquals("Summarise notes.txt.", r.turns().get(0).userInputPreview());
        assertEquals(List.of(4L), r.turns().get(1).callIds());
    }

    @Test
    void claudeCodeResumeAfterMaxTokensStaysInThePromptsTurn() {
        List<Pair> all = new ArrayList<>();
        CallSpec cut = cc(1, 0, 100, "S").user("write the report").answers("Part one ...");
        cut.b.finish = heron.core.model.FinishKind.LENGTH;
        cut.b.finishReason = "max_tokens";
        all.add(cut.build());
        all.add(cc(2, 110, 200, "S").user("write the report").assistant("Part one ...")
                .user("Output token limit hit. Resume directly \u2014 no apology, no recap of what you were doing.")
                .answers("Part two.").build());
        all.add(cc(3, 5_000, 5_100, "S").user("write the report").assistant("Part one ...")
                .user("Output token limit hit. Resume directly \u2014 no apology.").assistant("Part two.")
                .user("shorter please").answers("Short.").build());
        TurnResult r = track(all);
        assertEquals(2, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals("Part two.", r.turns().get(0).finalAnswerPreview());
        assertEquals(List.of(3L), r.turns().get(1).callIds());
    }

    @Test
    void failedCallWithoutRetryLeavesTurnIncomplete() {
        TurnResult r = track(List.of(cc(1, 0, 100, "S").user("hi").fails(529).build()));
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(0).status());
    }

    @Test
    void turnOpenAtEndOfCaptureIsIncomplete() {
        List<Pair> t = ccTurn("S1", 0, 10, null, List.of());
        TurnResult r = track(t.subList(0, 2));
        assertEquals(1, r.turns().size());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(0).status());
        assertNull(r.turns().get(0).finalAnswerPreview());
        assertEquals("first prompt", r.turns().get(0).userInputPreview());
    }

    @Test
    void continuationWhoseStartWasNotCapturedFormsIncompleteTurn() {
        List<Pair> t = ccTurn("S1", 0, 10, null, List.of());
        TurnResult r = track(t.subList(1, 3));
        assertEquals(1, r.turns().size());
        assertEquals(List.of(11L, 12L), r.turns().get(0).callIds());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(0).status());
        assertNull(r.turns().get(0).userInputPreview());
    }

    @Test
    void idleTimeoutClosesOpenTurnAsIncomplete() {
        List<Pair> all = new ArrayList<>();
        all.add(cc(1, 0, 100, "S").user("go").asks("toolu_1", "Bash", "{}").build());
        all.add(cc(2, 120_000, 120_100, "S").user("go").assistant("", tc("toolu_1", "Bash"))
                .toolResult("toolu_1", "ok", false).answers("ok").build());
        TurnResult r = track(all, new PipelineHealth(), new TurnOptions(Duration.ofMinutes(1)));
        assertEquals(2, r.turns().size());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(0).status());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(1).status());
        TurnResult same = track(all);
        assertEquals(1, same.turns().size());
        assertEquals(AgentTurn.Status.COMPLETE, same.turns().get(0).status());
    }

    @Test
    void newPromptWhileTurnIsOpenInterruptsIt() {
        List<Pair> all = new ArrayList<>();
        all.add(cc(1, 0, 100, "S").user("go").asks("toolu_1", "Bash", "{}").build());
        all.add(cc(2, 5_000, 5_100, "S").user("go").assistant("", tc("toolu_1", "Bash"))
                .toolResult("toolu_1", "interrupted", true).assistant("stopped").user("do something else")
                .answers("ok").build());
        TurnResult r = track(all);
        assertEquals(2, r.turns().size());
        assertEquals(AgentTurn.Status.INCOMPLETE, r.turns().get(0).status());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(1).status());
        assertEquals("do something else", r.turns().get(1).userInputPreview());
    }

    @Test
    void toolLinksChainAskingCallToResultCallWithDurationAndError() {
        List<Pair> all = new ArrayList<>();
        all.add(cc(1, 0, 100, "S").user("go").asks("toolu_a", "Bash", "{}").build());
        all.add(cc(2, 350, 400, "S").user("go").assistant("", tc("toolu_a", "Bash"))
                .toolResult("toolu_a", "permission denied", true).asks("toolu_b", "Read", "{}").build());
        all.add(cc(3, 500, 600, "S").user("go").assistant("", tc("toolu_a", "Bash"))
                .toolResult("toolu_a", "permission denied", true).assistant("", tc("toolu_b", "Read"))
                .toolResult("toolu_b", "text", false).asks("toolu_c", "Bash", "{}").build());
        TurnResult r = track(all);
        assertEquals(3, r.toolLinks().size());
        ToolLink a = r.toolLinks().get(0);
        assertEquals(new ToolLink("toolu_a", "Bash", 1, 2, 250 * Fixtures.MS, true), a);
        ToolLink b = r.toolLinks().get(1);
        assertEquals(new ToolLink("toolu_b", "Read", 2, 3, 100 * Fixtures.MS, false), b);
        ToolLink c = r.toolLinks().get(2);
        assertEquals(0, c.resultCallId());
        assertEquals(1, r.turns().get(0).toolErrors());
        assertEquals(3, r.turns().get(0).toolCalls());
    }

    @Test
    void toolCallsWithoutIdsLinkToNextCallCarryingResults() {
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 100).ua("GeminiCLI/0.61.0").wire("gemini").tools("list_directory").user("list")
                .asks(null, "list_directory", "{}").build());
        all.add(call(2, 130, 200).ua("GeminiCLI/0.61.0").wire("gemini").tools("list_directory").user("list")
                .assistant(null, tc(null, "list_directory")).toolResult(null, "a.txt", false).answers("a.txt").build());
        TurnResult r = track(all);
        assertEquals(List.of(new ToolLink(null, "list_directory", 1, 2, 30 * Fixtures.MS, false)), r.toolLinks());
    }

    @Test
    void geminiResumedSessionAndRouterCallsGroupIntoTwoTurnsOfOneSession() {
        String ua = "GeminiCLI-tui/0.61.0/gemini-3.1-pro-preview (linux; x64; terminal)";
        String ctx = "<session_context>\nThis is the Gemini CLI. Today is Friday.\n</session_context>";
        List<Pair> all = new ArrayList<>();
        // Turn 1: router (two user contents), then main (one content with two parts, joined by the decoder).
        all.add(call(1, 0, 10).ua(ua).wire("gemini").model("flash-lite").system("You are a Task Routing AI")
                .user(ctx).user("List the files here.").answers("{\"complexity_score\":5}").build());
        all.add(call(2, 16, 60).ua(ua).wire("gemini").tools("list_directory").system("You are Gemini CLI")
                .user(ctx + "\nList the files here.").asks("ld_1", "list_directory", "{}").build());
        all.add(call(3, 86, 120).ua(ua).wire("gemini").tools("list_directory").system("You are Gemini CLI")
                .user(ctx + "\nList the files here.").assistant(null, tc("ld_1", "list_directory"))
                .toolResult("ld_1", "notes.txt", false).answers("There is notes.txt.").build());
        // Turn 2, a new process with --resume: history replayed.
        for (int i = 0; i < 3; i++) {
            CallSpec c = call(4 + i, 3_000 + i * 50, 3_030 + i * 50).ua(ua).wire("gemini");
            if (i == 0) {
                c.model("flash-lite").system("You are a Task Routing AI");
            } else {
                c.tools("list_directory", "run_shell_command").system("You are Gemini CLI");
            }
            c.user(ctx + "\nList the files here.").assistant(null, tc("ld_1", "list_directory"))
                    .toolResult("ld_1", "notes.txt", false).assistant("There is notes.txt.")
                    .user("How many lines does notes.txt have?");
            if (i == 0) {
                c.answers("{\"complexity_score\":3}");
            } else if (i == 1) {
                c.asks("rs_1", "run_shell_command", "{}");
            } else {
                c.assistant(null, tc("rs_1", "run_shell_command")).toolResult("rs_1", "3", false).answers("3 lines.");
            }
            all.add(c.build());
        }
        TurnResult r = track(all);
        assertEquals(1, r.sessions().size(), r.sessions()::toString);
        assertEquals(2, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L, 2L, 3L), r.turns().get(0).callIds());
        assertEquals(List.of(4L, 5L, 6L), r.turns().get(1).callIds());
        assertEquals("How many lines does notes.txt have?", r.turns().get(1).userInputPreview());
        assertEquals("List the files here.", r.turns().get(0).userInputPreview());
        assertTrue(r.turns().stream().allMatch(t -> t.status() == AgentTurn.Status.COMPLETE));
        assertTrue(byId(r, 4).agent().auxiliary());
        assertTrue(r.sessions().get(0).id().startsWith("gemini-cli:"));
    }

    @Test
    void tagGivesTheCallersCallsInEventOrderWithTheirTags() {
        List<Pair> pairs = new ArrayList<>(ccTurn("S", 0, 10, null, List.of()));
        pairs.add(call(99, 50, 60).ua("node-fetch").user("hi").answers("hello").build());
        Collections.reverse(pairs);
        TurnResult r = track(pairs);
        List<heron.core.model.LlmCall> tagged = r.tag(pairs.stream().map(Pair::call).toList());
        assertEquals(List.of(10L, 99L, 11L, 12L), tagged.stream().map(heron.core.model.LlmCall::id).toList());
        for (int i = 0; i < tagged.size(); i++) {
            assertEquals(r.calls().get(i).id(), tagged.get(i).id());
            assertEquals(r.calls().get(i).agent(), tagged.get(i).agent());
        }
        assertNull(tagged.get(1).agent(), "a call no profile knows stays untagged");
        assertEquals(10, tagged.get(3).agent().turnId());
        assertEquals(12, pairs.get(1).call().id());
        assertEquals(pairs.get(1).call().messages(), tagged.get(3).messages(), "the caller's full call, tagged");
    }

    @Test
    void trackerKeepsNeitherTheCallsNorTheExchangesItWasGiven() throws InterruptedException {
        TurnTracker tracker = new TurnTracker(BuiltinProfiles.registry(), new PipelineHealth());
        List<java.lang.ref.WeakReference<Object>> refs = addWatched(tracker);
        for (int i = 0; i < 50 && refs.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(refs.stream().allMatch(w -> w.get() == null), "calls or exchanges still reachable");
        TurnResult r = tracker.finish();
        assertEquals(1, r.turns().size());
        assertEquals(AgentTurn.Status.COMPLETE, r.turns().get(0).status());
        assertEquals(List.of(10L, 11L, 12L), r.turns().get(0).callIds());
        assertEquals(2, r.toolLinks().stream().filter(l -> l.resultCallId() != 0).count());
    }

    /** Adds a turn's calls; this frame (and its locals) is gone when the caller collects garbage. */
    private static List<java.lang.ref.WeakReference<Object>> addWatched(TurnTracker tracker) {
        List<java.lang.ref.WeakReference<Object>> refs = new ArrayList<>();
        for (Pair p : ccTurn("S", 0, 10, null, List.of())) {
            tracker.add(p.call(), p.exchange());
            refs.add(new java.lang.ref.WeakReference<>(p.call()));
            refs.add(new java.lang.ref.WeakReference<>(p.exchange()));
        }
        return refs;
    }

    @Test
    void callsWithoutAgentOrToolsStayPlainAndAreNotCountedAsUnplaced() {
        PipelineHealth h = new PipelineHealth();
        TurnResult r = track(List.of(call(1, 0, 10).ua("node-fetch").user("hi").answers("hello").build()), h,
                TurnOptions.defaults());
        assertNull(r.calls().get(0).agent());
        assertTrue(r.turns().isEmpty());
        assertEquals(0, h.get(PipelineHealth.TURNS_UNPLACED_CALLS));
    }

    @Test
    void geminiRouterQuotingOnlyTheLatestMessagesJoinsTheTurnItRoutes() {
        // In a long conversation Gemini CLI's router sends only the latest messages, so its opening
        // (its session key) differs from the main loop's; it must still join the turn it was made for.
        String ua = "GeminiCLI/0.61.0/gemini-3.1-pro-preview (linux; x64)";
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 10).ua(ua).wire("gemini").model("flash-lite").system("You are a Task Routing AI")
                .user("List the files here.").answers("{\"complexity_score\":5}").build());
        all.add(call(2, 16, 60).ua(ua).wire("gemini").tools("list_directory").user("List the files here.")
                .answers("notes.txt").build());
        all.add(call(3, 5_000, 5_010).ua(ua).wire("gemini").model("flash-lite").system("You are a Task Routing AI")
                .user("Count the lines.").answers("{\"complexity_score\":3}").build());
        all.add(call(4, 5_016, 5_060).ua(ua).wire("gemini").tools("list_directory").user("List the files here.")
                .assistant("notes.txt").user("Count the lines.").answers("3 lines.").build());
        PipelineHealth h = new PipelineHealth();
        TurnResult r = track(all, h, TurnOptions.defaults());
        assertEquals(1, r.sessions().size(), r.sessions()::toString);
        assertEquals(List.of(3L, 4L), r.turns().get(1).callIds());
        assertTrue(byId(r, 3).agent().auxiliary());
        assertEquals(r.sessions().get(0).id(), byId(r, 3).agent().sessionId());
        assertEquals(0, h.get(PipelineHealth.TURNS_UNPLACED_CALLS));
    }

    @Test
    void routerCallQuotingTheNextPromptJoinsTheNextTurnEvenRightAfterThePreviousTurn() {
        String ua = "GeminiCLI/0.61.0";
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 40).ua(ua).wire("gemini").tools("run_shell_command").user("List the files.")
                .answers("a b").build());
        // Prompt 2's router starts 1 ms after turn 1 ended and 20 ms before turn 2's first call.
        all.add(call(2, 41, 60).ua(ua).wire("gemini").model("flash-lite").system("You are a Task Routing AI")
                .user("List the files.").assistant("a b").user("Count the lines.").answers("{\"complexity_score\":3}")
                .build());
        all.add(call(3, 80, 120).ua(ua).wire("gemini").tools("run_shell_command").user("List the files.")
                .assistant("a b").user("Count the lines.").answers("3").build());
        TurnResult r = track(all);
        assertEquals(2, r.turns().size(), r.turns()::toString);
        assertEquals(List.of(1L), r.turns().get(0).callIds());
        assertEquals(List.of(2L, 3L), r.turns().get(1).callIds());
    }

    @Test
    void strayTitleCallJoinsOnlyAMainCallOfTheSameAgentAndServerNearby() {
        // Claude Code without session header or metadata: the title call's opening differs from the loop's.
        List<Pair> all = new ArrayList<>();
        all.add(call(1, 0, 10).ua(CC_UA).model("claude-haiku-4-5").user("Write a title for: list files").answers("Files").build());
        all.add(call(2, 5, 60).ua(CC_UA).tools("Bash").user("list files").answers("a b").build());
        // Another title call far from any loop call stays on its own.
        all.add(call(3, 600_000, 600_010).ua(CC_UA).model("claude-haiku-4-5").user("Write a title for: x").answers("X").build());
        PipelineHealth h = new PipelineHealth();
        TurnResult r = track(all, h, TurnOptions.defaults());
        assertEquals(List.of(1L, 2L), r.turns().get(0).callIds());
        assertEquals(0, byId(r, 3).agent().turnId());
        assertEquals(1, h.get(PipelineHealth.TURNS_UNPLACED_CALLS));
    }

    @Test
    void auxiliaryCallOfSessionWithoutTurnsIsCountedUnplaced() {
        PipelineHealth h = new PipelineHealth();
        TurnTracker tracker = new TurnTracker(BuiltinProfiles.registry(), h);
        Pair quota = call(1, 0, 10).ua(CC_UA).header("x-claude-code-session-id", "S").user("quota").answers("ok").build();
        tracker.add(quota.call(), quota.exchange());
        TurnResult r = tracker.finish();
        assertEquals(1, h.get(PipelineHealth.TURNS_UNPLACED_CALLS));
        tracker.finish();
        assertEquals(1, h.get(PipelineHealth.TURNS_UNPLACED_CALLS), "a second finish() does not count again");
        AgentTag tag = r.calls().get(0).agent();
        assertEquals(0, tag.turnId());
        assertTrue(tag.auxiliary());
        assertEquals("claude-code:S", tag.sessionId());
        assertEquals(1, r.sessions().size());
        assertTrue(r.sessions().get(0).turnIds().isEmpty());
    }

    @Test
    void genericConversationsOpenedWithSamePromptStayApartByToolIds() {
        List<Pair> all = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            String id = "call_" + k;
            long base = k * 10;
            all.add(call(1 + k, base, base + 50).wire("openai-chat").tools("get_weather").user("Weather in Paris?")
                    .asks(id, "get_weather", "{}").build());
            all.add(call(3 + k, base + 100, base + 150).wire("openai-chat").tools("get_weather")
                    .user("Weather in Paris?").assistant(null, tc(id, "get_weather")).toolResult(id, "sunny", false)
                    .answers("Sunny.").build());
        }
        TurnResult r = track(all);
        assertEquals(2, r.sessions().size());
        assertEquals(2, r.turns().size());
        assertEquals(List.of(1L, 3L), r.turns().get(0).callIds());
        assertEquals(List.of(2L, 4L), r.turns().get(1).callIds());
        assertTrue(r.turns().stream().allMatch(t -> t.status() == AgentTurn.Status.COMPLETE && "generic".equals(t.agentKind())));
    }

    @Test
    void shuffledArrivalOrderGivesIdenticalTurnsSessionsLinksAndTags() {
        List<Pair> all = new ArrayList<>();
        List<Pair> t1 = ccTurn("S1", 0, 10, null, List.of());
        all.addAll(t1);
        all.addAll(ccTurn("S1", 5_000, 20, "How many lines?", List.of(t1.get(2))));
        all.add(call(5, 4_990, 5_100).ua(CC_UA).header("x-claude-code-session-id", "S1").user("title")
                .answers("t").build());
        for (Pair p : subagentScenario()) {
            all.add(p);
        }
        // Same request time as call 10, different id: ties are broken by id.
        all.add(call(99, 0, 100).wire("openai-chat").tools("f").user("q").asks("call_x", "f", "{}").build());
        all.add(call(100, 200, 300).wire("openai-chat").tools("f").user("q").assistant(null, tc("call_x", "f"))
                .toolResult("call_x", "r", false).answers("a").build());
        TurnResult expected = track(all);
        assertEquals(4, expected.turns().size(), expected.turns()::toString);
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            List<Pair> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, rnd);
            TurnResult got = track(shuffled);
            assertEquals(expected, got, "permutation " + i);
        }
    }

    @Test
    void addIsSafeFromManyThreads() throws Exception {
        List<Pair> all = new ArrayList<>(subagentScenario());
        all.addAll(ccTurn("S1", 0, 10, null, List.of()));
        TurnResult expected = track(all);
        TurnTracker t = new TurnTracker(BuiltinProfiles.registry(), new PipelineHealth());
        List<Thread> threads = new ArrayList<>();
        for (Pair p : all) {
            Thread th = new Thread(() -> t.add(p.call(), p.exchange()));
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(expected, t.finish());
        assertEquals(expected, t.finish(), "finish() can be called again");
    }
}
