package heron.store.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import heron.core.model.LlmCall;
import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.PayloadReader;
import heron.store.internal.Rows;

/** LLM calls, paged, sorted and filtered, reconstructed with every list and text. */
public final class CallQueries {
    /**
     * Sort columns of the call list; ties are broken by id. ID, REQUEST_TIME, MODEL and E2E are
     * indexed; the others sort the filtered calls of the capture.
     */
    public enum Sort {
        ID("id"), REQUEST_TIME("request_ns"), MODEL("model"), WIRE_API("wire_api"), STATUS("status"),
        TTFT("ttft_ns"), E2E("e2e_ns"), INPUT_TOKENS("input_tokens"), OUTPUT_TOKENS("output_tokens"),
        AGENT_KIND("agent_kind"), HOST("host");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    private final HeronStore store;

    public CallQueries(HeronStore store) {
        this.store = store;
    }

    /** One page of the calls matching {@code filter}. */
    public List<LlmCall> page(long captureId, CallFilter filter, Sort sort, boolean ascending, long offset,
            int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(captureId, filter, params);
        return byIds(captureId, Paging.pageIds(store, callsTable(captureId), where, params, sort.column, ascending,
                offset, limit));
    }

    /** Number of calls matching {@code filter}. */
    public long count(long captureId, CallFilter filter) {
        List<Object> params = new ArrayList<>();
        String where = where(captureId, filter, params);
        return Jdbc.count(store, "SELECT COUNT(*) FROM " + callsTable(captureId) + " " + where, params.toArray());
    }

    public Optional<LlmCall> get(long captureId, long id) {
        return first(calls(captureId, "SELECT * FROM " + callsTable(captureId) +
                " WHERE capture_id = ? AND id = ?", captureId, id));
    }

    /** The call decoded from an exchange, if any. */
    public Optional<LlmCall> byExchange(long captureId, long exchangeId) {
        return first(calls(captureId, "SELECT * FROM " + callsTable(captureId) +
                " WHERE capture_id = ? AND exchange_id = ?", captureId,
                exchangeId));
    }

    /** The calls with these ids, in the order of {@code ids} (missing ids are skipped). */
    public List<LlmCall> byIds(long captureId, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Paging.inOrderOf(ids, calls(captureId, Paging.joinIds(callsTable(captureId)),
                ids.toArray(new Long[0]), captureId), LlmCall::id);
    }

    /**
     * Calls of a capture in id order, from their rows alone (see {@link Rows#callSummary}: no
     * messages, prompts or texts; tool calls as name-only stubs), for views that list many calls.
     * Keyset paging: pass the last id of the previous page (or {@code Long.MIN_VALUE}).
     */
    public List<LlmCall> summariesAfter(long captureId, long afterId, int limit) {
        Map<String, String> strings = new HashMap<>();
        java.util.function.UnaryOperator<String> dedupe = v -> v == null ? null : strings.computeIfAbsent(v, k -> k);
        // No "capture_id = ?": the table holds this capture only, and with it H2 walks the
        // (capture_id, turn_id) index and sorts every call by id for each page (2 s cold for the
        // first page of 90,000 calls) instead of reading the first ids off the primary key.
        return Jdbc.list(store,
                "SELECT * FROM " + callsTable(captureId) + " WHERE id > ? ORDER BY id LIMIT ?",
                rs -> Rows.callSummary(rs, dedupe), afterId, limit);
    }

    /**
     * Number of calls of the capture with an id up to {@code maxId}: tells a list that read
     * {@link #summariesAfter} page by page while the capture was being imported whether calls
     * with lower ids were written since (calls are not always written in id order).
     */
    public long countUpTo(long captureId, long maxId) {
        return Jdbc.count(store, "SELECT COUNT(*) FROM " + callsTable(captureId) + " WHERE id <= ?", maxId);
    }

    /** Distinct models (answered, else requested) with a call count, most used first. */
    public Map<String, Long> models(long captureId) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        Jdbc.list(store, "SELECT model, COUNT(*) FROM " + callsTable(captureId) +
                " WHERE capture_id = ? AND model IS NOT NULL "
                + "GROUP BY model ORDER BY 2 DESC, 1", rs -> out.put(rs.getString(1), rs.getLong(2)), captureId);
        return out;
    }

    /**
     * Calls with every list and text: from the payload side file when archived, else decoded
     * again from the exchange re-assembled from the capture file (ADR 0006), one re-assembly per
     * connection however many of its calls are asked for.
     */
    private List<LlmCall> calls(long captureId, String sql, Object... params) {
        Set<Long> byRef = new HashSet<>();
        List<LlmCall> rows;
        try (PayloadReader details = new PayloadReader(store.directory(), captureId)) {
            rows = Jdbc.list(store, sql, rs -> {
                byte[] d = details.read(rs, "detail");
                LlmCall c = Rows.call(rs, d);
                if (d == null) {
                    byRef.add(c.id());
                }
                return c;
            }, params);
        }
        return store.referencedPayloads().completeCalls(captureId, rows, byRef);
    }

    private static <T> Optional<T> first(List<T> l) {
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    static String where(long captureId, CallFilter f, List<Object> params) {
        StringBuilder sb = new StringBuilder("WHERE capture_id = ?");
        params.add(captureId);
        if (f == null) {
            return sb.toString();
        }
        if (f.modelContains() != null && !f.modelContains().isEmpty()) {
            sb.append(" AND LOWER(model) LIKE ? ESCAPE '\\'");
            params.add("%" + like(f.modelContains().toLowerCase(Locale.ROOT)) + "%");
        }
        if (f.wireApi() != null) {
            sb.append(" AND wire_api = ?");
            params.add(f.wireApi());
        }
        if (f.statusMin() != null) {
            sb.append(" AND status >= ?");
            params.add(f.statusMin());
        }
        if (f.statusMax() != null) {
            sb.append(" AND status <= ?");
            params.add(f.statusMax());
        }
        if (f.agentKind() != null) {
            sb.append(" AND agent_kind = ?");
            params.add(f.agentKind());
        }
        if (f.fromNanos() != null) {
            sb.append(" AND request_ns >= ?");
            params.add(f.fromNanos());
        }
        if (f.toNanos() != null) {
            sb.append(" AND request_ns <= ?");
            params.add(f.toNanos());
        }
        if (f.errorsOnly()) {
            sb.append(" AND is_error");
        }
        return sb.toString();
    }

    private static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** This capture's {@code llm_call} table (schema 3: one table set per capture). */
    private String callsTable(long captureId) {
        return store.table("llm_call", captureId);
    }
}
