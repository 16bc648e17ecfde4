package heron.store.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import heron.core.filter.CallFilter;
import heron.core.model.Endpoint;
import heron.store.HeronStore;
import heron.store.StoreException;
import heron.store.internal.Jdbc;
import heron.store.query.TopologyBuilder.CallRoute;

/**
 * Read-side queries of the Topology view: the service graph of a capture, and each call's network
 * route for the Calls view's {@code client} / {@code server} filter fields.
 */
public final class TopologyQuery {
    private static final String ROUTES = """
            SELECT c.id, e.client_ip, e.server_ip, e.server_port, c.agent_kind, c.turn_id, c.is_error, c.e2e_ns,
                   c.server_kind, c.model
            FROM %s c JOIN %s e ON e.capture_id = c.capture_id AND e.id = c.exchange_id
            WHERE c.capture_id = ? AND c.id > ? ORDER BY c.id""";

    private final HeronStore store;

    public TopologyQuery(HeronStore store) {
        this.store = store;
    }

    /** The service graph of a capture (empty for an unknown capture). */
    public Topology topology(long captureId) {
        TopologyBuilder b = new TopologyBuilder();
        forEachRoute(captureId, b::add);
        return b.build();
    }

    /** Each call's route by call id, for {@link CallFilter#parse(String, java.util.function.Function)}. */
    public Map<Long, CallFilter.Route> routes(long captureId) {
        Map<Long, CallFilter.Route> out = new HashMap<>();
        forEachRoute(captureId, r -> out.put(r.callId(), new CallFilter.Route(r.clientIp(), r.server())));
        return out;
    }

    /** Streams the calls' routes in id order without holding them all. */
    public void forEachRoute(long captureId, Consumer<CallRoute> sink) {
        forEachRouteAfter(captureId, Long.MIN_VALUE, sink);
    }

    /**
     * Streams the routes of the calls with an id above {@code afterId}, in id order: a list that
     * follows an import reads only the calls added since its last read.
     */
    public void forEachRouteAfter(long captureId, long afterId, Consumer<CallRoute> sink) {
        // The capture's own tables (schema 3, CaptureTables).
        String sql = ROUTES.formatted(store.table("llm_call", captureId),
                store.table("http_exchange", captureId));
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, captureId);
            ps.setLong(2, afterId);
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sip = rs.getString(3);
                    long turn = rs.getLong(6);
                    boolean noTurn = rs.wasNull() || turn == 0;
                    long e2e = rs.getLong(8);
                    boolean noE2e = rs.wasNull();
                    sink.accept(new CallRoute(rs.getLong(1), rs.getString(2),
                            sip == null ? null : new Endpoint(sip, rs.getInt(4)), rs.getString(5),
                            noTurn ? null : turn, rs.getBoolean(7), noE2e ? null : e2e, rs.getString(9),
                            rs.getString(10)));
                }
            }
        } catch (SQLException e) {
            if (Jdbc.missingTable(e)) {
                return; // unknown or deleted capture: no routes
            }
            throw new StoreException("topology query failed: " + e.getMessage(), e);
        }
    }
}
