package heron.decoders;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.decoders.internal.JsonStream;
import heron.net.NetOptions;
import heron.testing.Captures;
import heron.testing.Corpus;

/**
 * The tree walk (taken when a fast path gives up on a body or an event) decodes every exchange
 * of real captures exactly as the fast paths do: each exchange is decoded with the fast paths
 * off and on, and the whole results (every call field, via the records' toString) compared.
 * The golden test checks the fast paths against recorded output; this one makes sure the tree
 * walk, which real traffic rarely reaches, still follows the same rules for every decoder.
 */
class TreePathCorpusTest {
    private static final Set<String> BUILT_IN = Set.of("anthropic", "openai-chat", "openai-responses", "gemini");

    @AfterEach
    void restore() {
        JsonStream.enabled = true;
    }

    /**
     * Compares both ways for every exchange; counts, per wire API, the calls whose request the
     * fast path decoded into {@code perApi} (the others went through the tree walk both times).
     */
    private static void compare(Path root, List<Path> captures, Map<String, Integer> perApi, List<String> diffs)
            throws IOException {
        WireApiDecoderRegistry reg = BuiltIns.decoders();
        for (Path cap : captures) {
            PipelineHealth health = new PipelineHealth();
            List<HttpExchange> exchanges = Captures.exchanges(BuiltIns.sources(), cap, NetOptions.defaults(), health);
            for (HttpExchange ex : exchanges) {
                JsonStream.enabled = false;
                DecodeResult tree = reg.decode(ex, health);
                JsonStream.enabled = true;
                long fastBodies = JsonStream.FAST.sum();
                DecodeResult fast = reg.decode(ex, health);
                boolean fastRequest = JsonStream.FAST.sum() > fastBodies;
                String t = line(tree);
                String f = line(fast);
                if (!t.equals(f)) {
                    diffs.add(root.relativize(cap) + " #" + ex.id() + ":\n  tree " + t + "\n  fast " + f);
                }
                if (fast.call() != null && fastRequest) {
                    perApi.merge(fast.call().wireApi(), 1, Integer::sum);
                }
            }
        }
    }

    private static String line(DecodeResult r) {
        return "label=" + r.exchange().label() + " " + (r.call() == null ? "-" : r.call().toString());
    }

    @Test
    void treeWalkDecodesTestdataCapturesAsTheFastPathsDo() throws IOException {
        Path root = Corpus.testdata();
        Map<String, Integer> perApi = new TreeMap<>();
        List<String> diffs = new ArrayList<>();
        compare(root, Corpus.capturesBelow(root), perApi, diffs);
        assertTrue(perApi.keySet().containsAll(BUILT_IN), "every built-in decoder's fast path compared: " + perApi);
        assertTrue(diffs.isEmpty(), () -> diffs.size() + " differences\n" + String.join("\n", diffs));
    }

    @Test
    void treeWalkDecodesTheSharedCorpusAsTheFastPathsDo() throws IOException {
        Path root = Corpus.shared();
        Map<String, Integer> perApi = new TreeMap<>();
        List<String> diffs = new ArrayList<>();
        compare(root, Corpus.capturesBelow(root), perApi, diffs);
        System.out.println("tree walk vs fast paths over the corpus, calls per wire API (fast request path): " + perApi);
        assertTrue(perApi.keySet().containsAll(BUILT_IN), "every built-in decoder's fast path compared: " + perApi);
        assertTrue(perApi.values().stream().mapToInt(Integer::intValue).sum() > 100, "fast request paths compared: " + perApi);
        assertTrue(diffs.isEmpty(), () -> diffs.size() + " differences\n" + String.join("\n", diffs));
    }
}
