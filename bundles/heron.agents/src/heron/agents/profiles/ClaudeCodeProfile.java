package heron.agents.profiles;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.CallRole;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Claude Code ({@code claude} CLI, interactive or {@code -p}, and the Claude Agent SDK that drives it).
 * <ul>
 * <li>Recognised by {@code User-Agent: claude-cli/...}, the {@code x-claude-code-session-id} header, or
 * the Claude Code system prompt (billing line {@code cc_version=} or "You are Claude Code").</li>
 * <li>Session: the {@code x-claude-code-session-id} header (kept across {@code --continue}); else the
 * {@code session_id} inside the body's {@code metadata.user_id} (1.x: its {@code _session_<uuid>} suffix);
 * else the conversation's opening.</li>
 * <li>Sub-agents (Agent/Task tool): requests carry {@code x-claude-code-agent-id} and, when the parent
 * is itself a sub-agent, {@code x-claude-code-parent-agent-id}.</li>
 * <li>Auxiliary: calls without tools (title generation with a small model, quota probe, summaries)
 * and the security-monitor side call.</li>
 * </ul>
 */
public final class ClaudeCodeProfile implements AgentProfile {
    public static final String SESSION_HEADER = "x-claude-code-session-id";
    public static final String AGENT_ID_HEADER = "x-claude-code-agent-id";
    public static final String PARENT_AGENT_ID_HEADER = "x-claude-code-parent-agent-id";

    /** metadata.user_id is a JSON string holding JSON, so its quotes arrive escaped. */
    private static final Pattern METADATA_SESSION = Pattern
            .compile("session_id\\\\*\"\\s*:\\s*\\\\*\"([0-9A-Za-z-]{8,})");

    private static final byte[] SESSION_ID = "session_id".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Claude Code 1.x wrote metadata.user_id as {@code user_<hash>_account_<uuid or empty>_session_<uuid>}
     * (the JSON form with "session_id" came with 2.x).
     */
    private static final Pattern LEGACY_SESSION = Pattern
            .compile("\"user_[0-9a-fA-F]+_account_[0-9a-fA-F-]*_session_([0-9A-Za-z-]{8,})\"");

    private static final byte[] LEGACY_SESSION_MARK = "_session_".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        if (Conversations.userAgent(exchange).startsWith("claude-cli/")
                || Conversations.header(exchange, SESSION_HEADER) != null) {
            return true;
        }
        String sys = call.systemPrompt();
        return sys != null && SYSTEM_PROMPTS.get().isClaudeCode(sys);
    }

    private static boolean isClaudeCodePrompt(String sys) {
        return sys.contains("x-anthropic-billing-header: cc_version=") || sys.contains("You are Claude Code");
    }

    /**
     * The last system prompts seen on this thread with their verdict, by identity: the decoders
     * hand out one string instance per distinct prompt (their value cache), and every call of
     * another agent would otherwise have its prompt of several KB searched twice again.
     */
    private static final ThreadLocal<PromptVerdicts> SYSTEM_PROMPTS = ThreadLocal.withInitial(PromptVerdicts::new);

    private static final class PromptVerdicts {
        private final String[] prompts = new String[16];
        private final boolean[] verdicts = new boolean[16];
        private int next;

        boolean isClaudeCode(String sys) {
            for (int i = 0; i < prompts.length; i++) {
                if (prompts[i] == sys) {
                    return verdicts[i];
                }
            }
            boolean v = isClaudeCodePrompt(sys);
            prompts[next] = sys;
            verdicts[next] = v;
            next = (next + 1) % prompts.length;
            return v;
        }
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        String session = Conversations.header(exchange, SESSION_HEADER);
        // The pattern needs "session_id": bodies without it are not decoded into text and searched.
        if (session == null && Conversations.requestBodyContains(exchange, SESSION_ID)) {
            Matcher m = METADATA_SESSION.matcher(Conversations.requestBody(exchange));
            session = m.find() ? m.group(1) : null;
        }
        if (session == null && Conversations.requestBodyContains(exchange, LEGACY_SESSION_MARK)) {
            Matcher m = LEGACY_SESSION.matcher(Conversations.requestBody(exchange));
            session = m.find() ? m.group(1) : null;
        }
        session = Conversations.sessionKey(session, call);
        String agentId = Conversations.header(exchange, AGENT_ID_HEADER);
        if (agentId != null && !"main".equals(agentId)) {
            String parent = Conversations.header(exchange, PARENT_AGENT_ID_HEADER);
            if ("main".equals(parent)) {
                parent = null;
            }
            return new AgentCallInfo(session, CallRole.SUBAGENT, agentId, agentId, parent);
        }
        if (isAuxiliary(call)) {
            return new AgentCallInfo(session, CallRole.AUXILIARY, null);
        }
        AgentCallInfo step = Conversations.loopStep(session, call);
        if (step.role() == CallRole.USER_TURN_START && Conversations.lastUserTextStartsWith(call, MAX_TOKENS_RECOVERY)) {
            // Added by Claude Code itself after an answer cut by max_tokens: the same prompt goes on.
            return new AgentCallInfo(session, CallRole.CONTINUATION, null);
        }
        return step;
    }

    /** Start of the message Claude Code sends on its own to let a cut-off answer resume. */
    static final String MAX_TOKENS_RECOVERY = "Output token limit hit. Resume directly";

    static boolean isAuxiliary(LlmCall call) {
        if (call.toolsOffered().isEmpty()) {
            return true;
        }
        String sys = call.systemPrompt();
        return sys != null && sys.contains("You are a security monitor for autonomous AI coding agents");
    }

    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
