package heron.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import heron.core.model.AgentTag;
import heron.core.model.CallError;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.TokenUsage;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;

/**
 * The facts of an LLM call that an import's summary and the {@code heron analyze} reports show,
 * without its conversation (messages, system prompt, tool schemas, output text: the ~5 KB of parsed
 * JSON per call that went to the {@link ImportSink}), so an import of a big capture does not keep
 * every full call until it ends. Accessors are named as in {@link LlmCall}; the latencies are
 * {@link LlmCall}'s own, computed once.
 *
 * @param toolsOffered names of the tools offered, in request order
 * @param toolCalls    the tool calls the model asked for, with their arguments
 * @param agent        set from the turn tracker's result, null when no agent profile recognised the call
 */
public record CallSummary(long id, long exchangeId, String wireApi, String host, String serverKind,
        String requestModel, String responseModel, boolean stream, int status, String finishReason, FinishKind finish,
        TokenUsage usage, long requestNanos, Double ttftMs, Double e2eMs, Double tpotMs, List<String> toolsOffered,
        List<ToolCall> toolCalls, CallError error, String decodeError, AgentTag agent) {

    /** The answered model if known, else the requested one. */
    public String model() {
        return responseModel != null ? responseModel : requestModel;
    }

    public boolean isError() {
        return status >= 400 || error != null;
    }

    public CallSummary withAgent(AgentTag tag) {
        return new CallSummary(id, exchangeId, wireApi, host, serverKind, requestModel, responseModel, stream, status,
                finishReason, finish, usage, requestNanos, ttftMs, e2eMs, tpotMs, toolsOffered, toolCalls, error,
                decodeError, tag);
    }

    /** The summary of a call, sharing equal strings and tool-name lists through {@code shared}. */
    public static CallSummary of(LlmCall c, Shared shared) {
        return new CallSummary(c.id(), c.exchangeId(), shared.string(c.wireApi()), shared.string(c.host()),
                shared.string(c.serverKind()), shared.string(c.requestModel()), shared.string(c.responseModel()),
                c.stream(), c.status(), shared.string(c.finishReason()), c.finish(), c.usage(), c.requestNanos(),
                c.ttftMs(), c.e2eMs(), c.tpotMs(), shared.toolNames(c.toolsOffered()), c.toolCalls(), c.error(),
                c.decodeError(), c.agent());
    }

    /**
     * One instance per distinct value for the few strings and tool-name lists that repeat across the
     * calls of a capture (host, models, wire API, the tools an agent offers with every call).
     * Thread-safe.
     */
    public static final class Shared {
        private final Map<Object, Object> values = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        private <T> T canonical(T v) {
            if (v == null) {
                return null;
            }
            Object known = values.putIfAbsent(v, v);
            return known != null ? (T) known : v;
        }

        String string(String s) {
            return canonical(s);
        }

        List<String> toolNames(List<ToolDefinition> tools) {
            if (tools.isEmpty()) {
                return List.of();
            }
            List<String> names = new ArrayList<>(tools.size());
            for (ToolDefinition d : tools) {
                names.add(canonical(d.name()));
            }
            // List.copyOf keeps nulls out; names may be null in a partial decode, so keep an unmodifiable copy.
            return canonical(java.util.Collections.unmodifiableList(names));
        }
    }
}
