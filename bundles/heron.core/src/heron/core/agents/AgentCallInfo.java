package heron.core.agents;

/**
 * What an {@link AgentProfile} says about one call.
 *
 * @param sessionKey   stable key of the agent conversation the call belongs to (never null)
 * @param role         how the call groups into turns
 * @param subagentName for {@link CallRole#SUBAGENT}, the sub-agent's name or type if known
 */
public record AgentCallInfo(String sessionKey, CallRole role, String subagentName) {
}
