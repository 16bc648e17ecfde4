package heron.store.query;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import heron.core.model.HttpExchange;
import heron.core.model.SseEvent;
import heron.store.HeronStore;
import heron.store.StoreException;
import heron.store.internal.Jdbc;
import heron.store.internal.Rows;

/** HTTP exchanges, fully reconstructed (headers, bodies, SSE events). */
public final class ExchangeQueries {
    /** Sort columns of the exchange list; ties are broken by id. */
    public enum Sort {
        ID("id"), REQUEST_TIME("req_first_ns"), STATUS("resp_status"), HOST("host"), METHOD("method"),
        REQUEST_SIZE("req_decoded_len"), RESPONSE_SIZE("resp_decoded_len");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    private final HeronStore store;

    public ExchangeQueries(HeronStore store) {
        this.store = store;
    }

    public List<HttpExchange> page(long captureId, Sort sort, boolean ascending, long offset, int limit) {
        String dir = ascending ? "ASC" : "DESC";
        return load("SELECT * FROM http_exchange WHERE capture_id = ? ORDER BY " + sort.column + " " + dir
                + " NULLS LAST, id " + dir + " LIMIT ? OFFSET ?", captureId, captureId, limit, offset);
    }

    public long count(long captureId) {
        return Jdbc.count(store, "SELECT COUNT(*) FROM http_exchange WHERE capture_id = ?", captureId);
    }

    public Optional<HttpExchange> get(long captureId, long id) {
        List<HttpExchange> l = load("SELECT * FROM http_exchange WHERE capture_id = ? AND id = ?", captureId,
                captureId, id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The exchanges of one connection, in order. */
    public List<HttpExchange> byConnection(long captureId, long connectionId) {
        return load("SELECT * FROM http_exchange WHERE capture_id = ? AND connection_id = ? ORDER BY seq, id",
                captureId, captureId, connectionId);
    }

    private List<HttpExchange> load(String sql, long captureId, Object... params) {
        try (Connection c = store.connect()) {
            // First the rows' ids (to fetch their events in one query), then the rows.
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Jdbc.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<HttpExchange> noEvents = new ArrayList<>();
                    while (rs.next()) {
                        int n = rs.getInt("sse_count");
                        noEvents.add(Rows.exchange(rs, List.of()));
                        if (n > 0) {
                            ids.add(rs.getLong("id"));
                        }
                    }
                    Map<Long, List<SseEvent>> events = events(c, captureId, ids);
                    List<HttpExchange> out = new ArrayList<>(noEvents.size());
                    for (HttpExchange e : noEvents) {
                        List<SseEvent> ev = events.get(e.id());
                        out.add(ev == null ? e : withEvents(e, ev));
                    }
                    return out;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    private static HttpExchange withEvents(HttpExchange e, List<SseEvent> ev) {
        var r = e.response();
        return new HttpExchange(e.id(), e.connectionId(), e.sequence(), e.client(), e.server(), e.request(),
                new heron.core.model.HttpResponse(r.status(), r.reason(), r.version(), r.headers(), r.body(), ev,
                        r.firstByteNanos(), r.headersNanos(), r.lastByteNanos(), r.firstFrame(), r.lastFrame(),
                        r.complete()),
                e.label());
    }

    private static Map<Long, List<SseEvent>> events(Connection c, long captureId, List<Long> ids)
            throws SQLException {
        Map<Long, List<SseEvent>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM sse_event WHERE capture_id = ? AND exchange_id = ANY(?) ORDER BY exchange_id, seq")) {
            ps.setLong(1, captureId);
            Array arr = c.createArrayOf("BIGINT", ids.toArray());
            ps.setArray(2, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong("exchange_id"), k -> new ArrayList<>()).add(Rows.sse(rs));
                }
            }
        }
        return out;
    }
}
