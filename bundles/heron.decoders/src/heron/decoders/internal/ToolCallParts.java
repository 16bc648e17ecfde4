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

    private Part part(int index) {
        return parts.computeIfAbsent(index, k -> new Part());
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
