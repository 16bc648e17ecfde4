package heron.decoders;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.decode.WireApiDecoderRegistry;
import heron.testing.Registries;
import heron.testing.Registries.Decoder;

/**
 * The built-in decoders and capture sources registered by hand with plugin.xml's priorities (no
 * extension registry, no JUnit), for the golden test and the benchmark on a plain class path.
 */
final class BuiltIns {
    private BuiltIns() {
    }

    static WireApiDecoderRegistry decoders() {
        return Registries.decoders(new Decoder("anthropic", 40, AnthropicDecoder::new),
                new Decoder("bedrock-converse", 35, BedrockConverseDecoder::new),
                new Decoder("openai-responses", 30, OpenAiResponsesDecoder::new),
                new Decoder("gemini", 20, GeminiDecoder::new), new Decoder("openai-chat", 10, OpenAiChatDecoder::new),
                new Decoder("openai-completions", 5, OpenAiCompletionsDecoder::new));
    }

    static CaptureSourceRegistry sources() {
        return Registries.pcapSources();
    }
}
