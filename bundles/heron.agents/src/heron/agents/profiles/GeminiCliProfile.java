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
 * <li>Recognised by {@code User-Agent: GeminiCLI/...} or {@code GeminiCLI-tui/...} (inside VS Code:
 * {@code CloudCodeVSCode/... proxy_client=geminicli}).</li>
 * <li>Session: with Google login (Code Assist) the request's {@code session_id}. With an API key
 * Gemini CLI sends no session id, so the key is synthesised from the user text
 * before the model's first answer (the {@code <session_context>} block and the first prompt).
 * {@code --resume} replays the saved history, so a resumed conversation keeps its key, and the
 * router side call, which quotes the same opening, lands in the same session.</li>
 * <li>Auxiliary: calls without tools (the flash-lite router/classifier, next-speaker check,
 * summaries).</li>
 * </ul>
 */
public final class GeminiCliProfile implements AgentProfile {

    private static final byte[] SESSION_ID = "\"session_id\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        String ua = Conversations.userAgent(exchange);
        // Inside VS Code the CLI sends Cloud Code's agent string, tagged proxy_client=geminicli.
        return ua.startsWith("GeminiCLI") || ua.startsWith("gemini-cli")
                || (ua.startsWith("CloudCodeVSCode/") && ua.contains("proxy_client=geminicli"));
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String session = codeAssistSession(exchange);
        if (session == null) {
            session = Conversations.sessionKey(Conversations.userOpeningKey(call), call);
        }
        if (call.toolsOffered().isEmpty()) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        AgentCallInfo step = Conversations.loopStep(session, call);
        if (step.role() == CallRole.USER_TURN_START && Conversations.lastUserTextStartsWith(call, AUTO_CONTINUE)
                && AUTO_CONTINUE.equals(Conversations.lastUserText(call))) {
            // Sent by the CLI itself when its next-speaker check says the model should go on.
            return new AgentCallInfo(session, CallRole.CONTINUATION, null);
        }
        return step;
    }

    /** The user message Gemini CLI adds on its own to let the model continue the same prompt. */
    static final String AUTO_CONTINUE = "Please continue.";

    /**
     * With Google login the CLI talks to Code Assist ({@code /v1internal:generateContent}), whose
     * wrapped request carries the CLI's own session id ({@code request.session_id}, kept by
     * {@code --resume}): two conversations opened with the same prompt stay apart.
     */
    static String codeAssistSession(HttpExchange exchange) {
        if (exchange == null || exchange.request() == null || !exchange.request().path().contains("v1internal:")
                || !Conversations.requestBodyContains(exchange, SESSION_ID)) {
            return null;
        }
        String id = Conversations.jsonString(Conversations.requestBody(exchange), "session_id");
        return id == null || id.isBlank() ? null : id;
    }

    /** Gemini reports finishReason STOP also for function calls, so only their absence ends a turn. */
    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
