package heron.core.model;

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
     * Share of the prompt served from cache. For "anthropic" the prompt is input + cache read +
     * cache write; for the OpenAI and Gemini wire APIs cached tokens are part of the input count.
     */
    public double cacheHitRatio(String wireApi) {
        long read = cacheReadOrZero();
        long prompt = "anthropic".equals(wireApi) ? inputOrZero() + read + cacheWriteOrZero() : inputOrZero();
        return prompt <= 0 ? 0 : (double) read / prompt;
    }
}
