package heron.decoders.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import heron.core.model.ToolCall;

/**
 * Streamed tool calls being reassembled, keyed by the stream's own index (OpenAI
 * {@code tool_calls[].index}, Anthropic block index, Responses output_index), so deltas of
 * parallel calls that interleave across chunks each land on their own call.
 */
public final class ToolCallParts {
    private static final class Part {
        String id;
        String name;
        final StringBuilder args = new StringBuilder();
        String fullArgs;
    }

    private final Map<Integer, Part> parts = new TreeMap<>();
    /** Stream index to the key of the call it currently names, once a call reused an index. */
    private Map<Integer, Integer> reused;
    /** Keys of calls that reuse an index: after every first-use key, in the order they opened. */
    private int nextReuseKey = 1 << 24;

    private Part part(int index) {
        return parts.computeIfAbsent(index, k -> new Part());
    }

    /**
     * The key of the call a delta at {@code index} with {@code id} (and function {@code name})
     * belongs to. The key is the index itself, except when the index already holds a finished call
     * with another id: some OpenAI-compatible servers (Ollama, Mistral, gateways translating from
     * Gemini) give every parallel tool call index 0, or no index at all, and send each call whole
     * with its own id; such a delta opens a new call instead of appending its arguments to the
     * previous one. A call counts as finished when its arguments so far are complete JSON, or when
     * it has none and the delta names a function: a stream that (wrongly) changes the id in every
     * fragment of one call still gets one call. Deltas without an id continue the call the index
     * named last (OpenAI sends the id only in a call's first delta).
     */
    public int key(int index, String id, String name) {
        Integer cur = reused == null ? null : reused.get(index);
        int k = cur == null ? index : cur;
        Part p = parts.get(k);
        if (p != null && p.id != null && id != null && !id.isEmpty() && !id.equals(p.id) && finished(p, name)) {
            k = nextReuseKey++;
            if (reused == null) {
                reused = new java.util.HashMap<>();
            }
            reused.put(index, k);
        }
        return k;
    }

    private static boolean finished(Part p, String nextName) {
        if (p.fullArgs != null) {
            return true;
        }
        if (p.args.length() == 0) {
            return nextName != null && !nextName.isEmpty();
        }
        return Json.parse(p.args.toString()).ok();
    }

    public void start(int index, String id, String name) {
        Part p = part(index);
        if (id != null && !id.isEmpty()) {
            p.id = id;
        }
        if (name != null && !name.isEmpty()) {
            p.name = name;
        }
    }

    public void append(int index, String fragment) {
        if (fragment != null) {
            part(index).args.append(fragment);
        }
    }

    /** The complete arguments when the stream states them (wins over the concatenated deltas). */
    public void complete(int index, String arguments) {
        if (arguments != null) {
            part(index).fullArgs = arguments;
        }
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The calls in index order; invalid argument JSON is reported through {@code problems}. */
    public List<ToolCall> build(List<String> problems) {
        List<ToolCall> out = new ArrayList<>(parts.size());
        for (Part p : parts.values()) {
            String raw = p.fullArgs != null ? p.fullArgs : p.args.toString();
            Json.Args a = Json.arguments(raw);
            if (!a.valid()) {
                problems.add("tool call " + (p.name == null ? "?" : p.name) + " arguments are not valid JSON");
            }
            out.add(new ToolCall(p.id, p.name, a.json()));
        }
        return out;
    }
}
