package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import heron.core.decode.JsonShape;
import heron.core.decode.WireApiDecoder.Route;
import heron.core.health.PipelineHealth;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;

class BedrockConverseDecoderTest {
    private final BedrockConverseDecoder d = new BedrockConverseDecoder();

    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    /** A second-round request: the model asked for a tool, the client sends its result. */
    private static final String REQUEST = j("{'messages':[{'role':'user','content':[{'text':'How big is notes.txt?'}]},"
            + "{'role':'assistant','content':[{'text':'Let me look.'},{'toolUse':{'toolUseId':'tooluse_a1','name':'file_size',"
            + "'input':{'path':'notes.txt'}}}]},"
            + "{'role':'user','content':[{'toolResult':{'toolUseId':'tooluse_a1','content':[{'json':{'bytes':42}}],"
            + "'status':'success'}}]}],"
            + "'system':[{'text':'You are a file assistant.'},{'cachePoint':{'type':'default'}}],"
            + "'inferenceConfig':{'maxTokens':512,'temperature':0.2},"
            + "'toolConfig':{'tools':[{'toolSpec':{'name':'file_size','description':'Size of a file',"
            + "'inputSchema':{'json':{'type':'object','properties':{'path':{'type':'string'}}}}}}]}}");

    @Test
    void converseAnswerIsACallWithConversationToolsAndUsage() {
        var ex = Ex.post("/model/" + MODEL.replace(":", "%3A") + "/converse")
                .reqHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x")
                .body(REQUEST)
                .respHeader("x-amzn-requestid", "7e1f-req")
                .json(j("{'output':{'message':{'role':'assistant','content':[{'text':'notes.txt has 42 bytes.'}]}},"
                        + "'stopReason':'end_turn','usage':{'inputTokens':180,'outputTokens':9,'totalTokens':1213,"
                        + "'cacheReadInputTokens':1024,'cacheWriteInputTokens':0},'metrics':{'latencyMs':640}}"))
                .build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertNull(c.decodeError());
        assertEquals("bedrock-converse", c.wireApi());
        assertEquals(MODEL, c.requestModel(), "model id from the path, percent-decoded");
        assertTrue(!c.stream());
        assertEquals("You are a file assistant.", c.systemPrompt());
        assertEquals(1, c.toolsOffered().size());
        assertEquals("file_size", c.toolsOffered().get(0).name());
        assertTrue(c.toolsOffered().get(0).parametersJson().contains("\"path\""));
        List<Message> m = c.messages();
        assertEquals(List.of("user", "assistant", "tool"), m.stream().map(Message::role).toList());
        assertEquals("Let me look.", m.get(1).text());
        assertEquals("file_size", m.get(1).toolCalls().get(0).name());
        assertEquals("{\"path\":\"notes.txt\"}", m.get(1).toolCalls().get(0).argumentsJson());
        assertEquals("tooluse_a1", m.get(2).toolCallId());
        assertEquals("{\"bytes\":42}", m.get(2).text());
        assertEquals(1, c.toolResults().size(), "the result sent after the last assistant message");
        assertEquals("notes.txt has 42 bytes.", c.outputText());
        assertEquals("end_turn", c.finishReason());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(180L, c.usage().input());
        assertEquals(9L, c.usage().output());
        assertEquals(1024L, c.usage().cacheRead());
        assertEquals(0L, c.usage().cacheWrite());
        assertEquals("7e1f-req", c.responseId());
        assertEquals(ServerKinds.AWS_BEDROCK, c.serverKind());
    }

    @Test
    void toolUseAnswerCarriesTheToolCallAndAnErrorResultIsMarked() {
        LlmCall c = d.decode(Ex.post("/model/amazon.nova-pro-v1:0/converse")
                .body(j("{'messages':[{'role':'user','content':[{'text':'run it'}]},"
                        + "{'role':'assistant','content':[{'toolUse':{'toolUseId':'t1','name':'sh','input':{'cmd':'x'}}}]},"
                        + "{'role':'user','content':[{'toolResult':{'toolUseId':'t1','content':[{'text':'not found'}],"
                        + "'status':'error'}},{'text':'try again'}]}],'inferenceConfig':{'maxTokens':100}}"))
                .json(j("{'output':{'message':{'role':'assistant','content':[{'reasoningContent':{'reasoningText':"
                        + "{'text':'Retry with ls.','signature':'s'}}},{'toolUse':{'toolUseId':'t2','name':'sh','input':{'cmd':'ls'}}}]}},"
                        + "'stopReason':'tool_use','usage':{'inputTokens':50,'outputTokens':12,'totalTokens':62}}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("amazon.nova-pro-v1:0", c.requestModel());
        Message result = c.messages().get(2);
        assertEquals("tool", result.role());
        assertTrue(result.isError());
        assertEquals("not found", result.text());
        assertEquals("try again", c.messages().get(3).text(), "text after a result stays a user message");
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals("sh", c.toolCalls().get(0).name());
        assertEquals("{\"cmd\":\"ls\"}", c.toolCalls().get(0).argumentsJson());
        assertEquals("Retry with ls.", c.reasoningText());
        assertNull(c.outputText());
    }

    static byte[] event(String type, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":event-type", type);
        h.put(":content-type", "application/json");
        h.put(":message-type", "event");
        return AnthropicDecoderTest.frame(h, j(json).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event("messageStart", "{'role':'assistant','p':'abcd'}"));
        out.writeBytes(event("contentBlockDelta", "{'contentBlockIndex':0,'delta':{'text':'Checking '},'p':'ab'}"));
        out.writeBytes(event("contentBlockDelta", "{'contentBlockIndex':0,'delta':{'text':'the file.'}}"));
        out.writeBytes(event("contentBlockStop", "{'contentBlockIndex':0}"));
        out.writeBytes(event("contentBlockStart",
                "{'contentBlockIndex':1,'start':{'toolUse':{'toolUseId':'tooluse_s1','name':'file_size'}}}"));
        // the tool input arrives as pieces of JSON text
        out.writeBytes(event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"path\\\":\"}}}"));
        out.writeBytes(event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"a.txt\\\"}\"}}}"));
        out.writeBytes(event("contentBlockStop", "{'contentBlockIndex':1}"));
        out.writeBytes(event("messageStop", "{'stopReason':'tool_use'}"));
        out.writeBytes(event("metadata", "{'usage':{'inputTokens':30,'outputTokens':21,'totalTokens':51,"
                + "'cacheWriteInputTokens':700},'metrics':{'latencyMs':300}}"));
        return out.toByteArray();
    }

    @Test
    void converseStreamIsDecodedFromTheEventStreamFrames() {
        var ex = Ex.post("/model/" + MODEL + "/converse-stream").body(REQUEST)
                .respBytes("application/vnd.amazon.eventstream", stream()).build();
        LlmCall c = d.decode(ex);
        assertNull(c.decodeError());
        assertTrue(c.stream());
        assertEquals("Checking the file.", c.outputText());
        assertEquals(1, c.toolCalls().size());
        assertEquals("tooluse_s1", c.toolCalls().get(0).id());
        assertEquals("{\"path\":\"a.txt\"}", c.toolCalls().get(0).argumentsJson());
        assertEquals("tool_use", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(30L, c.usage().input());
        assertEquals(21L, c.usage().output());
        assertEquals(700L, c.usage().cacheWrite());
    }

    @Test
    void cutStreamKeepsWhatArrivedAndIsCancelled() {
        byte[] all = stream();
        byte[] cut = Arrays.copyOf(all, all.length / 2);
        LlmCall c = d.decode(Ex.post("/model/" + MODEL + "/converse-stream").body(REQUEST)
                .respBytes("application/vnd.amazon.eventstream", cut).incomplete().build());
        assertEquals("Checking the file.", c.outputText());
        assertEquals(FinishKind.CANCELLED, c.finish());
        assertTrue(c.decodeError().contains("truncated stream"), c.decodeError());
    }

    @Test
    void exceptionFrameBecomesTheCallsError() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":message-type", "exception");
        h.put(":exception-type", "throttlingException");
        h.put(":content-type", "application/json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event("messageStart", "{'role':'assistant'}"));
        out.writeBytes(AnthropicDecoderTest.frame(h, j("{'message':'Too many requests'}").getBytes(StandardCharsets.UTF_8)));
        LlmCall c = d.decode(Ex.post("/model/" + MODEL + "/converse-stream").body(REQUEST)
                .respBytes("application/vnd.amazon.eventstream", out.toByteArray()).build());
        assertEquals(FinishKind.ERROR, c.finish());
        assertEquals("throttlingException", c.error().type());
        assertEquals("Too many requests", c.error().message());
    }

    @Test
    void errorStatusUsesBedrocksErrorBody() {
        LlmCall c = d.decode(Ex.post("/model/" + MODEL + "/converse").body(REQUEST).status(400)
                .respHeader("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .json(j("{'message':'The model returned the following errors: bad input'}")).build());
        assertEquals(FinishKind.ERROR, c.finish());
        assertTrue(c.error().message().contains("bad input"), c.error().message());
    }

    @Test
    void guardrailStopsAreContentFilterAndAnthropicsNamesMeanWhatTheyMeanThere() {
        for (String[] f : new String[][] { { "guardrail_intervened", "CONTENT_FILTER" },
                { "content_filtered", "CONTENT_FILTER" }, { "max_tokens", "LENGTH" }, { "stop_sequence", "COMPLETE" } }) {
            LlmCall c = d.decode(Ex.post("/model/" + MODEL + "/converse").body(REQUEST)
                    .json(j("{'output':{'message':{'role':'assistant','content':[{'text':'x'}]}},'stopReason':'" + f[0]
                            + "'}"))
                    .build());
            assertEquals(FinishKind.valueOf(f[1]), c.finish(), f[0]);
        }
    }

    @Test
    void routesAndShapesClaimOnlyConverse() {
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/model/m/converse").body("{}").json("{}").build()));
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/bedrock/model/m/converse-stream").body("{}").json("{}").build()),
                "a gateway's prefix");
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.post("/model/m/invoke").body("{}").json("{}").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.get("/model/m/converse").json("{}").build()));
        assertTrue(d.matchesShape(null, JsonShape.of(REQUEST.getBytes(StandardCharsets.UTF_8))));
        assertTrue(!d.matchesShape(null, JsonShape.of(j("{'model':'gpt-4o','messages':[]}").getBytes(StandardCharsets.UTF_8))));

        var viaRegistry = BuiltIns.decoders().decode(Ex.post("/model/" + MODEL + "/converse").body(REQUEST)
                .json(j("{'output':{'message':{'role':'assistant','content':[{'text':'ok'}]}},'stopReason':'end_turn'}"))
                .build(), new PipelineHealth());
        assertEquals("bedrock-converse", viaRegistry.call().wireApi());
        var invoke = BuiltIns.decoders().decode(Ex.post("/model/" + MODEL + "/invoke")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[{'role':'user','content':'hi'}]}"))
                .json(j("{'content':[{'type':'text','text':'ok'}],'stop_reason':'end_turn'}")).build(), new PipelineHealth());
        assertEquals("anthropic", invoke.call().wireApi(), "InvokeModel stays Anthropic's");
        var gateway = BuiltIns.decoders().decode(Ex.post("/llm/proxy").body(REQUEST)
                .json(j("{'output':{'message':{'role':'assistant','content':[{'text':'ok'}]}},'stopReason':'end_turn'}"))
                .build(), new PipelineHealth());
        assertEquals("bedrock-converse", gateway.call().wireApi(), "found by its body on another path");
    }
}
