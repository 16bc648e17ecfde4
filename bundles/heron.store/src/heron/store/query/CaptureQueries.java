package heron.store.query;

import java.util.List;
import java.util.Optional;

import heron.core.model.Capture;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.Rows;

/** The captures of the store, in import order. */
public final class CaptureQueries {
    private final HeronStore store;

    public CaptureQueries(HeronStore store) {
        this.store = store;
    }

    public List<Capture> list() {
        return Jdbc.list(store, "SELECT * FROM capture ORDER BY id", Rows::capture);
    }

    public Optional<Capture> get(long captureId) {
        return Jdbc.one(store, "SELECT * FROM capture WHERE id = ?", Rows::capture, captureId);
    }

    /** Whether the capture's texts were masked when they were written. */
    public boolean secretsMasked(long captureId) {
        return Jdbc.one(store, "SELECT secrets_masked FROM capture WHERE id = ?", rs -> rs.getBoolean(1), captureId)
                .orElse(true);
    }
}
