package heron.export.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import heron.agents.TurnResult;
import heron.agents.TurnTracker;
import heron.core.agents.AgentProfileRegistry;
import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Capture;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.export.SimpleExportInput;
import heron.testing.Captures;

/**
 * The import pipeline's stages by hand (net, then decoders, then turn tracker) for tests over real
 * captures, so the export tests need neither heron.pipeline nor its store.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** @param calls every call, tagged by the turn tracker, in its order */
    public record Imported(Capture capture, TurnResult agents, List<LlmCall> calls, List<HttpExchange> exchanges) {
        /** Every turn and exchange selected; calls known (with the capture) for look-ups. */
        public SimpleExportInput allTurnsAndExchanges() {
            return SimpleExportInput.builder().capture(capture).knownCalls(calls, capture)
                    .knownTurns(agents.turns()).selectTurns(agents.turns()).knownExchanges(exchanges)
                    .selectExchanges(exchanges).build();
        }
    }

    public static Imported importCapture(Path file) throws IOException {
        PipelineHealth health = new PipelineHealth();
        List<HttpExchange> sorted = Captures.exchanges(file, health);
        WireApiDecoderRegistry decoders = WireApiDecoderRegistry.fromPlatform();
        TurnTracker tracker = new TurnTracker(AgentProfileRegistry.fromPlatform(), health);
        List<HttpExchange> exchanges = new ArrayList<>();
        List<LlmCall> calls = new ArrayList<>();
        for (HttpExchange x : sorted) {
            DecodeResult d = decoders.decode(x, health);
            exchanges.add(d.exchange());
            if (d.call() != null) {
                tracker.add(d.call(), d.exchange());
                calls.add(d.call());
            }
        }
        Capture capture = new Capture(1, file.toString(), "pcap", Files.size(file), "test-sha256", List.of(), 0, 0, 0,
                Capture.ImportStatus.COMPLETE);
        TurnResult agents = tracker.finish();
        return new Imported(capture, agents, agents.tag(calls), exchanges);
    }
}
