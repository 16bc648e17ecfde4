package heron.agents;

import java.util.List;

import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.core.model.ToolLink;

/**
 * What the {@link TurnTracker} found.
 *
 * @param calls     every call added, ordered by request time then id; calls of a recognised agent carry an
 *                  {@link heron.core.model.AgentTag} (agent kind, session, turn or 0, auxiliary, sub-agent,
 *                  parent call), the others are returned unchanged
 * @param turns     ordered by start time then id
 * @param sessions  ordered by start time then id
 * @param toolLinks every tool call of an agent call, ordered by the asking call then position
 */
public record TurnResult(List<LlmCall> calls, List<AgentTurn> turns, List<AgentSession> sessions,
        List<ToolLink> toolLinks) {

    public TurnResult {
        calls = List.copyOf(calls);
        turns = List.copyOf(turns);
        sessions = List.copyOf(sessions);
        toolLinks = List.copyOf(toolLinks);
    }
}
