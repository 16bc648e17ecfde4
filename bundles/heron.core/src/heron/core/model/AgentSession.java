package heron.core.model;

import java.util.List;

/** All turns of one agent conversation; the id is the agent's session key. */
public record AgentSession(String id, String agentKind, List<Long> turnIds, long startNanos, long endNanos,
        long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

    public AgentSession {
        turnIds = List.copyOf(turnIds);
    }
}
