package heron.agents.profiles;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.CallRole;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Google Gemini CLI ({@code gemini}), on the Gemini generateContent API.
 * <ul>
 * <li>Recognised by {@code User-Agent: GeminiCLI/...} or {@code GeminiCLI-tui/...}.</li>
 * <li>Session: Gemini CLI sends no session header, so the key is synthesised from the user text
 * before the model's first answer (the {@code <session_context>} block and the first prompt).
 * {@code --resume} replays the saved history, so a resumed conversation keeps its key, and the
 * router side call, which quotes the same opening, lands in the same session.</li>
 * <li>Auxiliary: calls without tools (the flash-lite router/classifier, next-speaker check,
 * summaries).</li>
 * </ul>
 */
public final class GeminiCliProfile implements AgentProfile {

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        String ua = Conversations.userAgent(exchange);
        return ua.startsWith("GeminiCLI") || ua.startsWith("gemini-cli");
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String session = Conversations.sessionKey(Conversations.userOpeningKey(call), call);
        if (call.toolsOffered().isEmpty()) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        return Conversations.loopStep(session, call);
    }

    /** Gemini reports finishReason STOP also for function calls, so only their absence ends a turn. */
    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
