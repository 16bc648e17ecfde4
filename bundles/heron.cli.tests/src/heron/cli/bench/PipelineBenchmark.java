package heron.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.agents.BuiltinProfiles;
import heron.core.capture.CaptureSourceRegistry;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.decoders.AnthropicDecoder;
import heron.decoders.BedrockConverseDecoder;
import heron.decoders.GeminiDecoder;
import heron.decoders.OpenAiChatDecoder;
import heron.decoders.OpenAiCompletionsDecoder;
import heron.decoders.OpenAiResponsesDecoder;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.CaptureReassembler;
import heron.pipeline.ImportResult;
import heron.pipeline.ImportSink;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.store.StoreOptions;
import heron.testing.Captures;
import heron.testing.Folders;
import heron.testing.Registries;
import heron.testing.Registries.Decoder;

/**
 * Benchmarks of the stages above ingest (not run by the build): (1) the wire-API decoders alone,
 * single-threaded, over every exchange of a capture: calls/s and MB/s of body; (2) the whole
 * pipeline without the store (ingest + decode + turn tracker); (3) the same with the H2 store.
 * Run on a plain class path (see docs/performance.md for the command), input from
 * {@code make-big-pcap}.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {
    }

    /** The built-in decoders by hand, with plugin.xml's priorities. */
    public static WireApiDecoderRegistry decoders() {
        return Registries.decoders(new Decoder("anthropic", 40, AnthropicDecoder::new),
                new Decoder("bedrock-converse", 35, BedrockConverseDecoder::new),
                new Decoder("openai-responses", 30, OpenAiResponsesDecoder::new),
                new Decoder("gemini", 20, GeminiDecoder::new), new Decoder("openai-chat", 10, OpenAiChatDecoder::new),
                new Decoder("openai-completions", 5, OpenAiCompletionsDecoder::new));
    }

    public static CaptureSourceRegistry sources() {
        return Registries.pcapSources();
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/big.pcap");
        String mode = args.length > 1 ? args[1] : "all";
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        double mb = Files.size(file) / 1e6;
        NetOptions net = NetOptions.defaults().withWorkers(workers);
        if (mode.equals("all") || mode.equals("decode")) {
            List<HttpExchange> exchanges = Captures.exchanges(sources(), file, net, new PipelineHealth());
            long bodyBytes = Captures.bodyBytes(exchanges);
            WireApiDecoderRegistry reg = decoders();
            for (int pass = 0; pass < 3; pass++) {
                PipelineHealth h = new PipelineHealth();
                long t0 = System.nanoTime();
                long calls = Captures.decodeAll(reg, exchanges, h);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("decode pass %d: %,d calls in %.2f s = %,.0f calls/s, %.0f MB/s of body (%.0f MB)%n",
                        pass, calls, s, calls / s, bodyBytes / 1e6 / s, bodyBytes / 1e6);
            }
            exchanges.clear();
        }
        if (mode.equals("all") || mode.equals("nostore")) {
            for (int pass = 0; pass < 2; pass++) {
                CaptureImporter imp = new CaptureImporter(sources(), decoders(), BuiltinProfiles.registry(), net);
                long t0 = System.nanoTime();
                ImportResult r = imp.importFile(file, new ImportSink() {
                }, new NullProgressMonitor());
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("pipeline without store (%d workers) pass %d: %,d calls, %,d turns in %.2f s = %.0f MB/s%n",
                        workers, pass, r.calls().size(), r.turns().size(), s, mb / s);
            }
        }
        if (mode.equals("all") || mode.equals("store")) {
            Path dir = Files.createTempDirectory("heron-bench-store");
            // "archive" as the 4th argument copies payloads into the store (ADR 0002, the old default)
            boolean archive = args.length > 3 && args[3].equals("archive");
            try (HeronStore store = HeronStore.open(dir, StoreOptions.defaults().withArchivePayloads(archive))) {
                CaptureImporter imp = new CaptureImporter(sources(), decoders(), BuiltinProfiles.registry(), net);
                long t0 = System.nanoTime();
                ImportResult r;
                long id;
                try (StoreImportSink sink = new StoreImportSink(store, x -> {
                }, true)) {
                    r = imp.importFile(file, sink, new NullProgressMonitor());
                    id = sink.captureId();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("pipeline with store (%d workers, payloads %s): %,d calls in %.2f s = %.0f MB/s; database %,d MB%n",
                        workers, archive ? "archived" : "by reference", r.calls().size(), s, mb / s,
                        Folders.size(dir) / 1_000_000);
                // Correctness at scale, from what the views read: the store's rows.
                long[] sums = new long[2];
                for (var b : store.aggregations().callsOverTime(id, 60_000_000_000L)) {
                    sums[0] += b.inputTokens();
                    sums[1] += b.outputTokens();
                }
                System.out.printf("store: %,d calls, %,d turns; input tokens %,d, output tokens %,d%n",
                        store.calls().count(id, null), store.turns().count(id), sums[0], sums[1]);
                // Opening one call's detail (what the call detail view reads: the call, then its
                // exchange): cold includes checking the capture file (sha256) and re-assembling
                // its connection; warm is the next call of the same connection.
                store.setPayloadResolver(new CaptureReassembler(decoders(), net));
                List<LlmCall> page = store.calls().summariesAfter(id, Long.MIN_VALUE, 100_000);
                LlmCall middle = page.get(page.size() / 2);
                for (String what : new String[] { "cold", "warm", "other call of the turn" }) {
                    long t1 = System.nanoTime();
                    LlmCall c = store.calls().get(id, middle.id()).orElseThrow();
                    HttpExchange ex = store.exchanges().get(id, c.exchangeId()).orElseThrow();
                    System.out.printf("open call %d detail (%s): %.1f ms (%d messages, %d response bytes)%n", c.id(),
                            what, (System.nanoTime() - t1) / 1e6, c.messages().size(),
                            ex.response() == null ? 0 : ex.response().body().bytes().length);
                    if (what.equals("warm") && c.agent() != null && c.agent().turnId() != 0) {
                        List<Long> ids = store.turns().turn(id, c.agent().turnId()).map(t -> t.callIds())
                                .orElse(List.of());
                        middle = ids.stream().filter(x -> x != c.id()).findFirst().map(x -> page.stream()
                                .filter(p -> p.id() == x).findFirst().orElse(c)).orElse(c);
                    }
                }
            } finally {
                Folders.deleteTree(dir);
            }
        }
    }
}
