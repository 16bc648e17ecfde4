package heron.agents;

import heron.core.model.AgentTag;

/**
 * Where the {@link TurnTracker} placed one call.
 *
 * @param id    the call's id
 * @param agent agent kind, session, turn (or 0), auxiliary, sub-agent and parent call; null when no
 *              agent profile recognised the call
 */
public record PlacedCall(long id, AgentTag agent) {
}
