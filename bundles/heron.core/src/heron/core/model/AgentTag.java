package heron.core.model;

/**
 * Where the turn tracker placed a call: which agent, session and turn, and in what role.
 *
 * @param turnId       id of the turn (the id of its first call), or 0 when not placed in a turn
 * @param parentCallId for a sub-agent call, the call of the parent agent that started it, else 0
 */
public record AgentTag(String agentKind, String sessionId, long turnId, boolean auxiliary, boolean subagent,
        long parentCallId) {
}
