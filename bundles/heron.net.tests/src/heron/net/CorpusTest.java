package heron.net;

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
}
