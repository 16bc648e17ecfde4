package heron.decoders.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON helpers shared by the decoders. Parsing is lenient in one precise sense: the tree is built
 * from Jackson's token stream by hand, so a body that is cut (body cap, truncated stream) or
 * broken part-way still yields everything before the damage, with the error reported beside it.
 * No recursion: deeply nested input cannot overflow the stack (Jackson's own nesting limit applies).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    // Exact decimals: re-serialised tool arguments keep "1.10" as written.
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private Json() {
    }

    /** A parse result: the (possibly partial) root, and why parsing stopped early, or null. */
    public record Parsed(JsonNode node, String error) {
        public boolean ok() {
            return error == null && node != null;
        }
    }

    public static Parsed parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Parsed(null, "empty body");
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return build(p);
        } catch (IOException e) {
            return new Parsed(null, "invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    public static Parsed parse(String text) {
        if (text == null || text.isEmpty()) {
            return new Parsed(null, "empty JSON text");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            return build(p);
        } catch (IOException e) {
            return new Parsed(null, "invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static Parsed build(JsonParser p) {
        JsonNode root = null;
        Deque<ContainerNode<?>> stack = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        String field = null;
        try {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    field = names.pop();
                    if (stack.isEmpty()) {
                        break;
                    }
                    continue;
                }
                JsonNode value;
                switch (t) {
                case START_OBJECT -> value = NODES.objectNode();
                case START_ARRAY -> value = NODES.arrayNode();
                case VALUE_STRING -> value = NODES.textNode(p.getText());
                case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                case BIG_INTEGER -> NODES.numberNode(p.getBigIntegerValue());
                default -> NODES.numberNode(p.getLongValue());
                };
                case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDecimalValue());
                case VALUE_TRUE -> value = NODES.booleanNode(true);
                case VALUE_FALSE -> value = NODES.booleanNode(false);
                case VALUE_NULL -> value = NODES.nullNode();
                default -> value = NODES.textNode(p.getText());
                }
                if (stack.isEmpty()) {
                    root = value;
                } else if (stack.peek() instanceof ObjectNode o) {
                    o.set(field == null ? "" : field, value);
                } else {
                    ((ArrayNode) stack.peek()).add(value);
                }
                if (value instanceof ContainerNode<?> c) {
                    stack.push(c);
                    names.push(field == null ? "" : field);
                    field = null;
                } else if (stack.isEmpty()) {
                    break;
                }
            }
            if (!stack.isEmpty()) {
                return new Parsed(root, "truncated JSON");
            }
            // Trailing garbage after a complete value is tolerated: the value is what matters.
            return new Parsed(root, root == null ? "empty JSON text" : null);
        } catch (IOException | RuntimeException e) {
            return new Parsed(root, (stack.isEmpty() && root == null ? "invalid JSON: " : "truncated or invalid JSON: ")
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 160 ? s.substring(0, 160) : s;
    }

    /** Compact JSON text of a node. */
    public static String write(JsonNode n) {
        if (n == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            return n.toString();
        }
    }

    /** The JSON text of a string value (quoted and escaped). */
    public static String quote(String s) {
        return write(NODES.textNode(s));
    }

    /** Text of a field if it is a non-empty string, else null. */
    public static String str(JsonNode n, String field) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
    }

    /** A numeric field as Long, or null when absent or not a number. */
    public static Long num(JsonNode n, String field) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        return v.longValue();
    }

    /** Follows a path of field names; null if any step is missing. */
    public static JsonNode at(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String f : path) {
            if (cur == null) {
                return null;
            }
            cur = cur.get(f);
        }
        return cur == null || cur.isNull() || cur.isMissingNode() ? null : cur;
    }

    public static boolean isTrue(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    /**
     * A tool definition object of a request's tool list, as {@link JsonStream#tool} reads it from
     * the token stream: its "name" (or, with {@code typeAsName}, its "type" when it has no name:
     * built-in tools), "description", and as schema the JSON of the first of {@code schemaFields}
     * the object has. Anything but an object is an empty definition.
     */
    public static heron.core.model.ToolDefinition tool(JsonNode t, boolean typeAsName, String... schemaFields) {
        String name = str(t, "name");
        JsonNode schema = null;
        for (String f : schemaFields) {
            if (t.has(f)) {
                schema = t.get(f);
                break;
            }
        }
        return new heron.core.model.ToolDefinition(name != null || !typeAsName ? name : str(t, "type"),
                str(t, "description"), schema == null ? null : write(schema));
    }

    /** Result of normalising tool-call arguments: valid JSON text, and whether the wire value was. */
    public record Args(String json, boolean valid) {
    }

    /**
     * Normalises tool-call arguments given as JSON text (OpenAI sends arguments as a string that
     * holds JSON). A JSON string that itself holds a JSON object or array (double-encoded, seen
     * from some gateways) is unwrapped; empty text becomes {}; text that is not JSON at all (a
     * stream cut mid-arguments) is kept as a JSON string literal so the result is still valid JSON.
     */
    public static Args arguments(String text) {
        if (text == null || text.isBlank()) {
            return new Args("{}", true);
        }
        String cur = text.trim();
        for (int depth = 0; depth < 3; depth++) {
            Parsed p = parse(cur);
            if (!p.ok()) {
                return depth == 0 ? new Args(quote(text), false) : new Args(quote(cur), true);
            }
            if (p.node().isTextual()) {
                String inner = p.node().textValue().trim();
                if (inner.startsWith("{") || inner.startsWith("[")) {
                    Parsed ip = parse(inner);
                    if (ip.ok() && ip.node().isContainerNode()) {
                        cur = inner;
                        continue;
                    }
                }
            }
            return new Args(cur, true);
        }
        return new Args(cur, true);
    }

    /** Arguments given as a JSON value on the wire (Anthropic input, Gemini args, Ollama). */
    public static Args arguments(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return new Args("{}", true);
        }
        if (value.isTextual()) {
            return arguments(value.textValue());
        }
        return new Args(write(value), true);
    }

    /**
     * Text content of a message "content" value: a string, or an array of parts whose text is
     * joined (OpenAI {type:text,text}, Anthropic text blocks, Responses input_text/output_text).
     * Non-text parts are shown as a short placeholder such as [image].
     */
    public static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            return content.isObject() ? contentText(NODES.arrayNode().add(content)) : content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String t = null;
            if (part.isTextual()) {
                t = part.textValue();
            } else if (part.has("text") && part.get("text").isTextual()) {
                t = part.get("text").textValue();
            } else if (part.has("refusal") && part.get("refusal").isTextual()) {
                t = part.get("refusal").textValue();
            } else if (part.has("type")) {
                String type = part.get("type").asText();
                if (type.contains("image")) {
                    t = "[image]";
                } else if (type.contains("audio")) {
                    t = "[audio]";
                } else if (type.contains("file") || type.contains("document")) {
                    t = "[" + type + "]";
                }
            }
            if (t != null) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(t);
            }
        }
        return sb.length() == 0 && content.isEmpty() ? "" : sb.toString();
    }
}
