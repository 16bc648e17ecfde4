package heron.example.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.testing.Captures;
import heron.testing.Corpus;

/** The real ollama-js capture of the shared corpus: every /api exchange becomes an "ollama" call as in its truth. */
class OllamaCorpusTest {

    @Test
    void sdkOllamaCaptureMatchesItsTruth() throws Exception {
        Path cap = Corpus.shared("sdk-ollama.pcap");
        PipelineHealth health = new PipelineHealth();
        List<HttpExchange> exchanges = Captures.exchanges(cap, health);
        JsonNode truth = new ObjectMapper().readTree(Corpus.truthOf(cap).toFile());
        WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();
        int matched = 0;
        for (HttpExchange ex : exchanges) {
            LlmCall c = reg.decode(ex, health).call();
            String client = ex.client().ip() + ":" + ex.client().port();
            for (JsonNode t : truth.path("exchanges")) {
                JsonNode conn = t.path("tcp_connection");
                if (!client.equals(conn.path("client").asText())
                        || conn.path("request_index_on_conn").asInt() != ex.sequence() + 1) {
                    continue;
                }
                String where = t.path("path").asText() + " #" + t.path("index").asInt();
                assertEquals("ollama", c.wireApi(), where);
                assertEquals(t.path("model").asText(), c.model(), where);
                assertEquals(t.path("stream").asBoolean(), c.stream(), where);
                assertEquals(t.path("status").asInt(), c.status(), where);
                JsonNode r = t.path("response");
                assertEquals(r.path("stop_reason").asText(), c.finishReason(), where);
                assertEquals(r.path("usage").path("prompt_eval_count").asLong(), c.usage().input(), where);
                assertEquals(r.path("usage").path("eval_count").asLong(), c.usage().output(), where);
                assertEquals(r.path("tool_calls").size(), c.toolCalls().size(), where);
                for (int i = 0; i < c.toolCalls().size(); i++) {
                    JsonNode tc = r.path("tool_calls").get(i);
                    assertEquals(tc.path("name").asText(), c.toolCalls().get(i).name(), where);
                    JsonNode args = tc.get("arguments");
                    JsonNode want = args.isTextual() ? new ObjectMapper().readTree(args.asText()) : args;
                    assertEquals(want, new ObjectMapper().readTree(c.toolCalls().get(i).argumentsJson()), where);
                }
                if (r.path("text").isTextual() && !r.path("text").asText().isEmpty()) {
                    assertEquals(r.path("text").asText(), c.outputText(), where);
                }
                matched++;
            }
        }
        assertEquals(truth.path("exchanges").size(), matched, "every truth exchange was decoded");
    }
}
