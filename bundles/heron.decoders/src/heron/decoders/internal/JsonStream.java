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

    /**
     * The "type" of JSON text that starts with {"type":"...", written without spaces or escapes
     * (as the APIs write their stream events), else null: a cheap look before any parsing.
     */
    public static String leadingType(String data) {
        if (!data.startsWith("{\"type\":\"")) {
            return null;
        }
        int end = data.indexOf('"', 9);
        if (end < 0) {
            return null;
        }
        for (int i = 9; i < end; i++) {
            if (data.charAt(i) == '\\') {
                return null;
            }
        }
        return end == 9 ? null : data.substring(9, end);
    }

    /**
     * Whether the text is a JSON object, valid through its closing brace and without repeated keys,
     * whose "type" is exactly this string: then the tree walk would see that type (what follows the
     * object it ignores too) and no error. Streamed, nothing built: for events a decoder ignores.
     */
    public static boolean isObjectOfType(String data, String type) {
        return isObjectOfType(data, type, null);
    }

    /** {@link #isObjectOfType(String, String)}, and the object has no field named {@code absent}. */
    public static boolean isObjectOfType(String data, String type, String absent) {
        try (JsonParser p = parser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean typed = false;
            String name;
            while ((name = nextField(p)) != null) {
                if (name.equals("type")) {
                    if (p.currentToken() != JsonToken.VALUE_STRING || !type.equals(p.getText())) {
                        return false;
                    }
                    typed = true;
                } else if (name.equals(absent)) {
                    return false;
                } else {
                    skip(p);
                }
            }
            return typed;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
        int srcLength = src == null ? 0 : src.length;
        if (src != null) {
            Reduction r = REDUCTION.get();
            if (r.doc == src) {
                srcLength = r.docLength;
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    // A value {@link #reduce} already found in the cache stands here as a placeholder.
                    Object v = r.take(p.currentTokenLocation().getByteOffset());
                    if (v != Reduction.NONE) {
                        return (T) v;
                    }
                }
            }
        }
        if (src == null || (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY)) {
            return reader.read(p); // a scalar may still be unread by the parser: nothing to skip to
        }
        long start = p.currentTokenLocation().getByteOffset();
        if (start < 0 || start >= srcLength) {
            return reader.read(p);
        }
        int from = (int) start;
        long key = prefixKey(src, from, srcLength, kind);
        ValueCache cache = CACHE.get();
        Cached[] candidates = cache.get(key);
        if (candidates != null) {
            for (Cached c : candidates) {
                int n = c.raw.length;
                // A complete JSON value's bytes delimit it: equal bytes are the same whole value.
                if (c.kind == kind && from + n <= srcLength
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
        if (end - from >= CACHE_MIN_BYTES && end - from <= CACHE_MAX_VALUE_BYTES && end <= srcLength) {
            cache.add(key, candidates, new Cached(kind, java.util.Arrays.copyOfRange(src, from, (int) end), value));
        }
        return value;
    }

    /**
     * Where a decoder's request fast path reads values through {@link #cached}: root fields whose
     * value is read with a kind ({@link #value}), and root fields whose array elements each are
     * ({@link #elements}). Every such read must be unconditional (the field's value, or each
     * element of its array, always goes through {@link #cached} with that kind).
     */
    public static final class Sites {
        private byte[][] names = new byte[0][];
        private int[] kinds = new int[0];
        private boolean[] elements = new boolean[0];

        public Sites value(String field, int kind) {
            return add(field, kind, false);
        }

        public Sites elements(String field, int kind) {
            return add(field, kind, true);
        }

        private Sites add(String field, int kind, boolean each) {
            int n = names.length;
            names = java.util.Arrays.copyOf(names, n + 1);
            kinds = java.util.Arrays.copyOf(kinds, n + 1);
            elements = java.util.Arrays.copyOf(elements, n + 1);
            names[n] = field.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            kinds[n] = kind;
            elements[n] = each;
            return this;
        }

        /** The site whose field name is exactly the (unescaped) key bytes b[from, to), else -1. */
        int find(byte[] b, int from, int to) {
            for (int s = 0; s < names.length; s++) {
                byte[] nm = names[s];
                if (nm.length == to - from && java.util.Arrays.equals(b, from, to, nm, 0, nm.length)) {
                    return s;
                }
            }
            return -1;
        }
    }

    /**
     * The values of one request that {@link #reduce} found in the cache, by their offset in the
     * reduced text; per thread, valid while that text is parsed.
     */
    private static final class Reduction {
        static final Object NONE = new Object();
        byte[] doc;
        int docLength;
        long[] offsets = new long[64];
        Object[] values = new Object[64];
        int size;
        byte[] out = new byte[4096];
        /** Bytes of the reduced text written to {@link #out}, and bytes of the source copied. */
        int outLen;
        int copied;

        void add(long offset, Object value) {
            if (size == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            offsets[size] = offset;
            values[size++] = value;
        }

        Object take(long offset) {
            int i = java.util.Arrays.binarySearch(offsets, 0, size, offset);
            return i >= 0 ? values[i] : NONE;
        }

        void reset() {
            doc = null;
            java.util.Arrays.fill(values, 0, size, null);
            size = 0;
            outLen = 0;
            copied = 0;
        }
    }

    private static final ThreadLocal<Reduction> REDUCTION = ThreadLocal.withInitial(Reduction::new);
    private static final byte[] PLACEHOLDER = { '0', ' ' };

    /**
     * The request text with every value at one of the {@code sites} that this thread's cache
     * already holds replaced by a placeholder ("0 "), or {@code src} itself when there is none.
     * Agents resend the same system prompt, tools and history with every call: without this,
     * Jackson still had to tokenise those bytes to find their end. A cached value's bytes are
     * compared in full, so its end is known without reading it; the placeholder is a valid value
     * that, whatever follows, is valid exactly where the value was, so the reduced text parses
     * (or fails) as the original would. Only the root object's structure and the values between
     * the sites are scanned here (strings by their quotes and escapes, containers by their
     * brackets), not validated: the parser does that on the reduced text. Input this scan does
     * not understand is returned unchanged. {@link #cached} then serves the placeholders; call
     * {@link #endReduce} when done.
     */
    public static byte[] reduce(byte[] src, Sites sites) {
        Reduction r = REDUCTION.get();
        r.reset();
        int n = src.length;
        int i = ws(src, 0);
        if (i >= n || src[i] != '{') {
            return src;
        }
        ValueCache cache = CACHE.get();
        i = ws(src, i + 1);
        if (i < n && src[i] == '}') {
            return src;
        }
        while (true) {
            if (i >= n || src[i] != '"') {
                return abortReduce(r, src);
            }
            int keyEnd = stringEnd(src, i);
            if (keyEnd < 0) {
                return abortReduce(r, src);
            }
            int site = sites.find(src, i + 1, keyEnd);
            i = ws(src, keyEnd + 1);
            if (i >= n || src[i] != ':') {
                return abortReduce(r, src);
            }
            i = ws(src, i + 1);
            if (i >= n) {
                return abortReduce(r, src);
            }
            if (site >= 0 && !sites.elements[site]) {
                i = placeOrSkip(r, cache, src, i, sites.kinds[site]);
            } else if (site >= 0 && src[i] == '[') {
                i = ws(src, i + 1);
                if (i < n && src[i] == ']') {
                    i++;
                } else {
                    while (true) {
                        if (i >= n) {
                            return abortReduce(r, src);
                        }
                        i = placeOrSkip(r, cache, src, i, sites.kinds[site]);
                        if (i < 0) {
                            return abortReduce(r, src);
                        }
                        i = ws(src, i);
                        if (i < n && src[i] == ',') {
                            i = ws(src, i + 1);
                        } else if (i < n && src[i] == ']') {
                            i++;
                            break;
                        } else {
                            return abortReduce(r, src);
                        }
                    }
                }
            } else {
                i = skipValue(src, i);
            }
            if (i < 0) {
                return abortReduce(r, src);
            }
            i = ws(src, i);
            if (i < n && src[i] == ',') {
                i = ws(src, i + 1);
            } else if (i < n && src[i] == '}') {
                break;
            } else {
                return abortReduce(r, src);
            }
        }
        if (r.size == 0) {
            return src;
        }
        emit(r, src, n);
        // The reduced text stays in the per-thread buffer (no copy): its length is reducedLength().
        r.doc = r.out;
        r.docLength = r.outLen;
        CACHE_HITS.add(r.size);
        return r.out;
    }

    /** Forgets the values of the last {@link #reduce} (they stay in the cache). */
    public static void endReduce() {
        REDUCTION.get().reset();
    }

    /** The length of the text {@link #reduce} returned (its buffer may be longer), else of src. */
    public static int reducedLength(byte[] doc) {
        Reduction r = REDUCTION.get();
        return r.doc == doc ? r.docLength : doc.length;
    }

    public static JsonParser parser(byte[] bytes, int length) throws IOException {
        return FACTORY.createParser(bytes, 0, length);
    }

    private static byte[] abortReduce(Reduction r, byte[] src) {
        r.reset();
        return src;
    }

    /** Appends src[from, to) to the reduction's buffer (which may grow; returned). */
    /** Copies the source bytes from the last copied one up to {@code to} into the reduced text. */
    private static void emit(Reduction r, byte[] src, int to) {
        int need = r.outLen + (to - r.copied) + PLACEHOLDER.length;
        if (need > r.out.length) {
            r.out = java.util.Arrays.copyOf(r.out, Math.max(need, r.out.length * 2));
        }
        System.arraycopy(src, r.copied, r.out, r.outLen, to - r.copied);
        r.outLen += to - r.copied;
        r.copied = to;
    }

    /**
     * The value at {@code src[i]}: when the cache holds it, the text before it is copied and the
     * value becomes a placeholder; else it is skipped. Returns the index after it, or -1 when
     * the value does not end.
     */
    private static int placeOrSkip(Reduction r, ValueCache cache, byte[] src, int i, int kind) {
        Cached c = hit(cache, src, i, kind);
        if (c == null) {
            return skipValue(src, i);
        }
        emit(r, src, i);
        r.add(r.outLen, c.value);
        r.out[r.outLen++] = PLACEHOLDER[0];
        r.out[r.outLen++] = PLACEHOLDER[1];
        r.copied = i + c.raw.length;
        return r.copied;
    }

    /** The cached value of this kind whose bytes start at src[from], else null. */
    private static Cached hit(ValueCache cache, byte[] src, int from, int kind) {
        byte b = src[from];
        if (b != '{' && b != '[') {
            return null;
        }
        Cached[] candidates = cache.get(prefixKey(src, from, src.length, kind));
        if (candidates != null) {
            for (Cached c : candidates) {
                int n = c.raw.length;
                if (c.kind == kind && from + n <= src.length
                        && java.util.Arrays.equals(src, from, from + n, c.raw, 0, n)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static int ws(byte[] b, int i) {
        while (i < b.length) {
            byte ch = b[i];
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * Index of the quote closing the string that opens at b[i], or -1 when the text ends first.
     * Eight bytes at a time up to the first quote or backslash (the strings scanned are the bulk
     * of a request's new bytes: message texts).
     */
    private static int stringEnd(byte[] b, int i) {
        int n = b.length;
        int j = i + 1;
        while (j < n) {
            while (j + 8 <= n) {
                long w = (long) LONGS.get(b, j);
                long q = w ^ QUOTES;
                long s = w ^ BACKSLASHES;
                // A zero byte in q or s is a quote or backslash in w; the lowest one found is exact.
                long hit = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
                if (hit != 0) {
                    j += Long.numberOfTrailingZeros(hit) >>> 3;
                    break;
                }
                j += 8;
            }
            if (j >= n) {
                break;
            }
            byte ch = b[j];
            if (ch == '"') {
                return j;
            }
            j += ch == '\\' ? 2 : 1;
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    /**
     * Index just after the value that starts at b[i] (a string, a container by its brackets, or
     * a scalar up to the next delimiter), or -1 when the text ends first. Not validated.
     */
    private static int skipValue(byte[] b, int i) {
        int n = b.length;
        byte ch = b[i];
        if (ch == '"') {
            int e = stringEnd(b, i);
            return e < 0 ? -1 : e + 1;
        }
        if (ch == '{' || ch == '[') {
            int depth = 0;
            for (int j = i; j < n; j++) {
                byte c = b[j];
                if (c == '"') {
                    j = stringEnd(b, j);
                    if (j < 0) {
                        return -1;
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                }
            }
            return -1;
        }
        int j = i;
        while (j < n) {
            byte c = b[j];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                break;
            }
            j++;
        }
        return j == i ? -1 : j;
    }

    /** Hash of the kind and the first bytes of a value: picks the candidates to compare in full. */
    private static long prefixKey(byte[] src, int from, int length, int kind) {
        long h = kind;
        int end = Math.min(length, from + 64);
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
