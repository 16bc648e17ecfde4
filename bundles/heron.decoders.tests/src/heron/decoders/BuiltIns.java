package heron.decoders;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import heron.core.capture.CaptureSource;
import heron.core.capture.CaptureSourceRegistry;
import heron.core.decode.WireApiDecoder;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;
import heron.net.pcap.PcapFileSource;
import heron.net.pcap.PcapNgFileSource;

/**
 * The built-in decoders and capture sources registered by hand with plugin.xml's priorities (no
 * extension registry, no JUnit), for the golden test and the benchmark on a plain class path.
 */
final class BuiltIns {
    private BuiltIns() {
    }

    static <T> Contribution<T> c(String id, int prio, Supplier<T> f, RegistryProblems p) {
        return new Contribution<>(id, id, prio, "golden", Map.of(), f, p);
    }

    static WireApiDecoderRegistry decoders() {
        RegistryProblems p = new RegistryProblems();
        List<Contribution<WireApiDecoder>> l = List.of(c("anthropic", 40, AnthropicDecoder::new, p),
                c("openai-responses", 30, OpenAiResponsesDecoder::new, p), c("gemini", 20, GeminiDecoder::new, p),
                c("openai-chat", 10, OpenAiChatDecoder::new, p));
        return new WireApiDecoderRegistry(l, p);
    }

    static CaptureSourceRegistry sources() {
        RegistryProblems p = new RegistryProblems();
        List<Contribution<CaptureSource>> l = List.of(c("pcap", 10, PcapFileSource::new, p),
                c("pcapng", 10, PcapNgFileSource::new, p));
        return new CaptureSourceRegistry(l, p);
    }
}
