package heron.agents.profiles;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.CallRole;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * opencode ({@code opencode run} and the TUI), any provider; with an OpenAI-compatible provider it
 * speaks chat completions.
 * <ul>
 * <li>Recognised by {@code User-Agent: opencode/...}, or an {@code x-session-affinity} /
 * {@code x-session-id} header holding an opencode session id ({@code ses_...}).</li>
 * <li>Session: {@code x-session-id}, else {@code x-session-affinity} (kept by {@code --continue}),
 * else the conversation's opening.</li>
 * <li>Auxiliary: calls without tools (title generation, summaries).</li>
 * </ul>
 */
public final class OpencodeProfile implements AgentProfile {

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        if (Conversations.userAgent(exchange).startsWith("opencode/")) {
            return true;
        }
        String s = sessionHeader(exchange);
        return s != null && s.startsWith("ses_");
    }

    private static String sessionHeader(HttpExchange exchange) {
        String s = Conversations.header(exchange, "x-session-id");
        return s != null ? s : Conversations.header(exchange, "x-session-affinity");
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String session = Conversations.sessionKey(sessionHeader(exchange), call);
        if (call.toolsOffered().isEmpty()) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        return Conversations.loopStep(session, call);
    }

    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
