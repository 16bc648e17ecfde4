package heron.core.agents;

import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Recognises the calls of one agent kind (e.g. "claude-code") and says how they group into turns
 * and sessions. Contributed through the extension point {@code heron.core.agentProfiles}; the
 * contribution's id is the agent kind. Profiles are asked in priority order; the first that
 * recognises a call owns it. Implementations must be stateless and thread-safe.
 */
public interface AgentProfile {

    /** Whether the call comes from this agent (User-Agent, agent headers, body fingerprints). */
    boolean recognises(LlmCall call, HttpExchange exchange);

    /** Session key and role of a call this profile recognised. Never null. */
    AgentCallInfo classify(LlmCall call, HttpExchange exchange);

    /**
     * Whether the call ends its turn: by default a call that answered without asking for tools,
     * or failed for good.
     */
    default boolean isTerminal(LlmCall call) {
        return call.finish() != heron.core.model.FinishKind.TOOL_USE;
    }
}
