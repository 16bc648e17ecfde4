package heron.store.query;

import java.util.List;
import java.util.Optional;

import heron.core.model.Connection;
import heron.store.HeronStore;
import heron.store.internal.Rows;

/** TCP connections of a capture, in id (first frame) order. */
public final class ConnectionQueries {
    private final HeronStore store;

    public ConnectionQueries(HeronStore store) {
        this.store = store;
    }

    public List<Connection> page(long captureId, long offset, int limit) {
        return Paging.page(store, connectionsTable(captureId), "id", Rows::connection, captureId, offset, limit);
    }

    public long count(long captureId) {
        return Paging.count(store, connectionsTable(captureId), captureId);
    }

    public Optional<Connection> get(long captureId, long id) {
        return Paging.byId(store, connectionsTable(captureId), Rows::connection, captureId, id);
    }

    /** This capture's {@code connection} table (schema 3: one table set per capture). */
    private String connectionsTable(long captureId) {
        return store.table("connection", captureId);
    }
}
