package heron.example.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Body;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.ToolCall;

class OllamaDecoderTest {
    private final OllamaDecoder d = new OllamaDecoder();

    static HttpExchange exchange(String method, String path, String request, String contentType, String response,
            boolean complete) {
        byte[] rq = request.getBytes(StandardCharsets.UTF_8);
        byte[] rs = response.getBytes(StandardCharsets.UTF_8);
        HttpRequest req = new HttpRequest(method, path, "HTTP/1.1", new Headers(List.of(new Header("Host", "ollama:11434"))),
                new Body(rq, rq.length, rq.length, false, null, null), 1_000, 2_000, 1, 1);
        HttpResponse resp = new HttpResponse(200, "OK", "HTTP/1.1",
                new Headers(List.of(new Header("Content-Type", contentType))),
                new Body(rs, rs.length, rs.length, !complete, null, null), List.of(), 3_000, 3_000, 9_000, 2, 2, complete);
        return new HttpExchange(HttpExchange.idOf(1, 0), 1, 0, new Endpoint("127.0.0.1", 50000),
                new Endpoint("127.0.0.1", 11434), req, resp, null);
    }

    static String j(String s) {
        return s.replace('\'', '"');
    }

    @Test
    void nonStreamedChatToolCallWithObjectArguments() {
        LlmCall c = d.decode(exchange("POST", "/api/chat",
                j("{'model':'llama3.2','messages':[{'role':'user','content':'List files'}],'tools':[{'type':'function',"
                        + "'function':{'name':'shell_command','description':'Run','parameters':{'type':'object'}}}],'stream':false}"),
                "application/json; charset=utf-8",
                j("{'model':'llama3.2','created_at':'2026-11-27T09:30:23Z','message':{'role':'assistant','content':'',"
                        + "'tool_calls':[{'id':'call_iai7etpo','function':{'index':0,'name':'shell_command','arguments':{'command':'ls -la'}}}]},"
                        + "'done_reason':'stop','done':true,'prompt_eval_count':18,'eval_count':46}"),
                true));
        assertNull(c.decodeError());
        assertEquals("ollama", c.wireApi());
        assertEquals("llama3.2", c.requestModel());
        assertEquals(false, c.stream());
        assertEquals(List.of(new ToolCall("call_iai7etpo", "shell_command", j("{'command':'ls -la'}"))), c.toolCalls());
        assertEquals("stop", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish());
        assertEquals(18L, c.usage().input());
        assertEquals(46L, c.usage().output());
        assertEquals("shell_command", c.toolsOffered().get(0).name());
    }

    @Test
    void ndjsonStreamedGenerateIsReassembled() {
        String lines = j("{'model':'llama3.2','response':'Hello ','done':false}\n{'model':'llama3.2','response':'there','done':false}\n"
                + "{'model':'llama3.2','response':'','done':true,'done_reason':'stop','prompt_eval_count':3,'eval_count':18}\n");
        LlmCall c = d.decode(exchange("POST", "/api/generate", j("{'model':'llama3.2','prompt':'Say hello'}"),
                "application/x-ndjson", lines, true));
        assertNull(c.decodeError());
        assertTrue(c.stream(), "Ollama streams unless stream:false");
        assertEquals("Hello there", c.outputText());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(3L, c.usage().input());
        assertEquals("Say hello", c.messages().get(0).text());
    }

    @Test
    void streamWithoutDoneLineIsCancelled() {
        LlmCall c = d.decode(exchange("POST", "/api/chat", j("{'model':'m','messages':[{'role':'user','content':'x'}]}"),
                "application/x-ndjson", j("{'model':'m','message':{'role':'assistant','content':'par'},'done':false}\n{'mod"),
                false));
        assertEquals("par", c.outputText());
        assertEquals(FinishKind.CANCELLED, c.finish());
        assertTrue(c.decodeError().contains("truncated stream"), c.decodeError());
    }

    @Test
    void contributedThroughTheExtensionPointLikeABuiltIn() {
        WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();
        assertEquals("heron.example.ollama", reg.byId("ollama").orElseThrow().contributor());
        PipelineHealth h = new PipelineHealth();
        DecodeResult r = reg.decode(exchange("POST", "/api/chat", j("{'model':'m','messages':[],'stream':false}"),
                "application/json", j("{'model':'m','message':{'role':'assistant','content':'hi'},'done':true,'done_reason':'stop'}"),
                true), h);
        assertEquals("ollama", r.call().wireApi());
        assertEquals("hi", r.call().outputText());
        DecodeResult tags = reg.decode(exchange("GET", "/api/tags", "", "application/json", "{\"models\":[]}", true), h);
        assertNull(tags.call());
        assertEquals("models", tags.exchange().label());
    }
}
