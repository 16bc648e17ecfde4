package heron.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Connection.Protocol;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.core.model.ToolCall;
import heron.core.model.ToolLink;
import heron.core.secrets.SecretMasker;
import heron.store.internal.BlobFile;
import heron.store.internal.Codec;
import heron.store.internal.Payloads;
import heron.store.internal.FrameIndexFile;
import heron.store.schema.CaptureTables;
import heron.store.schema.Schema;

/**
 * Writes one capture's import into the store. Rows are collected into JDBC batches and committed
 * every {@link StoreOptions#commitRows()} rows, never one by one.
 *
 * <p>Life cycle: {@link #beginCapture} (the capture row appears with status IMPORTING), any
 * number of entity calls in any order (except packets, which must ascend by frame), then
 * {@link #finish} with COMPLETE, DAMAGED or CANCELLED (data kept, status recorded), or
 * {@link #abort()} when the import failed (the capture and its rows are deleted).
 * {@link #close()} without finish aborts. If the process dies in between, the next
 * {@link HeronStore#open} deletes the unfinished capture.
 *
 * <p><b>Not thread-safe</b>: one writer is fed by one thread (the pipeline's sink). Run several
 * writers for concurrent imports. The one exception is {@link #packet}: the frame index is a
 * separate file with its own lock, so packets may come from a second thread (the pipeline's
 * reading thread) without passing the row thread's queue, provided the last packet is written
 * before {@link #finish} is called (e.g. handed over through a queue or a join).
 *
 * <p>The encode methods ({@link #encodeExchange}, {@link #encodeCall}) are thread-safe too: they only
 * turn a value into payload bytes.
 *
 * <p>With {@link StoreOptions#maskSecrets()} (the default) every header, request target, body,
 * SSE data, call detail and error text passes {@link SecretMasker} first.
 *
 * <p>Payloads (headers, bodies, SSE events, call details) are kept by reference by default: the
 * rows hold the extracted fields and frames, the capture file holds the bytes, and queries
 * re-assemble them on demand (ADR 0006). With {@link StoreOptions#archivePayloads()} they are
 * copied into the payload side file instead (ADR 0002).
 */
public final class StoreWriter implements AutoCloseable {
    private static final String EXCHANGE_SQL = "INSERT INTO %s (capture_id, id, connection_id, seq, "
            + "client_ip, client_port, server_ip, server_port, label, host, method, target, req_version, "
            + "req_body_len, req_wire_len, req_decoded_len, req_truncated, req_encoding, req_decode_error, "
            + "req_first_ns, req_last_ns, req_first_frame, req_last_frame, has_response, resp_status, resp_reason, "
            + "resp_version, resp_body_len, resp_wire_len, resp_decoded_len, resp_truncated, resp_encoding, "
            + "resp_decode_error, resp_first_ns, resp_headers_ns, resp_last_ns, resp_first_frame, resp_last_frame, "
            + "resp_complete, sse_count, payload_off, payload_len) VALUES (" + params(42) + ")";
    private static final String CALL_SQL = "INSERT INTO %s (capture_id, id, exchange_id, wire_api, host, "
            + "server_kind, request_model, response_model, model, stream, status, finish_reason, finish, input_tokens, "
            + "output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, request_ns, response_headers_ns, "
            + "first_content_ns, end_ns, ttft_ns, e2e_ns, has_error, is_error, error_type, error_message, retry_after, "
            + "response_id, decode_error, has_agent, agent_kind, session_id, turn_id, auxiliary, subagent, "
            + "parent_call_id, tool_call_count, tool_names, detail_off, detail_len) VALUES (" + params(42) + ")";

    private static final String CONNECTION_SQL = "INSERT INTO %s (capture_id, id, client_ip, client_port, "
            + "server_ip, server_port, first_ns, last_ns, packets_c2s, packets_s2c, bytes_c2s, "
            + "bytes_s2c, retransmissions, out_of_order, gaps, gap_bytes, protocol) VALUES (" + params(17) + ")";
    private static final String TURN_SQL = "INSERT INTO %s (capture_id, id, session_id, agent_kind, status, "
            + "start_ns, end_ns, call_count, call_ids, input_tokens, output_tokens, cache_read_tokens, "
            + "cache_write_tokens, tool_calls, tool_errors, models, subagents, user_input_preview, "
            + "final_answer_preview) VALUES (" + params(19) + ")";
    private static final String SESSION_SQL = "INSERT INTO %s (capture_id, id, agent_kind, turn_count, turn_ids, "
            + "start_ns, end_ns, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens) "
            + "VALUES (" + params(11) + ")";
    private static final String TOOL_LINK_SQL = "INSERT INTO %s (capture_id, id, tool_call_id, tool_name, "
            + "asked_by_call_id, result_call_id, duration_ns, is_error) VALUES (" + params(8) + ")";
    /** The INSERT of each entity table (table name left as {@code %s}), by base name. */
    private static final Map<String, String> INSERTS = Map.of("connection", CONNECTION_SQL, "http_exchange",
            EXCHANGE_SQL, "llm_call", CALL_SQL, "agent_turn", TURN_SQL, "agent_session", SESSION_SQL, "tool_link",
            TOOL_LINK_SQL);

    /** The INSERT of an entity table ({@code %s} for the table's name), null for an unknown base. */
    static String insertSql(String base) {
        return INSERTS.get(base);
    }

    private final HeronStore store;
    private final boolean mask;
    private final boolean compress;
    private final boolean archive;
    private final int batchRows;
    private final int commitRows;
    private Connection conn;
    private long captureId = -1;
    private Capture capture;
    // Guarded by framesLock: packet() may run on another thread than the row methods.
    private FrameIndexFile frames;
    private final Object framesLock = new Object();
    private boolean framesClosed;
    private BlobFile blobs;
    private boolean finished;

    /** The INSERT of each entity table of this capture, prepared on first use, by base name. */
    private final Map<String, PreparedStatement> inserts = new java.util.HashMap<>();
    /** Widths of text columns by base name ({@link #widths}). */
    private final Map<String, int[]> widths = new java.util.HashMap<>();
    private PreparedStatement psCallAgent;
    private final List<PreparedStatement> open = new ArrayList<>();
    private final List<PreparedStatement> pending = new ArrayList<>();
    private int batched;
    private int uncommitted;
    private long rows;
    private long toolLinkSeq;
    /** While true, {@link #added} does not commit (a replacement must commit as a whole). */
    private boolean holdCommits;
    /** Whether {@link #finish} and {@link #indexExchanges} build the views' indexes. */
    private boolean buildIndexes = true;
    /** Whether entity rows are packed ({@link #deferRows}); the buffers by base name. */
    private boolean packed;
    private PackedRows.Writer rowFile;
    /** Whether this import shrank the store's page cache ({@link HeronStore#bulkImportStarted}). */
    private boolean bulkCache;

    StoreWriter(HeronStore store) {
        this.store = store;
        this.mask = store.options().maskSecrets();
        this.compress = store.options().compress();
        this.archive = store.options().archivePayloads();
        this.batchRows = store.options().batchRows();
        this.commitRows = store.options().commitRows();
    }

    /**
     * Starts the import of a capture: records it with status IMPORTING (committed at once, so the
     * capture is visible and recoverable) and returns its new id. The capture's own id and status
     * are ignored.
     */
    public long beginCapture(Capture c) {
        if (captureId >= 0) {
            throw new IllegalStateException("this writer already imports capture " + captureId);
        }
        try {
            conn = store.connect();
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO capture (path, format, size_bytes, sha256, "
                    + "link_types, packet_count, first_ns, last_ns, status, imported_at, secrets_masked) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, c.path());
                ps.setString(2, c.format());
                ps.setLong(3, c.sizeBytes());
                ps.setString(4, c.sha256());
                ps.setString(5, linkTypes(c.linkTypes()));
                ps.setLong(6, c.packetCount());
                ps.setLong(7, c.firstNanos());
                ps.setLong(8, c.lastNanos());
                ps.setString(9, Capture.ImportStatus.IMPORTING.name());
                ps.setObject(10, OffsetDateTime.now());
                ps.setBoolean(11, mask);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    captureId = rs.getLong(1);
                }
            }
            // The capture's own tables, with only their row key: the views' indexes are built by
            // finish, in one pass (ADR 0005). Committed with the IMPORTING row, so a killed import
            // leaves tables that the next open drops with the capture.
            CaptureTables.create(conn, captureId);
            HeronStore.ACTIVE_IMPORTS.add(HeronStore.importKey(store.directory(), captureId));
            if (!buildIndexes) {
                // nothing reads this capture's pages while it is imported (HeronStore.BULK_CACHE_KB)
                store.bulkImportStarted();
                bulkCache = true;
            }
            capture = new Capture(captureId, c.path(), c.format(), c.sizeBytes(), c.sha256(), c.linkTypes(),
                    c.packetCount(), c.firstNanos(), c.lastNanos(), Capture.ImportStatus.IMPORTING);
            conn.setAutoCommit(false);
            return captureId;
        } catch (SQLException e) {
            throw new StoreException("cannot begin capture " + c.path(), e);
        }
    }

    /**
     * Packs this import's entity rows instead of inserting them, and leaves the views' indexes
     * unbuilt: both wait for the first query that needs the capture's tables
     * ({@link HeronStore#ensureRows}), by whoever views the capture, or for none ({@code heron
     * analyze} with a temporary store). For imports nobody views while they run (the views see
     * no rows until the import has finished); the workbench's imports keep inserting rows and
     * building the indexes at the end, so its views follow the import and find them ready.
     * H2's cost is per row, so ~660,000 rows of a 135,000-call capture become ~3,000 chunk rows
     * (ADR 0007); building the indexes was about 60 % of the writer thread's work before
     * (ADR 0005, Update (session 3)). Call before {@link #beginCapture}. Updating rows written
     * before ({@link #callAgent}, {@link #replaceAgentRows}) is refused in this mode.
     */
    public void deferRows() {
        if (captureId >= 0) {
            throw new IllegalStateException("deferRows before beginCapture");
        }
        buildIndexes = false;
        packed = true;
    }

    /** Id of the capture being imported, -1 before {@link #beginCapture}. */
    public long captureId() {
        return captureId;
    }

    /** Rows handed to this writer so far (packets excluded). */
    public long rowsWritten() {
        return rows;
    }

    public void connection(heron.core.model.Connection c) {
        try {
            row("connection", new Object[] {c.id(), c.client() == null ? null : c.client().ip(),
                    c.client() == null ? 0 : c.client().port(), c.server() == null ? null : c.server().ip(),
                    c.server() == null ? 0 : c.server().port(), c.firstNanos(), c.lastNanos(),
                    c.packetsToServer(), c.packetsToClient(), c.bytesToServer(), c.bytesToClient(),
                    c.retransmissions(), c.outOfOrder(), c.gaps(), c.gapBytes(),
                    c.protocol() == null ? null : c.protocol().name()});
        } catch (SQLException e) {
            throw fail("connection " + c.id(), e);
        }
    }

    /**
     * An HTTP exchange's or LLM call's payload as it goes to the payload side file: masked (unless
     * masking is off), serialised and, with {@link StoreOptions#compress()}, compressed. Made by
     * {@link #encodeExchange} / {@link #encodeCall} on any thread.
     */
    public static final class Payload {
        byte[] stored;
        final int requestBodyLength;
        final int responseBodyLength;
        // Set by stage(): where the bytes went in the payload file; stored is then dropped.
        long[] staged;
        // Exchanges: the row's columns, taken by encodeExchange on the calling thread.
        Object[] row;
        long rowId;

        Payload(byte[] stored, int requestBodyLength, int responseBodyLength) {
            this.stored = stored;
            this.requestBodyLength = requestBodyLength;
            this.responseBodyLength = responseBodyLength;
        }
    }

    /**
     * Masks and encodes an exchange's headers, bodies and SSE events, and takes its row's columns,
     * for {@link #exchange(Payload)}. <b>Thread-safe</b> (unlike the rest of the writer),
     * so importers can do this CPU work on their worker threads instead of the writer's thread.
     * Without {@link StoreOptions#archivePayloads()} (the default) nothing is encoded: the payload
     * stays in the capture file and is re-assembled on demand (ADR 0006).
     */
    public Payload encodeExchange(HttpExchange e) {
        Payload p;
        if (!archive) {
            HttpRequest rq = e.request();
            HttpResponse rs = e.response();
            // The row records the body's length as captured (archived rows: as masked);
            // length() does not materialise a deferred body.
            p = new Payload(null, rq == null || rq.body() == null ? 0 : rq.body().length(),
                    rs == null || rs.body() == null ? 0 : rs.body().length());
        } else {
            Payloads.ExchangeValue v = Payloads.exchange(e, mask);
            p = new Payload(BlobFile.encode(v.value(), compress), v.requestBodyLength(), v.responseBodyLength());
        }
        // The row's columns too, here on the calling thread: the writer's thread then neither
        // extracts them nor keeps the exchange (bodies, events) alive while the row waits in a queue.
        p.row = exchangeRow(e, p);
        p.rowId = e.id();
        return p;
    }

    /**
     * Serialises, masks and encodes a call's lists and texts for {@link #call(LlmCall, Payload)}.
     * <b>Thread-safe</b>, like {@link #encodeExchange}; encodes nothing without
     * {@link StoreOptions#archivePayloads()}.
     */
    public Payload encodeCall(LlmCall c) {
        if (!archive) {
            return new Payload(null, 0, 0);
        }
        return new Payload(BlobFile.encode(Payloads.callDetail(c, mask), compress), 0, 0);
    }

    /**
     * Appends a call's payload to the payload file now and keeps only its place, so that the
     * call's row can be written later with {@link #call(LlmCall, Payload)} (e.g. once the turn
     * tracker has tagged it, which saves updating the row) without holding the bytes. Row thread
     * only, like the other write methods.
     */
    public void stage(Payload payload) {
        if (payload.staged != null || payload.stored == null) {
            return;
        }
        try {
            payload.staged = blobs().appendEncoded(payload.stored);
            payload.stored = null;
        } catch (IOException e) {
            throw new StoreException("cannot write the payload file of capture " + captureId, e);
        }
    }

    /**
     * An HTTP exchange with its bodies and SSE events. The row gets the extracted fields; headers,
     * bodies and events go to the capture's payload side file when archiving, else nowhere.
     */
    public void exchange(HttpExchange e) {
        exchange(encodeExchange(e));
    }

    /**
     * An HTTP exchange whose row and payload were taken by {@link #encodeExchange} of this writer:
     * the exchange itself (its bodies, headers and events) need not be kept until the row is
     * written.
     */
    public void exchange(Payload payload) {
        if (payload.row == null) {
            throw new IllegalArgumentException("not a payload of encodeExchange");
        }
        try {
            long[] ptr = payload.stored == null ? null : blobs().appendEncoded(payload.stored);
            row("http_exchange", withPointer(payload.row, ptr));
        } catch (SQLException | IOException ex) {
            throw fail("exchange " + payload.rowId, ex);
        }
    }

    /**
     * The exchange row's columns after capture_id and before the payload pointer. Boxed values are
     * bound with the setter of their type and null as NULL, which gives H2 the same values as
     * binding each column with its own setter.
     */
    private Object[] exchangeRow(HttpExchange e, Payload payload) {
        HttpRequest rq = e.request();
        HttpResponse rs = e.response();
        Object[] v = new Object[39];
        int i = 0;
        v[i++] = e.id();
        v[i++] = e.connectionId();
        v[i++] = e.sequence();
        v[i++] = e.client() == null ? null : e.client().ip();
        v[i++] = e.client() == null ? 0 : e.client().port();
        v[i++] = e.server() == null ? null : e.server().ip();
        v[i++] = e.server() == null ? 0 : e.server().port();
        v[i++] = e.label();
        v[i++] = rq == null ? null : Codec.text(rq.host());
        v[i++] = rq == null ? null : rq.method();
        v[i++] = rq == null ? null : Codec.text(mask ? SecretMasker.maskTarget(rq.target()) : rq.target());
        v[i++] = rq == null ? null : rq.version();
        i = body(v, i, rq == null ? null : rq.body(), payload.requestBodyLength);
        v[i++] = rq == null ? 0L : rq.firstByteNanos();
        v[i++] = rq == null ? 0L : rq.lastByteNanos();
        v[i++] = rq == null ? 0L : rq.firstFrame();
        v[i++] = rq == null ? 0L : rq.lastFrame();
        v[i++] = rs != null;
        if (rs == null) {
            return v; // the response columns stay NULL
        }
        v[i++] = rs.status();
        v[i++] = Codec.text(rs.reason());
        v[i++] = rs.version();
        i = body(v, i, rs.body(), payload.responseBodyLength);
        v[i++] = rs.firstByteNanos();
        v[i++] = rs.headersNanos();
        v[i++] = rs.lastByteNanos();
        v[i++] = rs.firstFrame();
        v[i++] = rs.lastFrame();
        v[i++] = rs.complete();
        v[i++] = rs.events().size();
        return v;
    }

    /**
     * Binds a row's values (as {@link #bind} does) from parameter {@code first} on. Every row goes
     * through this loop rather than a JDBC setter call per column: C2 inlines H2's setters at each
     * call, so with one call per column each row method compiled to 40-56 KB of code, and C2 (one
     * thread, busy for the whole of a big import) compiled every one of them (performance.md,
     * "Session 7: JIT"). Here each setter is called from one place.
     */
    private static void bindRow(PreparedStatement ps, int first, Object[] row) throws SQLException {
        for (int k = 0; k < row.length; k++) {
            bind(ps, first + k, row[k]);
        }
    }

    private static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.NULL);
        } else if (v instanceof Long l) {
            ps.setLong(i, l);
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else if (v instanceof Boolean b) {
            ps.setBoolean(i, b);
        } else {
            ps.setString(i, (String) v);
        }
    }

    /**
     * The row's columns followed by a payload's place in the side file (offset, length), or two
     * NULLs: kept by reference in the capture file.
     */
    private static Object[] withPointer(Object[] row, long[] ptr) {
        Object[] v = java.util.Arrays.copyOf(row, row.length + 2);
        if (ptr != null) {
            v[row.length] = ptr[0];
            v[row.length + 1] = (int) ptr[1];
        }
        return v;
    }

    /**
     * Writes one row of an entity table: its columns after capture_id, bound as {@link #bind}
     * does. Inserted through the table's batched statement, or packed ({@link #deferRows}).
     */
    private void row(String base, Object[] values) throws SQLException {
        clamp(values, widths(base));
        if (packed) {
            pack(base, values);
            return;
        }
        PreparedStatement ps = inserts.get(base);
        if (ps == null) {
            ps = prepare(INSERTS.get(base).formatted(table(base)));
            inserts.put(base, ps);
        }
        ps.setLong(1, captureId);
        bindRow(ps, 2, values);
        added(ps);
    }

    /**
     * Cuts texts to the width of their column ({@code VARCHAR(n)}). H2 refuses a longer value,
     * which failed the whole import on one odd header or model name; and packed rows are only
     * inserted when first queried, where a refusal would make the capture unreadable.
     */
    private static void clamp(Object[] values, int[] widths) {
        for (int k = 0; k < values.length; k++) {
            if (widths[k] > 0 && values[k] instanceof String t && t.length() > widths[k]) {
                values[k] = t.substring(0, widths[k]);
            }
        }
    }

    /**
     * The widths of a table's text columns in the order of its INSERT's parameters after
     * capture_id (0: not a bounded text), read from the database once per table.
     */
    private int[] widths(String base) throws SQLException {
        int[] w = widths.get(base);
        if (w != null) {
            return w;
        }
        String sql = INSERTS.get(base);
        String[] names = sql.substring(sql.indexOf('(') + 1, sql.indexOf(") VALUES")).split(",");
        Map<String, Integer> byName = new java.util.HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH "
                + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? "
                + "AND DATA_TYPE = 'CHARACTER VARYING'")) {
            ps.setString(1, table(base).toUpperCase(java.util.Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long max = rs.getLong(2);
                    byName.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT),
                            max > 0 && max < Schema.INLINE_MAX ? (int) max : 0);
                }
            }
        }
        w = new int[names.length - 1];
        for (int k = 1; k < names.length; k++) {
            w[k - 1] = byName.getOrDefault(names[k].trim().toLowerCase(java.util.Locale.ROOT), 0);
        }
        widths.put(base, w);
        return w;
    }

    private void pack(String base, Object[] values) throws SQLException {
        try {
            rowFile().add(base, values);
        } catch (IOException e) {
            throw new SQLException("cannot write the packed rows: " + e.getMessage(), e);
        }
        rows++;
    }

    private PackedRows.Writer rowFile() throws SQLException {
        if (rowFile == null) {
            try {
                rowFile = new PackedRows.Writer(PackedRows.path(store.directory(), captureId));
            } catch (IOException e) {
                throw new SQLException("cannot write the packed rows: " + e.getMessage(), e);
            }
        }
        return rowFile;
    }

    private static int body(Object[] v, int i, Body b, int storedLength) {
        if (b == null) {
            return i + 6; // NULL columns
        }
        v[i] = storedLength;
        v[i + 1] = b.wireLength();
        v[i + 2] = b.decodedLength();
        v[i + 3] = b.truncated();
        v[i + 4] = b.encoding();
        v[i + 5] = Codec.text(b.decodeError());
        return i + 6;
    }

    private BlobFile blobs() throws IOException {
        if (blobs == null) {
            blobs = new BlobFile(BlobFile.path(store.directory(), captureId), store.options().compress());
        }
        return blobs;
    }

    /** An LLM call with all its lists (stored as one JSON document). */
    public void call(LlmCall c) {
        call(c, encodeCall(c));
    }

    /** An LLM call whose payload was encoded by {@link #encodeCall} of this writer. */
    public void call(LlmCall c, Payload payload) {
        try {
            long[] ptr = payload.staged != null ? payload.staged
                    : payload.stored == null ? null : blobs().appendEncoded(payload.stored);
            row("llm_call", withPointer(callRow(c), ptr));
        } catch (SQLException | IOException e) {
            throw fail("call " + c.id(), e);
        }
    }

    /** Where the agent columns sit in a call row ({@link #callRow}), and how many there are. */
    private static final int AGENT_AT = 30;
    private static final int AGENT_COLUMNS = 7;

    /**
     * A call row of a packed import made while the import runs, before the turn tracker has tagged
     * the call: every column but the agent columns already packed ({@link #stageCall}), so the
     * import's tail only packs the tag ({@link #call(StagedCall, AgentTag)}).
     */
    public static final class StagedCall {
        private final AgentTag agent;
        private final byte[] head;
        private final byte[] tail;
        private final int columns;

        private StagedCall(AgentTag agent, byte[] head, byte[] tail, int columns) {
            this.agent = agent;
            this.head = head;
            this.tail = tail;
            this.columns = columns;
        }
    }

    /**
     * Writes a call's payload ({@link #stage}) and packs its row but the agent columns, for
     * {@link #call(StagedCall, AgentTag)}. For a packed import ({@link #deferRows}) only.
     */
    public StagedCall stageCall(LlmCall c, Payload payload) {
        requirePacked();
        stage(payload);
        try {
            Object[] v = withPointer(callRow(c), payload.staged);
            clamp(v, widths("llm_call"));
            return new StagedCall(c.agent(), PackedRows.Buffer.encode(v, 0, AGENT_AT),
                    PackedRows.Buffer.encode(v, AGENT_AT + AGENT_COLUMNS, v.length), v.length);
        } catch (SQLException e) {
            throw fail("call " + c.id(), e);
        }
    }

    /**
     * Packs a staged call's row with its agent tag: {@code tag}, or the call's own when null. The
     * row is the one {@link #call(LlmCall, Payload)} packs for the call with that tag.
     */
    public void call(StagedCall s, AgentTag tag) {
        Object[] a = new Object[AGENT_COLUMNS];
        agent(a, 0, tag != null ? tag : s.agent);
        try {
            clamp(a, agentWidths());
            rowFile().add("llm_call", s.columns, s.head, a, s.tail);
        } catch (SQLException | IOException e) {
            throw fail("call row", e);
        }
        rows++;
    }

    /** The widths of the call row's agent columns, in the order of {@link #agent}. */
    private int[] agentWidths() throws SQLException {
        if (agentWidths == null) {
            agentWidths = java.util.Arrays.copyOfRange(widths("llm_call"), AGENT_AT, AGENT_AT + AGENT_COLUMNS);
        }
        return agentWidths;
    }

    private int[] agentWidths;

    /** The call row's columns after capture_id and before the payload pointer (see {@link #bindRow}). */
    private Object[] callRow(LlmCall c) {
        Object[] v = new Object[39];
        int i = 0;
        v[i++] = c.id();
        v[i++] = c.exchangeId();
        v[i++] = c.wireApi();
        v[i++] = c.host();
        v[i++] = c.serverKind();
        v[i++] = c.requestModel();
        v[i++] = c.responseModel();
        v[i++] = c.model();
        v[i++] = c.stream();
        v[i++] = c.status();
        v[i++] = c.finishReason();
        v[i++] = c.finish() == null ? null : c.finish().name();
        v[i++] = c.usage().input();
        v[i++] = c.usage().output();
        v[i++] = c.usage().cacheRead();
        v[i++] = c.usage().cacheWrite();
        v[i++] = c.usage().reasoning();
        v[i++] = c.requestNanos();
        v[i++] = c.responseHeadersNanos();
        v[i++] = c.firstContentNanos();
        v[i++] = c.endNanos();
        v[i++] = c.ttftMs() == null ? null : c.firstContentNanos() - c.requestNanos();
        v[i++] = c.e2eMs() == null ? null : c.endNanos() - c.requestNanos();
        v[i++] = c.error() != null;
        v[i++] = c.isError();
        v[i++] = c.error() == null ? null : c.error().type();
        v[i++] = c.error() == null ? null : Codec.text(maskText(c.error().message()));
        v[i++] = c.error() == null ? null : c.error().retryAfter();
        v[i++] = c.responseId();
        v[i++] = Codec.text(c.decodeError());
        i = agent(v, i, c.agent());
        v[i++] = c.toolCalls().size();
        v[i] = Codec.text(c.toolCalls().stream().map(ToolCall::name)
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().collect(Collectors.joining(",")));
        return v;
    }

    /** The seven agent columns of a call row from {@code v[i]} on; all NULL but has_agent without a tag. */
    private static int agent(Object[] v, int i, AgentTag a) {
        v[i++] = a != null;
        if (a != null) {
            v[i] = a.agentKind();
            v[i + 1] = a.sessionId();
            v[i + 2] = a.turnId();
            v[i + 3] = a.auxiliary();
            v[i + 4] = a.subagent();
            v[i + 5] = a.parentCallId();
        }
        return i + 6;
    }

    /**
     * Sets the agent tag of a call written earlier (the turn tracker places calls after they were
     * decoded). The call row must have been written by this writer.
     */
    public void callAgent(long callId, AgentTag tag) {
        requireUnpacked();
        try {
            PreparedStatement ps = psCallAgent != null ? psCallAgent
                    : (psCallAgent = prepare("UPDATE " + table("llm_call") +
                            " SET has_agent = ?, agent_kind = ?, session_id = ?, "
                            + "turn_id = ?, auxiliary = ?, subagent = ?, parent_call_id = ? "
                            + "WHERE capture_id = ? AND id = ?"));
            Object[] row = new Object[9];
            int i = agent(row, 0, tag);
            row[i++] = captureId;
            row[i] = callId;
            // the agent columns' widths, as in the call row; capture_id and id are not texts
            clamp(row, java.util.Arrays.copyOf(agentWidths(), 9));
            bindRow(ps, 1, row);
            // Updates must see the inserts, so earlier batches go first.
            executePendingExcept(ps);
            added(ps);
        } catch (SQLException e) {
            throw fail("agent of call " + callId, e);
        }
    }

    /**
     * A packet's frame index entry (side file, not a row). Frames must ascend. Unlike the other
     * methods this one may be called from one thread other than the writer's row thread (see the
     * class comment); packets arriving after {@link #finish} or {@link #abort} are refused.
     */
    public void packet(PacketRecord p) {
        synchronized (framesLock) {
            if (captureId < 0 || framesClosed) {
                throw new IllegalStateException(framesClosed ? "the import has ended" : "beginCapture first");
            }
            try {
                if (frames == null) {
                    frames = new FrameIndexFile(FrameIndexFile.path(store.directory(), captureId));
                }
                frames.append(p);
            } catch (IOException e) {
                throw new StoreException("cannot write the frame index of capture " + captureId, e);
            }
        }
    }

    public void turn(AgentTurn t) {
        try {
            row("agent_turn", turnRow(t));
        } catch (SQLException e) {
            throw fail("turn " + t.id(), e);
        }
    }

    private Object[] turnRow(AgentTurn t) {
        return new Object[] {t.id(), t.sessionId(), t.agentKind(),
                t.status() == null ? null : t.status().name(), t.startNanos(), t.endNanos(), t.callIds().size(),
                Codec.text(Codec.toJson(t.callIds())), t.inputTokens(), t.outputTokens(), t.cacheReadTokens(),
                t.cacheWriteTokens(), t.toolCalls(), t.toolErrors(), Codec.text(Codec.toJson(t.models())),
                Codec.text(Codec.toJson(t.subagents())), Codec.text(maskText(t.userInputPreview())),
                Codec.text(maskText(t.finalAnswerPreview()))};
    }

    public void turns(Collection<AgentTurn> ts) {
        ts.forEach(this::turn);
    }

    public void session(AgentSession s) {
        try {
            row("agent_session", sessionRow(s));
        } catch (SQLException e) {
            throw fail("session " + s.id(), e);
        }
    }

    private static Object[] sessionRow(AgentSession s) {
        return new Object[] {s.id(), s.agentKind(), s.turnIds().size(),
                Codec.text(Codec.toJson(s.turnIds())), s.startNanos(), s.endNanos(), s.inputTokens(),
                s.outputTokens(), s.cacheReadTokens(), s.cacheWriteTokens()};
    }

    public void sessions(Collection<AgentSession> ss) {
        ss.forEach(this::session);
    }

    public void toolLink(ToolLink l) {
        try {
            row("tool_link", toolLinkRow(l, ++toolLinkSeq));
        } catch (SQLException e) {
            throw fail("tool link " + l.toolCallId(), e);
        }
    }

    private static Object[] toolLinkRow(ToolLink l, long id) {
        return new Object[] {id, l.toolCallId(), l.toolName(), l.askedByCallId(), l.resultCallId(),
                l.durationNanos(), l.isError()};
    }

    public void toolLinks(Collection<ToolLink> ls) {
        ls.forEach(this::toolLink);
    }

    /**
     * Writes turns, sessions and tool links, one table after another, on a connection and thread
     * of their own, and returns at once: the calling thread goes on with other rows (the call
     * rows, once the turn tracker has tagged them) while these are written. H2's MVStore takes
     * inserts into different tables from different sessions concurrently, so on two cores the
     * import's tail (all of these rows are known only after the turn tracker's {@code finish})
     * takes about as long as the larger half instead of the sum (ADR 0005, Update (session 5)).
     * One side thread, not one per table: every table written at the same time keeps a
     * half-filled B-tree leaf that H2 serialises again at each of its stores, and with four
     * tables at once that doubled H2's page serialisation and the file size.
     *
     * <p>The rows are the same as from {@link #turns}, {@link #sessions} and {@link #toolLinks}
     * (tool link ids go on from the last one written). The side connection commits its own rows;
     * {@link #finish} waits for them before the capture becomes COMPLETE (and fails if they
     * failed), {@link #abort} waits and then deletes the capture as usual;
     * {@link #replaceAgentRows} waits for them first. A packed import ({@link #deferRows}) packs
     * them on a thread of its own instead, into the same side file ({@link #packConcurrently}).
     */
    public void agentRowsConcurrently(Collection<AgentTurn> turns, Collection<AgentSession> sessions,
            Collection<ToolLink> links) {
        requireBegun();
        long firstLink = toolLinkSeq;
        toolLinkSeq += links.size();
        rows += turns.size() + sessions.size() + links.size();
        int[] turnWidths;
        int[] sessionWidths;
        int[] linkWidths;
        try {
            turnWidths = widths("agent_turn");
            sessionWidths = widths("agent_session");
            linkWidths = widths("tool_link");
        } catch (SQLException e) {
            throw fail("turns, sessions and tool links", e);
        }
        if (packed) {
            packConcurrently(List.copyOf(turns), List.copyOf(sessions), List.copyOf(links), firstLink,
                    new int[][] {turnWidths, sessionWidths, linkWidths});
            return;
        }
        List<SideTable<?>> tables = List.of(
                new SideTable<>(TURN_SQL.formatted(table("agent_turn")), List.copyOf(turns),
                        (ps, t, k) -> bindSide(ps, turnRow(t), turnWidths)),
                new SideTable<>(SESSION_SQL.formatted(table("agent_session")), List.copyOf(sessions),
                        (ps, x, k) -> bindSide(ps, sessionRow(x), sessionWidths)),
                new SideTable<>(TOOL_LINK_SQL.formatted(table("tool_link")), List.copyOf(links),
                        (ps, l, k) -> bindSide(ps, toolLinkRow(l, firstLink + k + 1), linkWidths)));
        side(tables);
    }

    /**
     * {@link #agentRowsConcurrently} for a packed import: a thread of its own packs the turns,
     * sessions and tool links into buffers of its own and appends each full chunk to the side file
     * while this thread packs the call rows. The rows are those {@link #turns}, {@link #sessions}
     * and {@link #toolLinks} would pack; {@code widths}: of the three tables' columns, in that order.
     */
    private void packConcurrently(List<AgentTurn> ts, List<AgentSession> ss, List<ToolLink> ls, long firstLink,
            int[][] widths) {
        if (ts.isEmpty() && ss.isEmpty() && ls.isEmpty()) {
            return;
        }
        PackedRows.Writer file;
        try {
            file = rowFile();
        } catch (SQLException e) {
            throw fail("turns, sessions and tool links", e);
        }
        startSide(() -> {
            PackedRows.Buffer b = new PackedRows.Buffer("agent_turn", widths[0].length);
            for (AgentTurn x : ts) {
                packSide(file, b, turnRow(x), widths[0]);
            }
            file.write(b);
            b = new PackedRows.Buffer("agent_session", widths[1].length);
            for (AgentSession x : ss) {
                packSide(file, b, sessionRow(x), widths[1]);
            }
            file.write(b);
            b = new PackedRows.Buffer("tool_link", widths[2].length);
            for (int k = 0; k < ls.size(); k++) {
                packSide(file, b, toolLinkRow(ls.get(k), firstLink + k + 1), widths[2]);
            }
            file.write(b);
        });
    }

    private static void packSide(PackedRows.Writer file, PackedRows.Buffer b, Object[] values, int[] widths)
            throws IOException {
        clamp(values, widths);
        b.add(values);
        if (b.full()) {
            file.write(b);
        }
    }

    private void bindSide(PreparedStatement ps, Object[] values, int[] widths) throws SQLException {
        clamp(values, widths);
        ps.setLong(1, captureId);
        bindRow(ps, 2, values);
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T value, int index) throws SQLException;
    }

    private record SideTable<T>(String sql, List<T> values, Binder<T> binder) {
        void write(Connection c, int batchRows, int commitRows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int inBatch = 0;
                int inTransaction = 0;
                for (int k = 0; k < values.size(); k++) {
                    binder.bind(ps, values.get(k), k);
                    ps.addBatch();
                    if (++inBatch >= batchRows) {
                        ps.executeBatch();
                        inTransaction += inBatch;
                        inBatch = 0;
                        if (inTransaction >= commitRows) {
                            c.commit();
                            inTransaction = 0;
                        }
                    }
                }
                if (inBatch > 0) {
                    ps.executeBatch();
                }
                c.commit();
            }
        }
    }

    /** Threads started by {@link #agentRowsConcurrently}, and what they failed with. */
    private final List<Thread> sideThreads = new ArrayList<>();
    private final List<Throwable> sideFailures = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Writes these tables one after another on a connection and thread of their own. */
    private void side(List<SideTable<?>> tables) {
        if (tables.stream().allMatch(t -> t.values().isEmpty())) {
            return;
        }
        startSide(() -> {
            try (Connection c = store.connect()) {
                c.setAutoCommit(false);
                for (SideTable<?> table : tables) {
                    table.write(c, batchRows, commitRows);
                }
            }
        });
    }

    /** Work of a side thread; what it throws fails the import at {@link #finish}. */
    private interface SideWork {
        void run() throws SQLException, IOException;
    }

    /** Runs {@code work} on a thread of its own, which {@link #awaitSide} waits for. */
    private void startSide(SideWork work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (SQLException | IOException | RuntimeException e) {
                sideFailures.add(e);
            }
        }, "heron-store-side");
        t.setDaemon(true);
        sideThreads.add(t);
        t.start();
    }

    /** Waits for the threads of {@link #agentRowsConcurrently}; throws the first failure. */
    private void awaitSide() throws SQLException {
        boolean interrupted = false;
        for (Thread t : sideThreads) {
            for (;;) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    // the rows must be complete (or the capture deleted) before the caller goes on
                    interrupted = true;
                }
            }
        }
        sideThreads.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!sideFailures.isEmpty()) {
            Throwable f = sideFailures.get(0);
            sideFailures.clear();
            throw f instanceof SQLException e ? e : new SQLException(f.getMessage(), f);
        }
    }

    /**
     * Replaces the capture's turns, sessions and tool links written so far (by earlier calls of
     * this method, e.g. interim groupings of a live capture) with these, in one transaction
     * together with every row still pending (such as {@link #callAgent} updates given just before):
     * readers see the old grouping or the new one, never a mix. Tool link ids restart at 1, so the
     * rows are the same as if only the last grouping had ever been written.
     */
    public void replaceAgentRows(Collection<AgentTurn> turns, Collection<AgentSession> sessions,
            Collection<ToolLink> links) {
        requireBegun();
        requireUnpacked();
        try {
            awaitSide();
            executeBatches();
            holdCommits = true;
            try {
                for (String table : new String[] { "agent_turn", "agent_session", "tool_link" }) {
                    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + table(table) + " WHERE capture_id = ?")) {
                        ps.setLong(1, captureId);
                        ps.executeUpdate();
                    }
                }
                toolLinkSeq = 0;
                turns(turns);
                sessions(sessions);
                toolLinks(links);
                executeBatches();
            } finally {
                holdCommits = false;
            }
            commit();
        } catch (SQLException | IOException e) {
            throw fail("turns, sessions and tool links", e);
        }
    }

    /** Pipeline-health counters (a snapshot; later calls replace values of the same name). */
    public void health(Map<String, Long> counters) {
        requireBegun();
        try (PreparedStatement ps = conn.prepareStatement(
                "MERGE INTO " + table("health_counter") +
                        " (capture_id, name, counter_value) KEY (capture_id, name) VALUES (?, ?, ?)")) {
            // One statement per counter, not a JDBC batch: H2's batch loop (Command.executeBatchUpdate),
            // compiled by C2 for the import's inserts, would see a MERGE here for the first time and
            // be deoptimised and compiled again at the end of the import (performance.md, "Session 7: JIT").
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                ps.setLong(1, captureId);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue() == null ? 0 : e.getValue());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw fail("health counters", e);
        }
    }

    /**
     * Updates what is known about the capture only at the end: format, size, link types, packet
     * count and time span. The id and status arguments are ignored. When packets were written and
     * {@code c.packetCount()} is 0, the count and span of the frame index are used.
     */
    public void updateCapture(Capture c) {
        requireBegun();
        long count = c.packetCount();
        long first = c.firstNanos();
        long last = c.lastNanos();
        synchronized (framesLock) {
            if (count == 0 && frames != null) {
                count = frames.count();
                first = frames.firstNanos();
                last = frames.lastNanos();
            }
        }
        capture = new Capture(captureId, c.path(), c.format(), c.sizeBytes(), c.sha256(), c.linkTypes(), count, first,
                last, capture.status());
        stampCaptureFile(c);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE capture SET path = ?, format = ?, size_bytes = ?, "
                + "sha256 = ?, link_types = ?, packet_count = ?, first_ns = ?, last_ns = ? WHERE id = ?")) {
            ps.setString(1, c.path());
            ps.setString(2, c.format());
            ps.setLong(3, c.sizeBytes());
            ps.setString(4, c.sha256());
            ps.setString(5, linkTypes(c.linkTypes()));
            ps.setLong(6, count);
            ps.setLong(7, first);
            ps.setLong(8, last);
            ps.setLong(9, captureId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw fail("capture update", e);
        }
    }

    /**
     * The file just hashed for this import is the capture's: recording its size and modification
     * time spares the first detail view re-hashing it (ADR 0006).
     */
    private void stampCaptureFile(Capture c) {
        if (c.sha256() == null || c.path() == null) {
            return;
        }
        java.nio.file.Path f = java.nio.file.Path.of(c.path());
        try {
            if (java.nio.file.Files.isRegularFile(f) && java.nio.file.Files.size(f) == c.sizeBytes()) {
                heron.store.internal.ReferencedPayloads.stamp(store.directory(), captureId, f);
            }
        } catch (IOException e) {
            // no stamp: the first detail view hashes the file
        }
    }

    /**
     * Builds the views' indexes of the capture's connections and exchanges now, when the caller
     * knows that no more of them will come (the pipeline: once reading has ended, while the turn
     * tracker finishes), so that this work overlaps with the tracker instead of following it.
     * Commits what was written. {@link #finish} builds the remaining indexes. After
     * {@link #deferRows()} it only commits.
     */
    public void indexExchanges() {
        requireBegun();
        try {
            executeBatches();
            commit();
            if (buildIndexes) {
                CaptureTables.createIndexes(conn, captureId, List.of("connection", "http_exchange"));
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot index the exchanges of capture " + captureId, e);
        }
    }

    /** True between {@link #beginCapture} and the end (finished or abandoned) of that capture. */
    public boolean inCapture() {
        return captureId >= 0 && conn != null && !finished;
    }

    /**
     * Executes pending batches and commits; packets written so far become readable. Nothing is
     * forced to the disk here: an import killed before {@link #finish} (which forces) is deleted
     * on the next open, so forcing every second only stalled the thread that appends packets
     * (it waits for the frame index's lock) for 10-20 ms each time.
     */
    public void flush() {
        requireBegun();
        try {
            executeBatches();
            commit();
            synchronized (framesLock) {
                if (frames != null) {
                    frames.writeBuffered();
                }
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot write capture " + captureId, e);
        }
    }

    /**
     * Ends the import: writes everything pending, closes the frame index and records the status
     * (COMPLETE, DAMAGED or CANCELLED; the rows written are kept in every case). If no
     * {@link #updateCapture} gave a packet count, the frame index's count and span are used.
     *
     * @return the capture as stored
     */
    public Capture finish(Capture.ImportStatus status) {
        requireBegun();
        if (status == Capture.ImportStatus.IMPORTING) {
            throw new IllegalArgumentException("finish with a final status");
        }
        try {
            awaitSide();
            executeBatches();
            if (rowFile != null) {
                // The capture is COMPLETE only once its packed rows are on the disk.
                rowFile.finish();
                rowFile.close();
                rowFile = null;
            }
            if (blobs != null) {
                // The capture is COMPLETE only once its payloads are on the disk.
                blobs.sync();
                blobs.close();
                blobs = null;
            }
            synchronized (framesLock) {
                framesClosed = true;
                if (frames != null) {
                    frames.flush();
                    frames.close();
                    if (capture.packetCount() == 0) {
                        capture = new Capture(captureId, capture.path(), capture.format(), capture.sizeBytes(),
                                capture.sha256(), capture.linkTypes(), frames.count(), frames.firstNanos(),
                                frames.lastNanos(), status);
                    }
                    frames = null;
                }
            }
            // The rows are committed first: H2 counts a table's rows for each index it builds, which
            // walks the open transaction's undo log. The capture stays IMPORTING until the
            // indexes exist, so a crash in between still removes it on the next open.
            conn.commit();
            if (buildIndexes) {
                CaptureTables.createIndexes(conn, captureId);
            }
            capture = new Capture(captureId, capture.path(), capture.format(), capture.sizeBytes(), capture.sha256(),
                    capture.linkTypes(), capture.packetCount(), capture.firstNanos(), capture.lastNanos(), status);
            try (PreparedStatement ps = conn.prepareStatement("UPDATE capture SET status = ?, packet_count = ?, "
                    + "first_ns = ?, last_ns = ?, packed_offset = ? WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, capture.packetCount());
                ps.setLong(3, capture.firstNanos());
                ps.setLong(4, capture.lastNanos());
                if (rows > 0 && packed) {
                    ps.setLong(5, 0); // rows wait in the side file, from its start (HeronStore.ensureRows)
                } else {
                    ps.setNull(5, java.sql.Types.BIGINT);
                }
                ps.setLong(6, captureId);
                ps.executeUpdate();
            }
            conn.commit();
            finished = true;
            release();
            return capture;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot finish capture " + captureId, e);
        }
    }

    /** Gives up the import: nothing of the capture stays in the store. */
    public void abort() {
        if (captureId < 0 || finished) {
            return;
        }
        finished = true;
        try {
            awaitSide();
        } catch (SQLException ignored) {
            // the capture is deleted below
        }
        try {
            synchronized (framesLock) {
                framesClosed = true;
                if (frames != null) {
                    frames.close();
                    frames = null;
                }
            }
            if (blobs != null) {
                blobs.close();
                blobs = null;
            }
            if (rowFile != null) {
                rowFile.close();
                rowFile = null;
            }
        } catch (IOException ignored) {
            // the files are deleted below
        }
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the rows are deleted below
        }
        release();
        store.deleteCapture(captureId);
    }

    /** Aborts an unfinished import and releases the connection. */
    @Override
    public void close() {
        if (!finished) {
            abort();
        }
        release();
    }

    private void release() {
        HeronStore.ACTIVE_IMPORTS.remove(HeronStore.importKey(store.directory(), captureId));
        if (bulkCache) {
            bulkCache = false;
            store.bulkImportEnded();
        }
        for (PreparedStatement ps : open) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
        open.clear();
        pending.clear();
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing
            }
            conn = null;
        }
    }

    private String table(String base) {
        return CaptureTables.of(base, captureId);
    }

    private String maskText(String s) {
        return mask ? SecretMasker.maskText(s) : s;
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        requireBegun();
        PreparedStatement ps = conn.prepareStatement(sql);
        open.add(ps);
        return ps;
    }

    private void requirePacked() {
        if (!packed) {
            throw new IllegalStateException("only the rows of a packed import (deferRows) are staged");
        }
    }

    private void requireUnpacked() {
        if (packed) {
            throw new IllegalStateException("the rows of this import are packed (deferRows): they cannot be updated");
        }
    }

    private void requireBegun() {
        if (captureId < 0 || conn == null) {
            throw new IllegalStateException(finished ? "the import has ended" : "beginCapture first");
        }
    }

    private void added(PreparedStatement ps) throws SQLException {
        ps.addBatch();
        if (!pending.contains(ps)) {
            pending.add(ps);
        }
        rows++;
        if (++batched >= batchRows) {
            batchFull();
        }
    }

    /**
     * Runs the pending batches and commits when enough rows are uncommitted. A method of its own,
     * called once per batch: inlined into {@link #added}, H2's batch execution would be compiled
     * again into every row method that calls it.
     */
    private void batchFull() throws SQLException {
        executeBatches();
        if (uncommitted >= commitRows && !holdCommits) {
            try {
                commit();
            } catch (IOException e) {
                throw new SQLException("cannot write the payload file", e);
            }
        }
    }

    private void executePendingExcept(PreparedStatement keep) throws SQLException {
        if (pending.size() > (pending.contains(keep) ? 1 : 0)) {
            for (PreparedStatement ps : pending) {
                if (ps != keep) {
                    ps.executeBatch();
                }
            }
            pending.removeIf(ps -> ps != keep);
        }
    }

    /** Commits rows only after the payloads they point to have reached the file. */
    private void commit() throws SQLException, IOException {
        if (blobs != null) {
            blobs.flush();
        }
        conn.commit();
        uncommitted = 0;
    }

    private void executeBatches() throws SQLException {
        for (PreparedStatement ps : pending) {
            ps.executeBatch();
        }
        pending.clear();
        uncommitted += batched;
        batched = 0;
    }

    private StoreException fail(String what, Exception e) {
        return new StoreException("cannot write " + what + " of capture " + captureId + ": " + e.getMessage(), e);
    }

    private static String linkTypes(List<Integer> l) {
        return l == null ? "" : l.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String params(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
