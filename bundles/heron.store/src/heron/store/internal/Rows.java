package heron.store.internal;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.CallError;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Headers;
import heron.core.model.TokenUsage;
import heron.core.model.ToolCall;
import heron.core.model.ToolLink;

/** Row to model record mappers, the inverse of {@link heron.store.StoreWriter}. */
public final class Rows {
    private Rows() {
    }

    public static Capture capture(ResultSet rs) throws SQLException {
        String lt = rs.getString("link_types");
        List<Integer> links = new ArrayList<>();
        if (lt != null && !lt.isEmpty()) {
            for (String s : lt.split(",")) {
                links.add(Integer.valueOf(s));
            }
        }
        return new Capture(rs.getLong("id"), rs.getString("path"), rs.getString("format"), rs.getLong("size_bytes"),
                rs.getString("sha256"), List.copyOf(links), rs.getLong("packet_count"), rs.getLong("first_ns"),
                rs.getLong("last_ns"), Capture.ImportStatus.valueOf(rs.getString("status")));
    }

    private static Endpoint endpoint(ResultSet rs, String prefix) throws SQLException {
        String ip = rs.getString(prefix + "_ip");
        return ip == null ? null : new Endpoint(ip, rs.getInt(prefix + "_port"));
    }

    public static Connection connection(ResultSet rs) throws SQLException {
        String p = rs.getString("protocol");
        return new Connection(rs.getLong("id"), endpoint(rs, "client"), endpoint(rs, "server"), rs.getLong("first_ns"),
                rs.getLong("last_ns"), rs.getLong("packets_c2s"), rs.getLong("packets_s2c"), rs.getLong("bytes_c2s"),
                rs.getLong("bytes_s2c"), rs.getLong("retransmissions"), rs.getLong("out_of_order"), rs.getLong("gaps"),
                rs.getLong("gap_bytes"), p == null ? null : Connection.Protocol.valueOf(p));
    }

    private static Body body(ResultSet rs, String prefix, byte[] bytes, boolean byReference) throws SQLException {
        if (bytes == null && !byReference) {
            return null;
        }
        long wire = rs.getLong(prefix + "_wire_len");
        if (rs.wasNull()) {
            // no body at import (the writer leaves all of its columns NULL)
            return null;
        }
        // By reference the bytes are re-assembled later (withPayload); until then the body is
        // empty and carries the lengths of the row.
        return new Body(bytes == null ? EMPTY : bytes, wire, rs.getLong(prefix + "_decoded_len"),
                rs.getBoolean(prefix + "_truncated"), rs.getString(prefix + "_encoding"),
                rs.getString(prefix + "_decode_error"));
    }

    private static final byte[] EMPTY = new byte[0];

    private static Headers headers(byte[] json) {
        return json == null ? Headers.EMPTY : Codec.headers(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * An exchange from its row and its payload (see {@link heron.store.StoreWriter#exchange}):
     * request headers, request body, response headers, response body, SSE events. A null payload
     * means the payload is kept by reference: headers and events are empty, bodies are empty with
     * the row's lengths, until {@link #withPayload} fills them in.
     */
    public static HttpExchange exchange(ResultSet rs, byte[] payload) throws SQLException {
        boolean byRef = payload == null;
        BlobFile.Parts parts = byRef ? null : new BlobFile.Parts(payload);
        byte[] rqHeaders = byRef ? null : parts.next();
        byte[] rqBody = byRef ? null : parts.next();
        byte[] rsHeaders = byRef ? null : parts.next();
        byte[] rsBody = byRef ? null : parts.next();
        byte[] events = byRef ? null : parts.next();
        HttpRequest rq = null;
        if (rs.getString("method") != null) {
            rq = new HttpRequest(rs.getString("method"), rs.getString("target"), rs.getString("req_version"),
                    headers(rqHeaders), body(rs, "req", rqBody, byRef), rs.getLong("req_first_ns"),
                    rs.getLong("req_last_ns"), rs.getLong("req_first_frame"), rs.getLong("req_last_frame"));
        }
        HttpResponse rp = null;
        if (rs.getBoolean("has_response")) {
            rp = new HttpResponse(rs.getInt("resp_status"), rs.getString("resp_reason"), rs.getString("resp_version"),
                    headers(rsHeaders), body(rs, "resp", rsBody, byRef), Codec.events(events),
                    rs.getLong("resp_first_ns"), rs.getLong("resp_headers_ns"), rs.getLong("resp_last_ns"),
                    rs.getLong("resp_first_frame"), rs.getLong("resp_last_frame"), rs.getBoolean("resp_complete"));
        }
        return new HttpExchange(rs.getLong("id"), rs.getLong("connection_id"), rs.getInt("seq"),
                endpoint(rs, "client"), endpoint(rs, "server"), rq, rp, rs.getString("label"));
    }

    /**
     * A by-reference exchange read from its row ({@link #exchange} with a null payload) completed
     * with its payload value as {@link Payloads#exchange} makes it: the same value the archive
     * path would have stored, decoded the same way.
     */
    public static HttpExchange withPayload(HttpExchange row, byte[] payload) {
        BlobFile.Parts parts = new BlobFile.Parts(payload);
        byte[] rqHeaders = parts.next();
        byte[] rqBody = parts.next();
        byte[] rsHeaders = parts.next();
        byte[] rsBody = parts.next();
        byte[] events = parts.next();
        HttpRequest q = row.request();
        HttpRequest rq = q == null ? null
                : new HttpRequest(q.method(), q.target(), q.version(), headers(rqHeaders), withBytes(q.body(), rqBody),
                        q.firstByteNanos(), q.lastByteNanos(), q.firstFrame(), q.lastFrame());
        HttpResponse p = row.response();
        HttpResponse rp = p == null ? null
                : new HttpResponse(p.status(), p.reason(), p.version(), headers(rsHeaders), withBytes(p.body(), rsBody),
                        Codec.events(events), p.firstByteNanos(), p.headersNanos(), p.lastByteNanos(), p.firstFrame(),
                        p.lastFrame(), p.complete());
        return new HttpExchange(row.id(), row.connectionId(), row.sequence(), row.client(), row.server(), rq, rp,
                row.label());
    }

    private static Body withBytes(Body row, byte[] bytes) {
        if (row == null || bytes == null) {
            return null; // as the archive path: a body exists where the payload has one
        }
        return new Body(bytes, row.wireLength(), row.decodedLength(), row.truncated(), row.encoding(),
                row.decodeError());
    }

    /** A call read from its row alone completed with its (masked) detail document. */
    public static LlmCall withDetail(LlmCall c, byte[] detailJson) {
        CallDetail d = Codec.fromJson(detailJson, CallDetail.class);
        return new LlmCall(c.id(), c.exchangeId(), c.wireApi(), c.host(), c.serverKind(), c.requestModel(),
                c.responseModel(), c.stream(), c.status(), c.finishReason(), c.finish(), c.usage(), c.requestNanos(),
                c.responseHeadersNanos(), c.firstContentNanos(), c.endNanos(), nn(d.toolsOffered()),
                nn(d.toolCalls()), nn(d.toolResults()), d.systemPrompt(), nn(d.messages()), d.outputText(),
                d.reasoningText(), c.error(), c.responseId(), c.decodeError(), c.agent());
    }

    /** A call from its row and its detail document (null when it has none). */
    public static LlmCall call(ResultSet rs, byte[] d) throws SQLException {
        return call(rs, d == null ? new CallDetail(List.of(), List.of(), List.of(), null, List.of(), null, null)
                : Codec.fromJson(d, CallDetail.class), s -> s);
    }

    /**
     * A call from its row alone, for lists of many calls: no detail document is read, so messages,
     * system prompt, tools offered, tool results and texts are empty; the tool calls are
     * {@code tool_call_count} stubs carrying only the row's distinct tool names (enough for the
     * call filter's {@code tool} and {@code tool_calls}). Repeated strings (models, hosts, kinds)
     * go through {@code dedupe} so a long list holds each value once.
     */
    public static LlmCall callSummary(ResultSet rs, java.util.function.UnaryOperator<String> dedupe)
            throws SQLException {
        int n = rs.getInt("tool_call_count");
        List<ToolCall> tools = List.of();
        if (n > 0) {
            String names = rs.getString("tool_names");
            String[] distinct = names == null || names.isEmpty() ? new String[] { "" } : names.split(",");
            ToolCall[] stubs = new ToolCall[n];
            for (int i = 0; i < n; i++) {
                stubs[i] = new ToolCall(null, dedupe.apply(distinct[i % distinct.length]), null);
            }
            tools = List.of(stubs);
        }
        return call(rs, new CallDetail(List.of(), tools, List.of(), null, List.of(), null, null), dedupe);
    }

    private static LlmCall call(ResultSet rs, CallDetail detail, java.util.function.UnaryOperator<String> dd)
            throws SQLException {
        String finish = rs.getString("finish");
        CallError err = rs.getBoolean("has_error")
                ? new CallError(rs.getString("error_type"), rs.getString("error_message"), rs.getString("retry_after"))
                : null;
        AgentTag agent = null;
        if (rs.getBoolean("has_agent")) {
            Long turn = Codec.getLong(rs, "turn_id");
            Long parent = Codec.getLong(rs, "parent_call_id");
            agent = new AgentTag(dd.apply(rs.getString("agent_kind")), dd.apply(rs.getString("session_id")),
                    turn == null ? 0 : turn,
                    rs.getBoolean("auxiliary"), rs.getBoolean("subagent"), parent == null ? 0 : parent);
        }
        TokenUsage usage = new TokenUsage(Codec.getLong(rs, "input_tokens"), Codec.getLong(rs, "output_tokens"),
                Codec.getLong(rs, "cache_read_tokens"), Codec.getLong(rs, "cache_write_tokens"),
                Codec.getLong(rs, "reasoning_tokens"));
        return new LlmCall(rs.getLong("id"), rs.getLong("exchange_id"), dd.apply(rs.getString("wire_api")),
                dd.apply(rs.getString("host")), dd.apply(rs.getString("server_kind")),
                dd.apply(rs.getString("request_model")), dd.apply(rs.getString("response_model")),
                rs.getBoolean("stream"), rs.getInt("status"), dd.apply(rs.getString("finish_reason")),
                finish == null ? null : FinishKind.valueOf(finish), usage, rs.getLong("request_ns"),
                rs.getLong("response_headers_ns"), rs.getLong("first_content_ns"), rs.getLong("end_ns"),
                nn(detail.toolsOffered()), nn(detail.toolCalls()), nn(detail.toolResults()), detail.systemPrompt(),
                nn(detail.messages()), detail.outputText(), detail.reasoningText(), err, rs.getString("response_id"),
                rs.getString("decode_error"), agent);
    }

    private static <T> List<T> nn(List<T> l) {
        return l == null ? List.of() : l;
    }

    public static AgentTurn turn(ResultSet rs) throws SQLException {
        String st = rs.getString("status");
        return new AgentTurn(rs.getLong("id"), rs.getString("session_id"), rs.getString("agent_kind"),
                st == null ? null : AgentTurn.Status.valueOf(st), rs.getLong("start_ns"), rs.getLong("end_ns"),
                Codec.longs(rs.getString("call_ids")), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"), rs.getInt("tool_calls"),
                rs.getInt("tool_errors"), Codec.strings(rs.getString("models")),
                Codec.strings(rs.getString("subagents")), rs.getString("user_input_preview"),
                rs.getString("final_answer_preview"));
    }

    public static AgentSession session(ResultSet rs) throws SQLException {
        return new AgentSession(rs.getString("id"), rs.getString("agent_kind"), Codec.longs(rs.getString("turn_ids")),
                rs.getLong("start_ns"), rs.getLong("end_ns"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"));
    }

    public static ToolLink toolLink(ResultSet rs) throws SQLException {
        return new ToolLink(rs.getString("tool_call_id"), rs.getString("tool_name"), rs.getLong("asked_by_call_id"),
                rs.getLong("result_call_id"), rs.getLong("duration_ns"), rs.getBoolean("is_error"));
    }
}
