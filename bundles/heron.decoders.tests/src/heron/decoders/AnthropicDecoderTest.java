package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import heron.core.decode.JsonShape;
import heron.core.decode.WireApiDecoder.Route;
import heron.core.model.FinishKind;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolResult;

class AnthropicDecoderTest {
    private final AnthropicDecoder d = new AnthropicDecoder();

    static final String REQUEST = j("{'model':'claude-sonnet-4-5','max_tokens':1024,'stream':true,"
            + "'system':[{'type':'text','text':'You are Claude Code.'},{'type':'text','text':'Be terse.'}],"
            + "'tools':[{'name':'Bash','description':'Run bash','input_schema':{'type':'object'}},{'name':'Read','input_schema':{}}],"
            + "'messages':[{'role':'user','content':'List and read'},"
            + "{'role':'assistant','content':[{'type':'thinking','thinking':'plan','signature':'s'},{'type':'text','text':'Running both.'},"
            + "{'type':'tool_use','id':'toolu_1','name':'Bash','input':{'command':'ls'}},"
            + "{'type':'tool_use','id':'toolu_2','name':'Read','input':{'file_path':'n.txt'}}]},"
            + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':'n.txt'},"
            + "{'type':'tool_result','tool_use_id':'toolu_2','content':[{'type':'text','text':'no such file'}],'is_error':true},"
            + "{'type':'text','text':'continue'}]}]}");

    static String[] interleavedStream() {
        return new String[] { "message_start",
                j("{'type':'message_start','message':{'id':'msg_01A','model':'claude-sonnet-4-5-20250929','usage':"
                        + "{'input_tokens':9,'cache_creation_input_tokens':75,'cache_read_input_tokens':100,'output_tokens':1}}}"),
                "content_block_start", j("{'type':'content_block_start','index':0,'content_block':{'type':'thinking','thinking':''}}"),
                "content_block_delta", j("{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'Two tools.'}}"),
                "content_block_start", j("{'type':'content_block_start','index':1,'content_block':{'type':'tool_use','id':'toolu_a','name':'Bash','input':{}}}"),
                "content_block_start", j("{'type':'content_block_start','index':2,'content_block':{'type':'tool_use','id':'toolu_b','name':'Read','input':{}}}"),
                "content_block_delta", j("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta','partial_json':'{\\'file_path\\':'}}"),
                "content_block_delta", j("{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta','partial_json':'{\\'command\\':\\'ls\\'}'}}"),
                "content_block_delta", j("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta','partial_json':'\\'n.txt\\'}'}}"),
                "content_block_stop", j("{'type':'content_block_stop','index':1}"),
                "content_block_stop", j("{'type':'content_block_stop','index':2}"),
                "message_delta", j("{'type':'message_delta','delta':{'stop_reason':'tool_use','stop_sequence':null},'usage':{'output_tokens':52}}"),
                "message_stop", j("{'type':'message_stop'}") };
    }

    @Test
    void requestIsNormalisedToolResultsBecomeToolMessages() {
        LlmCall c = d.decode(Ex.post("/v1/messages?beta=true").reqHeader("anthropic-version", "2023-06-01").body(REQUEST)
                .sseNamed(interleavedStream()).build());
        assertEquals("You are Claude Code.\nBe terse.", c.systemPrompt());
        assertEquals(List.of("Bash", "Read"), c.toolsOffered().stream().map(t -> t.name()).toList());
        List<Message> m = c.messages();
        assertEquals(5, m.size(), m::toString);
        assertEquals("user", m.get(0).role());
        assertEquals("assistant", m.get(1).role());
        assertEquals("plan", m.get(1).reasoning());
        assertEquals("Running both.", m.get(1).text());
        assertEquals(List.of(new ToolCall("toolu_1", "Bash", j("{'command':'ls'}")),
                new ToolCall("toolu_2", "Read", j("{'file_path':'n.txt'}"))), m.get(1).toolCalls());
        assertEquals(Message.toolResult("toolu_1", "n.txt", false), m.get(2));
        assertEquals(Message.toolResult("toolu_2", "no such file", true), m.get(3));
        assertEquals(Message.text("user", "continue"), m.get(4));
        assertEquals(List.of(new ToolResult("toolu_1", "n.txt", false), new ToolResult("toolu_2", "no such file", true)),
                c.toolResults());
    }

    @Test
    void interleavedParallelToolUseBlocksAreReassembledByIndex() {
        LlmCall c = d.decode(Ex.post("/v1/messages").body(REQUEST).respHeader("request-id", "req_011abc")
                .sseNamed(interleavedStream()).build());
        assertNull(c.decodeError());
        assertTrue(c.stream());
        assertEquals("msg_01A", c.responseId());
        assertEquals("claude-sonnet-4-5", c.requestModel());
        assertEquals("claude-sonnet-4-5-20250929", c.responseModel());
        assertEquals(List.of(new ToolCall("toolu_a", "Bash", j("{'command':'ls'}")),
                new ToolCall("toolu_b", "Read", j("{'file_path':'n.txt'}"))), c.toolCalls());
        assertEquals("Two tools.", c.reasoningText());
        assertEquals("tool_use", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(9L, c.usage().input());
        assertEquals(52L, c.usage().output());
        assertEquals(100L, c.usage().cacheRead());
        assertEquals(75L, c.usage().cacheWrite());
        assertEquals(Ex.FIRST_EVENT + 2 * Ex.EVENT_STEP, c.firstContentNanos(), "message_start and empty starts are no content");
        assertEquals(ServerKinds.ANTHROPIC, c.serverKind());
    }

    @Test
    void messageDeltaUsageOverridesStartOnlyWhenPositive() {
        LlmCall c = d.decode(Ex.post("/v1/messages").body(j("{'model':'m','stream':true,'messages':[]}"))
                .sseNamed("message_start", j("{'type':'message_start','message':{'id':'msg_1','usage':{'input_tokens':40,'output_tokens':1}}}"),
                        "message_delta", j("{'type':'message_delta','delta':{'stop_reason':'end_turn'},'usage':{'input_tokens':0,'output_tokens':12}}"),
                        "message_stop", j("{'type':'message_stop'}"))
                .build());
        assertEquals(40L, c.usage().input());
        assertEquals(12L, c.usage().output());
        assertEquals(FinishKind.COMPLETE, c.finish());
    }

    @Test
    void nonStreamedResponseWithToolUse() {
        LlmCall c = d.decode(Ex.post("/v1/messages").body(j("{'model':'claude-haiku-4-5','max_tokens':64,'messages':[{'role':'user','content':'hi'}]}"))
                .respHeader("anthropic-organization-id", "0")
                .json(j("{'id':'msg_01x','type':'message','role':'assistant','model':'claude-haiku-4-5','content':[{'type':'text','text':'Listing.'},"
                        + "{'type':'tool_use','id':'toolu_9','name':'Bash','input':{'command':'ls -la'}}],'stop_reason':'tool_use',"
                        + "'usage':{'input_tokens':26,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':8}}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("Listing.", c.outputText());
        assertEquals(List.of(new ToolCall("toolu_9", "Bash", j("{'command':'ls -la'}"))), c.toolCalls());
        assertEquals(26L, c.usage().input());
        assertEquals(0L, c.usage().cacheWrite());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(false, c.stream());
    }

    @Test
    void rateLimitedCallAndStreamErrorEvent() {
        LlmCall c = d.decode(Ex.post("/v1/messages").body(j("{'model':'m','messages':[]}")).status(429)
                .respHeader("retry-after", "7")
                .json(j("{'type':'error','error':{'type':'rate_limit_error','message':'Too many tokens'},'request_id':'req_1'}"))
                .build());
        assertEquals("rate_limit_error", c.error().type());
        assertEquals("Too many tokens", c.error().message());
        assertEquals("7", c.error().retryAfter());
        assertEquals(FinishKind.ERROR, c.finish());

        LlmCall s = d.decode(Ex.post("/v1/messages").body(j("{'model':'m','stream':true,'messages':[]}"))
                .sseNamed("message_start", j("{'type':'message_start','message':{'id':'msg_2','usage':{'input_tokens':3}}}"),
                        "error", j("{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}"))
                .build());
        assertEquals("overloaded_error", s.error().type());
        assertEquals(FinishKind.ERROR, s.finish());
        assertNull(s.decodeError(), "an error event is a proper end of stream");
    }

    @Test
    void abortedStreamIsCancelled() {
        LlmCall c = d.decode(Ex.post("/v1/messages").body(j("{'model':'m','stream':true,'messages':[]}"))
                .sseNamed("message_start", j("{'type':'message_start','message':{'id':'msg_3','usage':{'input_tokens':31}}}"),
                        "content_block_start", j("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}"),
                        "content_block_delta", j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'word0 '}}"))
                .incomplete().build());
        assertEquals("word0 ", c.outputText());
        assertEquals(FinishKind.CANCELLED, c.finish());
        assertTrue(c.decodeError().contains("truncated stream"));
        assertEquals(31L, c.usage().input());
    }

    @Test
    void countTokensIsLabelledNotACall() {
        assertEquals("count-tokens", d.nonCallLabel(Ex.post("/v1/messages/count_tokens").build()));
        assertEquals("count-tokens", d.nonCallLabel(Ex.post("/v1/messages/count_tokens?beta=true").build()));
        assertEquals("count-tokens", d.nonCallLabel(Ex.post(
                "/v1/projects/p/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict").build()));
        assertNull(d.nonCallLabel(Ex.post("/v1/messages").build()));
    }

    @Test
    void routeAndShape() {
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/v1/messages?beta=true").build()));
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/model/anthropic.claude-3-haiku-v1:0/invoke").build()));
        assertEquals(Route.UNKNOWN, d.classifyRoute(Ex.post("/model/meta.llama3-70b/invoke").build()));
        assertEquals(Route.REJECT, d.classifyRoute(Ex.get("/v1/messages").build()));
        var withHeader = Ex.post("/proxy").reqHeader("anthropic-version", "2023-06-01").build();
        assertTrue(d.matchesShape(withHeader, JsonShape.of(j("{'model':'m','messages':[]}").getBytes())));
        assertTrue(!d.matchesShape(Ex.post("/proxy").build(), JsonShape.of(j("{'model':'m','messages':[]}").getBytes())));
        assertTrue(d.matchesShape(Ex.post("/proxy").build(),
                JsonShape.of(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}").getBytes())));
    }

    // ---- Vertex AI ----

    @Test
    void vertexModelComesFromThePath() {
        String path = "/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict";
        var ex = Ex.post(path).reqHeader("Authorization", "Bearer ya29.x")
                .body(j("{'anthropic_version':'vertex-2023-10-16','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"))
                .respHeader("x-vertex-ai-llm-request-type", "shared")
                .sseNamed("message_start", j("{'type':'message_start','message':{'id':'msg_vrtx_1','model':'claude-sonnet-4-5@20250929','usage':{'input_tokens':12,'output_tokens':1}}}"),
                        "content_block_delta", j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hi'}}"),
                        "message_delta", j("{'type':'message_delta','delta':{'stop_reason':'end_turn'},'usage':{'output_tokens':3}}"),
                        "message_stop", j("{'type':'message_stop'}"))
                .build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertEquals("claude-sonnet-4-5@20250929", c.requestModel());
        assertTrue(c.stream(), "streamRawPredict is a stream even without stream:true");
        assertEquals("Hi", c.outputText());
        assertEquals(ServerKinds.GOOGLE_VERTEX, c.serverKind());
    }

    // ---- AWS Bedrock ----

    static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            h.write(n.length);
            h.writeBytes(n);
            h.write(7);
            h.write(v.length >> 8);
            h.write(v.length & 0xFF);
            h.writeBytes(v);
        }
        byte[] hb = h.toByteArray();
        int total = 16 + hb.length + payload.length;
        ByteBuffer bb = ByteBuffer.allocate(total);
        bb.putInt(total).putInt(hb.length);
        CRC32 crc = new CRC32();
        crc.update(bb.array(), 0, 8);
        bb.putInt((int) crc.getValue());
        bb.put(hb).put(payload);
        crc.reset();
        crc.update(bb.array(), 0, total - 4);
        bb.putInt((int) crc.getValue());
        return bb.array();
    }

    static byte[] chunk(String anthropicEvent) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":event-type", "chunk");
        h.put(":content-type", "application/json");
        h.put(":message-type", "event");
        String b64 = Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8));
        return frame(h, ("{\"bytes\":\"" + b64 + "\",\"p\":\"abcdefgh\"}").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bedrockStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(chunk(j("{'type':'message_start','message':{'id':'msg_bdrk_01','model':'claude-sonnet-4-5-20250929',"
                + "'usage':{'input_tokens':11,'cache_creation_input_tokens':21,'cache_read_input_tokens':179,'output_tokens':1}}}")));
        out.writeBytes(chunk(j("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}")));
        out.writeBytes(chunk(j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'The directory '}}")));
        out.writeBytes(chunk(j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'has two files.'}}")));
        out.writeBytes(chunk(j("{'type':'message_delta','delta':{'stop_reason':'end_turn'},'usage':{'output_tokens':34}}")));
        out.writeBytes(chunk(j("{'type':'message_stop','amazon-bedrock-invocationMetrics':{'inputTokenCount':11,'outputTokenCount':34}}")));
        return out.toByteArray();
    }

    @Test
    void bedrockEventStreamIsDecoded() {
        var ex = Ex.post("/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream")
                .reqHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','max_tokens':1024,'messages':[{'role':'user','content':'ls'}]}"))
                .respHeader("x-amzn-requestid", "1c10")
                .respBytes("application/vnd.amazon.eventstream", bedrockStream()).build();
        assertEquals(Route.ACCEPT, d.classifyRoute(ex));
        LlmCall c = d.decode(ex);
        assertNull(c.decodeError());
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0", c.requestModel());
        assertEquals("claude-sonnet-4-5-20250929", c.responseModel());
        assertTrue(c.stream());
        assertEquals("The directory has two files.", c.outputText());
        assertEquals("end_turn", c.finishReason());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(11L, c.usage().input());
        assertEquals(34L, c.usage().output());
        assertEquals(179L, c.usage().cacheRead());
        assertEquals(21L, c.usage().cacheWrite());
        assertEquals(ServerKinds.AWS_BEDROCK, c.serverKind());
    }

    @Test
    void bedrockStreamWithBadCrcOrCutFrameKeepsEarlierEvents() {
        byte[] all = bedrockStream();
        byte[] cut = java.util.Arrays.copyOf(all, all.length - 30);
        LlmCall c = d.decode(Ex.post("/model/anthropic.claude-haiku-4-5-20251001-v1:0/invoke-with-response-stream")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}"))
                .respBytes("application/vnd.amazon.eventstream", cut).incomplete().build());
        assertEquals("The directory has two files.", c.outputText());
        assertTrue(c.decodeError().contains("truncated event-stream frame"), c.decodeError());
        assertEquals("end_turn", c.finishReason(), "message_delta arrived before the cut");

        byte[] bad = all.clone();
        bad[all.length - 1] ^= 0x55; // message CRC of the last frame
        LlmCall b = d.decode(Ex.post("/model/anthropic.claude-haiku-4-5-20251001-v1:0/invoke-with-response-stream")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}"))
                .respBytes("application/vnd.amazon.eventstream", bad).build());
        assertTrue(b.decodeError().contains("CRC mismatch"), b.decodeError());
    }

    @Test
    void bedrockExceptionFrameBecomesError() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":message-type", "exception");
        h.put(":exception-type", "throttlingException");
        h.put(":content-type", "application/json");
        byte[] ex = frame(h, "{\"message\":\"Too many requests\"}".getBytes(StandardCharsets.UTF_8));
        LlmCall c = d.decode(Ex.post("/model/anthropic.claude-x/invoke-with-response-stream")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}"))
                .respBytes("application/vnd.amazon.eventstream", ex).build());
        assertEquals("throttlingException", c.error().type());
        assertEquals("Too many requests", c.error().message());
        assertEquals(FinishKind.ERROR, c.finish());
    }

    @Test
    void bedrockNonStreamedInvoke() {
        LlmCall c = d.decode(Ex.post("/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke")
                .body(j("{'anthropic_version':'bedrock-2023-05-31','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"))
                .respHeader("x-amzn-bedrock-input-token-count", "12")
                .json(j("{'id':'msg_bdrk_2','type':'message','model':'claude-haiku-4-5-20251001','content':[{'type':'text','text':'Hello'}],"
                        + "'stop_reason':'end_turn','usage':{'input_tokens':12,'output_tokens':3}}"))
                .build());
        assertEquals("anthropic.claude-haiku-4-5-20251001-v1:0", c.requestModel(), "percent-decoded path model");
        assertEquals("Hello", c.outputText());
        assertEquals(12L, c.usage().input());
        assertEquals(ServerKinds.AWS_BEDROCK, c.serverKind());
    }
}
