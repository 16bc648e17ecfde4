package heron.core.model;

import java.util.List;

/**
 * One user prompt to the agent's final answer, with every call in between. The id is the id of
 * the turn's first call, so it is stable across runs and worker counts.
 */
public record AgentTurn(long id, String sessionId, String agentKind, Status status, long startNanos, long endNanos,
        List<Long> callIds, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
        int toolCalls, int toolErrors, List<String> models, List<String> subagents, String userInputPreview,
        String finalAnswerPreview) {

    public enum Status {
        COMPLETE, INCOMPLETE
    }

    public AgentTurn {
        callIds = List.copyOf(callIds);
        models = List.copyOf(models);
        subagents = List.copyOf(subagents);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }
}
