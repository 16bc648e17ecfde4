package heron.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import heron.store.schema.CaptureTables;

/**
 * Rows of a bulk import kept packed (docs/adr/0007-packed-rows.md): instead of one H2 row per
 * connection, exchange, call, turn, session and tool link, the writer appends each row's values to
 * a buffer per table and writes every {@link #CHUNK_BYTES} as one record of the capture's side
 * file {@code rows/<captureId>.rows}. H2's cost is per row (12-24 µs of insert, undo log and
 * commit whatever the width, performance.md "Session 6: store"), and a 135,000-call capture has
 * ~660,000 rows. When a query first needs the capture's tables, {@link #expand} inserts the rows
 * into them, exactly as the writer would have, and deletes the file. (Chunks kept as H2 values
 * instead left the database file three times its size after the expansion: H2 keeps the pages
 * of deleted values until it compacts.)
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

    private static final int MAGIC = 0x48505257; // "HPRW"
    private static final int VERSION = 1;

    /** Rows of one table being packed. */
    static final class Buffer {
        final String base;
        final int columns;
        byte[] bytes;
        int length;
        int rows;

        Buffer(String base, int columns) {
            this(base, columns, CHUNK_BYTES + 4096);
        }

        private Buffer(String base, int columns, int capacity) {
            this.base = base;
            this.columns = columns;
            this.bytes = new byte[capacity];
        }

        /** Appends one row; {@code values.length} must be the table's column count after capture_id. */
        void add(Object[] values) {
            if (values.length != columns) {
                throw new IllegalArgumentException(base + ": " + values.length + " values for " + columns + " columns");
            }
            for (Object v : values) {
                put(v);
            }
            rows++;
        }

        /**
         * Appends one row whose first and last columns were encoded before ({@link #encode}):
         * {@code head}, then {@code middle}'s values, then {@code tail}.
         */
        void add(byte[] head, Object[] middle, byte[] tail) {
            room(head.length);
            System.arraycopy(head, 0, bytes, length, head.length);
            length += head.length;
            for (Object v : middle) {
                put(v);
            }
            room(tail.length);
            System.arraycopy(tail, 0, bytes, length, tail.length);
            length += tail.length;
            rows++;
        }

        private void put(Object v) {
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

        /** The encoding of {@code values[from..to)}, as {@link #add} packs them. */
        static byte[] encode(Object[] values, int from, int to) {
            Buffer b = new Buffer("", 0, 64);
            for (int k = from; k < to; k++) {
                b.put(values[k]);
            }
            return Arrays.copyOf(b.bytes, b.length);
        }

        boolean full() {
            return length >= CHUNK_BYTES;
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

    /** The side file of a capture's packed rows: {@code rows/<captureId>.rows}. */
    static Path path(Path storeDir, long captureId) {
        return storeDir.resolve("rows").resolve(captureId + ".rows");
    }

    /**
     * Writes a capture's packed rows to its side file: a header ("HPRW", version) and one record
     * per chunk: base name (length-prefixed ASCII), row count, data length, data; integers
     * big-endian. {@link #add} is for one thread (the store writer's); another thread may pack
     * rows into buffers of its own and hand each chunk to {@link #write}: chunks are written
     * whole, one at a time, in any order (a table's rows are keyed by their id).
     */
    static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final Map<String, Buffer> buffers = new LinkedHashMap<>();

        Writer(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            writeFully(ByteBuffer.allocate(8).putInt(MAGIC).putInt(VERSION).flip());
        }

        /** Appends one row of a table ({@code values}: its columns after capture_id). */
        void add(String base, Object[] values) throws IOException {
            Buffer b = buffer(base, values.length);
            b.add(values);
            if (b.full()) {
                write(b);
            }
        }

        /** Appends one row of {@code columns} columns given as {@link Buffer#add(byte[], Object[], byte[])} takes them. */
        void add(String base, int columns, byte[] head, Object[] middle, byte[] tail) throws IOException {
            Buffer b = buffer(base, columns);
            b.add(head, middle, tail);
            if (b.full()) {
                write(b);
            }
        }

        private Buffer buffer(String base, int columns) {
            Buffer b = buffers.get(base);
            if (b == null) {
                b = new Buffer(base, columns);
                buffers.put(base, b);
            }
            return b;
        }

        /** Writes a buffer's rows as one chunk and empties it. */
        synchronized void write(Buffer b) throws IOException {
            if (b.rows == 0) {
                return;
            }
            byte[] name = b.base.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer head = ByteBuffer.allocate(12 + name.length).putInt(name.length).put(name).putInt(b.rows)
                    .putInt(b.length).flip();
            writeFully(head);
            writeFully(ByteBuffer.wrap(b.bytes, 0, b.length));
            b.length = 0;
            b.rows = 0;
        }

        /** Writes the rows still buffered and forces the file to the disk. */
        synchronized void finish() throws IOException {
            for (Buffer b : buffers.values()) {
                write(b);
            }
            ch.force(false);
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /**
     * Inserts the capture's packed rows into its tables, from where the last expansion stopped
     * ({@code capture.packed_offset}), committing every {@code commitRows} rows together with the
     * offset reached: a process killed in between leaves rows and offset that agree, and the next
     * call goes on from there. When all are in, the offset becomes NULL and the side file is
     * deleted. The connection must not be in auto-commit mode.
     *
     * @param maxChunks stop after this many chunks (the rest stays packed)
     * @return rows inserted
     */
    static long expand(Connection c, Path storeDir, long captureId, int batchRows, int commitRows, long maxChunks)
            throws SQLException, IOException {
        long offset;
        try (PreparedStatement ps = c.prepareStatement("SELECT packed_offset FROM capture WHERE id = ?")) {
            ps.setLong(1, captureId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return 0;
                }
                offset = rs.getLong(1);
            }
        }
        Path file = path(storeDir, captureId);
        if (!Files.isRegularFile(file)) {
            throw new IOException("the packed rows of capture " + captureId + " are missing (" + file + ")");
        }
        Map<String, PreparedStatement> inserts = new HashMap<>();
        long rows = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                PreparedStatement progress = c.prepareStatement("UPDATE capture SET packed_offset = ? WHERE id = ?")) {
            ByteBuffer head = ByteBuffer.allocate(8);
            readFully(ch, head, 0, file);
            if (head.getInt(0) != MAGIC || head.getInt(4) != VERSION) {
                throw new IOException("not a file of packed rows of this version: " + file);
            }
            long size = ch.size();
            long pos = Math.max(offset, 8);
            int sinceCommit = 0;
            for (long done = 0; done < maxChunks && pos < size; done++) {
                ByteBuffer n = ByteBuffer.allocate(4);
                readFully(ch, n, pos, file);
                int nameLength = n.getInt(0);
                ByteBuffer h = ByteBuffer.allocate(nameLength + 8);
                readFully(ch, h, pos + 4, file);
                String base = new String(h.array(), 0, nameLength, StandardCharsets.US_ASCII);
                int count = h.getInt(nameLength);
                int length = h.getInt(nameLength + 4);
                ByteBuffer data = ByteBuffer.allocate(length);
                readFully(ch, data, pos + 4 + nameLength + 8, file);
                pos += 4 + nameLength + 8 + length;
                String sql = StoreWriter.insertSql(base);
                if (sql == null) {
                    throw new IOException("unknown table of packed rows: " + base + " in " + file);
                }
                PreparedStatement ps = inserts.get(base);
                if (ps == null) {
                    ps = c.prepareStatement(sql.formatted(CaptureTables.of(base, captureId)));
                    inserts.put(base, ps);
                }
                rows += insert(ps, captureId, data.array(), count, batchRows);
                sinceCommit += count;
                if (sinceCommit >= commitRows) {
                    setOffset(progress, captureId, pos);
                    c.commit();
                    sinceCommit = 0;
                }
            }
            setOffset(progress, captureId, pos < size ? pos : null);
            c.commit();
            if (pos >= size) {
                ch.close();
                Files.deleteIfExists(file);
            }
        } finally {
            for (PreparedStatement ps : inserts.values()) {
                ps.close();
            }
        }
        return rows;
    }

    private static void setOffset(PreparedStatement ps, long captureId, Long offset) throws SQLException {
        if (offset == null) {
            ps.setNull(1, Types.BIGINT);
        } else {
            ps.setLong(1, offset);
        }
        ps.setLong(2, captureId);
        ps.executeUpdate();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException("the packed rows end early at " + pos + ": " + file);
            }
            pos += r;
        }
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
