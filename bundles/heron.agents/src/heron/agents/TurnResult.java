package heron.agents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.core.model.ToolLink;

/**
 * What the {@link TurnTracker} found. The calls themselves are not in it (the tracker does not keep
 * them): {@link #calls} says where each went, and {@link #tag} applies that to calls the caller kept.
 *
 * @param calls     every call added, ordered by request time then id, with its
 *                  {@link heron.core.model.AgentTag} (agent kind, session, turn or 0, auxiliary, sub-agent,
 *                  parent call) or none when no agent profile recognised it
 * @param turns     ordered by start time then id
 * @param sessions  ordered by start time then id
 * @param toolLinks every tool call of an agent call, ordered by the asking call then position
 */
public record TurnResult(List<PlacedCall> calls, List<AgentTurn> turns, List<AgentSession> sessions,
        List<ToolLink> toolLinks) {

    public TurnResult {
        calls = List.copyOf(calls);
        turns = List.copyOf(turns);
        sessions = List.copyOf(sessions);
        toolLinks = List.copyOf(toolLinks);
    }

    /**
     * The given calls in this result's order, each with its agent tag (calls no profile recognised
     * unchanged); calls this result does not know are left out. For callers that keep full calls
     * (tests, exports of small captures).
     */
    public List<LlmCall> tag(Collection<LlmCall> given) {
        Map<Long, LlmCall> byId = new HashMap<>(given.size() * 2);
        for (LlmCall c : given) {
            byId.put(c.id(), c);
        }
        List<LlmCall> out = new ArrayList<>(calls.size());
        for (PlacedCall p : calls) {
            LlmCall c = byId.get(p.id());
            if (c != null) {
                out.add(p.agent() == null ? c : c.withAgent(p.agent()));
            }
        }
        return out;
    }
}
