package heron.store.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import heron.core.model.ToolLink;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.Rows;

/**
 * Reads what a timeline (Gantt chart) of calls needs: one small row per call — times, turn,
 * connection, nesting — and the tool runs between calls. Only indexed scalar columns are read,
 * never the call payloads, so a session of thousands of calls loads in milliseconds.
 * {@link Timeline#of} turns the result into lanes and bars.
 */
public final class TimelineQuery {
    /** What the timeline shows: the whole capture, one session or one turn. */
    public record Scope(Kind kind, long turnId, String sessionId) {
        public enum Kind {
            CAPTURE, SESSION, TURN
        }

        public static Scope capture() {
            return new Scope(Kind.CAPTURE, 0, null);
        }

        public static Scope session(String sessionId) {
            return new Scope(Kind.SESSION, 0, Objects.requireNonNull(sessionId));
        }

        public static Scope turn(long turnId) {
            return new Scope(Kind.TURN, turnId, null);
        }
    }

    /**
     * One LLM call as the timeline sees it. Times are epoch nanoseconds, 0 when not seen.
     *
     * @param connectionId the TCP connection the call's exchange ran on, 0 if unknown
     * @param server       the host the call was sent to (Host header, else server address), or null
     * @param parentCallId for a sub-agent call, the parent agent's call that started it, else 0
     * @param toolNames    distinct names of the tools the response asked for, in order
     */
    public record CallSpan(long callId, long turnId, String sessionId, long connectionId, String server,
            long requestNanos, long firstContentNanos, long endNanos, String model, int status, boolean error,
            boolean subagent, boolean auxiliary, long parentCallId, List<String> toolNames) {
        public CallSpan {
            toolNames = List.copyOf(toolNames);
        }
    }

    /**
     * Tools asked for by one call whose results came back in a later call: the client ran them
     * between the end of {@code askedByCallId} and the request of {@code resultCallId}.
     */
    public record ToolRun(long askedByCallId, long resultCallId, List<String> toolNames, boolean error) {
        public ToolRun {
            toolNames = List.copyOf(toolNames);
        }
    }

    /**
     * The calls of a scope in request order, and the tool runs between them.
     *
     * @param truncated the scope has more calls than were asked for; these are the first ones
     */
    public record Data(List<CallSpan> calls, List<ToolRun> toolRuns, boolean truncated) {
        public Data {
            calls = List.copyOf(calls);
            toolRuns = List.copyOf(toolRuns);
        }

        public Data(List<CallSpan> calls, List<ToolRun> toolRuns) {
            this(calls, toolRuns, false);
        }
    }

    private static final String COLUMNS = "c.id, c.turn_id, c.session_id, e.connection_id, c.host, e.server_ip, "
            + "e.server_port, c.request_ns, c.first_content_ns, c.end_ns, c.model, c.status, c.is_error, c.subagent, "
            + "c.auxiliary, c.parent_call_id, c.tool_names";
    // LEFT JOIN: a call whose exchange row is missing still gets a bar (lane "connection unknown").
    private String join(long captureId) {
        return " LEFT JOIN " + store.table("http_exchange", captureId) + " e ON e.capture_id = c.capture_id "
                + "AND e.id = c.exchange_id";
    }

    /** This capture's call table (schema 3: one table set per capture). */
    private String calls(long captureId) {
        return store.table("llm_call", captureId);
    }

    private final HeronStore store;

    public TimelineQuery(HeronStore store) {
        this.store = store;
    }

    /** The calls of {@code scope} in request order (ties by id) and the tool runs between them. */
    public Data load(long captureId, Scope scope) {
        return load(captureId, scope, Integer.MAX_VALUE - 1);
    }

    /**
     * Like {@link #load(long, Scope)}, but at most the first {@code maxCalls} calls (by request
     * time), so a view of a whole capture of a million calls stays bounded; {@link Data#truncated}
     * says when calls were left out.
     */
    public Data load(long captureId, Scope scope, int maxCalls) {
        int limit = Math.max(0, maxCalls) + 1; // one more, to know whether there are more
        List<CallSpan> calls = switch (scope.kind()) {
        case CAPTURE -> Jdbc.list(store, "SELECT " + COLUMNS + " FROM " + calls(captureId) + " c" + join(captureId)
                + " WHERE c.capture_id = ? ORDER BY c.request_ns, c.id LIMIT ?", TimelineQuery::span, captureId,
                limit);
        case TURN -> Jdbc.list(store, "SELECT " + COLUMNS + " FROM " + calls(captureId) + " c" + join(captureId)
                + " WHERE c.capture_id = ? AND c.turn_id = ? ORDER BY c.request_ns, c.id LIMIT ?",
                TimelineQuery::span, captureId, scope.turnId(), limit);
        case SESSION -> sessionCalls(captureId, scope.sessionId(), limit);
        };
        boolean truncated = calls.size() > maxCalls;
        if (truncated) {
            calls = calls.subList(0, maxCalls);
        }
        return new Data(calls, toolRuns(captureId, calls), truncated);
    }

    private List<CallSpan> sessionCalls(long captureId, String sessionId, int limit) {
        List<Long> turnIds = Jdbc.one(store, "SELECT * FROM " + store.table("agent_session", captureId)
                + " WHERE capture_id = ? AND id = ?",
                Rows::session, captureId, sessionId).map(s -> s.turnIds()).orElse(List.of());
        if (turnIds.isEmpty()) {
            return List.of();
        }
        // The turn ids are joined as a table so H2 uses the (capture_id, turn_id) index per turn.
        return Jdbc.list(store, "SELECT " + COLUMNS + " FROM TABLE(x BIGINT = ?) t JOIN " + calls(captureId) + " c "
                + "ON c.capture_id = ? AND c.turn_id = t.x" + join(captureId) + " ORDER BY c.request_ns, c.id LIMIT ?",
                TimelineQuery::span, turnIds.toArray(new Long[0]), captureId, limit);
    }

    private List<ToolRun> toolRuns(long captureId, List<CallSpan> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        Long[] ids = calls.stream().map(CallSpan::callId).toArray(Long[]::new);
        Set<Long> loaded = new java.util.HashSet<>(Arrays.asList(ids));
        List<ToolLink> links = Jdbc.list(store, "SELECT l.* FROM TABLE(x BIGINT = ?) t JOIN "
                + store.table("tool_link", captureId) + " l "
                + "ON l.capture_id = ? AND l.asked_by_call_id = t.x ORDER BY l.id", Rows::toolLink, ids, captureId);
        // Only runs between two loaded calls: the answering call of the last one may lie beyond the scope.
        return group(links.stream().filter(l -> loaded.contains(l.resultCallId())).toList());
    }

    /**
     * One run per (asking call, answering call): an agent that asks for several tools at once runs
     * them in the same gap, so they share one bar labelled with all their names. Tool calls whose
     * result was never seen have no end and get no bar.
     */
    static List<ToolRun> group(List<ToolLink> links) {
        record Key(long asked, long result) {
        }
        Map<Key, Set<String>> names = new LinkedHashMap<>();
        Map<Key, Boolean> errors = new LinkedHashMap<>();
        for (ToolLink l : links) {
            if (l.resultCallId() == 0) {
                continue;
            }
            Key k = new Key(l.askedByCallId(), l.resultCallId());
            names.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(l.toolName() == null ? "?" : l.toolName());
            errors.merge(k, l.isError(), Boolean::logicalOr);
        }
        List<ToolRun> out = new ArrayList<>(names.size());
        names.forEach((k, n) -> out.add(new ToolRun(k.asked(), k.result(), new ArrayList<>(n), errors.get(k))));
        return out;
    }

    private static CallSpan span(java.sql.ResultSet rs) throws java.sql.SQLException {
        String host = rs.getString("host");
        String serverIp = rs.getString("server_ip");
        String server = host != null ? host : serverIp == null ? null : serverIp + ":" + rs.getInt("server_port");
        String tools = rs.getString("tool_names");
        return new CallSpan(rs.getLong("id"), rs.getLong("turn_id"), rs.getString("session_id"),
                rs.getLong("connection_id"), server, rs.getLong("request_ns"), rs.getLong("first_content_ns"),
                rs.getLong("end_ns"), rs.getString("model"), rs.getInt("status"), rs.getBoolean("is_error"),
                rs.getBoolean("subagent"), rs.getBoolean("auxiliary"), rs.getLong("parent_call_id"),
                tools == null || tools.isEmpty() ? List.of() : Arrays.asList(tools.split(",")));
    }
}
