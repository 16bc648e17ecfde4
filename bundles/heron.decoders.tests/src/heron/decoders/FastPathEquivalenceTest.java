package heron.decoders;

import static heron.decoders.Ex.j;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import heron.core.decode.WireApiDecoder;
import heron.core.model.HttpExchange;
import heron.decoders.internal.JsonStream;

/**
 * The streaming fast paths give exactly what the tree walk gives, for ordinary and for odd
 * request bodies (duplicate keys, nulls where objects belong, fields in unusual order, floats,
 * escapes, non-object entries); each body is decoded both ways and the whole calls compared.
 * Bodies the fast path must take itself are checked to not fall back.
 */
class FastPathEquivalenceTest {

    @AfterEach
    void restore() {
        JsonStream.enabled = true;
    }

    private static void same(WireApiDecoder d, String target, String body, boolean mustBeFast) {
        HttpExchange ex = Ex.post(target).body(body).json(j("{'id':'x','choices':[]}")).build();
        JsonStream.enabled = false;
        String tree = d.decode(ex).toString();
        JsonStream.enabled = true;
        long fast = JsonStream.FAST.sum();
        String streamed = d.decode(ex).toString();
        assertEquals(tree, streamed, body);
        // Again: large values now come from the per-thread cache of values already read.
        assertEquals(tree, d.decode(ex).toString(), body);
        if (mustBeFast) {
            assertEquals(fast + 2, JsonStream.FAST.sum(), "fast path taken for " + body);
        }
    }

    private static final String SCHEMA = "{'type':'object','properties':{'x':{'type':'number','minimum':0.10,'maximum':1e3,"
            + "'default':-0,'big':123456789012345678901234567890,'enum':[true,false,null,'a\\u0001b\\'c\\u00e9\\u2028\\/\\t\\u001f\\u007f']}}}";

    @Test
    void openAiChatRequestsDecodeAlikeBothWays() {
        OpenAiChatDecoder d = new OpenAiChatDecoder();
        String t = "/v1/chat/completions";
        same(d, t, j("{'model':'m','stream':true,'tools':[{'type':'function','function':{'name':'f','description':'d','parameters':"
                + SCHEMA + "}},{'type':'web'},7,null,{'function':null,'type':'x'},{'function':'s'},{'name':'n','parameters':null}],"
                + "'functions':[{'name':'g','parameters':{}},3],"
                + "'messages':[{'role':'system','content':'s1'},{'role':'developer','content':[{'type':'text','text':'s2'}]},"
                + "{'role':'user','content':[{'type':'image_url'},{'text':''},{'type':'input_audio'},{'refusal':'r'},'plain',[1],null,{'type':'file'}]},"
                + "{'role':'system','content':'late'},{'content':'no role'},5,"
                + "{'role':'assistant','content':null,'reasoning':'r1','tool_calls':[{'id':'a','function':{'name':'f','arguments':'{\\'a\\':1}'}},"
                + "{'id':'b','function':{'name':'g','arguments':{'k':[1,2.50]}}},{'id':'c','function':{'arguments':'not json'}},{'id':'d'},'x',"
                + "{'function':'s'}],'function_call':{'name':'h','arguments':'\\'{\\\\\\'q\\\\\\':1}\\''}},"
                + "{'role':'tool','tool_call_id':'a','content':'ok'},{'role':'function','name':'g','content':'ok2'}]}"), true);
        same(d, t, j("{'messages':[{'role':'user','content':'x'}],'model':'m'}"), true);
        same(d, "/openai/deployments/dep/chat/completions", j("{'messages':[{'role':'user','content':'x'}]}"), true);
        // Duplicate keys: the tree keeps the last value.
        same(d, t, j("{'model':'a','model':'b','messages':[{'role':'user','content':'x'}]}"), false);
        same(d, t, j("{'model':'a','messages':[{'role':'user','role':'assistant','content':'x'}]}"), false);
        same(d, t, j("{'model':'a','tools':[{'function':{'name':'f','parameters':{'a':1,'b':2,'a':3}}}]}"), false);
        same(d, t, j("{'model':'a','tools':[{'function':{'name':'f','parameters':{'a':{'x':1},'b':{'x':2}}}}]}"), true);
        // Odd values.
        same(d, t, j("{'model':'a','messages':[{'role':'user','content':42}]}"), false);
        same(d, t, j("{'model':'','stream':'yes','tools':{},'messages':{}}"), true);
        same(d, t, "[1,2]", false);
        same(d, t, j("{'model':'a'} trailing"), true);
    }

    @Test
    void anthropicRequestsDecodeAlikeBothWays() {
        AnthropicDecoder d = new AnthropicDecoder();
        String t = "/v1/messages";
        same(d, t, j("{'model':'c','stream':true,'system':[{'type':'text','text':'sys'},{'type':'text','text':'tem'}],"
                + "'tools':[{'name':'Bash','description':'d','input_schema':" + SCHEMA + "},{'type':'web_search_20250305'},'x',"
                + "{'name':'n','input_schema':null}],"
                + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'thinking','thinking':'hm'},"
                + "{'type':'text','text':'a'},{'type':'text','text':''},{'type':'tool_use','id':'t1','name':'Bash','input':{'c':'ls','n':1.0}},"
                + "{'type':'server_tool_use','id':'t2','name':'s'},{'text':'no type'},3]},"
                + "{'role':'user','content':[{'type':'text','text':'before'},{'type':'tool_result','tool_use_id':'t1','content':[{'type':'text','text':'out'}],'is_error':true},"
                + "{'type':'image'},{'type':'tool_result','tool_use_id':'t2'},'str',null,{'type':'document'},{'type':'tool_use'},[{'text':'nested'}]]},"
                + "{'role':'user','content':null},{'content':'no role'},{'role':'user'},{'role':'user','content':{'type':'text','text':'obj'}}]}"), true);
        same(d, "/model/anthropic.claude-3%3A0/invoke-with-response-stream", j("{'anthropic_version':'b','messages':[]}"), true);
        same(d, t, j("{'model':'c','messages':[{'content':[{'type':'text','text':'x'}],'role':'user'}]}"), false);
        same(d, t, j("{'model':'c','messages':[{'role':'user','content':[{'type':7}]}]}"), false);
        same(d, t, j("{'model':'c','system':'a','system':'b'}"), false);
    }

    @Test
    void responsesRequestsDecodeAlikeBothWays() {
        OpenAiResponsesDecoder d = new OpenAiResponsesDecoder();
        String t = "/v1/responses";
        same(d, t, j("{'input':[{'type':'message','role':'developer','content':[{'type':'input_text','text':'dev'}]},"
                + "{'role':'user','content':[{'type':'input_text','text':'q'},{'type':'input_image'}]},"
                + "{'type':'reasoning','summary':[{'type':'summary_text','text':'s1'},{'text':''}],'content':[{'type':'reasoning_text','text':'c1'}]},"
                + "{'type':'function_call','call_id':'c1','name':'f','arguments':'{}'},{'type':'function_call','id':'fc2','name':'g','arguments':'[1'},"
                + "{'type':'function_call_output','call_id':'c1','output':'done'},{'type':'custom_tool_call','call_id':'c3','name':'p','input':'*** patch'},"
                + "{'type':'custom_tool_call','call_id':'c4','name':'p'},{'type':'custom_tool_call_output','call_id':'c3','output':[{'type':'input_text','text':'ok'}]},"
                + "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'a'}]},{'type':'message','role':'system','content':'late'},"
                + "{'type':'reasoning','summary':[]},{'type':'message','role':'assistant','content':'b'},{'type':'web_search_call'},3,{'x':1}],"
                + "'model':'gpt','instructions':'ins','stream':true,"
                + "'tools':[{'type':'function','name':'f','description':'d','parameters':" + SCHEMA + "},{'type':'custom','name':'p','format':{'type':'grammar'}},"
                + "{'type':'web_search'},{'type':'function','name':'n','parameters':null}]}"), true);
        same(d, t, j("{'model':'m','input':'just text'}"), true);
        same(d, t, j("{'model':'m','input':''}"), true);
        same(d, t, j("{'model':'m','input':null}"), true);
        same(d, t, j("{'model':'m','input':[{'content':[{'text':'c'}],'type':'reasoning'}]}"), false);
        same(d, t, j("{'model':'m','input':[{'type':'custom_tool_call','input':5}]}"), false);
    }

    @Test
    void geminiRequestsDecodeAlikeBothWays() {
        GeminiDecoder d = new GeminiDecoder();
        String t = "/v1beta/models/gemini-2.5-pro:streamGenerateContent";
        same(d, t, j("{'systemInstruction':{'parts':[{'text':'a'},{'text':'b','thought':true},{'text':'c'}]},"
                + "'system_instruction':{'parts':[{'text':'ignored'}]},"
                + "'tools':[{'functionDeclarations':[{'name':'f','description':'d','parametersJsonSchema':" + SCHEMA + ",'parameters':{}},"
                + "{'name':'g','parameters':{'type':'object'}},'x']},{'googleSearch':{}},{'codeExecution':{},'other':1},{'functionDeclarations':5},7],"
                + "'contents':[{'role':'user','parts':[{'text':'q'},{'inlineData':{'data':'AA'}},{'functionResponse':{'name':'f','response':{'error':'bad'}}},"
                + "{'text':'after'},{'fileData':{}},{'functionResponse':{'id':'i','name':'f','response':{'ok':1}}},{'functionResponse':{'name':'h'}}]},"
                + "{'role':'model','parts':[{'text':'think','thought':true},{'text':'ans'},{'functionCall':{'id':'i','name':'f','args':{'a':[1]}}},"
                + "{'functionCall':null},{'functionCall':{'name':'g'}}]},{'role':'model','parts':[]},{'role':'user'},{'parts':{}},5]}"), true);
        same(d, "/v1internal:generateContent", j("{'model':'models/gemini-x','request':{'contents':[{'role':'user','parts':[{'text':'q'}]}]}}"), false);
        same(d, "/v1internal:generateContent", j("{'model':'gemini-x','contents':[{'role':'user','parts':[{'text':'q'}]}]}"), true);
        same(d, t, j("{'system_instruction':[{'text':'arr'}],'contents':[]}"), true);
        same(d, t, j("{'contents':[{'role':'user','parts':[{'text':5}]}]}"), false);
        same(d, t, j("{'contents':[{'role':'user','parts':[{'functionResponse':{'name':'f','response':'str'}}]}]}"), false);
    }

    @Test
    void repeatedSystemPromptsToolsAndHistoryComeFromTheCacheUnchanged() {
        String longText = "You are a careful agent. ".repeat(30);
        String tools = "[{'name':'Bash','description':'" + longText + "','input_schema':" + SCHEMA + "}]";
        String history = "{'role':'user','content':[{'type':'text','text':'" + longText + "'}]},"
                + "{'role':'assistant','content':[{'type':'text','text':'" + longText + "'},{'type':'tool_use','id':'t','name':'Bash','input':{'c':1}}]}";
        AnthropicDecoder d = new AnthropicDecoder();
        long hits = JsonStream.CACHE_HITS.sum();
        same(d, "/v1/messages", j("{'model':'c','system':[{'type':'text','text':'" + longText + "'}],'tools':" + tools
                + ",'messages':[" + history + ",{'role':'user','content':'next'}]}"), true);
        // The same values inside a different request, at other offsets, and one that differs in one byte.
        same(d, "/v1/messages", j("{'model':'c2','messages':[" + history + ",{'role':'user','content':'other'}],'tools':" + tools
                + ",'system':[{'type':'text','text':'" + longText + "'}]}"), true);
        same(d, "/v1/messages", j("{'model':'c','system':[{'type':'text','text':'" + longText.replace("careful", "carefuL")
                + "'}],'tools':" + tools + ",'messages':[" + history + "]}"), true);
        assertEquals(true, JsonStream.CACHE_HITS.sum() - hits >= 8, "cache hits: " + (JsonStream.CACHE_HITS.sum() - hits));
        OpenAiChatDecoder chat = new OpenAiChatDecoder();
        same(chat, "/v1/chat/completions", j("{'model':'m','messages':[{'role':'system','content':'" + longText + "'},"
                + "{'role':'user','content':'q'}],'tools':[{'type':'function','function':{'name':'f','description':'" + longText + "'}}]}"), true);
        OpenAiResponsesDecoder resp = new OpenAiResponsesDecoder();
        same(resp, "/v1/responses", j("{'model':'m','input':[{'type':'message','role':'user','content':[{'type':'input_text','text':'"
                + longText + "'}]}],'tools':[{'type':'function','name':'f','description':'" + longText + "'}]}"), true);
        GeminiDecoder gem = new GeminiDecoder();
        same(gem, "/v1beta/models/g:generateContent", j("{'systemInstruction':{'parts':[{'text':'" + longText + "'}]},"
                + "'contents':[{'role':'user','parts':[{'text':'" + longText + "'}]}],'tools':[{'functionDeclarations':[{'name':'f','description':'"
                + longText + "'}]}]}"), true);
    }

    @Test
    void cachedValuesCutOutBeforeParsingLeaveOddRequestsAsTheTreeReadsThem() {
        String longText = "Values the cache holds are replaced before parsing. ".repeat(10);
        String system = "[{'type':'text','text':'" + longText + "'}]";
        String msg = "{'role':'user','content':[{'type':'text','text':'" + longText + "'}]}";
        AnthropicDecoder d = new AnthropicDecoder();
        // First read fills the cache; every request after it has the same values at a cache site.
        same(d, "/v1/messages", j("{'model':'c','system':" + system + ",'messages':[" + msg + "]}"), true);
        long hits = JsonStream.CACHE_HITS.sum();
        same(d, "/v1/messages", j("{ 'model' : 'c' , 'system' :\n " + system + " , 'messages' : [ " + msg + " , " + msg + " ] }"), true);
        assertEquals(true, JsonStream.CACHE_HITS.sum() - hits >= 6, "values served from the cache");
        // Broken after a cached value: the placeholder must not make them valid.
        same(d, "/v1/messages", j("{'model':'c','system':" + system + ".5,'messages':[]}"), false);
        same(d, "/v1/messages", j("{'model':'c','system':" + system + "e5}"), false);
        same(d, "/v1/messages", j("{'model':'c','messages':[" + msg + " " + msg + "]}"), false);
        same(d, "/v1/messages", j("{'model':'c','messages':[" + msg + "}"), false);
        // A repeated key (the tree keeps the last), an escaped key (no cache site to the raw scan), a
        // cached value where the decoder expects another kind, and a cached value nested deeper.
        same(d, "/v1/messages", j("{'model':'c','system':" + system + ",'system':'other','messages':[" + msg + "]}"), false);
        same(d, "/v1/messages", j("{'model':'c','\\u0073ystem':" + system + ",'messages':[" + msg + "]}"), true);
        same(d, "/v1/messages", j("{'model':'c','system':" + msg + ",'tools':" + system + ",'messages':[" + system + "]}"), true);
        same(d, "/v1/messages", j("{'model':'c','metadata':{'system':" + system + ",'messages':[" + msg + "]},'messages':[]}"), true);
    }

    @Test
    void ignoredStreamEventsAreCheckedWithoutATreeAsTheTreeWouldReadThem() {
        AnthropicDecoder d = new AnthropicDecoder();
        String req = j("{'model':'c','stream':true,'messages':[{'role':'user','content':'x'}]}");
        String text = j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hi'}}");
        sameStream(d, "/v1/messages", req, j("{'type':'ping'}"), j("{'type':'ping','type':'error','error':{'message':'m'}}"),
                j("{'type':'ping'"), j("{'type':'content_block_stop','index':0}"), text, j("{'type':'message_stop'}"));
        sameStream(d, "/v1/messages", req, text, j("{'type':'message_stop','amazon-bedrock-invocationMetrics':{'inputTokenCount':4,"
                + "'outputTokenCount':2}}"));
        sameStream(d, "/v1/messages", req, text, j("{'type':'message_stop','type':'x'}"));
        sameStream(d, "/v1/messages", req, text, j("{'type':'message_stop',}"));
        OpenAiResponsesDecoder r = new OpenAiResponsesDecoder();
        String rreq = j("{'model':'m','stream':true,'input':'x'}");
        String delta = j("{'type':'response.output_text.delta','output_index':0,'delta':'Hi'}");
        sameStream(r, "/v1/responses", rreq, delta, j("{'type':'response.output_text.done','output_index':0,'text':'Hi'}"),
                j("{'type':'response.content_part.done','output_index':0,'part':{'type':'output_text','text':'Hi'},'type':'error'}"),
                j("{'type':'response.content_part.added','output_index':0,'part':{'type':'output_text','text':''"),
                j("{'type':'response.completed','response':{'id':'r','model':'m','status':'completed','output':[]}}"));
    }

    private static void sameStream(WireApiDecoder d, String target, String request, String... events) {
        HttpExchange ex = Ex.post(target).body(request).sse(events).build();
        JsonStream.enabled = false;
        String tree = d.decode(ex).toString();
        JsonStream.enabled = true;
        long fastEvents = JsonStream.FAST_EVENTS.sum();
        assertEquals(tree, d.decode(ex).toString(), String.join("\n", events));
        assertEquals(true, JsonStream.FAST_EVENTS.sum() > fastEvents, "some events took the fast path");
    }

    @Test
    void anthropicStreamsDecodeAlikeBothWays() {
        AnthropicDecoder d = new AnthropicDecoder();
        String req = j("{'model':'c','stream':true,'messages':[{'role':'user','content':'x'}]}");
        String start = j("{'type':'message_start','message':{'id':'msg_1','model':'c','usage':{'input_tokens':3,'output_tokens':1}}}");
        String stop = j("{'type':'message_delta','delta':{'stop_reason':'end_turn'},'usage':{'output_tokens':9}}");
        sameStream(d, "/v1/messages", req, start,
                j("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}"),
                j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hel'}}"),
                j("{'type':'content_block_delta','delta':{'type':'text_delta','text':'lo'},'index':0}"),
                j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta'}}"),
                j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':7}}"),
                j("{'type':'content_block_delta','index':1,'delta':{'type':'thinking_delta','thinking':'hm'}}"),
                j("{'type':'content_block_delta','index':'2','delta':{'type':'input_json_delta','partial_json':'{}'}}"),
                j("{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':null}}"),
                j("{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':5}}"),
                j("{'type':'content_block_delta','index':3,'delta':{'type':'input_json_delta','partial_json':'{\\'a\\':1}'}}"),
                j("{'type':'content_block_delta','index':4,'delta':{'type':'signature_delta','signature':'s'}}"),
                j("{'type':'content_block_delta','index':5,'delta':null}"),
                j("{'type':'content_block_delta','index':6.0,'delta':{'type':'text_delta','text':'f'}}"),
                j("{'type':'content_block_delta','index':0,'index':1,'delta':{'type':'text_delta','text':'dup'}}"),
                j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'cut'"),
                j("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'!'}} trailing"),
                j("{'type':'content_block_delta'}"),
                j("{ 'type' : 'content_block_delta', 'index': 0, 'delta': {'type': 'text_delta', 'text': ' spaced'}}"),
                stop, j("{'type':'message_stop'}"));
    }

    @Test
    void openAiChatStreamsDecodeAlikeBothWays() {
        OpenAiChatDecoder d = new OpenAiChatDecoder();
        String req = j("{'model':'m','stream':true,'messages':[{'role':'user','content':'x'}]}");
        String t = "/v1/chat/completions";
        sameStream(d, t, req, j("{'id':'chatcmpl-1','model':'m','system_fingerprint':'fp_1','choices':[{'index':0,'delta':{'role':'assistant','content':''}}]}"),
                j("{'id':'chatcmpl-2','model':'m2','choices':[{'index':0,'delta':{'content':'Hel'},'finish_reason':null}]}"),
                j("{'choices':[{'delta':{'content':[{'type':'text','text':'lo'}]}}]}"),
                j("{'choices':[{'index':1,'delta':{'content':'other choice'}},{'index':0,'delta':{'content':' there'}}]}"),
                j("{'choices':[{'index':0,'delta':{'reasoning_content':'hm','reasoning':'no'}}]}"),
                j("{'choices':[{'index':0,'delta':{'reasoning':'r2'},'matched_stop':1}]}"),
                j("{'choices':[{'index':0,'delta':null,'stop_reason':null}],'created_at':'t','timings':{}}"),
                j("{'choices':[{'index':'0','delta':{'content':'s'}}]}"),
                j("{'choices':[{'index':0,'delta':{'content':5}}]}"),
                j("{'choices':['x',{'index':0,'delta':{'content':'after string'}}]}"),
                j("{'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'c','function':{'name':'f','arguments':'{}'}}]}}]}"),
                j("{'choices':[{'index':0,'delta':{'content':'dup','content':'dup2'}}]}"),
                j("{'choices':[{'index':0,'delta':{'content':'cut'"),
                j("{'error':{'message':'x'},'choices':[{'index':0,'delta':{'content':'with error'}}]}"),
                j("{'choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}"),
                j("{'choices':[],'usage':{'prompt_tokens':5,'completion_tokens':7,'prompt_tokens_details':{'cached_tokens':2},"
                        + "'completion_tokens_details':{'reasoning_tokens':1}}}"),
                j("{'usage':{'input_tokens':5,'output_tokens':2.0}}"),
                j("{'usage':{'input_tokens':5,'output_tokens':99999999999999999999999}}"),
                j("{'usage':{'input_tokens':'5','cache_read_input_tokens':3,'prompt_tokens_details':4}}"),
                j("{'usage':7,'prompt_logprobs':null}"), "[DONE]");
        sameStream(d, t, req, j("{'id':'a','choices':[{'index':0,'delta':{'content':'x'}}],'kv_transfer_params':{},'stats':{}}"),
                j("{'error':{'message':'boom','type':'server_error'}}"));
    }

    @Test
    void responsesStreamsDecodeAlikeBothWays() {
        OpenAiResponsesDecoder d = new OpenAiResponsesDecoder();
        String req = j("{'model':'m','stream':true,'input':'x'}");
        sameStream(d, "/v1/responses", req, j("{'type':'response.created','response':{'id':'resp_1','model':'m'}}"),
                j("{'type':'response.output_item.added','output_index':0,'item':{'type':'message','id':'msg_1'}}"),
                j("{'type':'response.output_text.delta','output_index':0,'delta':'Hel'}"),
                j("{'type':'response.output_text.delta','item_id':'msg_1','delta':'lo'}"),
                j("{'type':'response.output_text.delta','item_id':'nope','delta':'?'}"),
                j("{'type':'response.refusal.delta','output_index':0,'delta':null}"),
                j("{'type':'response.output_text.delta','output_index':0}"),
                j("{'type':'response.output_text.delta','output_index':0,'delta':3}"),
                j("{'type':'response.output_text.delta','output_index':'0','delta':'s'}"),
                j("{'type':'response.reasoning_summary_text.delta','output_index':1,'delta':'think'}"),
                j("{'type':'response.reasoning_text.delta','output_index':1,'delta':'more'}"),
                j("{'type':'response.function_call_arguments.delta','output_index':2,'delta':'{\\'a\\''}"),
                j("{'type':'response.custom_tool_call_input.delta','output_index':2,'delta':':1}'}"),
                j("{'type':'response.output_text.done','output_index':0,'text':'Hello'}"),
                j("{'type':'response.output_text.delta','output_index':0,'delta':'x','delta':'y'}"),
                j("{'type':'response.output_text.delta','output_index':0,'delta':'cut"),
                j("{'delta':'type not first','type':'response.output_text.delta','output_index':0}"),
                j("{'type': 'response.output_text.delta', 'output_index': 0, 'delta': ' spaced'}"),
                j("{'type':'response.completed','response':{'id':'resp_1','status':'completed','output':[]}}"));
    }

    @Test
    void siblingObjectsWithTheSameKeysAreNoDuplicates() {
        // Jackson reuses its parsing contexts; names seen must not leak from one object to the next.
        OpenAiChatDecoder d = new OpenAiChatDecoder();
        StringBuilder msgs = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            msgs.append(i == 0 ? "" : ",").append("{'role':'user','content':[{'type':'text','text':'m").append(i).append("'}]}");
        }
        same(d, "/v1/chat/completions", j("{'model':'m','messages':[" + msgs + "],'tools':[{'function':{'name':'a'}},{'function':{'name':'b'}}]}"),
                true);
        assertEquals(List.of(), List.of());
    }
}
