package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every capture of the shared corpus against its truth.json; skipped when the corpus is absent. */
class CorpusTest {

    static Path corpus() {
        String dir = System.getProperty("heron.corpus");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "shared corpus not present (system property heron.corpus): corpus tests skipped");
        return Path.of(dir);
    }

    @Test
    void everyCorpusCaptureReconstructsTheExchangesOfItsTruthFile() throws IOException {
        Path dir = corpus();
        List<Path> caps;
        try (Stream<Path> s = Files.list(dir)) {
            caps = s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .filter(p -> Files.exists(TruthCheck.truthOf(p))).sorted().toList();
        }
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
        Path dir = corpus().resolve("heron-synth");
        Assumptions.assumeTrue(Files.isDirectory(dir), "heron-synth fixtures not present: skipped");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Path> caps;
        try (Stream<Path> s = Files.list(dir)) {
            caps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        assertTrue(!caps.isEmpty());
        for (Path p : caps) {
            String base = p.getFileName().toString().replace(".pcap", "");
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
