package heron.core.agents;

/**
 * What an {@link AgentProfile} says about one call.
 *
 * @param sessionKey    stable key of the agent conversation the call belongs to (never null)
 * @param role          how the call groups into turns
 * @param subagentName  for {@link CallRole#SUBAGENT}, the sub-agent's name or type if known
 * @param agentId       for {@link CallRole#SUBAGENT}, a key that tells this sub-agent apart from other
 *                      sub-agents of the same session (e.g. Claude Code's {@code x-claude-code-agent-id});
 *                      null when unknown, then the sub-agent name is used
 * @param parentAgentId for {@link CallRole#SUBAGENT}, the {@code agentId} of the agent that started it,
 *                      or null when the parent is the session's main agent
 */
public record AgentCallInfo(String sessionKey, CallRole role, String subagentName, String agentId,
        String parentAgentId) {

    /** A call of the main agent, or a sub-agent call without agent ids. */
    public AgentCallInfo(String sessionKey, CallRole role, String subagentName) {
        this(sessionKey, role, subagentName, null, null);
    }
}
