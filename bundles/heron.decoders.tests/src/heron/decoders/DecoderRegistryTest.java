package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.registry.Contribution;

/** The built-in decoders as the platform sees them: contributed, ordered, and routing each variant. */
class DecoderRegistryTest {
    private final WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();

    private String wireApi(HttpExchange ex) {
        DecodeResult r = reg.decode(ex, new PipelineHealth());
        return r.call() == null ? null : r.call().wireApi();
    }

    @Test
    void builtInsAreContributedInPriorityOrder() {
        List<String> ids = reg.contributions().stream().map(Contribution::id)
                .filter(List.of("anthropic", "openai-responses", "gemini", "openai-chat")::contains).toList();
        assertEquals(List.of("anthropic", "openai-responses", "gemini", "openai-chat"), ids);
        assertEquals("heron.decoders", reg.byId("anthropic").orElseThrow().contributor());
        assertTrue(reg.problems().messages().stream().noneMatch(m -> m.contains("heron.decoders")),
                () -> reg.problems().messages().toString());
    }

    @Test
    void everyVariantLandsOnItsWireApi() {
        String chat = j("{'model':'m','messages':[{'role':'user','content':'x'}]}");
        String anth = j("{'model':'claude','max_tokens':5,'messages':[{'role':'user','content':'x'}]}");
        String resp = j("{'model':'gpt-5','input':'x'}");
        String gem = j("{'contents':[{'role':'user','parts':[{'text':'x'}]}]}");
        assertEquals("openai-chat", wireApi(Ex.post("/v1/chat/completions").body(chat).json("{}").build()));
        assertEquals("openai-chat", wireApi(Ex.post("/openai/deployments/d1/chat/completions?api-version=2024-10-21")
                .reqHeader("api-key", "k").body(chat).json("{}").build()));
        assertEquals("openai-chat", wireApi(Ex.post("/some/gateway").body(chat).json("{}").build()), "shape fallback");
        assertEquals("anthropic", wireApi(Ex.post("/v1/messages?beta=true").body(anth).json("{}").build()));
        assertEquals("anthropic", wireApi(Ex.post("/gateway").reqHeader("anthropic-version", "2023-06-01").body(anth)
                .json("{}").build()), "anthropic header + shape beats openai-chat's broader shape");
        assertEquals("anthropic", wireApi(Ex.post("/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}")).json("{}").build()));
        assertEquals("anthropic", wireApi(Ex.post(
                "/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict")
                .body(j("{'anthropic_version':'vertex-2023-10-16','messages':[]}")).json("{}").build()));
        assertEquals("openai-responses", wireApi(Ex.post("/v1/responses").body(resp).json("{}").build()));
        assertEquals("openai-responses", wireApi(Ex.post("/custom").body(resp).json("{}").build()), "shape fallback");
        assertEquals("gemini", wireApi(Ex.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse").body(gem)
                .json("{}").build()));
        assertEquals("gemini", wireApi(Ex.post("/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-pro:generateContent")
                .body(gem).json("{}").build()));
        assertNull(wireApi(Ex.post("/api/chat").body(chat).json("{}").build()), "Ollama native is not openai-chat");
        assertNull(wireApi(Ex.post("/upload").body(j("{'file':'x'}")).json("{}").build()));
    }

    @Test
    void nonCallExchangesAreLabelled() {
        PipelineHealth h = new PipelineHealth();
        DecodeResult ct = reg.decode(Ex.post("/v1/messages/count_tokens").body(j("{'model':'m','messages':[]}"))
                .json(j("{'input_tokens':78}")).build(), h);
        assertNull(ct.call());
        assertEquals("count-tokens", ct.exchange().label());
        DecodeResult vct = reg.decode(Ex.post("/v1/projects/p/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict")
                .body(j("{'model':'claude','messages':[]}")).json(j("{'input_tokens':1}")).build(), h);
        assertEquals("count-tokens", vct.exchange().label());
        assertEquals("models", reg.decode(Ex.get("/v1/models").json("{}").build(), h).exchange().label());
        assertEquals("count-tokens", reg.decode(Ex.post("/v1beta/models/gemini-2.5-flash:countTokens").body("{}").json("{}")
                .build(), h).exchange().label());
        assertEquals(4, h.get(PipelineHealth.EXCHANGES_LABELLED));
        assertEquals(0, h.get(PipelineHealth.CALLS));
    }

    @Test
    void registryFillsTimingAndCountsDecodeErrors() {
        PipelineHealth h = new PipelineHealth();
        DecodeResult r = reg.decode(Ex.post("/v1/chat/completions").body("{\"model\":\"m\",\"messages\":[")
                .json(j("{'id':'chatcmpl-1','choices':[{'index':0,'message':{'content':'hi'},'finish_reason':'stop'}]}")).build(), h);
        assertNotNull(r.call());
        assertEquals(Ex.REQUEST_END, r.call().requestNanos());
        assertEquals(20_000, r.call().endNanos());
        assertEquals(1, h.get(PipelineHealth.CALL_DECODE_ERRORS));
        assertEquals(1, h.get(PipelineHealth.CALLS));
    }
}
