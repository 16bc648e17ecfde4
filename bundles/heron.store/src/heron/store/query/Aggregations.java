package heron.store.query;

import java.util.List;

import heron.core.model.Endpoint;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;

/** Aggregates for overview views (topology, timelines), computed in the database. */
public final class Aggregations {
    /**
     * Calls from one client address to one server endpoint.
     *
     * @param host          the Host of the requests (the most frequent one), or null
     * @param medianE2eMs   median end-to-end latency of the calls that have one, or null
     */
    public record TopologyEdge(String clientIp, Endpoint server, String host, long calls, long errors,
            Double medianE2eMs) {
    }

    /** Calls whose request time falls into {@code [startNanos, startNanos + width)}. */
    public record TimeBucket(long startNanos, long calls, long errors, long inputTokens, long outputTokens) {
    }

    private final HeronStore store;

    public Aggregations(HeronStore store) {
        this.store = store;
    }

    /** Client to server edges with call counts, error counts and median latency, busiest first. */
    public List<TopologyEdge> topology(long captureId) {
        return Jdbc.list(store, """
                SELECT e.client_ip, e.server_ip, e.server_port, MODE(c.host) AS host, COUNT(*) AS calls,
                       SUM(CASE WHEN c.is_error THEN 1 ELSE 0 END) AS errors,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY c.e2e_ns) AS median_e2e
                FROM %s c JOIN %s e ON e.capture_id = c.capture_id AND e.id = c.exchange_id
                WHERE c.capture_id = ?
                GROUP BY e.client_ip, e.server_ip, e.server_port
                ORDER BY calls DESC, e.client_ip, e.server_ip, e.server_port""".formatted(
                store.table("llm_call", captureId), store.table("http_exchange", captureId)), rs -> {
            Double med = rs.getObject("median_e2e") == null ? null : rs.getDouble("median_e2e") / 1e6;
            String sip = rs.getString("server_ip");
            return new TopologyEdge(rs.getString("client_ip"), sip == null ? null : new Endpoint(sip,
                    rs.getInt("server_port")), rs.getString("host"), rs.getLong("calls"), rs.getLong("errors"), med);
        }, captureId);
    }

    /** Call counts, errors and tokens per time bucket of {@code widthNanos}, empty buckets omitted. */
    public List<TimeBucket> callsOverTime(long captureId, long widthNanos) {
        if (widthNanos <= 0) {
            throw new IllegalArgumentException("bucket width must be positive");
        }
        return Jdbc.list(store, """
                SELECT (request_ns / ?) * ? AS bucket, COUNT(*) AS calls,
                       SUM(CASE WHEN is_error THEN 1 ELSE 0 END) AS errors,
                       COALESCE(SUM(input_tokens), 0) AS tin, COALESCE(SUM(output_tokens), 0) AS tout
                FROM %s WHERE capture_id = ? AND request_ns > 0
                GROUP BY bucket ORDER BY bucket""".formatted(store.table("llm_call", captureId)),
                rs -> new TimeBucket(rs.getLong("bucket"), rs.getLong("calls"), rs.getLong("errors"),
                        rs.getLong("tin"), rs.getLong("tout")),
                widthNanos, widthNanos, captureId);
    }

    /**
     * Number of agent turns and sessions per agent kind, by kind: counted in the database, for
     * the capture summary (reading every turn to count them cost seconds on big captures).
     */
    public java.util.SortedMap<String, long[]> turnsAndSessionsByAgent(long captureId) {
        java.util.SortedMap<String, long[]> out = new java.util.TreeMap<>();
        Jdbc.list(store, "SELECT agent_kind, COUNT(*) FROM " + store.table("agent_turn", captureId)
                + " WHERE capture_id = ? GROUP BY agent_kind", rs -> out.computeIfAbsent(
                        String.valueOf(rs.getString(1)), k -> new long[2])[0] += rs.getLong(2), captureId);
        Jdbc.list(store, "SELECT agent_kind, COUNT(*) FROM " + store.table("agent_session", captureId)
                + " WHERE capture_id = ? GROUP BY agent_kind", rs -> out.computeIfAbsent(
                        String.valueOf(rs.getString(1)), k -> new long[2])[1] += rs.getLong(2), captureId);
        return out;
    }
}
