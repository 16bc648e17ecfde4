package heron.core.decode;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The top-level shape of a JSON request body, computed once per exchange and shown to every
 * decoder's {@link WireApiDecoder#matchesShape}: which top-level keys exist, what token each
 * starts with, array sizes, and top-level string values. Nested values are skipped, not built.
 */
public final class JsonShape {
    /** An empty shape: the body was not a JSON object. */
    public static final JsonShape NONE = new JsonShape(Map.of(), Map.of(), Map.of());
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, JsonToken> kinds;
    private final Map<String, String> strings;
    private final Map<String, Integer> arraySizes;

    private JsonShape(Map<String, JsonToken> kinds, Map<String, String> strings, Map<String, Integer> arraySizes) {
        this.kinds = kinds;
        this.strings = strings;
        this.arraySizes = arraySizes;
    }

    public static JsonShape of(byte[] body) {
        if (body == null || body.length == 0) {
            return NONE;
        }
        Map<String, JsonToken> kinds = new HashMap<>();
        Map<String, String> strings = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                kinds.put(name, t);
                if (t == JsonToken.VALUE_STRING) {
                    strings.put(name, p.getText());
                } else if (t == JsonToken.START_ARRAY) {
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        n++;
                        p.skipChildren();
                    }
                    sizes.put(name, n);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // A truncated or invalid body still tells us the keys seen before the damage.
        }
        return new JsonShape(Collections.unmodifiableMap(kinds), strings, sizes);
    }

    public boolean isObject() {
        return this != NONE;
    }

    public boolean has(String key) {
        return kinds.containsKey(key);
    }

    public String string(String key) {
        return strings.get(key);
    }

    /** Number of elements of a top-level array, or -1 if the key is not an array. */
    public int arraySize(String key) {
        Integer n = arraySizes.get(key);
        return n == null ? -1 : n;
    }

    public JsonToken kind(String key) {
        return kinds.get(key);
    }
}
