package heron.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import heron.store.schema.CaptureTables;

/**
 * Rows of a bulk import kept packed (docs/adr/0007-packed-rows.md): instead of one H2 row per
 * connection, exchange, call, turn, session and tool link, the writer appends each row's values to
 * a buffer per table and stores every {@link #CHUNK_BYTES} as one row of the capture's
 * {@code packed_row} table. H2's cost is per row (12-24 µs of insert, undo log and commit
 * whatever the width, performance.md "Session 6: store"); a 135,000-call capture has ~660,000
 * rows but ~3,000 chunks. When a query first needs the capture's tables, {@link #expand} inserts
 * the rows into them, exactly as the writer would have, chunk by chunk.
 *
 * <p>Encoding of a row: its values in the order of the table's INSERT (after {@code capture_id}),
 * each a tag byte and its bytes: {@code 0} NULL, {@code 1} BIGINT (8 bytes), {@code 2} INT (4),
 * {@code 3} FALSE, {@code 4} TRUE, {@code 5} text (4-byte length, UTF-8). These are the only value
 * types the writer binds ({@link StoreWriter}'s {@code bind}).
 */
final class PackedRows {
    /** Bytes of packed rows per chunk row. */
    static final int CHUNK_BYTES = 128 * 1024;
    private static final byte NULL = 0;
    private static final byte BIGINT = 1;
    private static final byte INT = 2;
    private static final byte FALSE = 3;
    private static final byte TRUE = 4;
    private static final byte TEXT = 5;

    /** Rows of one table being packed. */
    static final class Buffer {
        final String base;
        final int columns;
        byte[] bytes = new byte[CHUNK_BYTES + 4096];
        int length;
        int rows;

        Buffer(String base, int columns) {
            this.base = base;
            this.columns = columns;
        }

        /** Appends one row; {@code values.length} must be the table's column count after capture_id. */
        void add(Object[] values) {
            if (values.length != columns) {
                throw new IllegalArgumentException(base + ": " + values.length + " values for " + columns + " columns");
            }
            for (Object v : values) {
                if (v == null) {
                    room(1);
                    bytes[length++] = NULL;
                } else if (v instanceof Long l) {
                    room(9);
                    bytes[length++] = BIGINT;
                    putLong(l);
                } else if (v instanceof Integer n) {
                    room(5);
                    bytes[length++] = INT;
                    putInt(n);
                } else if (v instanceof Boolean b) {
                    room(1);
                    bytes[length++] = b ? TRUE : FALSE;
                } else if (v instanceof String s) {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    room(5 + utf8.length);
                    bytes[length++] = TEXT;
                    putInt(utf8.length);
                    System.arraycopy(utf8, 0, bytes, length, utf8.length);
                    length += utf8.length;
                } else {
                    throw new IllegalArgumentException(base + ": cannot pack a " + v.getClass().getName());
                }
            }
            rows++;
        }

        boolean full() {
            return length >= CHUNK_BYTES;
        }

        /** The packed rows so far, and the buffer emptied. */
        byte[] take() {
            byte[] out = Arrays.copyOf(bytes, length);
            length = 0;
            rows = 0;
            return out;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }

        private void putLong(long v) {
            for (int k = 56; k >= 0; k -= 8) {
                bytes[length++] = (byte) (v >>> k);
            }
        }

        private void putInt(int v) {
            for (int k = 24; k >= 0; k -= 8) {
                bytes[length++] = (byte) (v >>> k);
            }
        }
    }

    private PackedRows() {
    }

    static String insertChunkSql(long captureId) {
        return "INSERT INTO " + CaptureTables.of(CaptureTables.PACKED, captureId)
                + " (seq, base, row_count, data) VALUES (?, ?, ?, ?)";
    }

    /** Whether the capture has packed rows not yet expanded into its tables. */
    static boolean pending(Connection c, long captureId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM " + CaptureTables.of(CaptureTables.PACKED, captureId) + " LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Inserts the capture's packed rows into its tables and deletes the chunks, committing after
     * every few chunks: each chunk's rows and its deletion are in one transaction, so a process
     * killed in between leaves rows and chunks that still add up, and the next call goes on
     * where this one stopped. The connection must not be in auto-commit mode.
     *
     * @param maxChunks stop after this many chunks (the rest stays packed)
     * @return rows inserted
     */
    static long expand(Connection c, long captureId, int batchRows, long maxChunks) throws SQLException {
        Map<String, PreparedStatement> inserts = new HashMap<>();
        long rows = 0;
        try (PreparedStatement chunks = c.prepareStatement("SELECT seq, base, row_count, data FROM "
                + CaptureTables.of(CaptureTables.PACKED, captureId) + " ORDER BY seq");
                PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + CaptureTables.of(CaptureTables.PACKED, captureId) + " WHERE seq = ?")) {
            // A result set stays valid across commits in H2; the deletes do not touch rows not yet read.
            try (ResultSet rs = chunks.executeQuery()) {
                int sinceCommit = 0;
                long done = 0;
                while (done++ < maxChunks && rs.next()) {
                    long seq = rs.getLong(1);
                    String base = rs.getString(2);
                    int count = rs.getInt(3);
                    byte[] data = rs.getBytes(4);
                    String sql = StoreWriter.insertSql(base);
                    if (sql == null) {
                        throw new SQLException("unknown table of packed rows: " + base);
                    }
                    PreparedStatement ps = inserts.get(base);
                    if (ps == null) {
                        ps = c.prepareStatement(sql.formatted(CaptureTables.of(base, captureId)));
                        inserts.put(base, ps);
                    }
                    rows += insert(ps, captureId, data, count, batchRows);
                    delete.setLong(1, seq);
                    delete.executeUpdate();
                    sinceCommit += count;
                    if (sinceCommit >= 20_000) {
                        c.commit();
                        sinceCommit = 0;
                    }
                }
            }
            c.commit();
        } finally {
            for (PreparedStatement ps : inserts.values()) {
                ps.close();
            }
        }
        return rows;
    }

    /** Binds and inserts the {@code count} rows of one chunk; every parameter after capture_id from the chunk. */
    private static int insert(PreparedStatement ps, long captureId, byte[] d, int count, int batchRows)
            throws SQLException {
        int columns = ps.getParameterMetaData().getParameterCount();
        int p = 0;
        int inBatch = 0;
        for (int r = 0; r < count; r++) {
            ps.setLong(1, captureId);
            for (int i = 2; i <= columns; i++) {
                byte tag = d[p++];
                switch (tag) {
                case NULL -> ps.setNull(i, Types.NULL);
                case BIGINT -> {
                    ps.setLong(i, getLong(d, p));
                    p += 8;
                }
                case INT -> {
                    ps.setInt(i, getInt(d, p));
                    p += 4;
                }
                case FALSE -> ps.setBoolean(i, false);
                case TRUE -> ps.setBoolean(i, true);
                case TEXT -> {
                    int n = getInt(d, p);
                    ps.setString(i, new String(d, p + 4, n, StandardCharsets.UTF_8));
                    p += 4 + n;
                }
                default -> throw new SQLException("corrupt packed row (tag " + tag + ")");
                }
            }
            ps.addBatch();
            if (++inBatch >= batchRows) {
                ps.executeBatch();
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            ps.executeBatch();
        }
        if (p != d.length) {
            throw new SQLException("corrupt packed rows: " + (d.length - p) + " bytes left over");
        }
        return count;
    }

    private static long getLong(byte[] d, int p) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (d[p + k] & 0xff);
        }
        return v;
    }

    private static int getInt(byte[] d, int p) {
        return (d[p] & 0xff) << 24 | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | d[p + 3] & 0xff;
    }
}
