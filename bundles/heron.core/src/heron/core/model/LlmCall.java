package heron.core.model;

import java.util.List;

/**
 * An LLM API call decoded from one {@link HttpExchange}. The id is the exchange's id.
 * Times are nanoseconds since the epoch; 0 means "not seen".
 *
 * @param wireApi            "openai-chat", "openai-responses", "anthropic", "gemini" or a plug-in's id
 * @param serverKind         vLLM, SGLang, Ollama, llama.cpp, LiteLLM, OpenAI, Anthropic, Google ... when
 *                           the bytes say so, else null
 * @param finishReason       the provider's raw finish reason
 * @param responseHeadersNanos when the response header block was complete
 * @param firstContentNanos  when the first content-bearing event (text, reasoning or tool call
 *                           delta) arrived; for non-streamed calls the end of the response
 * @param decodeError        why decoding was partial (invalid JSON, body capped, truncated stream), or null
 * @param agent              set by the turn tracker, null before
 */
public record LlmCall(long id, long exchangeId, String wireApi, String host, String serverKind, String requestModel,
        String responseModel, boolean stream, int status, String finishReason, FinishKind finish, TokenUsage usage,
        long requestNanos, long responseHeadersNanos, long firstContentNanos, long endNanos,
        List<ToolDefinition> toolsOffered, List<ToolCall> toolCalls, List<ToolResult> toolResults,
        String systemPrompt, List<Message> messages, String outputText, String reasoningText, CallError error,
        String responseId, String decodeError, AgentTag agent) {

    public LlmCall {
        toolsOffered = List.copyOf(toolsOffered);
        toolCalls = List.copyOf(toolCalls);
        toolResults = List.copyOf(toolResults);
        messages = List.copyOf(messages);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    /** The answered model if known, else the requested one. */
    public String model() {
        return responseModel != null ? responseModel : requestModel;
    }

    /** Time to first content, in ms, or null if unknown. */
    public Double ttftMs() {
        return requestNanos > 0 && firstContentNanos >= requestNanos ? (firstContentNanos - requestNanos) / 1e6 : null;
    }

    /** Time to the response headers, in ms (what some tools call TTFT), or null. */
    public Double ttfbMs() {
        return requestNanos > 0 && responseHeadersNanos >= requestNanos ? (responseHeadersNanos - requestNanos) / 1e6
                : null;
    }

    public Double e2eMs() {
        return requestNanos > 0 && endNanos >= requestNanos ? (endNanos - requestNanos) / 1e6 : null;
    }

    /** Time per output token after the first, streaming only. */
    public Double tpotMs() {
        Long out = usage.output();
        if (!stream || out == null || out < 2 || firstContentNanos <= 0 || endNanos < firstContentNanos) {
            return null;
        }
        return (endNanos - firstContentNanos) / 1e6 / (out - 1);
    }

    public boolean isError() {
        return status >= 400 || error != null;
    }

    public LlmCall withAgent(AgentTag tag) {
        return new LlmCall(id, exchangeId, wireApi, host, serverKind, requestModel, responseModel, stream, status,
                finishReason, finish, usage, requestNanos, responseHeadersNanos, firstContentNanos, endNanos,
                toolsOffered, toolCalls, toolResults, systemPrompt, messages, outputText, reasoningText, error,
                responseId, decodeError, tag);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder for decoders, which learn fields in no fixed order. */
    public static final class Builder {
        public long id;
        public long exchangeId;
        public String wireApi;
        public String host;
        public String serverKind;
        public String requestModel;
        public String responseModel;
        public boolean stream;
        public int status;
        public String finishReason;
        public FinishKind finish;
        public Long inputTokens;
        public Long outputTokens;
        public Long cacheReadTokens;
        public Long cacheWriteTokens;
        public Long reasoningTokens;
        public long requestNanos;
        public long responseHeadersNanos;
        public long firstContentNanos;
        public long endNanos;
        public List<ToolDefinition> toolsOffered = new java.util.ArrayList<>();
        public List<ToolCall> toolCalls = new java.util.ArrayList<>();
        public List<ToolResult> toolResults = new java.util.ArrayList<>();
        public String systemPrompt;
        public List<Message> messages = new java.util.ArrayList<>();
        public String outputText;
        public String reasoningText;
        public CallError error;
        public String responseId;
        public String decodeError;
        public AgentTag agent;

        /** Appends to decodeError rather than replacing it, so no reason is lost. */
        public Builder decodeProblem(String problem) {
            decodeError = decodeError == null ? problem : decodeError + "; " + problem;
            return this;
        }

        public LlmCall build() {
            return new LlmCall(id, exchangeId, wireApi, host, serverKind, requestModel, responseModel, stream, status,
                    finishReason, finish,
                    new TokenUsage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens),
                    requestNanos, responseHeadersNanos, firstContentNanos, endNanos, toolsOffered, toolCalls,
                    toolResults, systemPrompt, messages, outputText, reasoningText, error, responseId, decodeError,
                    agent);
        }
    }
}
