package heron.export.internal;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson set-up of the exporters: generators never close the caller's stream. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private Json() {
    }

    /** A UTF-8 generator over {@code out} that leaves {@code out} open on close. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        // JSON Lines writers end each record with '\n' themselves; no space between root values.
        g.setRootValueSeparator(null);
        return g;
    }

    /** Parses JSON text; null when it is blank or not valid JSON. */
    public static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
