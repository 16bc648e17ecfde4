package heron.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.ToolCall;
import heron.pipeline.CallSummary;
import heron.pipeline.ExchangeSummary;
import heron.pipeline.ImportResult;

/**
 * The `heron analyze --json` document: the machine contract users script against. Field names
 * are stable; new fields may be added. Timestamps are ISO-8601 UTC with microseconds, absent
 * values null, tool-call arguments JSON values.
 */
final class JsonReport {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private JsonReport() {
    }

    static String ts(long nanos) {
        return nanos <= 0 ? null : TS.format(Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L));
    }

    static void write(List<ImportResult> results, Map<String, Long> health, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeArrayFieldStart("captures");
            for (ImportResult r : results) {
                Capture c = r.capture();
                g.writeStartObject();
                g.writeStringField("file", c.path());
                g.writeStringField("format", c.format());
                g.writeNumberField("packets", c.packetCount());
                g.writeNumberField("bytes", c.sizeBytes());
                g.writeStringField("first_ts", ts(c.firstNanos()));
                g.writeStringField("last_ts", ts(c.lastNanos()));
                g.writeStringField("sha256", c.sha256());
                g.writeStringField("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("health");
            for (var e : health.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("exchanges");
            for (ImportResult r : results) {
                for (ExchangeSummary x : r.exchanges()) {
                    exchange(g, x);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("calls");
            for (ImportResult r : results) {
                for (CallSummary c : r.calls()) {
                    call(g, c);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("turns");
            for (ImportResult r : results) {
                for (AgentTurn t : r.turns()) {
                    turn(g, t);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("sessions");
            for (ImportResult r : results) {
                for (AgentSession s : r.sessions()) {
                    g.writeStartObject();
                    g.writeStringField("id", s.id());
                    g.writeStringField("agent_kind", s.agentKind());
                    g.writeArrayFieldStart("turn_ids");
                    for (long id : s.turnIds()) {
                        g.writeNumber(id);
                    }
                    g.writeEndArray();
                    g.writeStringField("start_ts", ts(s.startNanos()));
                    g.writeStringField("end_ts", ts(s.endNanos()));
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void exchange(JsonGenerator g, ExchangeSummary x) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", x.id());
        g.writeNumberField("connection_id", x.connectionId());
        g.writeStringField("client", x.client().toString());
        g.writeStringField("server", x.server().toString());
        g.writeStringField("method", x.method());
        g.writeStringField("path", x.target());
        nullableInt(g, "status", x.status() == 0 ? null : x.status());
        g.writeBooleanField("stream", x.stream());
        g.writeStringField("request_ts", ts(x.requestNanos()));
        g.writeStringField("response_ts", ts(x.responseNanos()));
        nullableLong(g, "call_id", x.callId() == 0 ? null : x.callId());
        g.writeStringField("label", x.label());
        g.writeEndObject();
    }

    private static void call(JsonGenerator g, CallSummary c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeNumberField("exchange_id", c.exchangeId());
        g.writeStringField("wire_api", c.wireApi());
        g.writeStringField("host", c.host());
        g.writeStringField("server_kind", c.serverKind());
        g.writeStringField("model", c.requestModel());
        g.writeStringField("response_model", c.responseModel());
        g.writeBooleanField("stream", c.stream());
        nullableInt(g, "status", c.status() == 0 ? null : c.status());
        g.writeStringField("finish_reason", c.finishReason());
        g.writeStringField("finish", c.finish() == null ? null : c.finish().id());
        nullableLong(g, "input_tokens", c.usage().input());
        nullableLong(g, "output_tokens", c.usage().output());
        nullableLong(g, "cache_read_tokens", c.usage().cacheRead());
        nullableLong(g, "cache_write_tokens", c.usage().cacheWrite());
        nullableLong(g, "reasoning_tokens", c.usage().reasoning());
        nullableDouble(g, "ttft_ms", c.ttftMs());
        nullableDouble(g, "e2e_ms", c.e2eMs());
        nullableDouble(g, "tpot_ms", c.tpotMs());
        g.writeStringField("request_ts", ts(c.requestNanos()));
        g.writeArrayFieldStart("tools_offered");
        for (String name : c.toolsOffered()) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall t : c.toolCalls()) {
            g.writeStartObject();
            g.writeStringField("id", t.id());
            g.writeStringField("name", t.name());
            g.writeFieldName("arguments");
            jsonValue(g, t.argumentsJson());
            g.writeEndObject();
        }
        g.writeEndArray();
        var tag = c.agent();
        g.writeStringField("agent_kind", tag == null ? null : tag.agentKind());
        g.writeStringField("session_id", tag == null ? null : tag.sessionId());
        nullableLong(g, "turn_id", tag == null || tag.turnId() == 0 ? null : tag.turnId());
        g.writeBooleanField("auxiliary", tag != null && tag.auxiliary());
        g.writeBooleanField("subagent", tag != null && tag.subagent());
        if (c.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeObjectFieldStart("error");
            g.writeStringField("type", c.error().type());
            g.writeStringField("message", c.error().message());
            g.writeStringField("retry_after", c.error().retryAfter());
            g.writeEndObject();
        }
        g.writeStringField("decode_error", c.decodeError());
        g.writeEndObject();
    }

    private static void turn(JsonGenerator g, AgentTurn t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        g.writeStringField("session_id", t.sessionId());
        g.writeStringField("agent_kind", t.agentKind());
        g.writeStringField("status", t.status().name().toLowerCase(java.util.Locale.ROOT));
        g.writeArrayFieldStart("call_ids");
        for (long id : t.callIds()) {
            g.writeNumber(id);
        }
        g.writeEndArray();
        g.writeStringField("start_ts", ts(t.startNanos()));
        g.writeStringField("end_ts", ts(t.endNanos()));
        g.writeNumberField("input_tokens", t.inputTokens());
        g.writeNumberField("output_tokens", t.outputTokens());
        g.writeNumberField("cache_read_tokens", t.cacheReadTokens());
        g.writeNumberField("cache_write_tokens", t.cacheWriteTokens());
        g.writeNumberField("tool_calls", t.toolCalls());
        g.writeNumberField("tool_errors", t.toolErrors());
        g.writeArrayFieldStart("models");
        for (String m : t.models()) {
            g.writeString(m);
        }
        g.writeEndArray();
        g.writeStringField("user_input_preview", t.userInputPreview());
        g.writeStringField("final_answer_preview", t.finalAnswerPreview());
        g.writeEndObject();
    }

    /** Writes JSON text as a JSON value if it parses as exactly one value, else as a string. */
    static void jsonValue(JsonGenerator g, String json) throws IOException {
        if (json == null) {
            g.writeNull();
            return;
        }
        if (isSingleJsonValue(json)) {
            g.writeRawValue(json);
        } else {
            g.writeString(json);
        }
    }

    static boolean isSingleJsonValue(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void nullableLong(JsonGenerator g, String f, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(f);
        } else {
            g.writeNumberField(f, v);
        }
    }

    private static void nullableInt(JsonGenerator g, String f, Integer v) throws IOException {
        if (v == null) {
            g.writeNullField(f);
        } else {
            g.writeNumberField(f, v);
        }
    }

    private static void nullableDouble(JsonGenerator g, String f, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(f);
        } else {
            g.writeNumberField(f, Math.round(v * 1000) / 1000.0);
        }
    }

}
