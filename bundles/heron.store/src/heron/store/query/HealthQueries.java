package heron.store.query;

import java.util.Map;
import java.util.TreeMap;

import heron.store.HeronStore;
import heron.store.internal.Jdbc;

/** Pipeline-health counters recorded for a capture. */
public final class HealthQueries {
    private final HeronStore store;

    public HealthQueries(HeronStore store) {
        this.store = store;
    }

    /** Counters by name, sorted by name. */
    public Map<String, Long> counters(long captureId) {
        Map<String, Long> out = new TreeMap<>();
        Jdbc.list(store, "SELECT name, counter_value FROM " + countersTable(captureId) + " WHERE capture_id = ?",
                rs -> out.put(rs.getString(1), rs.getLong(2)), captureId);
        return out;
    }

    /** This capture's {@code health_counter} table (schema 3: one table set per capture). */
    private String countersTable(long captureId) {
        return store.table("health_counter", captureId);
    }
}
