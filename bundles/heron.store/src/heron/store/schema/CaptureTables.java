package heron.store.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables of one capture (schema version 3): every capture has its own set,
 * {@code <base>_c<captureId>} (e.g. {@code llm_call_c7}), created when its import begins and
 * dropped when the capture is deleted.
 *
 * <p>Why per capture (docs/adr/0005-bulk-store.md): an import is a bulk load, and H2 (MVStore)
 * pays for every index entry of every row three times inside a transaction (the put, its undo-log
 * entry, and the commit's walk of the undo log). With one table set per capture the import writes
 * rows into tables whose only index is the row key ({@code id}), and the views' indexes are built
 * once at the end of the import ({@link #createIndexes}), by sorting, without undo log. With
 * shared tables that was impossible: their indexes cover every capture. Deleting a capture is a
 * {@code DROP TABLE}.
 *
 * <p>The column layout is that of the shared tables of versions 1-2 (including the constant
 * {@code capture_id}), so rows read back unchanged and the views' queries keep their
 * {@code capture_id = ?} conditions and index shapes.
 */
public final class CaptureTables {
    private static final String BODY_COLUMNS = """
            %1$s_body_len INT, %1$s_wire_len BIGINT, %1$s_decoded_len BIGINT,
            %1$s_truncated BOOLEAN, %1$s_encoding VARCHAR(64), %1$s_decode_error VARCHAR,
            """;

    /** Marks the key column in {@link Table#columns}. */
    private static final String KEY = "{key}";

    /**
     * One table of a capture: its columns in the order of the version 1 tables (INSERT ... SELECT *
     * relies on it), {@link #KEY} after the key column. Per capture the key is that column alone,
     * which H2 uses as the row key (no separate unique index); session ids are strings (not a row
     * key), so agent_session has no key and an index built at the end instead. The shared tables
     * of version 1 had the same columns keyed by {@code (capture_id, key)}; migration 1 creates
     * them from these lists ({@link #version1Tables}), so a later change of columns comes with a
     * new migration and the version 1 text copied into {@link Schema} first.
     */
    private record Table(String base, String key, boolean rowKey, String columns) {
        String perCapture(long captureId) {
            return "CREATE TABLE IF NOT EXISTS " + of(base, captureId) + " ("
                    + columns.replace(KEY, rowKey ? " PRIMARY KEY" : "") + ")";
        }

        String version1() {
            return "CREATE TABLE " + base + " (" + columns.replace(KEY, "") + ",\n  PRIMARY KEY (capture_id, " + key
                    + "))";
        }
    }

    private static final List<Table> TABLES = List.of(
            new Table("connection", "id", true, """
                    capture_id BIGINT NOT NULL, id BIGINT NOT NULL{key},
                    client_ip VARCHAR(64), client_port INT, server_ip VARCHAR(64), server_port INT,
                    first_ns BIGINT, last_ns BIGINT, packets_c2s BIGINT, packets_s2c BIGINT,
                    bytes_c2s BIGINT, bytes_s2c BIGINT, retransmissions BIGINT, out_of_order BIGINT,
                    gaps BIGINT, gap_bytes BIGINT, protocol VARCHAR(16)"""),
            new Table("http_exchange", "id", true, """
                    capture_id BIGINT NOT NULL, id BIGINT NOT NULL{key}, connection_id BIGINT, seq INT,
                    client_ip VARCHAR(64), client_port INT, server_ip VARCHAR(64), server_port INT,
                    label VARCHAR(256), host VARCHAR(1024),
                    method VARCHAR(32), target VARCHAR, req_version VARCHAR(16),
                    """ + BODY_COLUMNS.formatted("req") + """
                    req_first_ns BIGINT NOT NULL, req_last_ns BIGINT, req_first_frame BIGINT, req_last_frame BIGINT,
                    has_response BOOLEAN NOT NULL, resp_status INT, resp_reason VARCHAR(1024),
                    resp_version VARCHAR(16),
                    """ + BODY_COLUMNS.formatted("resp") + """
                    resp_first_ns BIGINT, resp_headers_ns BIGINT, resp_last_ns BIGINT,
                    resp_first_frame BIGINT, resp_last_frame BIGINT, resp_complete BOOLEAN, sse_count INT,
                    payload_off BIGINT, payload_len INT"""),
            new Table("llm_call", "id", true, """
                    capture_id BIGINT NOT NULL, id BIGINT NOT NULL{key}, exchange_id BIGINT NOT NULL,
                    wire_api VARCHAR(64), host VARCHAR(1024), server_kind VARCHAR(64),
                    request_model VARCHAR(512), response_model VARCHAR(512), model VARCHAR(512),
                    stream BOOLEAN NOT NULL, status INT NOT NULL, finish_reason VARCHAR(256), finish VARCHAR(32),
                    input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT,
                    cache_write_tokens BIGINT, reasoning_tokens BIGINT,
                    request_ns BIGINT NOT NULL, response_headers_ns BIGINT, first_content_ns BIGINT, end_ns BIGINT,
                    ttft_ns BIGINT, e2e_ns BIGINT,
                    has_error BOOLEAN NOT NULL, is_error BOOLEAN NOT NULL,
                    error_type VARCHAR(1024), error_message VARCHAR, retry_after VARCHAR(256),
                    response_id VARCHAR(1024), decode_error VARCHAR,
                    has_agent BOOLEAN NOT NULL, agent_kind VARCHAR(128), session_id VARCHAR(1024),
                    turn_id BIGINT, auxiliary BOOLEAN, subagent BOOLEAN, parent_call_id BIGINT,
                    tool_call_count INT NOT NULL, tool_names VARCHAR,
                    detail_off BIGINT, detail_len INT"""),
            new Table("agent_turn", "id", true, """
                    capture_id BIGINT NOT NULL, id BIGINT NOT NULL{key}, session_id VARCHAR(1024),
                    agent_kind VARCHAR(128), status VARCHAR(16), start_ns BIGINT, end_ns BIGINT,
                    call_count INT, call_ids VARCHAR, input_tokens BIGINT, output_tokens BIGINT,
                    cache_read_tokens BIGINT, cache_write_tokens BIGINT, tool_calls INT, tool_errors INT,
                    models VARCHAR, subagents VARCHAR, user_input_preview VARCHAR, final_answer_preview VARCHAR"""),
            new Table("agent_session", "id", false, """
                    capture_id BIGINT NOT NULL, id VARCHAR(1024) NOT NULL{key}, agent_kind VARCHAR(128),
                    turn_count INT, turn_ids VARCHAR, start_ns BIGINT, end_ns BIGINT,
                    input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT"""),
            new Table("tool_link", "id", true, """
                    capture_id BIGINT NOT NULL, id BIGINT NOT NULL{key}, tool_call_id VARCHAR(1024),
                    tool_name VARCHAR(1024), asked_by_call_id BIGINT, result_call_id BIGINT,
                    duration_ns BIGINT, is_error BOOLEAN"""),
            new Table("health_counter", "name", true, """
                    capture_id BIGINT NOT NULL, name VARCHAR(256) NOT NULL{key}, counter_value BIGINT NOT NULL"""));

    /** Base names of the per-capture tables. */
    public static final List<String> BASES = TABLES.stream().map(Table::base).toList();

    /**
     * The views' indexes: name suffix, base table, columns (the shapes of migration 2; calls by
     * turn serve the timeline of a turn or session; sessions are looked up by id through an
     * index built at the end rather than a unique key, whose string comparisons slowed every
     * insert). Each one is a scan of its table when it is built, so only indexes a query walks
     * are listed.
     */
    private static final String[][] INDEXES = {
            { "conn", "http_exchange", "capture_id, connection_id" },
            { "time", "http_exchange", "capture_id, req_first_ns, id" },
            { "time", "llm_call", "capture_id, request_ns, id" },
            { "model", "llm_call", "capture_id, model, id" },
            { "e2e", "llm_call", "capture_id, e2e_ns, id" },
            { "turn", "llm_call", "capture_id, turn_id" },
            { "session", "agent_turn", "capture_id, session_id, start_ns" },
            { "id", "agent_session", "capture_id, id" },
            { "asked", "tool_link", "capture_id, asked_by_call_id" },
            { "result", "tool_link", "capture_id, result_call_id" } };

    private CaptureTables() {
    }

    /** Name of a capture's table, e.g. {@code of("llm_call", 7)} is {@code llm_call_c7}. */
    public static String of(String base, long captureId) {
        return base + "_c" + captureId;
    }

    /** Name of one of the views' indexes of a capture, e.g. {@code llm_call_time_c7}. */
    public static String index(String base, String suffix, long captureId) {
        return base + "_" + suffix + "_c" + captureId;
    }

    /** Creates the capture's tables (without the views' indexes); existing ones are kept. */
    public static void create(Connection c, long captureId) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Table t : TABLES) {
                s.execute(t.perCapture(captureId));
            }
        }
    }

    /**
     * Builds the views' indexes of a capture. H2 builds an index over existing rows by sorting
     * them, outside the undo log, which is much cheaper than maintaining it row by row during the
     * import. DDL: commits the connection's open transaction.
     */
    public static void createIndexes(Connection c, long captureId) throws SQLException {
        createIndexes(c, captureId, null);
    }

    /**
     * Builds the views' indexes of some of a capture's tables ({@code bases}; null: all), e.g.
     * the exchanges' as soon as the last exchange is written, while the turn tracker still runs.
     */
    public static void createIndexes(Connection c, long captureId, java.util.Collection<String> bases)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String[] ix : INDEXES) {
                if (bases != null && !bases.contains(ix[1])) {
                    continue;
                }
                s.execute("CREATE INDEX IF NOT EXISTS " + index(ix[1], ix[0], captureId) + " ON "
                        + of(ix[1], captureId) + "(" + ix[2] + ")");
            }
        }
    }

    /** Drops the capture's tables (those that exist). DDL: commits the open transaction. */
    public static void drop(Connection c, long captureId) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String b : BASES) {
                s.execute("DROP TABLE IF EXISTS " + of(b, captureId));
            }
        }
    }

    /** Whether the capture's call table exists. */
    public static boolean exist(Connection c, long captureId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            ps.setString(1, of("llm_call", captureId).toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** Ids of the captures that have tables in the database. */
    public static Set<Long> captureIdsWithTables(Connection c) throws SQLException {
        Set<Long> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (rs.next()) {
                String n = rs.getString(1).toLowerCase(Locale.ROOT);
                for (String b : BASES) {
                    String prefix = b + "_c";
                    if (n.startsWith(prefix) && n.length() > prefix.length()) {
                        try {
                            out.add(Long.parseLong(n.substring(prefix.length())));
                        } catch (NumberFormatException notOurs) {
                            // e.g. a table named like ours by someone else
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The DDL of migration 1's shared tables (see {@link Table}). */
    static List<String> version1Tables() {
        return TABLES.stream().map(Table::version1).toList();
    }

    /**
     * Migration 3: moves each capture's rows from the shared tables of versions 1-2 into its own
     * tables, builds their indexes, then drops the shared tables.
     */
    static void migrateSharedTables(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM capture ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        for (long id : ids) {
            create(c, id);
            for (String b : BASES) {
                try (PreparedStatement ps = c
                        .prepareStatement("INSERT INTO " + of(b, id) + " SELECT * FROM " + b + " WHERE capture_id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
            createIndexes(c, id);
        }
        try (Statement s = c.createStatement()) {
            for (String b : BASES) {
                s.execute("DROP TABLE IF EXISTS " + b);
            }
        }
    }
}
