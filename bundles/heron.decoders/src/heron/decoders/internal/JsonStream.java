package heron.decoders.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Streaming reads for the decoders' fast paths: values are taken straight from Jackson's token
 * stream, subtrees nobody reads are skipped unread, and JSON values that are kept as text (tool
 * schemas, tool arguments) are re-serialised token by token without building a tree.
 * <p>
 * A fast path handles only the complete, well-formed input it fully understands, and gives up by
 * throwing {@link Fallback} (or an IOException from the parser) otherwise: a cut or invalid
 * body, a duplicate key anywhere (the tree keeps the last value, a stream would see both), or a
 * rare value shape. The caller then decodes the same bytes with the tree walk ({@link Json}), so
 * results are identical to it by construction, including for damaged input.
 */
public final class JsonStream {
    /**
     * Duplicate keys are found here, not by the parser (StreamReadFeature.STRICT_DUPLICATE_DETECTION
     * cost a HashSet per object, 7 % of decoding): only in the objects a fast path reads field by
     * field ({@link #nextField}) and in the values it copies; skipped subtrees cannot matter.
     */
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ThreadLocal<Out> OUT = new ThreadLocal<>();
    /** Bodies decoded by a fast path, and bodies it handed to the tree walk (for benchmarks). */
    public static final LongAdder FAST = new LongAdder();
    public static final LongAdder FELL_BACK = new LongAdder();
    /** Stream events read by a fast path (for benchmarks and tests). */
    public static final LongAdder FAST_EVENTS = new LongAdder();
    /** Off: every body goes through the tree walk (tests compare both paths on the same input). */
    public static volatile boolean enabled = true;

    private JsonStream() {
    }

    /** The fast path cannot decode this input exactly as the tree walk would: use the tree. */
    public static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Fallback() {
            super(null, null, false, false);
        }
    }

    public static JsonParser parser(byte[] bytes) throws IOException {
        return FACTORY.createParser(bytes);
    }

    public static JsonParser parser(String text) throws IOException {
        return FACTORY.createParser(text);
    }

    /**
     * Whether JSON text starts with an object whose first field is "type" with exactly this string
     * value (JSON whitespace allowed around the tokens, no escapes): a cheap test before parsing.
     */
    public static boolean startsWithType(String data, String type) {
        int i = ws(data, 0);
        if (i >= data.length() || data.charAt(i) != '{') {
            return false;
        }
        i = ws(data, i + 1);
        if (!data.startsWith("\"type\"", i)) {
            return false;
        }
        i = ws(data, i + 6);
        if (i >= data.length() || data.charAt(i) != ':') {
            return false;
        }
        i = ws(data, i + 1);
        return i < data.length() && data.charAt(i) == '"' && data.startsWith(type, i + 1);
    }

    private static int ws(String s, int i) {
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Moves to the next token; the end of input inside a value is a cut body. */
    public static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new Fallback();
        }
        return t;
    }

    /** Expects the current token to start an object, else falls back. */
    public static void requireObject(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Fallback();
        }
    }

    /**
     * Advances inside an object: the next field's name, with the parser moved onto its value, or
     * null at the object's end.
     */
    public static String nextField(JsonParser p) throws IOException {
        JsonToken t = next(p);
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        String name = p.currentName();
        // Names seen in this object, kept on its parsing context (reset by Jackson for every new
        // object). Jackson interns field names, so identity finds a repeat almost always.
        JsonStreamContext ctx = p.getParsingContext();
        Names seen = (Names) ctx.getCurrentValue();
        if (seen == null) {
            seen = new Names();
            ctx.setCurrentValue(seen);
        }
        seen.add(name);
        next(p);
        return name;
    }

    /** Field names of one object; a repeated name means the tree walk must decide (it keeps the last). */
    private static final class Names {
        private String[] names = new String[8];
        private int size;

        void add(String name) {
            for (int i = 0; i < size; i++) {
                String n = names[i];
                if (n == name || n.equals(name)) {
                    throw new Fallback();
                }
            }
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, size * 2);
            }
            names[size++] = name;
        }

        void clear() {
            size = 0;
        }
    }

    /** Advances inside an array: true when the parser is on the next element, false at the end. */
    public static boolean nextElement(JsonParser p) throws IOException {
        return next(p) != JsonToken.END_ARRAY;
    }

    /** Skips the current value (a whole subtree when it is a container). */
    public static void skip(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            if (p.currentToken() == null || p.currentToken() == t) {
                throw new Fallback(); // cut inside the skipped subtree
            }
        }
    }

    /**
     * The value as it would be stored in a field map: a String (raw, possibly empty) for strings,
     * Boolean, {@link #NULL}, {@link #NUMBER}; containers are skipped and stored as {@link #CONTAINER}.
     */
    public static Object scalar(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
        case VALUE_STRING:
            return p.getText();
        case VALUE_TRUE:
            return Boolean.TRUE;
        case VALUE_FALSE:
            return Boolean.FALSE;
        case VALUE_NULL:
            return NULL;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
            return NUMBER;
        default:
            skip(p);
            return CONTAINER;
        }
    }

    /** Markers for values of a field map that are not kept. */
    public static final Object NULL = new Object();
    public static final Object NUMBER = new Object();
    public static final Object CONTAINER = new Object();

    /** {@link Json#str}: a non-empty string value, else null. */
    public static String str(Object v) {
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    /**
     * JsonNode.asText() of a field's value as far as a fast path meets it: a string's text; a
     * missing value is null; anything else (numbers, null, containers) falls back.
     */
    public static String asText(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new Fallback();
    }

    /**
     * A tool definition object of a request's tool list: its "name" (or, with {@code typeAsName},
     * its "type" when it has no name: built-in tools), "description", and as schema the JSON of
     * the first of {@code schemaFields} the object has, in that order of preference whatever order
     * the fields come in. Anything but an object is an empty definition.
     */
    public static heron.core.model.ToolDefinition tool(JsonParser p, boolean typeAsName, String... schemaFields)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            skip(p);
            return new heron.core.model.ToolDefinition(null, null, null);
        }
        String name = null;
        String type = null;
        String description = null;
        String[] schemas = new String[schemaFields.length];
        boolean[] seen = new boolean[schemaFields.length];
        String field;
        fields: while ((field = nextField(p)) != null) {
            switch (field) {
            case "name" -> name = str(scalar(p));
            case "type" -> type = str(scalar(p));
            case "description" -> description = str(scalar(p));
            default -> {
                for (int i = 0; i < schemaFields.length; i++) {
                    if (schemaFields[i].equals(field)) {
                        schemas[i] = copy(p);
                        seen[i] = true;
                        continue fields;
                    }
                }
                skip(p);
            }
            }
        }
        String schema = null;
        for (int i = 0; i < schemaFields.length; i++) {
            if (seen[i]) {
                schema = schemas[i];
                break;
            }
        }
        return new heron.core.model.ToolDefinition(name != null || !typeAsName ? name : type, description, schema);
    }

    /**
     * Compact JSON text of the current value, exactly as {@link Json#write} prints the tree
     * {@link Json#parse} would build (exact decimals, last position of the structure).
     */
    public static String copy(JsonParser p) throws IOException {
        Out o = OUT.get();
        if (o == null) {
            o = new Out();
            OUT.set(o);
        }
        JsonGenerator g = o.gen;
        boolean done = false;
        try {
            int depth = 0;
            Names[] levels = o.levels;
            JsonToken t = p.currentToken();
            while (true) {
                switch (t) {
                case START_OBJECT -> {
                    g.writeStartObject();
                    depth++;
                    if (depth >= levels.length) {
                        levels = o.grow(depth);
                    }
                    levels[depth].clear();
                }
                case START_ARRAY -> {
                    g.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    g.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    g.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> {
                    String name = p.currentName();
                    levels[depth].add(name);
                    g.writeFieldName(name);
                }
                case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        g.writeNumber(p.getBigIntegerValue());
                    } else {
                        g.writeNumber(p.getLongValue());
                    }
                }
                // The tree keeps floats as exact BigDecimal nodes; print one the same way.
                case VALUE_NUMBER_FLOAT -> g.writeTree(NODES.numberNode(p.getDecimalValue()));
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new Fallback();
                }
                if (depth == 0) {
                    break;
                }
                t = next(p);
            }
            g.flush();
            String s = o.text.toString();
            o.text.setLength(0);
            done = true;
            return s;
        } finally {
            if (!done) {
                OUT.remove(); // the generator is mid-structure: never reuse it
            }
        }
    }

    /**
     * {@link Json#arguments(com.fasterxml.jackson.databind.JsonNode)} of the current value: a
     * string holds JSON text (normalised by {@link Json#arguments(String)}), null is {}, any
     * other value is printed.
     */
    public static String arguments(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return "{}";
        }
        if (t == JsonToken.VALUE_STRING) {
            return Json.arguments(p.getText()).json();
        }
        return copy(p);
    }

    /**
     * {@link Json#contentText} of the current value: a string, or an array of parts (an object
     * counts as one part) whose text is joined with newlines, non-text parts as placeholders.
     */
    public static String contentText(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        StringBuilder sb = new StringBuilder();
        if (t == JsonToken.START_OBJECT) {
            appendPart(sb, partText(p));
            return sb.toString();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new Fallback(); // a number or boolean as content: asText(), not worth a fast path
        }
        while (nextElement(p)) {
            JsonToken e = p.currentToken();
            if (e == JsonToken.VALUE_STRING) {
                appendPart(sb, p.getText());
            } else if (e == JsonToken.START_OBJECT) {
                appendPart(sb, partText(p));
            } else {
                skip(p); // has() is false on anything but an object: no text
            }
        }
        return sb.toString();
    }

    private static void appendPart(StringBuilder sb, String t) {
        if (t != null) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(t);
        }
    }

    /** One content part object: its text, else its refusal, else a placeholder by type, else null. */
    public static String partText(JsonParser p) throws IOException {
        String text = null;
        String refusal = null;
        Object type = null;
        String name;
        while ((name = nextField(p)) != null) {
            switch (name) {
            case "text" -> text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : skipNull(p);
            case "refusal" -> refusal = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : skipNull(p);
            case "type" -> type = scalar(p);
            default -> skip(p);
            }
        }
        return partText(text, refusal, type);
    }

    /** The part rule on collected fields (text and refusal only when they were strings). */
    public static String partText(String text, String refusal, Object type) {
        if (text != null) {
            return text;
        }
        if (refusal != null) {
            return refusal;
        }
        if (type != null) {
            String ty = asText(type);
            if (ty.contains("image")) {
                return "[image]";
            } else if (ty.contains("audio")) {
                return "[audio]";
            } else if (ty.contains("file") || ty.contains("document")) {
                return "[" + ty + "]";
            }
        }
        return null;
    }

    private static String skipNull(JsonParser p) throws IOException {
        skip(p);
        return null;
    }

    /**
     * The elements of the array under the parser, each read by {@code element} (which must consume
     * its whole value); anything but an array is skipped and gives an empty list. Immutable.
     */
    public static <T> java.util.List<T> list(JsonParser p, ValueReader<T> element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            skip(p);
            return java.util.List.of();
        }
        java.util.List<T> l = new java.util.ArrayList<>();
        while (nextElement(p)) {
            l.add(element.read(p));
        }
        return java.util.List.copyOf(l);
    }

    /** Reads the value under the parser (a fast path's piece of work); may throw {@link Fallback}. */
    @FunctionalInterface
    public interface ValueReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Values of at least this many bytes are worth remembering. */
    private static final int CACHE_MIN_BYTES = 256;
    /** A value larger than this is read every time (huge tool results are rarely resent). */
    private static final int CACHE_MAX_VALUE_BYTES = 1 << 20;
    /** Bounds per thread: entries, and raw bytes kept (the decoded values are of similar size). */
    private static final int CACHE_MAX_ENTRIES = 512;
    private static final long CACHE_MAX_BYTES = 8L << 20;
    private static final ThreadLocal<ValueCache> CACHE = ThreadLocal.withInitial(ValueCache::new);

    /** Per-thread values by the hash of their first bytes; emptied whole when a bound is reached. */
    private static final class ValueCache extends java.util.HashMap<Long, Cached[]> {
        private static final long serialVersionUID = 1L;
        long bytes;
        int entries;

        void add(long key, Cached[] candidates, Cached c) {
            if (entries >= CACHE_MAX_ENTRIES || bytes + c.raw.length > CACHE_MAX_BYTES) {
                clear();
                bytes = 0;
                entries = 0;
                candidates = null;
            }
            if (candidates == null) {
                put(key, new Cached[] { c });
            } else {
                Cached[] more = java.util.Arrays.copyOf(candidates, Math.min(candidates.length + 1, 8));
                more[more.length - 1] = c;
                put(key, more);
            }
            bytes += c.raw.length;
            entries++;
        }
    }
    /** Values served from the cache (for benchmarks). */
    public static final LongAdder CACHE_HITS = new LongAdder();

    private record Cached(int kind, byte[] raw, Object value) {
    }

    /**
     * The value under the parser, read by {@code reader}, or — when the same bytes were read
     * before on this thread for the same {@code kind} — the value read then, with the bytes only
     * skipped. Agents resend the same system prompt and tool definitions with every call, and
     * their text and schemas are the bulk of a request. {@code src} is the parser's input, which
     * must start at offset 0. A reader's result must depend on the value's bytes alone and be
     * immutable; a read that falls back is not remembered, so the same bytes fall back again.
     */
    @SuppressWarnings("unchecked")
    public static <T> T cached(JsonParser p, byte[] src, int kind, ValueReader<T> reader) throws IOException {
        JsonToken t = p.currentToken();
        if (src == null || (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY)) {
            return reader.read(p); // a scalar may still be unread by the parser: nothing to skip to
        }
        long start = p.currentTokenLocation().getByteOffset();
        if (start < 0 || start >= src.length) {
            return reader.read(p);
        }
        int from = (int) start;
        long key = prefixKey(src, from, kind);
        ValueCache cache = CACHE.get();
        Cached[] candidates = cache.get(key);
        if (candidates != null) {
            for (Cached c : candidates) {
                int n = c.raw.length;
                // A complete JSON value's bytes delimit it: equal bytes are the same whole value.
                if (c.kind == kind && from + n <= src.length
                        && java.util.Arrays.equals(src, from, from + n, c.raw, 0, n)) {
                    skip(p);
                    if (p.currentLocation().getByteOffset() != from + n) {
                        throw new Fallback(); // cannot happen for equal bytes; never trust a mismatch
                    }
                    CACHE_HITS.increment();
                    return (T) c.value;
                }
            }
        }
        T value = reader.read(p);
        long end = p.currentLocation().getByteOffset();
        if (end - from >= CACHE_MIN_BYTES && end - from <= CACHE_MAX_VALUE_BYTES && end <= src.length) {
            cache.add(key, candidates, new Cached(kind, java.util.Arrays.copyOfRange(src, from, (int) end), value));
        }
        return value;
    }

    /** Hash of the kind and the first bytes of a value: picks the candidates to compare in full. */
    private static long prefixKey(byte[] src, int from, int kind) {
        long h = kind;
        int end = Math.min(src.length, from + 64);
        for (int i = from; i < end; i++) {
            h = h * 31 + src[i];
        }
        return h;
    }

    /** Per-thread output for {@link #copy}: one generator reused for every value it prints. */
    private static final class Out {
        final StringBuilder text = new StringBuilder(256);
        final JsonGenerator gen;
        /** Field names per object depth of the value being copied. */
        Names[] levels = newLevels(new Names[0], 16);

        Names[] grow(int depth) {
            levels = newLevels(levels, Math.max(depth + 1, levels.length * 2));
            return levels;
        }

        private static Names[] newLevels(Names[] old, int n) {
            Names[] l = java.util.Arrays.copyOf(old, n);
            for (int i = old.length; i < n; i++) {
                l[i] = new Names();
            }
            return l;
        }

        Out() {
            try {
                gen = Json.MAPPER.createGenerator(new Writer() {
                    @Override
                    public void write(char[] cbuf, int off, int len) {
                        text.append(cbuf, off, len);
                    }

                    @Override
                    public void write(String str, int off, int len) {
                        text.append(str, off, off + len);
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                // Consecutive root values are separate texts here, not one stream.
                gen.setRootValueSeparator(null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
