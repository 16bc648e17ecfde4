package heron.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The parameter setters the writer uses, so one row-filling method serves both a
 * {@link RowBuffer} (rows collected for multi-row inserts) and a plain statement.
 */
public interface RowParams {
    void setLong(int index, long value) throws SQLException;

    void setInt(int index, int value) throws SQLException;

    void setString(int index, String value) throws SQLException;

    void setBoolean(int index, boolean value) throws SQLException;

    void setNull(int index, int sqlType) throws SQLException;

    /** The parameters of a prepared statement. */
    static RowParams of(PreparedStatement ps) {
        return new RowParams() {
            @Override
            public void setLong(int index, long value) throws SQLException {
                ps.setLong(index, value);
            }

            @Override
            public void setInt(int index, int value) throws SQLException {
                ps.setInt(index, value);
            }

            @Override
            public void setString(int index, String value) throws SQLException {
                ps.setString(index, value);
            }

            @Override
            public void setBoolean(int index, boolean value) throws SQLException {
                ps.setBoolean(index, value);
            }

            @Override
            public void setNull(int index, int sqlType) throws SQLException {
                ps.setNull(index, sqlType);
            }
        };
    }
}
