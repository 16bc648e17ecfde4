package heron.store.query;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import heron.core.model.HttpExchange;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.PayloadReader;
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

    /**
     * One page of exchanges, for lists. Exchanges whose payloads are kept by reference in the
     * capture file (ADR 0006) come from their rows alone: empty headers and events, bodies with
     * the row's lengths but no bytes; {@link #get} and {@link #byConnection} give them whole.
     */
    public List<HttpExchange> page(long captureId, Sort sort, boolean ascending, long offset, int limit) {
        List<Long> ids = Paging.pageIds(store, exchangesTable(captureId), "WHERE capture_id = ?", List.of(captureId),
                sort.column, ascending, offset, limit);
        if (ids.isEmpty()) {
            return List.of();
        }
        return Paging.inOrderOf(ids, load(Paging.joinIds(exchangesTable(captureId)), captureId, false,
                ids.toArray(new Long[0]), captureId), HttpExchange::id);
    }

    public long count(long captureId) {
        return Paging.count(store, exchangesTable(captureId), captureId);
    }

    /**
     * The exchange with its headers, bodies and events; kept by reference, they are re-assembled
     * from the capture file.
     *
     * @throws heron.store.StoreException with a one-line message when the capture file is
     *                                    missing or changed since the import
     */
    public Optional<HttpExchange> get(long captureId, long id) {
        List<HttpExchange> l = load("SELECT * FROM " + exchangesTable(captureId) +
                " WHERE capture_id = ? AND id = ?", captureId, true,
                captureId, id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The exchanges of one connection, in order, whole (see {@link #get}). */
    public List<HttpExchange> byConnection(long captureId, long connectionId) {
        return load("SELECT * FROM " + exchangesTable(captureId) +
                " WHERE capture_id = ? AND connection_id = ? ORDER BY seq, id",
                captureId, true, captureId, connectionId);
    }

    private List<HttpExchange> load(String sql, long captureId, boolean whole, Object... params) {
        Set<Long> byRef = new HashSet<>();
        List<HttpExchange> rows;
        try (PayloadReader payloads = new PayloadReader(store.directory(), captureId)) {
            rows = Jdbc.list(store, sql, rs -> {
                byte[] p = payloads.read(rs, "payload");
                HttpExchange e = Rows.exchange(rs, p);
                if (p == null) {
                    byRef.add(e.id());
                }
                return e;
            }, params);
        }
        return whole ? store.referencedPayloads().completeExchanges(captureId, rows, byRef) : rows;
    }

    /** This capture's {@code http_exchange} table (schema 3: one table set per capture). */
    private String exchangesTable(long captureId) {
        return store.table("http_exchange", captureId);
    }
}
