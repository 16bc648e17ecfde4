package heron.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;

/**
 * Rows of one table collected in memory and inserted {@link #ROWS} at a time with one multi-row
 * {@code INSERT ... VALUES (...), (...), ...} statement (the rest, when flushed early, as a JDBC
 * batch of single-row inserts).
 *
 * <p>Why (docs/adr/0005-bulk-store.md, Update (session 3)): H2 runs every row of a JDBC batch as
 * a statement of its own (statement start and end in the transaction, parameter checks, the
 * session's thread-local bookkeeping), a fixed cost comparable to inserting the row itself for
 * the narrow rows here. A multi-row statement pays it once per {@link #ROWS} rows.
 *
 * <p>Usage: set every column of a row by its 1-based position (a column not set is NULL), then
 * {@link #endRow()}; {@link #flush()} executes what is collected. Not thread-safe.
 */
public final class RowBuffer implements RowParams {
    /** Rows per multi-row statement: 64 rows of ~40 columns stay well inside H2's parameter limits. */
    public static final int ROWS = 64;

    private final Connection conn;
    private final String head;
    private final int width;
    private final Object[] values;
    private int rows;
    private PreparedStatement many;
    private PreparedStatement one;

    /**
     * @param table   table name
     * @param columns the column list, comma-separated, in parameter order
     */
    public RowBuffer(Connection conn, String table, String columns) {
        this.conn = conn;
        this.head = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        this.width = columns.split(",").length;
        this.values = new Object[ROWS * width];
    }

    private int slot(int index) {
        if (index < 1 || index > width) {
            throw new IndexOutOfBoundsException("column " + index + " of " + width);
        }
        return rows * width + index - 1;
    }

    @Override
    public void setLong(int index, long value) {
        values[slot(index)] = value;
    }

    @Override
    public void setInt(int index, int value) {
        values[slot(index)] = value;
    }

    @Override
    public void setString(int index, String value) {
        values[slot(index)] = value;
    }

    @Override
    public void setBoolean(int index, boolean value) {
        values[slot(index)] = value;
    }

    @Override
    public void setNull(int index, int sqlType) {
        values[slot(index)] = null;
    }

    /** The current row is complete; a full buffer is inserted now. */
    public void endRow() throws SQLException {
        if (++rows == ROWS) {
            flush();
        }
    }

    /** Rows collected and not yet inserted. */
    public int pending() {
        return rows;
    }

    /** Inserts the rows collected (inside the connection's transaction). */
    public void flush() throws SQLException {
        if (rows == 0) {
            return;
        }
        if (rows == ROWS) {
            if (many == null) {
                many = conn.prepareStatement(sql(ROWS));
            }
            bind(many, 0, ROWS * width);
            many.executeUpdate();
        } else {
            if (one == null) {
                one = conn.prepareStatement(sql(1));
            }
            for (int r = 0; r < rows; r++) {
                bind(one, r * width, width);
                one.addBatch();
            }
            one.executeBatch();
        }
        java.util.Arrays.fill(values, 0, rows * width, null);
        rows = 0;
    }

    /** Forgets the rows collected (the transaction is being rolled back). */
    public void clear() {
        java.util.Arrays.fill(values, null);
        rows = 0;
    }

    /** Closes the statements. */
    public void close() {
        for (PreparedStatement ps : new PreparedStatement[] { many, one }) {
            if (ps != null) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing
                }
            }
        }
        many = null;
        one = null;
    }

    private String sql(int n) {
        String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
        return head + String.join(", ", Collections.nCopies(n, row));
    }

    private void bind(PreparedStatement ps, int from, int count) throws SQLException {
        for (int k = 0; k < count; k++) {
            Object v = values[from + k];
            int p = k + 1;
            if (v == null) {
                ps.setNull(p, Types.NULL);
            } else if (v instanceof Long l) {
                ps.setLong(p, l);
            } else if (v instanceof Integer x) {
                ps.setInt(p, x);
            } else if (v instanceof String s) {
                ps.setString(p, s);
            } else if (v instanceof Boolean b) {
                ps.setBoolean(p, b);
            } else {
                ps.setObject(p, v);
            }
        }
    }
}
