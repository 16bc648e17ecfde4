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

class OpenAiResponsesDecoderTest {
    private final OpenAiResponsesDecoder d = new OpenAiResponsesDecoder();

    static final String REQUEST = j("{'model':'gpt-5-codex','stream':true,'instructions':'Be a coder.',"
            + "'tools':[{'type':'function','name':'exec_command','description':'Run','parameters':{'type':'object'}},{'type':'web_search'}],"
            + "'input':[{'type':'message','role':'developer','content':[{'type':'input_text','text':'Sandbox: none'}]},"
            + "{'type':'message','role':'user','content':[{'type':'input_text','text':'List files'}]},"
            + "{'type':'reasoning','summary':[{'type':'summary_text','text':'Use ls.'}]},"
            + "{'type':'function_call','name':'exec_command','arguments':'{\\'cmd\\':\\'ls\\'}','call_id':'call_1'},"
            + "{'type':'function_call','name':'exec_command','arguments':'{\\'cmd\\':\\'pwd\\'}','call_id':'call_2'},"
            + "{'type':'function_call_output','call_id':'call_1','output':'a.txt'},"
            + "{'type':'function_call_output','call_id':'call_2','output':'/w'}]}");

    static String[] completedStream() {
        return new String[] { "response.created",
                j("{'type':'response.created','response':{'id':'resp_1','model':'gpt-5-codex','status':'in_progress','output':[]}}"),
                "response.output_item.added", j("{'type':'response.output_item.added','output_index':0,'item':{'id':'rs_1','type':'reasoning','summary':[]}}"),
                "response.reasoning_summary_text.delta", j("{'type':'response.reasoning_summary_text.delta','output_index':0,'delta':'Read it.'}"),
                "response.output_item.added", j("{'type':'response.output_item.added','output_index':1,'item':{'id':'fc_1','type':'function_call','arguments':'','call_id':'call_9','name':'exec_command'}}"),
                "response.output_item.added", j("{'type':'response.output_item.added','output_index':2,'item':{'id':'fc_2','type':'function_call','arguments':'','call_id':'call_10','name':'read'}}"),
                "response.function_call_arguments.delta", j("{'type':'response.function_call_arguments.delta','output_index':2,'item_id':'fc_2','delta':'{\\'p\\':'}"),
                "response.function_call_arguments.delta", j("{'type':'response.function_call_arguments.delta','output_index':1,'item_id':'fc_1','delta':'{\\'cmd\\':\\'cat\\'}'}"),
                "response.function_call_arguments.delta", j("{'type':'response.function_call_arguments.delta','output_index':2,'item_id':'fc_2','delta':'1}'}"),
                "response.completed", j("{'type':'response.completed','response':{'id':'resp_1','model':'gpt-5-codex','status':'completed','output':[],"
                        + "'usage':{'input_tokens':10088,'input_tokens_details':{'cached_tokens':8000},'output_tokens':64,"
                        + "'output_tokens_details':{'reasoning_tokens':10},'total_tokens':10152}}}") };
    }

    @Test
    void requestItemsAreNormalised() {
        LlmCall c = d.decode(Ex.post("/v1/responses").reqHeader("Authorization", "Bearer sk-x").body(REQUEST)
                .sseNamed(completedStream()).build());
        assertEquals("Be a coder.\n\nSandbox: none", c.systemPrompt());
        assertEquals(List.of("exec_command", "web_search"), c.toolsOffered().stream().map(t -> t.name()).toList());
        List<Message> m = c.messages();
        assertEquals(4, m.size(), m::toString);
        assertEquals("Use ls.", m.get(1).reasoning());
        assertEquals(List.of(new ToolCall("call_1", "exec_command", j("{'cmd':'ls'}")),
                new ToolCall("call_2", "exec_command", j("{'cmd':'pwd'}"))), m.get(1).toolCalls());
        assertEquals(List.of(new ToolResult("call_1", "a.txt", false), new ToolResult("call_2", "/w", false)),
                c.toolResults());
    }

    @Test
    void streamedFunctionCallsWithEmptyCompletedOutputAreRebuiltFromItems() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(REQUEST).respHeader("openai-version", "2020-10-01")
                .sseNamed(completedStream()).build());
        assertNull(c.decodeError());
        assertEquals("resp_1", c.responseId());
        assertEquals("gpt-5-codex", c.responseModel());
        assertEquals("completed", c.finishReason());
        assertEquals(FinishKind.TOOL_USE, c.finish(), "completed with function calls is tool use");
        assertEquals(List.of(new ToolCall("call_9", "exec_command", j("{'cmd':'cat'}")),
                new ToolCall("call_10", "read", j("{'p':1}"))), c.toolCalls());
        assertEquals("Read it.", c.reasoningText());
        assertEquals(10088L, c.usage().input());
        assertEquals(64L, c.usage().output());
        assertEquals(8000L, c.usage().cacheRead());
        assertEquals(10L, c.usage().reasoning());
        assertEquals(Ex.FIRST_EVENT + 2 * Ex.EVENT_STEP, c.firstContentNanos());
        assertEquals(ServerKinds.OPENAI, c.serverKind());
    }

    @Test
    void outputItemDoneIsAuthoritative() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'hi','stream':true}"))
                .sseNamed("response.created", j("{'type':'response.created','response':{'id':'resp_2','model':'gpt-5'}}"),
                        "response.output_item.added", j("{'type':'response.output_item.added','output_index':0,'item':{'id':'msg_1','type':'message','content':[]}}"),
                        "response.output_text.delta", j("{'type':'response.output_text.delta','output_index':0,'content_index':0,'delta':'Hel'}"),
                        "response.output_text.delta", j("{'type':'response.output_text.delta','output_index':0,'content_index':0,'delta':'lo'}"),
                        "response.output_item.done", j("{'type':'response.output_item.done','output_index':0,'item':{'id':'msg_1','type':'message','role':'assistant','content':[{'type':'output_text','text':'Hello'}]}}"),
                        "response.completed", j("{'type':'response.completed','response':{'id':'resp_2','status':'completed','output':[],'usage':{'input_tokens':3,'output_tokens':2}}}"))
                .build());
        assertEquals("Hello", c.outputText());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals(List.of(Message.text("user", "hi")), c.messages());
    }

    @Test
    void incompleteResponseIsLengthWithUsage() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'essay','stream':true}"))
                .sseNamed("response.created", j("{'type':'response.created','response':{'id':'resp_3'}}"),
                        "response.output_text.delta", j("{'type':'response.output_text.delta','output_index':0,'delta':'Once'}"),
                        "response.incomplete", j("{'type':'response.incomplete','response':{'id':'resp_3','status':'incomplete',"
                                + "'incomplete_details':{'reason':'max_output_tokens'},'output':[],'usage':{'input_tokens':5,'output_tokens':16}}}"))
                .build());
        assertNull(c.decodeError());
        assertEquals("incomplete", c.finishReason());
        assertEquals(FinishKind.LENGTH, c.finish());
        assertEquals("Once", c.outputText());
        assertEquals(16L, c.usage().output());
    }

    @Test
    void failedResponseCarriesTheError() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'x','stream':true}"))
                .sseNamed("response.created", j("{'type':'response.created','response':{'id':'resp_4'}}"),
                        "response.failed", j("{'type':'response.failed','response':{'id':'resp_4','status':'failed',"
                                + "'error':{'code':'server_error','message':'The model crashed'},'output':[]}}"))
                .build());
        assertEquals("failed", c.finishReason());
        assertEquals(FinishKind.ERROR, c.finish());
        assertEquals("server_error", c.error().type());
        assertEquals("The model crashed", c.error().message());
    }

    @Test
    void errorEventEndsTheStream() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'x','stream':true}"))
                .sseNamed("error", j("{'type':'error','code':'rate_limit_exceeded','message':'Slow down','param':null}"))
                .build());
        assertEquals("rate_limit_exceeded", c.error().type());
        assertEquals(FinishKind.ERROR, c.finish());
        assertNull(c.decodeError());
    }

    @Test
    void truncatedStreamKeepsPartialFunctionCall() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'x','stream':true}"))
                .sseNamed("response.output_item.added", j("{'type':'response.output_item.added','output_index':0,'item':{'id':'fc_1','type':'function_call','call_id':'c1','name':'sh'}}"),
                        "response.function_call_arguments.delta", j("{'type':'response.function_call_arguments.delta','output_index':0,'delta':'{\\'cmd\\':\\'l'}"))
                .incomplete().build());
        assertEquals(FinishKind.CANCELLED, c.finish());
        assertTrue(c.decodeError().contains("truncated stream"), c.decodeError());
        assertEquals(1, c.toolCalls().size());
        assertEquals("sh", c.toolCalls().get(0).name());
        assertEquals("\"{\\\"cmd\\\":\\\"l\"", c.toolCalls().get(0).argumentsJson(), "cut arguments kept as a JSON string");
    }

    @Test
    void nonStreamedResponseAndServerError() {
        LlmCall c = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':[{'role':'user','content':'hi'}]}"))
                .json(j("{'id':'resp_5','object':'response','model':'gpt-5-2025','status':'completed','output':["
                        + "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'Hi there'}]}],"
                        + "'usage':{'input_tokens':4,'output_tokens':3}}"))
                .build());
        assertEquals("Hi there", c.outputText());
        assertEquals(FinishKind.COMPLETE, c.finish());
        assertEquals("gpt-5-2025", c.responseModel());
        LlmCall e = d.decode(Ex.post("/v1/responses").body(j("{'model':'gpt-5','input':'x','stream':true}")).status(500)
                .json(j("{'error':{'message':'The server had an error','type':'server_error','param':null,'code':null}}")).build());
        assertEquals("server_error", e.error().type());
        assertEquals(500, e.status());
        assertEquals(FinishKind.ERROR, e.finish());
        assertTrue(e.stream());
    }

    @Test
    void route() {
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/v1/responses").build()));
        assertEquals(Route.ACCEPT, d.classifyRoute(Ex.post("/openai/responses?api-version=2025-04-01").build()));
        assertEquals(Route.REJECT, d.classifyRoute(Ex.post("/v1/responses").reqHeader("anthropic-version", "1").build()));
        assertEquals("response-lookup", d.nonCallLabel(Ex.get("/v1/responses/resp_1").build()));
        assertEquals("count-tokens", d.nonCallLabel(Ex.post("/v1/responses/input_tokens").build()));
    }
}
