package heron.store.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

import heron.store.HeronStore;
import heron.store.internal.Jdbc;
import heron.store.internal.Jdbc.RowMapper;

/**
 * What the paged queries share: the ORDER BY that lets H2 read a page in index order, paging
 * ids first and rows by id, and the plain page / count / by-id reads of a capture's table.
 */
final class Paging {
    private Paging() {
    }

    /**
     * The ORDER BY clause for a sort column, in H2's default null order (nulls first ascending,
     * last descending: "slowest first" lists calls without an end last). capture_id leads (the
     * WHERE fixes it) so the order matches an index's columns and H2 reads the page in index
     * order instead of sorting the whole capture; ties are broken by id.
     */
    static String orderBy(String column, boolean ascending) {
        String dir = ascending ? " ASC" : " DESC";
        return "capture_id" + dir + ", " + column + dir + (column.equals("id") ? "" : ", id" + dir);
    }

    /**
     * The ids of one page of {@code table} ({@code where} with its {@code params}), sorted by
     * {@code column} ({@link #orderBy}). Ids first, then the rows by id ({@link #joinIds}):
     * selecting only the id lets H2 walk the sort column's index (with all columns it prefers the
     * primary key and sorts the whole capture).
     */
    static List<Long> pageIds(HeronStore store, String table, String where, List<Object> params, String column,
            boolean ascending, long offset, int limit) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return Jdbc.list(store, "SELECT id FROM " + table + " " + where + " ORDER BY " + orderBy(column, ascending)
                + " LIMIT ? OFFSET ?", rs -> rs.getLong(1), all.toArray());
    }

    /**
     * SELECT of the rows of {@code table} with some ids, bound to (the ids as a {@code Long[]},
     * the capture id). The ids are joined as a table so H2 looks each one up in the primary key;
     * {@code id = ANY(?)} or {@code IN (...)} would scan the whole capture.
     */
    static String joinIds(String table) {
        return "SELECT r.* FROM TABLE(x BIGINT = ?) t JOIN " + table + " r ON r.capture_id = ? AND r.id = t.x";
    }

    /** {@code rows} in the order of {@code ids}; ids without a row are skipped. */
    static <T> List<T> inOrderOf(List<Long> ids, List<T> rows, ToLongFunction<T> id) {
        Map<Long, T> byId = new HashMap<>();
        for (T r : rows) {
            byId.put(id.applyAsLong(r), r);
        }
        List<T> out = new ArrayList<>(ids.size());
        for (Long i : ids) {
            T r = byId.get(i);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** One page of a capture's table in {@code orderBy} order. */
    static <T> List<T> page(HeronStore store, String table, String orderBy, RowMapper<T> m, long captureId,
            long offset, int limit) {
        return Jdbc.list(store, "SELECT * FROM " + table + " WHERE capture_id = ? ORDER BY " + orderBy
                + " LIMIT ? OFFSET ?", m, captureId, limit, offset);
    }

    /** Number of rows of a capture's table. */
    static long count(HeronStore store, String table, long captureId) {
        return Jdbc.count(store, "SELECT COUNT(*) FROM " + table + " WHERE capture_id = ?", captureId);
    }

    /** The row of a capture's table with this id. */
    static <T> Optional<T> byId(HeronStore store, String table, RowMapper<T> m, long captureId, Object id) {
        return Jdbc.one(store, "SELECT * FROM " + table + " WHERE capture_id = ? AND id = ?", m, captureId, id);
    }
}
