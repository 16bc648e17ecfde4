package heron.export.support;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validator for the subset of JSON Schema the export schemas use: {@code type} (object, array,
 * string, integer, number, boolean, null), {@code required}, {@code properties}, {@code items}
 * and {@code enum}. Other keywords are ignored. Returns the list of violations with JSON paths.
 */
public final class MiniJsonSchema {
    private final JsonNode schema;

    public MiniJsonSchema(JsonNode schema) {
        this.schema = schema;
    }

    public List<String> validate(JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    private static void check(JsonNode s, JsonNode v, String path, List<String> errors) {
        JsonNode type = s.get("type");
        if (type != null && !typeMatches(type.asText(), v)) {
            errors.add(path + ": expected " + type.asText() + " but was " + v.getNodeType());
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.equals(v);
            }
            if (!found) {
                errors.add(path + ": " + v + " not in " + en);
            }
        }
        JsonNode req = s.get("required");
        if (req != null && v.isObject()) {
            for (JsonNode r : req) {
                if (!v.has(r.asText())) {
                    errors.add(path + ": missing required '" + r.asText() + "'");
                }
            }
        }
        JsonNode props = s.get("properties");
        if (props != null && v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> p = it.next();
                if (v.has(p.getKey())) {
                    check(p.getValue(), v.get(p.getKey()), path + "." + p.getKey(), errors);
                }
            }
        }
        JsonNode items = s.get("items");
        if (items != null && v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                check(items, v.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean typeMatches(String type, JsonNode v) {
        return switch (type) {
        case "object" -> v.isObject();
        case "array" -> v.isArray();
        case "string" -> v.isTextual();
        case "integer" -> v.isIntegralNumber();
        case "number" -> v.isNumber();
        case "boolean" -> v.isBoolean();
        case "null" -> v.isNull();
        default -> false;
        };
    }
}
