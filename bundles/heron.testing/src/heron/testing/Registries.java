package heron.testing;

import java.util.ArrayList;
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
 * Registries made by hand, without the extension registry: for golden tests whose output must
 * not depend on what else a runtime contributes, and for benchmarks on a plain class path.
 */
public final class Registries {
    private Registries() {
    }

    /** A decoder to register by hand, with its plugin.xml id and priority. */
    public record Decoder(String id, int priority, Supplier<WireApiDecoder> factory) {
    }

    /** A contribution made in code (its contributor, named in problem messages, is "by hand"). */
    public static <T> Contribution<T> contribution(String id, int priority, Supplier<T> factory,
            RegistryProblems problems) {
        return new Contribution<>(id, id, priority, "by hand", Map.of(), factory, problems);
    }

    /** The pcap and pcapng capture sources of heron.net, as plugin.xml registers them. */
    public static CaptureSourceRegistry pcapSources() {
        RegistryProblems p = new RegistryProblems();
        List<Contribution<CaptureSource>> l = List.of(contribution("pcap", 10, PcapFileSource::new, p),
                contribution("pcapng", 10, PcapNgFileSource::new, p));
        return new CaptureSourceRegistry(l, p);
    }

    /** A decoder registry of exactly these decoders. */
    public static WireApiDecoderRegistry decoders(Decoder... decoders) {
        RegistryProblems p = new RegistryProblems();
        List<Contribution<WireApiDecoder>> l = new ArrayList<>();
        for (Decoder d : decoders) {
            l.add(contribution(d.id(), d.priority(), d.factory(), p));
        }
        return new WireApiDecoderRegistry(l, p);
    }
}
