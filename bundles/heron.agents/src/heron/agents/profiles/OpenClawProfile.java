package heron.agents.profiles;

import java.util.Set;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.CallRole;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * OpenClaw, on any wire API. It sends a generic client's headers ({@code User-Agent: node} and the
 * like), so only the request body tells it apart.
 * <ul>
 * <li>Recognised by its session tools: the call offers at least two of {@code sessions_spawn},
 * {@code sessions_yield}, {@code subagents}, {@code sessions_list}, {@code sessions_history},
 * {@code sessions_send}, {@code session_status}; or, without tools, its context-summarisation
 * system prompt.</li>
 * <li>Session: {@code <server host>/} + the conversation's opening, as for the generic profile
 * (no session header).</li>
 * <li>Auxiliary: the context summariser (no tools).</li>
 * </ul>
 */
public final class OpenClawProfile implements AgentProfile {
    static final Set<String> TOOLS = Set.of("sessions_spawn", "sessions_yield", "subagents", "sessions_list",
            "sessions_history", "sessions_send", "session_status");
    static final String SUMMARISER_PROMPT = "You are a context summarization assistant.";

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        return ToolFingerprint.offersTwoOf(call, TOOLS) || isSummariser(call);
    }

    private static boolean isSummariser(LlmCall call) {
        String sys = call.systemPrompt();
        if (!call.toolsOffered().isEmpty() || sys == null) {
            return false;
        }
        // Leading white space skipped in place: system prompts are KB long and asked about on every call.
        int i = 0;
        while (i < sys.length() && Character.isWhitespace(sys.charAt(i))) {
            i++;
        }
        return sys.startsWith(SUMMARISER_PROMPT, i);
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String session = GenericProfile.sessionOf(call);
        if (isSummariser(call)) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        return Conversations.loopStep(session, call);
    }

    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
