package heron.store.query;

import java.util.List;
import java.util.Optional;

import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.core.model.ToolLink;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.Rows;

/** Agent turns and sessions, and the tool links between calls. */
public final class TurnQueries {
    /** A turn with its calls in the turn's order. */
    public record TurnWithCalls(AgentTurn turn, List<LlmCall> calls) {
    }

    /** A session with its turns in start order. */
    public record SessionWithTurns(AgentSession session, List<AgentTurn> turns) {
    }

    private final HeronStore store;

    public TurnQueries(HeronStore store) {
        this.store = store;
    }

    /** Turns of the capture by start time. */
    public List<AgentTurn> page(long captureId, long offset, int limit) {
        return Paging.page(store, turnsTable(captureId), "start_ns, id", Rows::turn, captureId, offset, limit);
    }

    public long count(long captureId) {
        return Paging.count(store, turnsTable(captureId), captureId);
    }

    public Optional<AgentTurn> turn(long captureId, long turnId) {
        return Paging.byId(store, turnsTable(captureId), Rows::turn, captureId, turnId);
    }

    /** A turn with its calls. */
    public Optional<TurnWithCalls> turnWithCalls(long captureId, long turnId) {
        return turn(captureId, turnId)
                .map(t -> new TurnWithCalls(t, new CallQueries(store).byIds(captureId, t.callIds())));
    }

    /** Sessions of the capture by start time. */
    public List<AgentSession> sessions(long captureId) {
        return Jdbc.list(store, "SELECT * FROM " + sessionsTable(captureId) + " WHERE capture_id = ? ORDER BY start_ns, id",
                Rows::session, captureId);
    }

    /** A session with its turns. */
    public Optional<SessionWithTurns> session(long captureId, String sessionId) {
        return Paging.byId(store, sessionsTable(captureId), Rows::session, captureId, sessionId).map(s -> {
            List<AgentTurn> rows = Jdbc.list(store, Paging.joinIds(turnsTable(captureId)), Rows::turn,
                    s.turnIds().toArray(new Long[0]), captureId);
            return new SessionWithTurns(s, Paging.inOrderOf(s.turnIds(), rows, AgentTurn::id));
        });
    }

    /** Tool links of the capture, in the order written. */
    public List<ToolLink> toolLinks(long captureId) {
        return Jdbc.list(store, "SELECT * FROM " + linksTable(captureId) +
                " WHERE capture_id = ? ORDER BY id", Rows::toolLink, captureId);
    }

    /** Tool links asked for by, or answered in, one call. */
    public List<ToolLink> toolLinksOfCall(long captureId, long callId) {
        return Jdbc.list(store, "SELECT * FROM " + linksTable(captureId) + " WHERE capture_id = ? AND (asked_by_call_id = ? "
                + "OR result_call_id = ?) ORDER BY id", Rows::toolLink, captureId, callId, callId);
    }

    /** This capture's {@code agent_session} table (schema 3: one table set per capture). */
    private String sessionsTable(long captureId) {
        return store.table("agent_session", captureId);
    }

    /** This capture's {@code agent_turn} table (schema 3: one table set per capture). */
    private String turnsTable(long captureId) {
        return store.table("agent_turn", captureId);
    }

    /** This capture's {@code tool_link} table (schema 3: one table set per capture). */
    private String linksTable(long captureId) {
        return store.table("tool_link", captureId);
    }
}
