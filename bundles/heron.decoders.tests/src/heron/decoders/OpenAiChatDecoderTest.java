package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.decode.JsonShape;
import heron.core.decode.WireApiDecoder.Route;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;

class OpenAiChatDecoderTest {
    private final OpenAiChatDecoder d = new OpenAiChatDecoder();

    static final String TOOL_REQUEST = j("{'model':'gpt-4o-mini','messages':[{'role':'system','content':'Be brief.'},"
            + "{'role':'user','content':'List files'},{'role':'assistant','content':null,'tool_calls':[{'id':'call_1',"
            + "'type':'function','function':{'name':'shell','arguments':'{\\'cmd\\':\\'ls\\'}'}}]},"
            + "{'role':'tool','tool_call_id':'call_1','content':'a.txt'}],"
            + "'tools':[{'type':'function','function':{'name':'shell','description':'Run a command',"
            + "'parameters':{'type':'object','properties':{'cmd':{'type':'string'}}}}}]}");

    @Test
    void nonStreamedToolCallIsDecodedWithUsageAndCache() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(TOOL_REQUEST)
                .respHeader("openai-version", "2020-10-01")
                .json(j("{'id':'chatcmpl-1','object':'chat.completion','model':'gpt-4o-mini-2024','choices':[{'index':0,"
                        + "'message':{'role':'assistant','content':null,'tool_calls':[{'id':'call_2','type':'function',"
                        + "'function':{'name':'shell','arguments':'{\\'cmd\\':\\'cat a.txt\\'}'}}]},'finish_reason':'tool_calls'}],"
                        + "'usage':{'prompt_tokens':33,'completion_tokens':57,'total_tokens':90,"
                        + "'prompt_tokens_details':{'cached_tokens':12},'completion_tokens_details':{'reasoning_tokens':4}}}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("gpt-4o-mini", c.requestModel());
        assertEquals("gpt-4o-mini-2024", c.responseModel());
        assertEquals("chatcmpl-1", c.responseId());
        assertEquals("tool_calls", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(33L, c.usage().input());
        assertEquals(57L, c.usage().output());
        assertEquals(12L, c.usage().cacheRead());
        assertEquals(4L, c.usage().reasoning());
        assertEquals(List.of(new ToolCall("call_2", "shell", j("{'cmd':'cat a.txt'}"))), c.toolCalls());
        assertEquals("Be brief.", c.systemPrompt());
        assertEquals(3, c.messages().size());
        assertEquals(List.of(new ToolCall("call_1", "shell", j("{'cmd':'ls'}"))), c.messages().get(1).toolCalls());
        assertEquals(Message.toolResult("call_1", "a.txt", false), c.messages().get(2));
        assertEquals(1, c.toolResults().size());
        assertEquals("call_1", c.toolResults().get(0).toolCallId());
        assertEquals("shell", c.toolsOffered().get(0).name());
        assertEquals("Run a command", c.toolsOffered().get(0).description());
        assertTrue(c.toolsOffered().get(0).parametersJson().contains("\"cmd\""));
        assertEquals(ServerKinds.OPENAI, c.serverKind());
        assertEquals(false, c.stream());
    }

    @Test
    void interleavedParallelToolCallDeltasAreReassembledByIndex() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions")
                .body(j("{'model':'m','stream':true,'messages':[{'role':'user','content':'go'}]}"))
                .sse(j("{'id':'chatcmpl-9','model':'m','choices':[{'index':0,'delta':{'role':'assistant','tool_calls':["
                        + "{'index':0,'id':'call_a','type':'function','function':{'name':'read','arguments':''}},"
                        + "{'index':1,'id':'call_b','type':'function','function':{'name':'grep','arguments':''}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':1,'function':{'arguments':'{\\'pat'}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'function':{'arguments':'{\\'path\\':'}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':1,'function':{'arguments':'\\':\\'x\\'}'}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'function':{'arguments':'\\'a\\'}'}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"),
                        j("{'choices':[],'usage':{'prompt_tokens':5,'completion_tokens':7}}"), "[DONE]")
                .build());
        assertNull(c.decodeError());
        assertTrue(c.stream());
        assertEquals(List.of(new ToolCall("call_a", "read", j("{'path':'a'}")),
                new ToolCall("call_b", "grep", j("{'pat':'x'}"))), c.toolCalls());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(5L, c.usage().input());
        assertEquals(7L, c.usage().output());
        assertEquals(Ex.FIRST_EVENT, c.firstContentNanos(), "first tool delta is content");
    }

    @Test
    void parallelToolCallsSharingIndexZeroOrWithoutIndexStayApart() {
        // Ollama gives every parallel call index 0; older Ollama and Mistral send no index: each
        // call comes whole in its own chunk with its own id.
        for (String index : new String[] {"'index':0,", ""}) {
            LlmCall c = d.decode(Ex.post("/v1/chat/completions")
                    .body(j("{'model':'qwen3','stream':true,'messages':[{'role':'user','content':'go'}]}"))
                    .sse(j("{'id':'c','model':'qwen3','choices':[{'index':0,'delta':{'role':'assistant','tool_calls':[{" + index
                            + "'id':'call_a','type':'function','function':{'name':'read','arguments':'{\\'p\\':\\'a\\'}'}}]}}]}"),
                            j("{'id':'c','model':'qwen3','choices':[{'index':0,'delta':{'tool_calls':[{" + index
                                    + "'id':'call_b','type':'function','function':{'name':'grep','arguments':'{\\'p\\':\\'b\\'}'}}]}}]}"),
                            j("{'id':'c','model':'qwen3','choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"),
                            "[DONE]")
                    .build());
            assertNull(c.decodeError(), index);
            assertEquals(List.of(new ToolCall("call_a", "read", j("{'p':'a'}")), new ToolCall("call_b", "grep", j("{'p':'b'}"))),
                    c.toolCalls(), index);
        }
    }

    @Test
    void aStreamThatChangesTheIdInEveryFragmentOfOneCallStillGivesOneCall() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions")
                .body(j("{'model':'m','stream':true,'messages':[{'role':'user','content':'go'}]}"))
                .sse(j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'call_1','function':{'name':'read','arguments':'{\\'p\\''}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'call_2','function':{'arguments':':\\'a\\'}'}}]}}]}"),
                        j("{'choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}"), "[DONE]")
                .build());
        assertEquals(1, c.toolCalls().size());
        assertEquals(j("{'p':'a'}"), c.toolCalls().get(0).argumentsJson());
    }

    @Test
    void reasoningDeltasAreKeptApartFromTextAndFirstContentIsTheFirstDelta() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions")
                .body(j("{'model':'qwen3','stream':true,'messages':[{'role':'user','content':'hi'}]}"))
                .respHeader("Server", "uvicorn")
                .sse(j("{'id':'chatcmpl-r','model':'qwen3','choices':[{'index':0,'delta':{'role':'assistant','content':''}}]}"),
                        j("{'choices':[{'index':0,'delta':{'reasoning_content':'Think '}}]}"),
                        j("{'choices':[{'index':0,'delta':{'reasoning':'more.'}}]}"),
                        j("{'choices':[{'index':0,'delta':{'content':'Hello'}}]}"),
                        j("{'choices':[{'index':0,'delta':{},'finish_reason':'stop','stop_reason':null}]}"), "[DONE]")
                .build());
        assertEquals("Think more.", c.reasoningText());
        assertEquals("Hello", c.outputText());
        assertEquals(Ex.FIRST_EVENT + Ex.EVENT_STEP, c.firstContentNanos(), "role-only chunk is no content");
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(ServerKinds.VLLM, c.serverKind());
    }

    @Test
    void azureDeploymentIsTheModelWhenTheBodyHasNone() {
        var ex = Ex.post("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21")
                .reqHeader("api-key", "k").body(j("{'messages':[{'role':'user','content':'hi'}],'stream':true}"))
                .respHeader("apim-request-id", "x")
                .sse(j("{'choices':[],'created':0,'id':'','model':'','object':'','prompt_filter_results':[]}"),
                        j("{'choices':[{'delta':{'role':'assistant','content':'Hi'},'finish_reason':null,'index':0}],"
                                + "'id':'chatcmpl-z','model':'gpt-4o'}"),
                        j("{'choices':[{'delta':{},'finish_reason':'content_filter','index':0}],'id':'chatcmpl-z','model':'gpt-4o'}"),
                        "[DONE]")
                .build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertEquals("gpt-4o-prod", c.requestModel());
        assertEquals("gpt-4o", c.responseModel());
        assertEquals("chatcmpl-z", c.responseId(), "the empty id of Azure's filter chunk is ignored");
        assertEquals(FinishKind.CONTENT_FILTER, c.finish());
        assertEquals(ServerKinds.AZURE_OPENAI, c.serverKind());
    }

    @Test
    void rateLimitErrorKeepsTypeMessageAndRetryAfter() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[{'role':'user','content':'x'}]}"))
                .status(429).respHeader("retry-after", "1")
                .json(j("{'error':{'message':'Rate limit reached','type':'requests','param':null,'code':'rate_limit_exceeded'}}"))
                .build());
        assertEquals(429, c.status());
        assertEquals(FinishKind.ERROR, c.finish());
        assertNotNull(c.error());
        assertEquals("rate_limit_exceeded", c.error().type());
        assertEquals("Rate limit reached", c.error().message());
        assertEquals("1", c.error().retryAfter());
        assertTrue(c.isError());
    }

    @Test
    void errorBodyWithoutTypeGetsTypeFromStatus() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[]}")).status(429)
                .respBytes("text/html", "<html>slow down</html>".getBytes()).build());
        assertEquals("rate_limit", c.error().type());
        assertEquals("<html>slow down</html>", c.error().message());
        LlmCall c5 = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[]}")).status(502)
                .json(j("{'error':'upstream down'}")).build());
        assertEquals("server_error", c5.error().type());
        assertEquals("upstream down", c5.error().message());
    }

    @Test
    void invalidJsonRequestStillGivesACallWithDecodeError() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body("{\"model\":\"gpt-4o-mini\",\"messages\":[").status(400)
                .json(j("{'error':{'message':'We could not parse the JSON body','type':'invalid_request_error'}}")).build());
        assertEquals("gpt-4o-mini", c.requestModel(), "fields before the damage are read");
        assertTrue(c.decodeError().contains("request body"), c.decodeError());
        assertEquals("invalid_request_error", c.error().type());
    }

    @Test
    void truncatedStreamIsCancelledWithDecodeError() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions")
                .body(j("{'model':'m','stream':true,'messages':[{'role':'user','content':'x'}]}"))
                .sse(j("{'id':'chatcmpl-t','model':'m','choices':[{'index':0,'delta':{'content':'word0 '}}]}"),
                        j("{'id':'chatcmpl-t','model':'m','choices':[{'index':0,'delta':{'content':'word1 '}}]}"),
                        "{\"id\":\"chatcmpl-t\",\"choi")
                .incomplete().build());
        assertEquals("word0 word1 ", c.outputText());
        assertEquals(FinishKind.CANCELLED, c.finish());
        assertNull(c.finishReason());
        assertTrue(c.decodeError().contains("truncated stream"), c.decodeError());
    }

    @Test
    void cappedResponseBodyKeepsWhatIsReadable() {
        String full = j("{'id':'chatcmpl-c','model':'m','choices':[{'index':0,'message':{'role':'assistant','content':'"
                + "x".repeat(200) + "'},'finish_reason':'stop'}],'usage':{'prompt_tokens':1,'completion_tokens':2}}");
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[{'role':'user','content':'x'}]}"))
                .jsonCapped(full, 100).build());
        assertEquals("chatcmpl-c", c.responseId());
        assertEquals("m", c.responseModel());
        assertTrue(c.decodeError().contains("response body capped (100 of"), c.decodeError());
    }

    @Test
    void cappedRequestBodyKeepsModelAndStream() {
        String body = j("{'model':'big','stream':true,'messages':[{'role':'user','content':'" + "y".repeat(500) + "'}]}");
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").bodyCapped(body, 120)
                .sse(j("{'choices':[{'index':0,'delta':{'content':'ok'},'finish_reason':'stop'}]}"), "[DONE]").build());
        assertEquals("big", c.requestModel());
        assertTrue(c.stream());
        assertEquals("ok", c.outputText());
        assertTrue(c.decodeError().contains("request body capped"), c.decodeError());
    }

    @Test
    void doubleEncodedArgumentsAreUnwrapped() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[{'role':'user','content':'x'}]}"))
                .json(j("{'choices':[{'index':0,'message':{'role':'assistant','tool_calls':[{'id':'c1','function':"
                        + "{'name':'f','arguments':'\\'{\\\\\\'a\\\\\\':1}\\''}}]},'finish_reason':'tool_calls'}]}"))
                .build());
        assertEquals(j("{'a':1}"), c.toolCalls().get(0).argumentsJson());
    }

    @Test
    void serverKindsAreRecognisedFromBodyFingerprints() {
        String req = j("{'model':'m','messages':[{'role':'user','content':'x'}]}");
        LlmCall sg = d.decode(Ex.post("/v1/chat/completions").body(req)
                .json(j("{'id':'x','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop','matched_stop':2}]}"))
                .build());
        assertEquals(ServerKinds.SGLANG, sg.serverKind());
        LlmCall ol = d.decode(Ex.post("/v1/chat/completions").body(req)
                .json(j("{'id':'chatcmpl-1','system_fingerprint':'fp_ollama','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop'}]}"))
                .build());
        assertEquals(ServerKinds.OLLAMA, ol.serverKind());
        LlmCall lc = d.decode(Ex.post("/v1/chat/completions").body(req)
                .json(j("{'id':'chatcmpl-1','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop'}],'timings':{}}"))
                .build());
        assertEquals(ServerKinds.LLAMA_CPP, lc.serverKind());
        LlmCall ll = d.decode(Ex.post("/v1/chat/completions").body(req).respHeader("x-litellm-call-id", "1")
                .respHeader("openai-version", "x")
                .json(j("{'id':'chatcmpl-1','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop'}]}"))
                .build());
        assertEquals(ServerKinds.LITELLM, ll.serverKind());
        LlmCall none = d.decode(Ex.post("/v1/chat/completions").body(req)
                .json(j("{'id':'chatcmpl-1','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop'}]}"))
                .build());
        assertNull(none.serverKind());
        LlmCall byId = d.decode(Ex.post("/v1/chat/completions").body(req)
                .json(j("{'id':'chatcmpl-huv4FxaSBnnNhiVWdZVbe5XYchyhl','choices':[{'index':0,'message':{'content':'a'},'finish_reason':'stop'}]}"))
                .build());
        assertEquals(ServerKinds.OPENAI, byId.serverKind(), "OpenAI's own 29-character id shape");
    }

    @Test
    void routeAndShapeAndLabels() {
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/v1/chat/completions").build()));
        assertEquals(Route.REJECT, d.classifyRoute(Ex.post("/api/chat").build()));
        assertEquals(Route.REJECT, d.classifyRoute(Ex.get("/v1/chat/completions").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.post("/gateway/x").build()));
        assertTrue(d.matchesShape(null, JsonShape.of(j("{'model':'m','messages':[{}]}").getBytes())));
        assertTrue(!d.matchesShape(null, JsonShape.of(j("{'model':'m','input':'x','messages':[{}]}").getBytes())));
        assertEquals("models", d.nonCallLabel(Ex.get("/v1/models").build()));
        assertEquals("embeddings", d.nonCallLabel(Ex.post("/v1/embeddings").build()));
        assertNull(d.nonCallLabel(Ex.post("/v1/chat/completions").build()));
    }

    @Test
    void missingResponseIsReported() {
        LlmCall c = d.decode(Ex.post("/v1/chat/completions").body(j("{'model':'m','messages':[]}")).noResponse().build());
        assertEquals("m", c.requestModel());
        assertEquals("no response", c.decodeError());
    }

    @Test
    void toolCallsAnsweredWithFinishStopAreNormalisedToToolUse() {
        // older Ollama /v1 and some vLLM tool parsers say "stop" although the answer calls a tool
        LlmCall body = d.decode(Ex.post("/v1/chat/completions").body(TOOL_REQUEST)
                .json(j("{'id':'chatcmpl-1','model':'qwen3','choices':[{'index':0,'message':{'role':'assistant',"
                        + "'content':'','tool_calls':[{'id':'call_9','type':'function','function':{'name':'shell',"
                        + "'arguments':'{}'}}]},'finish_reason':'stop'}]}"))
                .build());
        assertEquals("stop", body.finishReason());
        assertEquals(FinishKind.TOOL_USE, body.finish());
        LlmCall stream = d.decode(Ex.post("/v1/chat/completions").body(TOOL_REQUEST)
                .sse(j("{'id':'c','model':'qwen3','choices':[{'index':0,'delta':{'role':'assistant','tool_calls':[{'index':0,"
                        + "'id':'call_9','type':'function','function':{'name':'shell','arguments':'{}'}}]},'finish_reason':null}]}"),
                        j("{'id':'c','model':'qwen3','choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}"), "[DONE]")
                .build());
        assertEquals(FinishKind.TOOL_USE, stream.finish());
        LlmCall text = d.decode(Ex.post("/v1/chat/completions").body(TOOL_REQUEST)
                .json(j("{'choices':[{'index':0,'message':{'role':'assistant','content':'done'},'finish_reason':'stop'}]}"))
                .build());
        assertEquals(FinishKind.COMPLETE, text.finish());
        LlmCall busy = d.decode(Ex.post("/chat/completions").body(TOOL_REQUEST)
                .json(j("{'choices':[{'index':0,'message':{'role':'assistant','content':'par'},"
                        + "'finish_reason':'insufficient_system_resource'}]}"))
                .build());
        assertEquals(FinishKind.ERROR, busy.finish(), "DeepSeek ran out of capacity");
    }
}
