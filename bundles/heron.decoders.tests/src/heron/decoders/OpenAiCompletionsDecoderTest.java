package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import heron.core.decode.WireApiDecoder.Route;
import heron.core.health.PipelineHealth;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;

class OpenAiCompletionsDecoderTest {
    private final OpenAiCompletionsDecoder d = new OpenAiCompletionsDecoder();

    @Test
    void legacyCompletionIsACallWithThePromptAsUserMessageAndItsUsage() {
        LlmCall c = d.decode(Ex.post("/v1/completions")
                .body(j("{'model':'gpt-3.5-turbo-instruct','prompt':'Say hi','max_tokens':5}"))
                .json(j("{'id':'cmpl-1','object':'text_completion','model':'gpt-3.5-turbo-instruct','choices':[{'text':' hi',"
                        + "'index':0,'logprobs':null,'finish_reason':'length'}],'usage':{'prompt_tokens':2,"
                        + "'completion_tokens':5,'total_tokens':7}}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("openai-completions", c.wireApi());
        assertEquals("gpt-3.5-turbo-instruct", c.requestModel());
        assertEquals("cmpl-1", c.responseId());
        assertEquals(" hi", c.outputText());
        assertEquals(FinishKind.LENGTH, c.finish());
        assertEquals(2L, c.usage().input());
        assertEquals(5L, c.usage().output());
        assertEquals(1, c.messages().size());
        assertEquals("user", c.messages().get(0).role());
        assertEquals("Say hi", c.messages().get(0).text());
    }

    @Test
    void streamedCompletionJoinsTextAndTakesUsageFromTheLastChunk() {
        LlmCall c = d.decode(Ex.post("/openai/deployments/instruct/completions?api-version=2024-10-21")
                .body(j("{'prompt':['a','b'],'stream':true,'stream_options':{'include_usage':true}}"))
                .sse(j("{'id':'cmpl-2','object':'text_completion','model':'m1','choices':[{'text':'Hel','index':0,'finish_reason':null}]}"),
                        j("{'id':'cmpl-2','object':'text_completion','model':'m1','choices':[{'text':'lo','index':0,'finish_reason':'stop'}]}"),
                        j("{'id':'cmpl-2','object':'text_completion','model':'m1','choices':[],'usage':{'prompt_tokens':4,'completion_tokens':2}}"),
                        "[DONE]")
                .build());
        assertNull(c.decodeError());
        assertEquals("instruct", c.requestModel(), "Azure: the deployment");
        assertEquals("m1", c.responseModel());
        assertEquals("Hello", c.outputText());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(4L, c.usage().input());
        assertEquals(2L, c.usage().output());
        assertEquals("a\n\nb", c.messages().get(0).text());
    }

    @Test
    void onlyTheLegacyPathsAreClaimedAndTheRegistryRoutesThemHere() {
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/v1/completions").body("{}").json("{}").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.post("/v1/chat/completions").body("{}").json("{}").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.get("/v1/completions").json("{}").build()));
        var r = BuiltIns.decoders().decode(Ex.post("/v1/completions").body(j("{'model':'m','prompt':'x'}"))
                .json(j("{'choices':[{'text':'y','index':0,'finish_reason':'stop'}]}")).build(), new PipelineHealth());
        assertEquals("openai-completions", r.call().wireApi());
        var chat = BuiltIns.decoders().decode(Ex.post("/v1/chat/completions")
                .body(j("{'model':'m','messages':[{'role':'user','content':'x'}]}")).json("{}").build(), new PipelineHealth());
        assertEquals("openai-chat", chat.call().wireApi());
    }
}
