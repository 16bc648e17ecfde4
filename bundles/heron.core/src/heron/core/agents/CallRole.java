package heron.core.agents;

/** What an agent call means for turn grouping. */
public enum CallRole {
    /** A new user prompt: starts a turn. */
    USER_TURN_START,
    /** A step inside the current turn (the model called tools, this call carries their results). */
    CONTINUATION,
    /** Shown, but does not split turns: title generation, summariser, quota probe, monitor ... */
    AUXILIARY,
    /** A call of a sub-agent, attached to the parent turn. */
    SUBAGENT
}
