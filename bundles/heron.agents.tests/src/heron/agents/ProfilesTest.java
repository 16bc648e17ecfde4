package heron.agents;

import static heron.agents.Fixtures.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.agents.Fixtures.Pair;
import heron.agents.profiles.ClaudeCodeProfile;
import heron.agents.profiles.CodexProfile;
import heron.agents.profiles.GeminiCliProfile;
import heron.agents.profiles.GenericProfile;
import heron.agents.profiles.HermesProfile;
import heron.agents.profiles.OpenClawProfile;
import heron.agents.profiles.OpencodeProfile;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfileRegistry;
import heron.core.agents.CallRole;
import heron.core.health.PipelineHealth;
import heron.core.registry.Contribution;

class ProfilesTest {
    static final String CODEX_META = "{\"installation_id\":\"i\",\"session_id\":\"01a21c44-35c3\",\"thread_id\":\"01a21c44-35c3\","
            + "\"agent_name\":\"/root\",\"turn_id\":\"t1\",\"request_kind\":\"turn\",\"thread_source\":\"user\"}";

    static String owner(Pair p) {
        Contribution<?> c = BuiltinProfiles.registry().match(p.call(), p.exchange(), new PipelineHealth());
        return c == null ? null : c.id();
    }

    @Test
    void registryAsksBuiltinsInPriorityOrderWithGenericLast() {
        AgentProfileRegistry reg = BuiltinProfiles.registry();
        assertEquals(List.of("claude-code", "codex", "gemini-cli", "opencode", "openclaw", "hermes", "generic"),
                reg.working().stream().map(Contribution::id).toList());
    }

    @Test
    void claudeCodeIsRecognisedByUserAgentHeaderOrSystemPrompt() {
        assertEquals("claude-code", owner(call(1, 0, 1).ua("claude-cli/2.1.197 (external, sdk-cli)").tools("Bash").user("x").build()));
        assertEquals("claude-code", owner(call(1, 0, 1).ua("Bun/1.4").header("X-Claude-Code-Session-Id", "s").user("x").build()));
        assertEquals("claude-code", owner(call(1, 0, 1).system("x-anthropic-billing-header: cc_version=2.1.197.d87;")
                .tools("Bash").user("x").build()));
        assertEquals("generic", owner(call(1, 0, 1).ua("anthropic-sdk").tools("Bash").user("x").build()));
    }

    @Test
    void claudeCodeSidesSubagentsAndSessionSources() {
        ClaudeCodeProfile p = new ClaudeCodeProfile();
        Pair title = call(1, 0, 1).ua("claude-cli/2").header("x-claude-code-session-id", "S").user("<session>x</session>").build();
        assertEquals(new AgentCallInfo("S", CallRole.AUXILIARY, null), p.classify(title.call(), title.exchange()));
        Pair monitor = call(1, 0, 1).ua("claude-cli/2").header("x-claude-code-session-id", "S").tools("Bash")
                .system("You are a security monitor for autonomous AI coding agents.").user("check").build();
        assertEquals(CallRole.AUXILIARY, p.classify(monitor.call(), monitor.exchange()).role());
        Pair sub = call(1, 0, 1).ua("claude-cli/2").header("x-claude-code-session-id", "S")
                .header("x-claude-code-agent-id", "a2").header("x-claude-code-parent-agent-id", "a1").tools("Bash")
                .user("do it").build();
        assertEquals(new AgentCallInfo("S", CallRole.SUBAGENT, "a2", "a2", "a1"), p.classify(sub.call(), sub.exchange()));
        Pair noHeader = call(1, 0, 1).ua("claude-cli/2").tools("Bash").user("go")
                .body("{\"metadata\":{\"user_id\":\"{\\\"device_id\\\":\\\"d\\\",\\\"session_id\\\":\\\"ff75d9cb-e0e4\\\"}\"}}")
                .build();
        AgentCallInfo info = p.classify(noHeader.call(), noHeader.exchange());
        assertEquals("ff75d9cb-e0e4", info.sessionKey());
        assertEquals(CallRole.USER_TURN_START, info.role());
    }

    @Test
    void claudeCode1xSessionIsTheSuffixOfItsLegacyMetadataUserId() {
        ClaudeCodeProfile p = new ClaudeCodeProfile();
        Pair legacy = call(1, 0, 1).ua("claude-cli/1.0.51 (external, cli)").tools("Bash").user("go")
                .body("{\"metadata\":{\"user_id\":\"user_5dd07c33da27e6d2968d94ea20bf47a7b090b6b158b82328d54da2909a108e84"
                        + "_account__session_d2e70091-3007-41a3-a916-cb8b0d3098de\"}}")
                .build();
        assertEquals("d2e70091-3007-41a3-a916-cb8b0d3098de", p.classify(legacy.call(), legacy.exchange()).sessionKey());
        Pair withAccount = call(1, 0, 1).ua("claude-cli/1.0.51 (external, cli)").tools("Bash").user("go")
                .body("{\"metadata\":{\"user_id\":\"user_abc123_account_0f1e2d3c-aaaa-bbbb-cccc-000000000000"
                        + "_session_11112222-3333-4444-5555-666677778888\"}}")
                .build();
        assertEquals("11112222-3333-4444-5555-666677778888",
                p.classify(withAccount.call(), withAccount.exchange()).sessionKey());
    }

    @Test
    void codexIsRecognisedAndKeyedByTurnMetadata() {
        Pair c = call(1, 0, 1).wire("openai-responses").ua("codex_exec/0.171.0 (Debian)").header("originator", "codex_exec")
                .header("x-codex-turn-metadata", CODEX_META).header("session-id", "other").tools("exec_command")
                .user("list").build();
        assertEquals("codex", owner(c));
        assertEquals(new AgentCallInfo("01a21c44-35c3", CallRole.USER_TURN_START, null),
                new CodexProfile().classify(c.call(), c.exchange()));
        Pair byOriginator = call(1, 0, 1).ua("reqwest").header("originator", "codex_cli_rs").header("session-id", "s2")
                .tools("shell").user("x").build();
        assertEquals("codex", owner(byOriginator));
        assertEquals("s2", new CodexProfile().classify(byOriginator.call(), byOriginator.exchange()).sessionKey());
        Pair compact = call(1, 0, 1).ua("codex_exec/0.1").header("x-codex-turn-metadata",
                CODEX_META.replace("\"turn\"", "\"compact\"")).tools("shell").user("x").build();
        assertEquals(CallRole.AUXILIARY, new CodexProfile().classify(compact.call(), compact.exchange()).role());
        Pair sub = call(1, 0, 1).ua("codex_exec/0.1").header("x-codex-turn-metadata", CODEX_META)
                .header("x-openai-subagent", "review").tools("shell").user("x").build();
        AgentCallInfo si = new CodexProfile().classify(sub.call(), sub.exchange());
        assertEquals(CallRole.SUBAGENT, si.role());
        assertEquals("review", si.subagentName());
    }

    @Test
    void geminiRouterIsAuxiliaryAndSharesTheMainLoopSession() {
        String ua = "GeminiCLI-tui/0.61.0/gemini-3.1-pro-preview (linux; x64; terminal)";
        Pair router = call(1, 0, 1).wire("gemini").ua(ua).system("Task Routing AI").user("<session_context>c</session_context>")
                .user("List files").build();
        Pair main = call(2, 0, 1).wire("gemini").ua(ua).tools("list_directory").system("You are Gemini CLI")
                .user("<session_context>c</session_context>\nList files").build();
        assertEquals("gemini-cli", owner(router));
        GeminiCliProfile p = new GeminiCliProfile();
        AgentCallInfo r = p.classify(router.call(), router.exchange());
        AgentCallInfo m = p.classify(main.call(), main.exchange());
        assertEquals(CallRole.AUXILIARY, r.role());
        assertEquals(CallRole.USER_TURN_START, m.role());
        assertEquals(r.sessionKey(), m.sessionKey());
        Pair other = call(3, 0, 1).wire("gemini").ua(ua).tools("list_directory").user("Something else").build();
        assertNotEquals(m.sessionKey(), p.classify(other.call(), other.exchange()).sessionKey());
    }

    @Test
    void geminiCodeAssistCallsAreKeyedByTheCliSessionIdSoSamePromptConversationsStayApart() {
        String ua = "GeminiCLI/0.61.0/gemini-2.5-pro (linux; x64; terminal)";
        GeminiCliProfile p = new GeminiCliProfile();
        String[] keys = new String[2];
        for (int i = 0; i < 2; i++) {
            Pair c = call(1 + i, 0, 1).wire("gemini").ua(ua).tools("list_directory").user("List files")
                    .path("/v1internal:streamGenerateContent?alt=sse")
                    .body("{\"model\":\"gemini-2.5-pro\",\"project\":\"p\",\"user_prompt_id\":\"u\",\"request\":{\"contents\":"
                            + "[{\"role\":\"user\",\"parts\":[{\"text\":\"List \\\"session_id\\\": \\\"no\\\"\"}]}],"
                            + "\"session_id\":\"sess-" + i + "\"}}")
                    .build();
            keys[i] = p.classify(c.call(), c.exchange()).sessionKey();
        }
        assertEquals("sess-0", keys[0], "the session_id field, not the quoted one in the prompt");
        assertEquals("sess-1", keys[1]);
        // The same body on the public API path is not Code Assist: the opening decides.
        Pair pub = call(3, 0, 1).wire("gemini").ua(ua).tools("list_directory").user("List files")
                .path("/v1beta/models/m:generateContent").body("{\"session_id\":\"x\"}").build();
        assertNotEquals("x", p.classify(pub.call(), pub.exchange()).sessionKey());
    }

    @Test
    void geminiCliInsideVsCodeIsRecognisedByItsCloudCodeAgentString() {
        Pair c = call(1, 0, 1).wire("gemini").tools("list_directory").user("hi")
                .ua("CloudCodeVSCode/0.61.0 (aidev_client; os_type=Linux; os_version=6.1; arch=x64; "
                        + "host_path=VSCode/1.100.0; proxy_client=geminicli)")
                .build();
        assertEquals("gemini-cli", owner(c));
    }

    @Test
    void opencodeUsesSessionHeaderAndTitleCallIsAuxiliary() {
        String ua = "opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14";
        Pair title = call(1, 0, 1).wire("openai-chat").ua(ua).header("x-session-affinity", "ses_de3b")
                .header("x-session-id", "ses_de3b").system("Generate a title").user("list files").build();
        Pair loop = call(2, 0, 1).wire("openai-chat").ua(ua).header("x-session-affinity", "ses_de3b").tools("bash", "read")
                .user("list files").build();
        assertEquals("opencode", owner(title));
        assertEquals(new AgentCallInfo("ses_de3b", CallRole.AUXILIARY, null),
                new OpencodeProfile().classify(title.call(), title.exchange()));
        assertEquals(new AgentCallInfo("ses_de3b", CallRole.USER_TURN_START, null),
                new OpencodeProfile().classify(loop.call(), loop.exchange()));
        assertEquals("opencode", owner(call(3, 0, 1).ua("ai-sdk").header("x-session-affinity", "ses_x").tools("bash").user("x").build()));
    }

    @Test
    void genericNeedsToolActivityAndKeysByHostAndOpening() {
        assertNull(owner(call(1, 0, 1).ua("openai-node").user("hi").answers("hello").build()));
        Pair a = call(1, 0, 1).wire("openai-chat").tools("f").user("hi").asks("call_1", "f", "{}").build();
        Pair later = call(2, 0, 1).wire("openai-chat").tools("f").user("hi").assistant(null, Fixtures.tc("call_1", "f"))
                .toolResult("call_1", "r", false).build();
        assertEquals("generic", owner(a));
        GenericProfile g = new GenericProfile();
        AgentCallInfo ai = g.classify(a.call(), a.exchange());
        AgentCallInfo li = g.classify(later.call(), later.exchange());
        assertEquals(ai.sessionKey(), li.sessionKey());
        assertTrue(ai.sessionKey().startsWith("127.0.0.1:8000/"));
        assertEquals(CallRole.USER_TURN_START, ai.role());
        assertEquals(CallRole.CONTINUATION, li.role());
        Pair echoed = call(3, 0, 1).wire("openai-chat").tools("f").user("hi").assistant(null, Fixtures.tc("calld1", "f"))
                .toolResult("calld1", "r", false).build();
        Pair orig = call(4, 0, 1).wire("openai-chat").tools("f").user("hi").assistant(null, Fixtures.tc("call_d1", "f"))
                .toolResult("call_d1", "r", false).build();
        assertEquals(g.classify(orig.call(), orig.exchange()).sessionKey(), g.classify(echoed.call(), echoed.exchange()).sessionKey());
    }

    @Test
    void openClawIsRecognisedByTwoOfItsSessionToolsOnAnyWireApi() {
        Pair anth = call(1, 0, 1).ua("node").tools("sessions_spawn", "subagents", "Read", "Grep").user("search")
                .asks("toolu_par1", "Read", "{}").build();
        assertEquals("openclaw", owner(anth));
        assertEquals("openclaw", owner(call(2, 0, 1).wire("openai-chat").ua("node").tools("sessions_list", "session_status")
                .user("x").build()));
        // One session tool alone is not enough: another client may have a tool of that name.
        assertEquals("generic", owner(call(3, 0, 1).ua("node").tools("subagents", "Read").user("x").build()));
        AgentCallInfo info = new OpenClawProfile().classify(anth.call(), anth.exchange());
        assertEquals(CallRole.USER_TURN_START, info.role());
        assertEquals(new GenericProfile().classify(anth.call(), anth.exchange()).sessionKey(), info.sessionKey());
        Pair summariser = call(4, 0, 1).ua("node").system("You are a context summarization assistant. Summarize.")
                .user("history").answers("summary").build();
        assertEquals("openclaw", owner(summariser));
        assertEquals(CallRole.AUXILIARY, new OpenClawProfile().classify(summariser.call(), summariser.exchange()).role());
        assertEquals("openclaw", owner(call(5, 0, 1).ua("node").system("\n  You are a context summarization assistant.")
                .user("history").answers("summary").build()));
        assertNull(owner(call(6, 0, 1).ua("node").system("Be brief. You are a context summarization assistant.")
                .user("history").answers("summary").build()));
    }

    @Test
    void hermesIsRecognisedByTwoOfItsSkillAndDelegationTools() {
        Pair h = call(1, 0, 1).wire("openai-chat").ua("openai-python/1.40.0").tools("skill_view", "delegate_task", "Read")
                .user("use a skill").asks("call_synth01", "Read", "{}").build();
        assertEquals("hermes", owner(h));
        assertEquals(CallRole.USER_TURN_START, new HermesProfile().classify(h.call(), h.exchange()).role());
        assertTrue(new HermesProfile().classify(h.call(), h.exchange()).sessionKey().startsWith("127.0.0.1:8000/"));
        assertEquals("generic", owner(call(2, 0, 1).ua("openai-python/1.40.0").tools("delegate_task", "Read").user("x").build()));
        // Its title generation offers no tools: a plain call.
        assertNull(owner(call(3, 0, 1).ua("openai-python/1.40.0").user("title?").answers("A title").build()));
    }

    @Test
    void terminalOnlyWhenAnsweredWithoutToolsAndWithoutFailure() {
        ClaudeCodeProfile p = new ClaudeCodeProfile();
        assertTrue(p.isTerminal(call(1, 0, 1).answers("done").build().call()));
        assertFalse(p.isTerminal(call(1, 0, 1).asks("t", "Bash", "{}").build().call()));
        assertFalse(p.isTerminal(call(1, 0, 1).fails(500).build().call()));
        // Gemini and Codex report a plain stop reason with function calls.
        var b = call(1, 0, 1).answers("calling");
        b.b.toolCalls.add(Fixtures.tc("x", "f"));
        assertFalse(new GeminiCliProfile().isTerminal(b.build().call()));
    }
}
