package heron.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import heron.store.HeronStore;
import heron.store.StoreException;

/** Small helpers for read queries: one connection per call, parameters bound by position. */
public final class Jdbc {
    private Jdbc() {
    }

    /** Maps one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static <T> List<T> list(HeronStore store, String sql, RowMapper<T> m, Object... params) {
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(m.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            if (missingTable(e)) {
                // A capture's tables exist only while the capture does (schema version 3): asking
                // about a deleted or unknown capture finds nothing, as it did with shared tables.
                return new ArrayList<>();
            }
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    /** H2's "table not found" errors (plain, with candidates, empty database). */
    public static boolean missingTable(SQLException e) {
        int code = e.getErrorCode();
        return code == 42102 || code == 42103 || code == 42104;
    }

    public static <T> Optional<T> one(HeronStore store, String sql, RowMapper<T> m, Object... params) {
        List<T> l = list(store, sql, m, params);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public static long count(HeronStore store, String sql, Object... params) {
        return one(store, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
