package heron.decoders;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import heron.core.decode.JsonShape;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.decoders.internal.DecoderBase;
import heron.decoders.internal.Errors;
import heron.decoders.internal.Json;
import heron.decoders.internal.JsonStream;
import heron.decoders.internal.StreamEvents;
import heron.decoders.internal.ToolCallParts;

/**
 * OpenAI Chat Completions ({@code /v1/chat/completions}) and every server that speaks it: vLLM,
 * SGLang, Ollama's /v1, llama.cpp, LM Studio, LiteLLM, and Azure OpenAI
 * ({@code /openai/deployments/{deployment}/chat/completions?api-version=...}, where the model is
 * the deployment when the body names none). The broadest decoder, so it has the lowest priority.
 */
public class OpenAiChatDecoder extends DecoderBase {
    public static final String ID = "openai-chat";

    @Override
    protected String wireApi() {
        return ID;
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        if (!isPost(ex)) {
            return Route.REJECT;
        }
        String path = ex.request().path();
        if (path.endsWith("/chat/completions")) {
            return Route.ACCEPT;
        }
        // Ollama's native API has {model, messages} bodies too, but its own wire format.
        if (path.equals("/api/chat") || path.equals("/api/generate")) {
            return Route.REJECT;
        }
        return Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        return shape.kind("model") == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && shape.arraySize("messages") > 0
                && !shape.has("input") && !shape.has("contents") && !shape.has("anthropic_version");
    }

    @Override
    public String nonCallLabel(HttpExchange ex) {
        String m = ex.request().method().toUpperCase(Locale.ROOT);
        String path = ex.request().path();
        if ((m.equals("GET") || m.equals("HEAD")) && (path.endsWith("/v1/models") || path.contains("/v1/models/")
                || path.endsWith("/openai/models"))) {
            return "models";
        }
        if (m.equals("POST") && (path.endsWith("/v1/embeddings") || (path.contains("/openai/deployments/")
                && path.endsWith("/embeddings")))) {
            return "embeddings";
        }
        if (m.equals("POST") && path.endsWith("/v1/moderations")) {
            return "moderations";
        }
        return null;
    }

    @Override
    protected FinishKind finishKind(String raw) {
        return openAiFinish(raw);
    }

    /**
     * The finish values of OpenAI's and compatible servers' chat and text completions (vLLM,
     * llama.cpp, DeepSeek ... add their own), normalised.
     */
    static FinishKind openAiFinish(String raw) {
        return switch (raw) {
        case "stop", "eos", "end_turn", "stop_sequence" -> FinishKind.COMPLETE;
        case "length", "max_tokens", "model_length" -> FinishKind.LENGTH;
        case "tool_calls", "function_call", "tool_use" -> FinishKind.TOOL_USE;
        case "content_filter", "safety", "refusal" -> FinishKind.CONTENT_FILTER;
        case "abort", "cancelled" -> FinishKind.CANCELLED;
        // DeepSeek: the server ran out of capacity mid-answer
        case "error", "insufficient_system_resource" -> FinishKind.ERROR;
        default -> null;
        };
    }

    // ---- request ----

    @Override
    protected void decodeRequest(Ctx c, JsonNode req) {
        c.b.requestModel = Json.str(req, "model");
        if (c.b.requestModel == null) {
            c.b.requestModel = azureDeployment(c.ex.request().path());
        }
        c.b.stream = Json.isTrue(req, "stream");
        if (req == null) {
            return;
        }
        JsonNode tools = req.get("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode t : tools) {
                JsonNode f = t.has("function") ? t.get("function") : t;
                String name = Json.str(f, "name");
                c.b.toolsOffered.add(new ToolDefinition(name != null ? name : Json.str(t, "type"),
                        Json.str(f, "description"), f.has("parameters") ? Json.write(f.get("parameters")) : null));
            }
        }
        JsonNode functions = req.get("functions"); // the pre-tools form, still accepted
        if (functions != null && functions.isArray()) {
            for (JsonNode f : functions) {
                c.b.toolsOffered.add(new ToolDefinition(Json.str(f, "name"), Json.str(f, "description"),
                        f.has("parameters") ? Json.write(f.get("parameters")) : null));
            }
        }
        JsonNode msgs = req.get("messages");
        if (msgs == null || !msgs.isArray()) {
            return;
        }
        boolean leading = true;
        for (JsonNode m : msgs) {
            leading = message(c, treeMessage(m), leading);
        }
    }

    /** One messages[] entry from the tree, as {@link #readMessage} reads it from the token stream. */
    private static ChatMessage treeMessage(JsonNode m) {
        List<ToolCall> calls = new ArrayList<>();
        JsonNode tc = m.get("tool_calls");
        if (tc != null && tc.isArray()) {
            for (JsonNode t : tc) {
                JsonNode f = t.get("function");
                calls.add(new ToolCall(Json.str(t, "id"), Json.str(f, "name"),
                        Json.arguments(f == null ? null : f.get("arguments")).json()));
            }
        }
        JsonNode fc = m.get("function_call");
        if (fc != null && fc.isObject()) {
            calls.add(new ToolCall(null, Json.str(fc, "name"), Json.arguments(fc.get("arguments")).json()));
        }
        String reasoning = Json.str(m, "reasoning_content");
        return new ChatMessage(Json.str(m, "role"), Json.contentText(m.get("content")),
                reasoning != null ? reasoning : Json.str(m, "reasoning"), List.copyOf(calls), Json.str(m, "tool_call_id"),
                Json.str(m, "name"));
    }

    @Override
    protected boolean decodeRequestFast(Ctx c, JsonParser p) throws IOException {
        String model = null;
        boolean stream = false;
        List<ToolDefinition> tools = List.of();
        List<ToolDefinition> functions = new ArrayList<>();
        String name;
        while ((name = JsonStream.nextField(p)) != null) {
            switch (name) {
            case "model" -> model = JsonStream.str(JsonStream.scalar(p));
            case "stream" -> stream = JsonStream.scalar(p) == Boolean.TRUE;
            case "tools" -> tools = JsonStream.cached(p, c.requestBytes, CACHE_TOOLS,
                    q -> JsonStream.list(q, t -> fastTool(t, true)));
            case "functions" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    while (JsonStream.nextElement(p)) {
                        functions.add(fastTool(p, false));
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            case "messages" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    boolean leading = true;
                    while (JsonStream.nextElement(p)) {
                        leading = message(c, JsonStream.cached(p, c.requestBytes, CACHE_MESSAGE, OpenAiChatDecoder::readMessage),
                                leading);
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        c.b.requestModel = model != null ? model : azureDeployment(c.ex.request().path());
        c.b.stream = stream;
        c.b.toolsOffered.addAll(tools);
        c.b.toolsOffered.addAll(functions);
        return true;
    }

    /**
     * One tools[] entry ({type, function:{name, description, parameters}}) or, with
     * {@code wrapped} false, one functions[] entry (the function object itself).
     */
    private static ToolDefinition fastTool(JsonParser p, boolean wrapped) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p); // no fields: every part of the definition is null
            return new ToolDefinition(null, null, null);
        }
        String[] own = new String[3];
        String[] fn = null;
        String type = null;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "function" -> {
                if (!wrapped) {
                    JsonStream.skip(p);
                } else if (p.currentToken() == JsonToken.START_OBJECT) {
                    fn = new String[3];
                    String f2;
                    while ((f2 = JsonStream.nextField(p)) != null) {
                        fastDefinitionField(p, f2, fn);
                    }
                } else {
                    JsonStream.skip(p);
                    fn = new String[3]; // a non-object function: its name and parameters are absent
                }
            }
            case "type" -> type = JsonStream.str(JsonStream.scalar(p));
            default -> fastDefinitionField(p, field, own);
            }
        }
        String[] f = fn != null ? fn : own;
        return new ToolDefinition(f[0] != null ? f[0] : wrapped ? type : null, f[1], f[2]);
    }

    private static void fastDefinitionField(JsonParser p, String field, String[] out) throws IOException {
        switch (field) {
        case "name" -> out[0] = JsonStream.str(JsonStream.scalar(p));
        case "description" -> out[1] = JsonStream.str(JsonStream.scalar(p));
        case "parameters" -> out[2] = JsonStream.copy(p);
        default -> JsonStream.skip(p);
        }
    }

    private static final int CACHE_TOOLS = 1;
    private static final int CACHE_MESSAGE = 2;
    private static final JsonStream.Sites SITES = new JsonStream.Sites().value("tools", CACHE_TOOLS)
            .elements("messages", CACHE_MESSAGE);

    @Override
    protected JsonStream.Sites cacheSites() {
        return SITES;
    }

    /**
     * The fields of one messages[] entry that {@link #message} uses, read from the tree
     * ({@link #treeMessage}) or the token stream ({@link #readMessage}); role null when it has none.
     */
    private record ChatMessage(String role, String text, String reasoning, List<ToolCall> calls, String toolCallId,
            String fnName) {
    }

    private static final ChatMessage NO_ROLE = new ChatMessage(null, null, null, List.of(), null, null);

    private static ChatMessage readMessage(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p); // no role: ignored
            return NO_ROLE;
        }
        String role = null;
        String text = null;
        String reasoningContent = null;
        String reasoning = null;
        String toolCallId = null;
        String fnName = null;
        List<ToolCall> calls = new ArrayList<>();
        ToolCall functionCall = null;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "role" -> role = JsonStream.str(JsonStream.scalar(p));
            case "content" -> text = JsonStream.contentText(p);
            case "reasoning_content" -> reasoningContent = JsonStream.str(JsonStream.scalar(p));
            case "reasoning" -> reasoning = JsonStream.str(JsonStream.scalar(p));
            case "tool_call_id" -> toolCallId = JsonStream.str(JsonStream.scalar(p));
            case "name" -> fnName = JsonStream.str(JsonStream.scalar(p));
            case "tool_calls" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    while (JsonStream.nextElement(p)) {
                        calls.add(fastToolCall(p));
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            case "function_call" -> {
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    String n = null;
                    String args = "{}";
                    String f2;
                    while ((f2 = JsonStream.nextField(p)) != null) {
                        switch (f2) {
                        case "name" -> n = JsonStream.str(JsonStream.scalar(p));
                        case "arguments" -> args = JsonStream.arguments(p);
                        default -> JsonStream.skip(p);
                        }
                    }
                    functionCall = new ToolCall(null, n, args);
                } else {
                    JsonStream.skip(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        if (functionCall != null) {
            calls.add(functionCall);
        }
        return new ChatMessage(role, text, reasoningContent != null ? reasoningContent : reasoning, List.copyOf(calls),
                toolCallId, fnName);
    }

    /**
     * One messages[] entry into the conversation: system and developer messages before the first
     * other one form the system prompt, later ones stay system messages; an assistant message
     * keeps its tool calls and reasoning; tool (and the older function) messages are tool
     * results. A message without role is ignored. Returns the new "leading" state.
     */
    private static boolean message(Ctx c, ChatMessage m, boolean leading) {
        String role = m.role();
        String text = m.text();
        if (role == null) {
            return leading;
        }
        if (role.equals("system") || role.equals("developer")) {
            if (leading) {
                appendSystem(c, text);
            } else {
                c.b.messages.add(Message.text("system", text));
            }
            return leading;
        }
        switch (role) {
        case "assistant" -> c.b.messages.add(new Message("assistant", text, m.reasoning(), m.calls(), null, false));
        case "tool" -> c.b.messages.add(Message.toolResult(m.toolCallId(), text, false));
        case "function" -> c.b.messages.add(Message.toolResult(m.fnName(), text, false));
        default -> c.b.messages.add(Message.text(role, text));
        }
        return false;
    }

    /** One tool_calls[] entry of an assistant message: {id, function:{name, arguments}}. */
    private static ToolCall fastToolCall(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p);
            return new ToolCall(null, null, "{}");
        }
        String id = null;
        String name = null;
        String args = "{}";
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            if (field.equals("id")) {
                id = JsonStream.str(JsonStream.scalar(p));
            } else if (field.equals("function") && p.currentToken() == JsonToken.START_OBJECT) {
                String f2;
                while ((f2 = JsonStream.nextField(p)) != null) {
                    switch (f2) {
                    case "name" -> name = JsonStream.str(JsonStream.scalar(p));
                    case "arguments" -> args = JsonStream.arguments(p);
                    default -> JsonStream.skip(p);
                    }
                }
            } else {
                JsonStream.skip(p);
            }
        }
        return new ToolCall(id, name, args);
    }

    /**
     * What the stream loop uses of one chunk (except tool call deltas), read from the token stream
     * ({@link #fastChunk}) or the tree ({@link #treeChunk}), and applied by {@link #chunk}.
     */
    private static final class Chunk {
        String id;
        String model;
        String fingerprint;
        boolean createdAt;
        boolean timings;
        boolean stats;
        boolean vllm;
        boolean choice;
        boolean matchedStop;
        boolean stopReason;
        String content;
        String reasoningContent;
        String reasoning;
        String finishReason;
        boolean usage;
        Long promptTokens;
        Long inputTokens;
        Long completionTokens;
        Long outputTokens;
        Long cachedTokens;
        Long cacheReadTokens;
        Long reasoningTokens;
    }

    /**
     * A chat chunk without tool calls or errors (most chunks), read from the token stream; null —
     * the tree walk reads it — for anything else or any doubt (invalid JSON, repeated keys, tool
     * call deltas, an error object, values of unusual types).
     */
    private static Chunk fastChunk(String data) {
        if (!data.startsWith("{")) {
            return null;
        }
        Chunk k = new Chunk();
        try (JsonParser p = JsonStream.parser(data)) {
            p.nextToken();
            String name;
            while ((name = JsonStream.nextField(p)) != null) {
                switch (name) {
                case "id" -> k.id = JsonStream.str(JsonStream.scalar(p));
                case "model" -> k.model = JsonStream.str(JsonStream.scalar(p));
                case "system_fingerprint" -> k.fingerprint = JsonStream.str(JsonStream.scalar(p));
                case "created_at" -> k.createdAt = skipped(p);
                case "timings" -> k.timings = skipped(p);
                case "stats" -> k.stats = skipped(p);
                case "prompt_logprobs", "kv_transfer_params" -> k.vllm = skipped(p);
                case "error" -> {
                    return null;
                }
                case "choices" -> {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        JsonStream.skip(p);
                        break;
                    }
                    while (JsonStream.nextElement(p)) {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            if (!k.choice) {
                                return null; // a non-object would be "the choice": the tree walk decides
                            }
                            JsonStream.skip(p);
                            continue;
                        }
                        if (!fastChoice(p, k)) {
                            return null;
                        }
                    }
                }
                case "usage" -> {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        JsonStream.skip(p); // has("usage") but no object: not read
                        break;
                    }
                    k.usage = true;
                    String f;
                    while ((f = JsonStream.nextField(p)) != null) {
                        switch (f) {
                        case "prompt_tokens" -> k.promptTokens = count(p);
                        case "input_tokens" -> k.inputTokens = count(p);
                        case "completion_tokens" -> k.completionTokens = count(p);
                        case "output_tokens" -> k.outputTokens = count(p);
                        case "cache_read_input_tokens" -> k.cacheReadTokens = count(p);
                        case "prompt_tokens_details" -> k.cachedTokens = nestedCount(p, "cached_tokens");
                        case "completion_tokens_details" -> k.reasoningTokens = nestedCount(p, "reasoning_tokens");
                        default -> JsonStream.skip(p);
                        }
                    }
                }
                default -> JsonStream.skip(p);
                }
            }
            return k;
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /** One choice object; false when the tree walk must read the chunk. */
    private static boolean fastChoice(JsonParser p, Chunk k) throws IOException {
        boolean indexZero = true;
        boolean matchedStop = false;
        boolean stopReason = false;
        String content = null;
        String reasoningContent = null;
        String reasoning = null;
        String finish = null;
        String f;
        while ((f = JsonStream.nextField(p)) != null) {
            switch (f) {
            case "index" -> {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    return false; // asInt() of other values has its own rules
                }
                indexZero = p.getIntValue() == 0;
            }
            case "matched_stop" -> matchedStop = skipped(p);
            case "stop_reason" -> stopReason = skipped(p);
            case "finish_reason" -> finish = JsonStream.str(JsonStream.scalar(p));
            case "delta" -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    JsonStream.skip(p); // get() on a non-object finds nothing
                    break;
                }
                String g;
                while ((g = JsonStream.nextField(p)) != null) {
                    switch (g) {
                    case "content" -> content = JsonStream.contentText(p);
                    case "reasoning_content" -> reasoningContent = JsonStream.str(JsonStream.scalar(p));
                    case "reasoning" -> reasoning = JsonStream.str(JsonStream.scalar(p));
                    case "tool_calls", "function_call" -> {
                        return false;
                    }
                    default -> JsonStream.skip(p);
                    }
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        if (indexZero && !k.choice) {
            k.choice = true;
            k.matchedStop = matchedStop;
            k.stopReason = stopReason;
            k.content = content;
            k.reasoningContent = reasoningContent;
            k.reasoning = reasoning;
            k.finishReason = finish;
        }
        return true;
    }

    private static boolean skipped(JsonParser p) throws IOException {
        JsonStream.skip(p);
        return true;
    }

    /** Json.num: an integer that fits a long, null when not a number; other numbers: the tree decides. */
    private static Long count(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            throw new JsonStream.Fallback(); // longValue() of a float or a huge integer
        }
        JsonStream.skip(p);
        return null;
    }

    private static Long nestedCount(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p);
            return null;
        }
        Long v = null;
        String f;
        while ((f = JsonStream.nextField(p)) != null) {
            if (f.equals(field)) {
                v = count(p);
            } else {
                JsonStream.skip(p);
            }
        }
        return v;
    }

    /** Azure OpenAI puts the deployment in the path: /openai/deployments/{d}/chat/completions. */
    static String azureDeployment(String path) {
        int i = path.indexOf("/deployments/");
        if (i < 0) {
            return null;
        }
        int s = i + "/deployments/".length();
        int e = path.indexOf('/', s);
        String d = e < 0 ? path.substring(s) : path.substring(s, e);
        return d.isEmpty() ? null : urlDecode(d);
    }

    // ---- non-streamed response ----

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            return;
        }
        if (body.has("error") && !body.has("choices")) {
            c.b.error = Errors.fromBody(c.b.status, c.ex.response().headers(), body, null);
            return;
        }
        Chunk k = treeChunk(body);
        top(c, k);
        JsonNode choice = firstChoice(body);
        if (choice != null) {
            c.b.finishReason = k.finishReason;
            choiceHints(c, k);
            JsonNode msg = choice.get("message");
            if (msg != null) {
                c.b.outputText = Json.contentText(msg.get("content"));
                if (c.b.outputText == null) {
                    c.b.outputText = Json.str(msg, "refusal");
                }
                String r = Json.str(msg, "reasoning_content");
                c.b.reasoningText = r != null ? r : Json.str(msg, "reasoning");
                JsonNode tc = msg.get("tool_calls");
                if (tc != null && tc.isArray()) {
                    for (JsonNode t : tc) {
                        JsonNode f = t.get("function");
                        Json.Args a = Json.arguments(f == null ? null : f.get("arguments"));
                        if (!a.valid()) {
                            c.problems.add("tool call arguments are not valid JSON");
                        }
                        String id = Json.str(t, "id");
                        noteToolId(c, id);
                        c.b.toolCalls.add(new ToolCall(id, Json.str(f, "name"), a.json()));
                    }
                }
                JsonNode fc = msg.get("function_call");
                if (fc != null && fc.isObject()) {
                    c.b.toolCalls.add(new ToolCall(null, Json.str(fc, "name"), Json.arguments(fc.get("arguments")).json()));
                }
            }
        }
        if (k.usage) {
            usage(c, k);
        }
        toolFinish(c);
    }

    /**
     * Some compatible servers (older Ollama /v1, some vLLM tool parsers, LM Studio) answer tool
     * calls with finish_reason "stop": the tool calls decide, as for Gemini's STOP, so the
     * normalised finish is tool_use. The raw reason is kept as sent.
     */
    private void toolFinish(Ctx c) {
        if (c.b.finish == null && c.b.finishReason != null && !c.b.toolCalls.isEmpty()
                && finishKind(c.b.finishReason) == FinishKind.COMPLETE) {
            c.b.finish = FinishKind.TOOL_USE;
        }
    }

    private static JsonNode firstChoice(JsonNode body) {
        JsonNode choices = body.get("choices");
        if (choices == null || !choices.isArray()) {
            return null;
        }
        // Only choice 0 is the call's answer (n > 1 is rare and not modelled).
        for (JsonNode ch : choices) {
            if (!ch.has("index") || ch.get("index").asInt() == 0) {
                return ch;
            }
        }
        return null;
    }

    /** A chunk (or a whole response body, without delta) from the tree, as {@link #fastChunk} reads it. */
    private static Chunk treeChunk(JsonNode o) {
        Chunk k = new Chunk();
        k.id = Json.str(o, "id");
        k.model = Json.str(o, "model");
        k.fingerprint = Json.str(o, "system_fingerprint");
        k.createdAt = o.has("created_at");
        k.timings = o.has("timings");
        k.stats = o.has("stats");
        k.vllm = o.has("prompt_logprobs") || o.has("kv_transfer_params");
        JsonNode choice = firstChoice(o);
        if (choice != null) {
            k.choice = true;
            k.matchedStop = choice.has("matched_stop");
            k.stopReason = choice.has("stop_reason");
            JsonNode d = choice.get("delta");
            if (d != null) {
                k.content = Json.contentText(d.get("content"));
                k.reasoningContent = Json.str(d, "reasoning_content");
                k.reasoning = Json.str(d, "reasoning");
            }
            k.finishReason = Json.str(choice, "finish_reason");
        }
        JsonNode u = o.get("usage");
        if (u != null && u.isObject()) {
            k.usage = true;
            k.promptTokens = Json.num(u, "prompt_tokens");
            k.inputTokens = Json.num(u, "input_tokens");
            k.completionTokens = Json.num(u, "completion_tokens");
            k.outputTokens = Json.num(u, "output_tokens");
            k.cachedTokens = Json.num(Json.at(u, "prompt_tokens_details"), "cached_tokens");
            k.cacheReadTokens = Json.num(u, "cache_read_input_tokens");
            k.reasoningTokens = Json.num(Json.at(u, "completion_tokens_details"), "reasoning_tokens");
        }
        return k;
    }

    /** Response id and model (the first seen), and the server hints of the top-level fields. */
    private static void top(Ctx c, Chunk k) {
        if (c.b.responseId == null) {
            c.b.responseId = k.id;
        }
        if (c.b.responseModel == null) {
            c.b.responseModel = k.model;
        }
        if (k.fingerprint != null) {
            c.hints.systemFingerprint = k.fingerprint;
        }
        c.hints.ollamaCreatedAt |= k.createdAt;
        c.hints.llamaCppTimings |= k.timings;
        c.hints.lmStudioStats |= k.stats;
        c.hints.vllmMarker |= k.vllm;
    }

    /** Server hints of choice 0: SGLang's matched_stop, else vLLM's stop_reason. */
    private static void choiceHints(Ctx c, Chunk k) {
        if (k.matchedStop) {
            c.hints.sglangMatchedStop = true;
        } else if (k.stopReason) {
            c.hints.vllmMarker = true;
        }
    }

    /** The usage object's counts: OpenAI's names, else the Anthropic-style ones some servers send. */
    private static void usage(Ctx c, Chunk k) {
        c.b.inputTokens = k.promptTokens != null ? k.promptTokens : k.inputTokens;
        c.b.outputTokens = k.completionTokens != null ? k.completionTokens : k.outputTokens;
        c.b.cacheReadTokens = k.cachedTokens != null ? k.cachedTokens : k.cacheReadTokens;
        c.b.reasoningTokens = k.reasoningTokens;
    }

    private static void noteToolId(Ctx c, String id) {
        if (id != null && id.startsWith("chatcmpl-tool-")) {
            c.hints.vllmMarker = true;
        }
    }

    static void readUsage(Ctx c, JsonNode u) {
        if (u == null || !u.isObject()) {
            return;
        }
        Long in = Json.num(u, "prompt_tokens");
        c.b.inputTokens = in != null ? in : Json.num(u, "input_tokens");
        Long out = Json.num(u, "completion_tokens");
        c.b.outputTokens = out != null ? out : Json.num(u, "output_tokens");
        Long cached = Json.num(Json.at(u, "prompt_tokens_details"), "cached_tokens");
        c.b.cacheReadTokens = cached != null ? cached : Json.num(u, "cache_read_input_tokens");
        Long reasoning = Json.num(Json.at(u, "completion_tokens_details"), "reasoning_tokens");
        c.b.reasoningTokens = reasoning;
    }

    // ---- streamed response ----

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        ToolCallParts parts = new ToolCallParts();
        Said said = new Said();
        for (SseEvent e : StreamEvents.of(r)) {
            String data = e.data().strip();
            if (data.equals("[DONE]")) {
                c.terminated = true;
                continue;
            }
            if (e.event() != null && !e.event().equals("message") && !e.event().equals("error")) {
                continue; // named events are not chat chunks (some gateways add keep-alive events)
            }
            Chunk k = JsonStream.enabled ? fastChunk(data) : null;
            if (k != null) {
                JsonStream.FAST_EVENTS.increment();
                chunk(c, k, said, e.timestampNanos());
                continue;
            }
            Json.Parsed p = Json.parse(data);
            JsonNode o = p.node();
            if (o == null || !o.isObject()) {
                if (p.error() != null) {
                    c.problems.add("stream event: " + p.error());
                }
                continue;
            }
            if (p.error() != null) {
                c.problems.add("stream event: " + p.error());
            }
            if (o.has("error") && !o.has("choices")) {
                c.b.error = Errors.fromEvent(o.get("error"), r.headers());
                c.terminated = true;
                continue;
            }
            chunk(c, treeChunk(o), said, e.timestampNanos());
            // Tool call deltas (never read from the token stream).
            JsonNode choice = firstChoice(o);
            if (choice != null) {
                JsonNode d = choice.get("delta");
                if (d != null) {
                    JsonNode tcs = d.get("tool_calls");
                    if (tcs != null && tcs.isArray()) {
                        int pos = 0;
                        for (JsonNode tc : tcs) {
                            int idx = tc.has("index") ? tc.get("index").asInt() : pos;
                            pos++;
                            JsonNode f = tc.get("function");
                            String id = Json.str(tc, "id");
                            noteToolId(c, id);
                            idx = parts.key(idx, id, Json.str(f, "name"));
                            parts.start(idx, id, Json.str(f, "name"));
                            JsonNode args = f == null ? null : f.get("arguments");
                            if (args != null && args.isTextual()) {
                                parts.append(idx, args.textValue());
                            } else if (args != null && args.isObject()) {
                                parts.complete(idx, Json.write(args));
                            }
                            c.content(e.timestampNanos());
                        }
                    }
                    JsonNode fc = d.get("function_call");
                    if (fc != null && fc.isObject()) {
                        parts.start(0, null, Json.str(fc, "name"));
                        parts.append(0, Json.str(fc, "arguments"));
                        c.content(e.timestampNanos());
                    }
                }
            }
        }
        if (said.sawText) {
            c.b.outputText = said.text.toString();
        }
        if (said.sawReasoning) {
            c.b.reasoningText = said.reasoning.toString();
        }
        c.b.toolCalls.addAll(parts.build(c.problems));
        toolFinish(c);
    }

    /** Text and reasoning of a stream so far. */
    private static final class Said {
        final StringBuilder text = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        boolean sawText;
        boolean sawReasoning;
    }

    /**
     * One chunk's fields (from the token stream or the tree) into the call: id, model and hints;
     * choice 0's content and reasoning deltas; its finish reason, which ends the answer (only the
     * usage chunk and [DONE] may follow); and the usage object.
     */
    private static void chunk(Ctx c, Chunk k, Said said, long nanos) {
        top(c, k);
        if (k.choice) {
            choiceHints(c, k);
            if (k.content != null && !k.content.isEmpty()) {
                said.text.append(k.content);
                said.sawText = true;
                c.content(nanos);
            }
            String rs = k.reasoningContent != null ? k.reasoningContent : k.reasoning;
            if (rs != null) {
                said.reasoning.append(rs);
                said.sawReasoning = true;
                c.content(nanos);
            }
            if (k.finishReason != null) {
                c.b.finishReason = k.finishReason;
                c.terminated = true;
            }
        }
        if (k.usage) {
            usage(c, k);
        }
    }
}
