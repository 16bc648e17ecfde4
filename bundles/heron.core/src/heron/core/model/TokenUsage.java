package heron.core.model;

import java.util.Set;

/**
 * Token counts as the provider reported them; null where the provider said nothing.
 * {@code input} is the provider's own number: Anthropic's input_tokens excludes cached tokens,
 * OpenAI's prompt_tokens includes them (see {@link #cacheHitRatio(String)}).
 */
public record TokenUsage(Long input, Long output, Long cacheRead, Long cacheWrite, Long reasoning) {
    public static final TokenUsage NONE = new TokenUsage(null, null, null, null, null);

    public long inputOrZero() {
        return input == null ? 0 : input;
    }

    public long outputOrZero() {
        return output == null ? 0 : output;
    }

    public long cacheReadOrZero() {
        return cacheRead == null ? 0 : cacheRead;
    }

    public long cacheWriteOrZero() {
        return cacheWrite == null ? 0 : cacheWrite;
    }

    /**
     * Wire APIs whose input count excludes the cached tokens, reported beside it (Anthropic's
     * {@code input_tokens}, Bedrock Converse's {@code inputTokens}); the OpenAI and Gemini wire
     * APIs (and plug-ins') count the cached part within the input.
     */
    public static final Set<String> CACHE_BESIDE_INPUT = Set.of("anthropic", "bedrock-converse");

    /** The prompt size by the wire API's counting rule (see {@link #CACHE_BESIDE_INPUT}). */
    public static long promptTokens(String wireApi, long input, long cacheRead, long cacheWrite) {
        return wireApi != null && CACHE_BESIDE_INPUT.contains(wireApi) ? input + cacheRead + cacheWrite : input;
    }

    /** Share of the prompt served from cache: cache read over {@link #promptTokens}. */
    public double cacheHitRatio(String wireApi) {
        long read = cacheReadOrZero();
        long prompt = promptTokens(wireApi, inputOrZero(), read, cacheWriteOrZero());
        return prompt <= 0 ? 0 : (double) read / prompt;
    }
}
