package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import heron.net.NetOptions;
import heron.pipeline.CallSummary;
import heron.pipeline.ImportResult;
import heron.pipeline.Warmup;

/**
 * The workbench's warm-up import: its bundled sample must still be found in the built bundle and
 * must exercise every built-in decoder, streamed and not, with both worker counts it may run with.
 */
class WarmupTest {
    @Test
    void warmupSampleDecodesEveryBuiltInWireApiStreamedAndNot() throws Exception {
        for (int workers : new int[] { 1, 2 }) {
            ImportResult r = Warmup.run(NetOptions.defaults().withWorkers(workers));
            assertFalse(r.damaged(), "the sample is a complete capture");
            Set<String> kinds = new TreeSet<>();
            for (CallSummary c : r.calls()) {
                assertNull(c.decodeError(), "call " + c.id() + " decodes cleanly");
                kinds.add(c.wireApi() + (c.stream() ? "/stream" : "/json"));
            }
            assertEquals(10, r.calls().size(), "the sample's ten calls, with " + workers + " workers");
            assertEquals(Set.of("anthropic/json", "anthropic/stream", "gemini/json", "gemini/stream",
                    "openai-chat/json", "openai-chat/stream", "openai-responses/json", "openai-responses/stream"),
                    kinds);
        }
    }
}
