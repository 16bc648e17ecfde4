package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.decode.WireApiDecoder.Route;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolResult;

class GeminiDecoderTest {
    private final GeminiDecoder d = new GeminiDecoder();

    static final String REQUEST = j("{'contents':[{'role':'user','parts':[{'text':'List files'}]},"
            + "{'role':'model','parts':[{'text':'Listing','thought':true},{'functionCall':{'name':'list_directory','args':{'dir_path':'/w'}}}]},"
            + "{'role':'user','parts':[{'functionResponse':{'name':'list_directory','response':{'output':'a.txt'}}}]}],"
            + "'systemInstruction':{'parts':[{'text':'You are Gemini CLI.'}]},"
            + "'tools':[{'functionDeclarations':[{'name':'list_directory','description':'Lists','parametersJsonSchema':{'type':'object'}}]},{'googleSearch':{}}],"
            + "'generationConfig':{'temperature':1}}");

    @Test
    void sseStreamWithFunctionCallIsToolUseAndUsageIsTheLastSnapshot() {
        LlmCall c = d.decode(Ex.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
                .reqHeader("x-goog-api-key", "k").body(REQUEST).respHeader("x-goog-request-id", "1")
                .sse(j("{'candidates':[{'content':{'parts':[{'text':'Let me ','thought':true}],'role':'model'},'index':0}],"
                        + "'usageMetadata':{'promptTokenCount':158,'totalTokenCount':158},'modelVersion':'gemini-2.5-flash','responseId':'r1'}"),
                        j("{'candidates':[{'content':{'parts':[{'text':'Reading.'},{'functionCall':{'name':'read_file','args':{'path':'a.txt'}}}],"
                                + "'role':'model'},'finishReason':'STOP','index':0}],'usageMetadata':{'promptTokenCount':158,"
                                + "'candidatesTokenCount':27,'thoughtsTokenCount':5,'cachedContentTokenCount':100,'totalTokenCount':190},"
                                + "'modelVersion':'gemini-2.5-flash','responseId':'r1'}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("gemini-2.5-flash", c.requestModel());
        assertTrue(c.stream());
        assertEquals("STOP", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(List.of(new ToolCall(null, "read_file", j("{'path':'a.txt'}"))), c.toolCalls());
        assertEquals("Reading.", c.outputText());
        assertEquals("Let me ", c.reasoningText());
        assertEquals(158L, c.usage().input());
        assertEquals(32L, c.usage().output(), "candidates + thoughts");
        assertEquals(5L, c.usage().reasoning());
        assertEquals(100L, c.usage().cacheRead());
        assertEquals("r1", c.responseId());
        assertEquals(Ex.FIRST_EVENT, c.firstContentNanos());
        assertEquals(ServerKinds.GOOGLE, c.serverKind());
        assertEquals("You are Gemini CLI.", c.systemPrompt());
        assertEquals(List.of("list_directory", "googleSearch"), c.toolsOffered().stream().map(t -> t.name()).toList());
        assertEquals(3, c.messages().size());
        assertEquals("Listing", c.messages().get(1).reasoning());
        assertEquals(List.of(new ToolCall(null, "list_directory", j("{'dir_path':'/w'}"))), c.messages().get(1).toolCalls());
        assertEquals(Message.toolResult("list_directory", j("{'output':'a.txt'}"), false), c.messages().get(2));
        assertEquals(List.of(new ToolResult("list_directory", j("{'output':'a.txt'}"), false)), c.toolResults());
    }

    @Test
    void streamWithoutAltSseIsOneJsonArray() {
        String array = "[" + j("{'candidates':[{'content':{'parts':[{'text':'Hel'}],'role':'model'},'index':0}],'modelVersion':'gemini-2.0-flash'}")
                + ",\r\n" + j("{'candidates':[{'content':{'parts':[{'text':'lo'}],'role':'model'},'finishReason':'MAX_TOKENS','index':0}],"
                        + "'usageMetadata':{'promptTokenCount':4,'candidatesTokenCount':2,'totalTokenCount':6},'modelVersion':'gemini-2.0-flash'}")
                + "]";
        LlmCall c = d.decode(Ex.post("/v1beta/models/gemini-2.0-flash:streamGenerateContent")
                .body(j("{'contents':[{'role':'user','parts':[{'text':'hi'}]}]}"))
                .respBytes("application/json", array.getBytes()).build());
        assertNull(c.decodeError());
        assertTrue(c.stream());
        assertEquals("Hello", c.outputText());
        assertEquals("MAX_TOKENS", c.finishReason());
        assertEquals(FinishKind.LENGTH, c.finish());
        assertEquals(4L, c.usage().input());
        assertEquals(2L, c.usage().output());
        assertEquals("gemini-2.0-flash", c.responseModel());

        String cut = array.substring(0, array.indexOf("\r\n") + 30);
        LlmCall t = d.decode(Ex.post("/v1beta/models/gemini-2.0-flash:streamGenerateContent")
                .body(j("{'contents':[{'role':'user','parts':[{'text':'hi'}]}]}"))
                .respBytes("application/json", cut.getBytes()).incomplete().build());
        assertEquals("Hel", t.outputText());
        assertEquals(FinishKind.CANCELLED, t.finish());
        assertTrue(t.decodeError().contains("truncated stream"), t.decodeError());
    }

    @Test
    void vertexModelIsTakenFromThePath() {
        var ex = Ex.post("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent")
                .body(j("{'contents':[{'role':'user','parts':[{'text':'hi'}]}]}"))
                .json(j("{'candidates':[{'content':{'parts':[{'text':'Hello'}],'role':'model'},'finishReason':'STOP'}],"
                        + "'usageMetadata':{'promptTokenCount':1,'candidatesTokenCount':1},'modelVersion':'gemini-2.5-pro-002'}"))
                .build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertEquals("gemini-2.5-pro", c.requestModel());
        assertEquals("gemini-2.5-pro-002", c.responseModel());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(false, c.stream());
        assertEquals(ServerKinds.GOOGLE_VERTEX, c.serverKind());
    }

    @Test
    void blockedPromptAndQuotaError() {
        LlmCall b = d.decode(Ex.post("/v1beta/models/gemini-2.5-flash:generateContent")
                .body(j("{'contents':[{'role':'user','parts':[{'text':'bad'}]}]}"))
                .json(j("{'promptFeedback':{'blockReason':'SAFETY'},'usageMetadata':{'promptTokenCount':3}}")).build());
        assertEquals("SAFETY", b.finishReason());
        assertEquals(FinishKind.CONTENT_FILTER, b.finish());
        LlmCall q = d.decode(Ex.post("/v1beta/models/gemini-2.5-flash:generateContent")
                .body(j("{'contents':[{'role':'user','parts':[{'text':'x'}]}]}")).status(429)
                .json(j("{'error':{'code':429,'message':'Quota exceeded','status':'RESOURCE_EXHAUSTED','details':["
                        + "{'@type':'google.rpc.RetryInfo','retryDelay':'31s'}]}}"))
                .build());
        assertEquals("RESOURCE_EXHAUSTED", q.error().type());
        assertEquals("Quota exceeded", q.error().message());
        assertEquals("31s", q.error().retryAfter());
        assertEquals(FinishKind.ERROR, q.finish());
    }

    @Test
    void everyFinishReasonOfTheApiHasItsKind() {
        String[][] cases = { { "STOP", "COMPLETE" }, { "MAX_TOKENS", "LENGTH" }, { "SAFETY", "CONTENT_FILTER" },
                { "RECITATION", "CONTENT_FILTER" }, { "BLOCKLIST", "CONTENT_FILTER" }, { "SPII", "CONTENT_FILTER" },
                { "PROHIBITED_CONTENT", "CONTENT_FILTER" }, { "IMAGE_SAFETY", "CONTENT_FILTER" },
                { "MALFORMED_FUNCTION_CALL", "ERROR" }, { "UNEXPECTED_TOOL_CALL", "ERROR" },
                { "TOO_MANY_TOOL_CALLS", "ERROR" }, { "OTHER", null }, { "FINISH_REASON_UNSPECIFIED", null } };
        for (String[] k : cases) {
            LlmCall c = d.decode(Ex.post("/v1beta/models/gemini-2.5-flash:generateContent")
                    .body(j("{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"))
                    .json(j("{'candidates':[{'content':{'role':'model','parts':[{'text':'y'}]},'finishReason':'" + k[0]
                            + "'}]}"))
                    .build());
            assertEquals(k[0], c.finishReason());
            assertEquals(k[1] == null ? null : FinishKind.valueOf(k[1]), c.finish(), k[0]);
        }
    }

    @Test
    void codeAssistWrapperIsUnwrapped() {
        var ex = Ex.post("/v1internal:streamGenerateContent?alt=sse")
                .body(j("{'model':'gemini-2.5-pro','project':'p1','request':{'contents':[{'role':'user','parts':[{'text':'hi'}]}]}}"))
                .sse(j("{'response':{'candidates':[{'content':{'parts':[{'text':'Hello'}],'role':'model'},'finishReason':'STOP'}],"
                        + "'usageMetadata':{'promptTokenCount':2,'candidatesTokenCount':1},'modelVersion':'gemini-2.5-pro'}}"))
                .build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertNull(c.decodeError());
        assertEquals("gemini-2.5-pro", c.requestModel());
        assertEquals(List.of(Message.text("user", "hi")), c.messages());
        assertEquals("Hello", c.outputText());
        assertEquals(2L, c.usage().input());
        assertEquals(FinishKind.COMPLETE, c.finish());
    }

    @Test
    void labelsAndRoutes() {
        assertEquals("count-tokens", d.nonCallLabel(Ex.post("/v1beta/models/gemini-2.5-flash:countTokens").build()));
        assertEquals("embeddings", d.nonCallLabel(Ex.post("/v1beta/models/text-embedding-004:embedContent").build()));
        assertEquals("models", d.nonCallLabel(Ex.get("/v1beta/models").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.post("/v1/chat/completions").build()));
        assertEquals(Route.REJECT, d.classifyRoute(Ex.get("/v1beta/models/x:generateContent").build()));
    }
}
