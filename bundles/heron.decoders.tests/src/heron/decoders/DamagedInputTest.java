package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import heron.core.decode.WireApiDecoder;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Every prefix of real-shaped bodies (what a body cap or a lost connection leaves) and some
 * garbage: each decoder must return a call, never fail internally, and say what was wrong.
 */
class DamagedInputTest {

    private static void everyPrefix(WireApiDecoder d, String target, String request, String contentType, String response) {
        byte[] all = response.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut += Math.max(1, all.length / 97)) {
            HttpExchange ex = Ex.post(target).body(request)
                    .respBytes(contentType, Arrays.copyOf(all, cut)).incomplete().build();
            LlmCall c = d.decode(ex);
            assertNotNull(c);
            String err = c.decodeError();
            assertNotNull(err, "cut at " + cut + " must be reported");
            assertFalse(err.contains("decoder failure"), "cut at " + cut + ": " + err);
        }
        byte[] req = request.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < req.length; cut += Math.max(1, req.length / 53)) {
            LlmCall c = d.decode(Ex.post(target).bodyCapped(request, cut).respBytes(contentType, all).build());
            assertTrue(c.decodeError() != null && !c.decodeError().contains("decoder failure"), c.decodeError());
        }
    }

    @Test
    void openAiChatSurvivesEveryCut() {
        everyPrefix(new OpenAiChatDecoder(), "/v1/chat/completions",
                j("{'model':'m','stream':true,'messages':[{'role':'user','content':'x'},{'role':'assistant','tool_calls':[{'id':'a','function':{'name':'f','arguments':'{}'}}]},{'role':'tool','tool_call_id':'a','content':'r'}]}"),
                "text/event-stream",
                "data: " + j("{'id':'chatcmpl-1','choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'c','function':{'name':'f','arguments':'{\\'a\\':'}}]}}]}")
                        + "\n\ndata: " + j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'function':{'arguments':'1}'}}]},'finish_reason':'tool_calls'}]}")
                        + "\n\ndata: [DONE]\n\n");
    }

    @Test
    void anthropicSurvivesEveryCut() {
        StringBuilder sse = new StringBuilder();
        String[] ev = AnthropicDecoderTest.interleavedStream();
        for (int i = 0; i < ev.length; i += 2) {
            sse.append("event: ").append(ev[i]).append("\ndata: ").append(ev[i + 1]).append("\n\n");
        }
        everyPrefix(new AnthropicDecoder(), "/v1/messages", AnthropicDecoderTest.REQUEST, "text/event-stream", sse.toString());
        byte[] bedrock = AnthropicDecoderTest.bedrockStream();
        for (int cut = 0; cut < bedrock.length; cut += 7) {
            LlmCall c = new AnthropicDecoder().decode(Ex.post("/model/anthropic.claude-x/invoke-with-response-stream")
                    .body(j("{'anthropic_version':'bedrock-2023-05-31','messages':[]}"))
                    .respBytes("application/vnd.amazon.eventstream", Arrays.copyOf(bedrock, cut)).incomplete().build());
            assertTrue(c.decodeError() != null && !c.decodeError().contains("decoder failure"), c.decodeError());
        }
    }

    @Test
    void responsesSurviveEveryCut() {
        StringBuilder sse = new StringBuilder();
        String[] ev = OpenAiResponsesDecoderTest.completedStream();
        for (int i = 0; i < ev.length; i += 2) {
            sse.append("event: ").append(ev[i]).append("\ndata: ").append(ev[i + 1]).append("\n\n");
        }
        everyPrefix(new OpenAiResponsesDecoder(), "/v1/responses", OpenAiResponsesDecoderTest.REQUEST, "text/event-stream",
                sse.toString());
    }

    @Test
    void geminiSurvivesEveryCut() {
        everyPrefix(new GeminiDecoder(), "/v1beta/models/g:streamGenerateContent", GeminiDecoderTest.REQUEST,
                "application/json", "[" + j("{'candidates':[{'content':{'parts':[{'text':'a'},{'functionCall':{'name':'f','args':{'x':1}}}]},'index':0}]}")
                        + ",\n" + j("{'candidates':[{'content':{'parts':[{'text':'b'}]},'finishReason':'STOP','index':0}],'usageMetadata':{'promptTokenCount':1}}") + "]");
    }

    @Test
    void garbageBodiesGiveCallsWithDecodeErrors() {
        byte[] junk = { (byte) 0xff, 0, '{', '"', (byte) 0xc3, '[', '[', '[' };
        for (WireApiDecoder d : new WireApiDecoder[] { new OpenAiChatDecoder(), new AnthropicDecoder(),
                new OpenAiResponsesDecoder(), new GeminiDecoder() }) {
            LlmCall c = d.decode(Ex.post("/x").body(new String(junk, StandardCharsets.ISO_8859_1))
                    .respBytes("application/json", junk).build());
            assertTrue(c.decodeError() != null && !c.decodeError().contains("decoder failure"), c.decodeError());
            LlmCall deep = d.decode(Ex.post("/x").body(j("{'model':'m','messages':") + "[".repeat(5000))
                    .respBytes("application/json", "[".repeat(100_000).getBytes()).build());
            assertTrue(deep.decodeError() != null && !deep.decodeError().contains("decoder failure"), deep.decodeError());
        }
    }
}
