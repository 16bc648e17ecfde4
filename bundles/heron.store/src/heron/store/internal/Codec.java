package heron.store.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.SseEvent;
import heron.core.secrets.SecretMasker;
import heron.store.StoreException;
import heron.store.schema.Schema;

/** Conversions between model values and column values. Thread-safe. */
public final class Codec {
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final TypeReference<List<Long>> LONGS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private Codec() {
    }

    /** Headers as a JSON array of [name, value] pairs, order and duplicates kept. */
    public static byte[] headerBytes(Headers h) {
        String s = headers(h);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    public static String headers(Headers h) {
        if (h == null) {
            return null;
        }
        try {
            StringWriter w = new StringWriter(64 + h.size() * 48);
            try (JsonGenerator g = FACTORY.createGenerator(w)) {
                g.writeStartArray();
                for (Header x : h.list()) {
                    g.writeStartArray();
                    g.writeString(x.name());
                    g.writeString(x.value());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            return w.toString();
        } catch (IOException e) {
            throw new StoreException("cannot encode headers", e);
        }
    }

    public static Headers headers(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            List<Header> out = new ArrayList<>();
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                String name = p.getValueAsString();
                p.nextToken();
                String value = p.getValueAsString();
                p.nextToken();
                out.add(new Header(name, value));
            }
            return new Headers(out);
        } catch (IOException e) {
            throw new StoreException("cannot decode headers", e);
        }
    }

    public static byte[] toJsonBytes(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new StoreException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(Object o) {
        // Lists of ids (a turn's calls, a session's turns) and empty lists are most of what turn
        // and session rows encode, once per turn: written directly, without a Jackson generator.
        if (o instanceof java.util.List<?> l) {
            String fast = numbers(l);
            if (fast == null) {
                fast = strings(l);
            }
            if (fast != null) {
                return fast;
            }
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new StoreException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    /** JSON of a list of Long/Integer values, or null if it holds anything else. */
    private static String numbers(java.util.List<?> l) {
        StringBuilder sb = new StringBuilder(2 + l.size() * 8).append('[');
        for (int i = 0; i < l.size(); i++) {
            Object v = l.get(i);
            if (!(v instanceof Long) && !(v instanceof Integer)) {
                return null;
            }
            if (i > 0) {
                sb.append(',');
            }
            sb.append(((Number) v).longValue());
        }
        return sb.append(']').toString();
    }

    /**
     * JSON of a list of strings (a turn's models and subagents), or null if it holds anything
     * else. Quoted by Jackson's own string encoder, so the text is the one its generator writes;
     * without the generator, whose compiled form alone cost the import's tail about a second of
     * JIT time (docs/performance.md, "Session 5: store tail").
     */
    private static String strings(java.util.List<?> l) {
        StringBuilder sb = new StringBuilder(2 + l.size() * 24).append('[');
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String v)) {
                return null;
            }
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            QUOTER.quoteAsString(v, sb);
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

    public static <T> T fromJson(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new StoreException("cannot decode " + type.getSimpleName(), e);
        }
    }

    public static List<Long> longs(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, LONGS);
        } catch (IOException e) {
            throw new StoreException("cannot decode id list", e);
        }
    }

    public static List<String> strings(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, STRINGS);
        } catch (IOException e) {
            throw new StoreException("cannot decode string list", e);
        }
    }

    /** SSE events as a JSON array of [event, data, id, ts, frame]. */
    public static byte[] events(List<SseEvent> events, boolean mask) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + events.size() * 96);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.writeStartArray();
                for (SseEvent e : events) {
                    g.writeStartArray();
                    g.writeString(e.event());
                    g.writeString(mask ? SecretMasker.maskText(e.data()) : e.data());
                    g.writeString(e.id());
                    g.writeNumber(e.timestampNanos());
                    g.writeNumber(e.frame());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new StoreException("cannot encode SSE events", e);
        }
    }

    public static List<SseEvent> events(byte[] json) {
        if (json == null) {
            return List.of();
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            List<SseEvent> out = new ArrayList<>();
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                String event = p.getValueAsString();
                p.nextToken();
                String data = p.getValueAsString();
                p.nextToken();
                String id = p.getValueAsString();
                p.nextToken();
                long ts = p.getLongValue();
                p.nextToken();
                long frame = p.getLongValue();
                p.nextToken();
                out.add(new SseEvent(event, data, id, ts, frame));
            }
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot decode SSE events", e);
        }
    }

    /** Keeps text within H2's VARCHAR limit (a preview or message longer than that is cut). */
    public static String text(String s) {
        if (s == null || s.length() <= Schema.INLINE_MAX) {
            return s;
        }
        return s.substring(0, Schema.INLINE_MAX);
    }

    public static void setLong(PreparedStatement ps, int idx, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(idx, Types.BIGINT);
        } else {
            ps.setLong(idx, v);
        }
    }

    public static Long getLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    public static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
