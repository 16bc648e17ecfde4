package heron.agents.profiles;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.CallRole;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * OpenAI Codex CLI ({@code codex exec}, the TUI and IDE front ends), on the Responses API.
 * <ul>
 * <li>Recognised by User-Agent / {@code originator} {@code codex_exec}, {@code codex_cli_rs},
 * {@code codex-tui}, {@code codex_vscode} ..., or the {@code x-codex-turn-metadata} header.</li>
 * <li>Session: {@code session_id} in the JSON of {@code x-codex-turn-metadata}, else the
 * {@code session-id} / {@code conversation_id} header (never {@code x-client-request-id}, which
 * some versions vary per request), else the conversation's opening.</li>
 * <li>Sub-agent: the {@code x-openai-subagent} header, or turn metadata whose {@code thread_source}
 * is not "user".</li>
 * <li>Auxiliary: turn metadata whose {@code request_kind} is not "turn" (compaction, review ...).</li>
 * </ul>
 */
public final class CodexProfile implements AgentProfile {
    public static final String TURN_METADATA_HEADER = "x-codex-turn-metadata";
    public static final String SUBAGENT_HEADER = "x-openai-subagent";

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        if (Conversations.header(exchange, TURN_METADATA_HEADER) != null) {
            return true;
        }
        String ua = Conversations.userAgent(exchange);
        String originator = Conversations.header(exchange, "originator");
        return isCodexClient(ua) || (originator != null && isCodexClient(originator));
    }

    private static boolean isCodexClient(String s) {
        return s.startsWith("codex_") || s.startsWith("codex-") || s.startsWith("codex/");
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String meta = Conversations.header(exchange, TURN_METADATA_HEADER);
        String session = Conversations.jsonString(meta, "session_id");
        if (session == null) {
            session = Conversations.header(exchange, "session-id");
        }
        if (session == null) {
            session = Conversations.header(exchange, "session_id");
        }
        if (session == null) {
            session = Conversations.header(exchange, "conversation_id");
        }
        session = Conversations.sessionKey(session, call);
        String sub = Conversations.header(exchange, SUBAGENT_HEADER);
        String source = Conversations.jsonString(meta, "thread_source");
        if (sub != null || (source != null && !"user".equals(source))) {
            String thread = Conversations.jsonString(meta, "thread_id");
            String name = sub != null ? sub : Conversations.jsonString(meta, "agent_name");
            return new AgentCallInfo(session, CallRole.SUBAGENT, name != null ? name : source,
                    thread != null && !thread.equals(session) ? thread : name, null);
        }
        String kind = Conversations.jsonString(meta, "request_kind");
        if (kind != null && !"turn".equals(kind)) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        return Conversations.loopStep(session, call);
    }

    /**
     * Codex's Responses stream ends with {@code response.completed} also when the output holds
     * function calls, so only the absence of tool calls ends a turn.
     */
    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
