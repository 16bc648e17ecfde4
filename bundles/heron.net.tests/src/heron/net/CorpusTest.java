package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.testing.Corpus;

/** Every capture of the shared corpus against its truth.json; skipped when the corpus is absent. */
class CorpusTest {

    @Test
    void everyCorpusCaptureReconstructsTheExchangesOfItsTruthFile() throws IOException {
        Path dir = Corpus.shared();
        List<Path> caps = Corpus.capturesWithTruth(dir);
        assertTrue(!caps.isEmpty(), "no captures in " + dir);
        List<String> failures = new ArrayList<>();
        for (Path p : caps) {
            try {
                System.out.println(TruthCheck.check(p));
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " capture(s) differ from truth:\n" + String.join("\n", failures));
    }

    /**
     * The synthesized fixtures of the public Heron project: their golden files list the LLM calls
     * (status, streaming) the reference system found; every call must be an exchange here.
     */
    @Test
    void heronSynthFixturesYieldEveryGoldenCall() throws IOException {
        Path dir = Corpus.heronSynth();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Path> caps = Corpus.captures(dir);
        assertTrue(!caps.isEmpty());
        for (Path p : caps) {
            String base = Corpus.baseName(p);
            Path golden = dir.resolve(base + ".heron-golden.json");
            if (!Files.exists(golden)) {
                continue;
            }
            var g = json.readTree(golden.toFile());
            NetRun r = NetRun.of(p);
            assertTrue(!r.result.damage().any(), base);
            List<heron.core.model.HttpExchange> answered = r.exchanges.stream().filter(x -> x.hasResponse()
                    && x.response().complete()).toList();
            assertEquals(g.path("call_count").asInt(), answered.size(), base);
            for (int i = 0; i < answered.size(); i++) {
                var call = g.path("calls").get(i);
                var x = answered.get(i);
                assertEquals(call.path("status_code").asInt(), x.response().status(), base + " #" + i);
                if (call.path("is_stream").asBoolean()) {
                    assertTrue(!x.response().events().isEmpty(), base + " #" + i + ": no SSE events");
                }
            }
            System.out.println(base + ": " + answered.size() + " exchanges = golden calls");
        }
    }
}
