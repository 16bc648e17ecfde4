package heron.decoders;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
import heron.decoders.internal.DecoderBase;
import heron.decoders.internal.Errors;
import heron.decoders.internal.Json;
import heron.decoders.internal.JsonStream;
import heron.decoders.internal.StreamEvents;

/**
 * OpenAI Responses ({@code /v1/responses}, Azure {@code /openai/responses} and
 * {@code /openai/v1/responses}). Streams are reassembled from output_item.added/done,
 * output_text, reasoning and function_call_arguments deltas (keyed by output_index), and end
 * with response.completed, response.incomplete, response.failed or an error event.
 */
public class OpenAiResponsesDecoder extends DecoderBase {
    public static final String ID = "openai-responses";

    @Override
    protected String wireApi() {
        return ID;
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        if (!isPost(ex)) {
            return Route.REJECT;
        }
        if (ex.request().headers().has("anthropic-version")) {
            return Route.REJECT;
        }
        String path = ex.request().path();
        return path.endsWith("/v1/responses") || path.endsWith("/openai/responses") ? Route.ACCEPT : Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        return shape.kind("model") == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && shape.has("input")
                && !shape.has("messages") && !shape.has("contents");
    }

    @Override
    public String nonCallLabel(HttpExchange ex) {
        String path = ex.request().path();
        String m = ex.request().method().toUpperCase(Locale.ROOT);
        if (path.contains("/v1/responses/")) {
            if (path.endsWith("/input_tokens")) {
                return "count-tokens";
            }
            if (m.equals("GET") || path.endsWith("/cancel") || path.endsWith("/input_items")) {
                return "response-lookup";
            }
        }
        return null;
    }

    @Override
    protected FinishKind finishKind(String raw) {
        return switch (raw) {
        case "completed" -> FinishKind.COMPLETE;
        case "incomplete" -> FinishKind.LENGTH;
        case "failed" -> FinishKind.ERROR;
        case "cancelled" -> FinishKind.CANCELLED;
        default -> null;
        };
    }

    // ---- request ----

    @Override
    protected void decodeRequest(Ctx c, JsonNode req) {
        c.b.requestModel = Json.str(req, "model");
        c.b.stream = Json.isTrue(req, "stream");
        if (req == null) {
            return;
        }
        appendSystem(c, Json.str(req, "instructions"));
        JsonNode tools = req.get("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode t : tools) {
                c.b.toolsOffered.add(Json.tool(t, true, "parameters", "format"));
            }
        }
        JsonNode input = req.get("input");
        if (input == null) {
            return;
        }
        if (input.isTextual()) {
            c.b.messages.add(Message.text("user", input.textValue()));
            return;
        }
        if (!input.isArray()) {
            return;
        }
        List<Object[]> items = new ArrayList<>(input.size());
        for (JsonNode it : input) {
            if (it.isObject()) {
                items.add(treeItem(it));
            }
        }
        inputItems(c, items);
    }

    /** An input item's fields from the tree, as {@link #fastItem} reads them from the token stream. */
    private static Object[] treeItem(JsonNode it) {
        Object[] f = new Object[I_FIELDS];
        f[I_TYPE] = Json.str(it, "type");
        f[I_ROLE] = Json.str(it, "role");
        f[I_CONTENT] = Json.contentText(it.get("content"));
        f[I_CALL_ID] = Json.str(it, "call_id");
        f[I_ID] = Json.str(it, "id");
        f[I_NAME] = Json.str(it, "name");
        f[I_ARGS] = Json.arguments(it.get("arguments")).json();
        f[I_INPUT] = it.path("input").asText("");
        JsonNode out = it.get("output");
        f[I_OUTPUT] = out == null ? null : out.isTextual() ? out.textValue() : Json.contentText(out);
        f[I_REASONING] = reasoningText(it);
        return f;
    }

    @Override
    protected boolean decodeRequestFast(Ctx c, JsonParser p) throws IOException {
        String model = null;
        boolean stream = false;
        String instructions = null;
        boolean inputSeen = false;
        String inputText = null;
        List<Object[]> items = null;
        String name;
        while ((name = JsonStream.nextField(p)) != null) {
            switch (name) {
            case "model" -> model = JsonStream.str(JsonStream.scalar(p));
            case "stream" -> stream = JsonStream.scalar(p) == Boolean.TRUE;
            case "instructions" -> instructions = JsonStream.str(JsonStream.scalar(p));
            case "tools" -> c.b.toolsOffered.addAll(JsonStream.cached(p, c.requestBytes, CACHE_TOOLS,
                    q -> JsonStream.list(q, t -> JsonStream.tool(t, true, "parameters", "format"))));
            case "input" -> {
                inputSeen = true;
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_STRING) {
                    inputText = p.getText();
                } else if (t == JsonToken.START_ARRAY) {
                    items = new ArrayList<>();
                    while (JsonStream.nextElement(p)) {
                        // Items are only read after this, never changed: a remembered one can be shared.
                        Object[] it = JsonStream.cached(p, c.requestBytes, CACHE_ITEM, OpenAiResponsesDecoder::fastItem);
                        if (it != null) {
                            items.add(it);
                        }
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        c.b.requestModel = model;
        c.b.stream = stream;
        appendSystem(c, instructions);
        if (!inputSeen) {
            return true;
        }
        if (inputText != null) {
            c.b.messages.add(Message.text("user", inputText));
            return true;
        }
        if (items != null) {
            inputItems(c, items);
        }
        return true;
    }

    private static final int CACHE_TOOLS = 21;
    private static final int CACHE_ITEM = 22;
    private static final JsonStream.Sites SITES = new JsonStream.Sites().value("tools", CACHE_TOOLS)
            .elements("input", CACHE_ITEM);

    @Override
    protected JsonStream.Sites cacheSites() {
        return SITES;
    }

    // Fields of an input item as the fast path keeps them.
    private static final int I_TYPE = 0;
    private static final int I_ROLE = 1;
    private static final int I_CONTENT = 2;
    private static final int I_CALL_ID = 3;
    private static final int I_ID = 4;
    private static final int I_NAME = 5;
    private static final int I_ARGS = 6;
    private static final int I_INPUT = 7;
    private static final int I_OUTPUT = 8;
    private static final int I_REASONING = 9;
    private static final int I_FIELDS = 10;

    /** One input item's fields, or null when it is no object (the tree walk ignores those). */
    private static Object[] fastItem(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p);
            return null;
        }
        Object[] f = new Object[I_FIELDS];
        String summary = null;
        String content = null;
        boolean summarySeen = false;
        boolean contentSeen = false;
        boolean contentAsReasoning = false;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "type" -> f[I_TYPE] = JsonStream.str(JsonStream.scalar(p));
            case "role" -> f[I_ROLE] = JsonStream.str(JsonStream.scalar(p));
            case "call_id" -> f[I_CALL_ID] = JsonStream.str(JsonStream.scalar(p));
            case "id" -> f[I_ID] = JsonStream.str(JsonStream.scalar(p));
            case "name" -> f[I_NAME] = JsonStream.str(JsonStream.scalar(p));
            case "arguments" -> f[I_ARGS] = JsonStream.arguments(p);
            case "input" -> {
                // custom tools' free text; path("input").asText("") as the tree walk reads it
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_STRING) {
                    f[I_INPUT] = p.getText();
                } else if (t == JsonToken.VALUE_NULL) {
                    f[I_INPUT] = "";
                } else {
                    throw new JsonStream.Fallback();
                }
            }
            case "output" -> f[I_OUTPUT] = JsonStream.contentText(p);
            case "content" -> {
                // A reasoning item's content is read like its summary, any other item's as
                // message content; the type normally comes first, else it is checked below.
                contentAsReasoning = "reasoning".equals(f[I_TYPE]);
                if (contentAsReasoning) {
                    content = partsTexts(p);
                } else {
                    f[I_CONTENT] = JsonStream.contentText(p);
                }
                contentSeen = true;
            }
            case "summary" -> {
                summary = partsTexts(p);
                summarySeen = true;
            }
            default -> JsonStream.skip(p);
            }
        }
        if (contentSeen && contentAsReasoning != "reasoning".equals(f[I_TYPE])) {
            throw new JsonStream.Fallback();
        }
        f[I_REASONING] = summarySeen || contentAsReasoning ? joinLines(summary, content) : null;
        return f;
    }

    private static String joinLines(String a, String b) {
        return a == null ? b : b == null ? a : a + "\n" + b;
    }

    /** Non-empty "text" strings of an array's part objects, one per line; null when none. */
    private static String partsTexts(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            JsonStream.skip(p);
            return null;
        }
        StringBuilder sb = null;
        while (JsonStream.nextElement(p)) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                JsonStream.skip(p);
                continue;
            }
            String field;
            String t = null;
            while ((field = JsonStream.nextField(p)) != null) {
                if (field.equals("text")) {
                    t = JsonStream.str(JsonStream.scalar(p));
                } else {
                    JsonStream.skip(p);
                }
            }
            if (t != null) {
                if (sb == null) {
                    sb = new StringBuilder(t);
                } else {
                    sb.append('\n').append(t);
                }
            }
        }
        return sb == null ? null : sb.toString();
    }

    /** The conversation from the input items (read from the tree or from the token stream). */
    private static void inputItems(Ctx c, List<Object[]> items) {
        boolean leading = true;
        String pendingReasoning = null;
        for (Object[] f : items) {
            String type = (String) f[I_TYPE];
            String role = (String) f[I_ROLE];
            if (type == null && role != null) {
                type = "message";
            }
            if (type == null) {
                continue;
            }
            switch (type) {
            case "message" -> {
                String text = (String) f[I_CONTENT];
                if (role == null) {
                    role = "user";
                }
                if (role.equals("system") || role.equals("developer")) {
                    if (leading) {
                        appendSystem(c, text);
                    } else {
                        c.b.messages.add(Message.text("system", text));
                    }
                    continue;
                }
                leading = false;
                if (role.equals("assistant")) {
                    c.b.messages.add(new Message("assistant", text, pendingReasoning, List.of(), null, false));
                    pendingReasoning = null;
                } else {
                    c.b.messages.add(Message.text(role, text));
                }
            }
            case "reasoning" -> {
                leading = false;
                pendingReasoning = (String) f[I_REASONING];
            }
            case "function_call", "custom_tool_call" -> {
                leading = false;
                ToolCall call = toolCall(f);
                Message last = c.b.messages.isEmpty() ? null : c.b.messages.get(c.b.messages.size() - 1);
                if (last != null && "assistant".equals(last.role()) && pendingReasoning == null) {
                    List<ToolCall> calls = new ArrayList<>(last.toolCalls());
                    calls.add(call);
                    c.b.messages.set(c.b.messages.size() - 1,
                            new Message("assistant", last.text(), last.reasoning(), calls, null, false));
                } else {
                    c.b.messages.add(new Message("assistant", null, pendingReasoning, List.of(call), null, false));
                    pendingReasoning = null;
                }
            }
            case "function_call_output", "custom_tool_call_output" -> {
                leading = false;
                c.b.messages.add(Message.toolResult((String) f[I_CALL_ID], (String) f[I_OUTPUT], false));
            }
            default -> {
            }
            }
        }
    }

    /** A function_call or custom_tool_call item's call (input item or output item alike). */
    private static ToolCall toolCall(Object[] f) {
        String id = f[I_CALL_ID] != null ? (String) f[I_CALL_ID] : (String) f[I_ID];
        // custom tools take free text, not JSON: keep it as a JSON string so arguments stay JSON.
        String args = "custom_tool_call".equals(f[I_TYPE])
                ? Json.quote(f[I_INPUT] == null ? "" : (String) f[I_INPUT])
                : f[I_ARGS] == null ? "{}" : (String) f[I_ARGS];
        return new ToolCall(id, (String) f[I_NAME], args);
    }

    private static String reasoningText(JsonNode item) {
        StringBuilder sb = new StringBuilder();
        for (String f : new String[] { "summary", "content" }) {
            JsonNode parts = item.get(f);
            if (parts != null && parts.isArray()) {
                for (JsonNode p : parts) {
                    String t = Json.str(p, "text");
                    if (t != null) {
                        if (sb.length() > 0) {
                            sb.append('\n');
                        }
                        sb.append(t);
                    }
                }
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    // ---- responses (whole object) ----

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            return;
        }
        if (body.has("error") && !body.has("output") && !body.has("status")) {
            c.b.error = Errors.fromBody(c.b.status, c.ex.response().headers(), body, null);
            return;
        }
        readResponse(c, body, null);
    }

    /** Reads a response object; {@code streamedItems} replace its output when it came empty. */
    private void readResponse(Ctx c, JsonNode resp, Map<Integer, JsonNode> streamedItems) {
        if (resp == null) {
            return;
        }
        String id = Json.str(resp, "id");
        if (id != null) {
            c.b.responseId = id;
        }
        String model = Json.str(resp, "model");
        if (model != null) {
            c.b.responseModel = model;
        }
        String status = Json.str(resp, "status");
        if (status != null) {
            c.b.finishReason = status;
        }
        List<JsonNode> items = new ArrayList<>();
        JsonNode output = resp.get("output");
        if (output != null && output.isArray() && output.size() > 0) {
            output.forEach(items::add);
        } else if (streamedItems != null) {
            // Codex-style servers send response.completed with an empty output list.
            items.addAll(streamedItems.values());
        }
        readOutputItems(c, items);
        JsonNode u = resp.get("usage");
        if (u != null && u.isObject()) {
            c.b.inputTokens = Json.num(u, "input_tokens");
            c.b.outputTokens = Json.num(u, "output_tokens");
            c.b.cacheReadTokens = Json.num(Json.at(u, "input_tokens_details"), "cached_tokens");
            c.b.reasoningTokens = Json.num(Json.at(u, "output_tokens_details"), "reasoning_tokens");
        }
        JsonNode err = Json.at(resp, "error");
        if (err != null && err.isObject()) {
            c.b.error = Errors.fromEvent(err, c.ex.response().headers());
        }
        c.b.finish = finish(status, Json.str(Json.at(resp, "incomplete_details"), "reason"), !c.b.toolCalls.isEmpty());
    }

    /**
     * The Responses API has no tool-use status: a completed response whose output holds function
     * calls is the model asking for tools. Incomplete responses say why in incomplete_details.
     */
    static FinishKind finish(String status, String incompleteReason, boolean hasToolCalls) {
        if (status == null) {
            return null;
        }
        return switch (status) {
        case "completed" -> hasToolCalls ? FinishKind.TOOL_USE : FinishKind.COMPLETE;
        case "incomplete" -> "content_filter".equals(incompleteReason) ? FinishKind.CONTENT_FILTER : FinishKind.LENGTH;
        case "failed" -> FinishKind.ERROR;
        case "cancelled" -> FinishKind.CANCELLED;
        default -> null;
        };
    }

    private static void readOutputItems(Ctx c, List<JsonNode> items) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode it : items) {
            String type = Json.str(it, "type");
            if (type == null) {
                continue;
            }
            switch (type) {
            case "message" -> append(text, Json.contentText(it.get("content")));
            case "reasoning" -> append(reasoning, reasoningText(it));
            case "function_call", "custom_tool_call" -> {
                ToolCall call = toolCall(treeItem(it));
                if (!Json.arguments(it.get("arguments")).valid()) {
                    c.problems.add("tool call " + call.name() + " arguments are not valid JSON");
                }
                calls.add(call);
            }
            default -> {
            }
            }
        }
        if (text.length() > 0) {
            c.b.outputText = text.toString();
        }
        if (reasoning.length() > 0) {
            c.b.reasoningText = reasoning.toString();
        }
        if (!calls.isEmpty()) {
            c.b.toolCalls.clear();
            c.b.toolCalls.addAll(calls);
        }
    }

    private static void append(StringBuilder sb, String s) {
        if (s == null || s.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(s);
    }

    // ---- streamed response ----

    private static final class Item {
        String type;
        String id;
        String callId;
        String name;
        final StringBuilder args = new StringBuilder();
        final StringBuilder text = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        JsonNode done;
    }

    /**
     * Whether the event is one the tree walk below reads and then ignores (output_text.done,
     * content_part.added, ...: no delta, no case), checked without building its tree.
     */
    private static boolean ignored(SseEvent e) {
        String type = JsonStream.leadingType(e.data());
        return type != null && deltaKind(type) < 0 && !HANDLED_EVENTS.contains(type)
                && JsonStream.isObjectOfType(e.data(), type);
    }

    /** The event types the tree walk has a case for (besides the deltas). */
    private static final java.util.Set<String> HANDLED_EVENTS = java.util.Set.of("response.created",
            "response.in_progress", "response.queued", "response.output_item.added", "response.output_item.done",
            "response.completed", "response.incomplete", "response.failed", "response.cancelled", "error");

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        Map<Integer, Item> items = new TreeMap<>();
        JsonNode finalResponse = null;
        for (SseEvent e : StreamEvents.of(r)) {
            if (JsonStream.enabled && (fastDelta(c, items, e) || ignored(e))) {
                continue;
            }
            DecoderBase.TypedEvent t = c.typed(e);
            if (t == null) {
                continue;
            }
            JsonNode o = t.json();
            String type = t.type();
            int idx = o.has("output_index") ? o.get("output_index").asInt() : itemIndex(items, Json.str(o, "item_id"));
            int kind = deltaKind(type);
            if (kind >= 0) {
                delta(c, items, idx, kind, o.path("delta").asText(""), e.timestampNanos());
                continue;
            }
            switch (type) {
            case "response.created", "response.in_progress", "response.queued" -> {
                JsonNode resp = o.get("response");
                if (Json.str(resp, "id") != null) {
                    c.b.responseId = Json.str(resp, "id");
                }
                if (Json.str(resp, "model") != null) {
                    c.b.responseModel = Json.str(resp, "model");
                }
            }
            case "response.output_item.added", "response.output_item.done" -> {
                JsonNode item = o.get("item");
                Item it = items.computeIfAbsent(idx, k -> new Item());
                it.type = Json.str(item, "type");
                it.id = Json.str(item, "id");
                it.callId = Json.str(item, "call_id");
                it.name = Json.str(item, "name");
                if (type.endsWith(".done")) {
                    it.done = item;
                }
                if ("function_call".equals(it.type) || "custom_tool_call".equals(it.type)) {
                    c.content(e.timestampNanos());
                }
            }
            case "response.completed", "response.incomplete", "response.failed", "response.cancelled" -> {
                finalResponse = o.get("response");
                c.terminated = true;
            }
            case "error" -> {
                c.b.error = Errors.fromEvent(o.has("error") ? o.get("error") : o, r.headers());
                c.b.finish = FinishKind.ERROR;
                c.terminated = true;
            }
            default -> {
            }
            }
        }
        Map<Integer, JsonNode> streamed = new TreeMap<>();
        for (Map.Entry<Integer, Item> en : items.entrySet()) {
            streamed.put(en.getKey(), itemNode(en.getValue()));
        }
        if (finalResponse != null) {
            readResponse(c, finalResponse, streamed);
        } else {
            // No final response object (cut, or an error event): use what the deltas built.
            readOutputItems(c, new ArrayList<>(streamed.values()));
        }
    }

    /**
     * Fast path for the delta events (text, refusal, reasoning, arguments; "type" first as the
     * API writes them): read from the token stream with exactly the effect of the tree walk's
     * cases. Returns false, having changed nothing, for other events or any doubt.
     */
    private static boolean fastDelta(Ctx c, Map<Integer, Item> items, SseEvent e) {
        String data = e.data();
        if (!JsonStream.startsWithType(data, "response.")) {
            return false;
        }
        int kind = -1;
        boolean hasIndex = false;
        int index = 0;
        Object itemId = null;
        Object delta = null;
        try (JsonParser p = JsonStream.parser(data)) {
            p.nextToken();
            String name;
            while ((name = JsonStream.nextField(p)) != null) {
                switch (name) {
                case "type" -> {
                    Object t = JsonStream.scalar(p);
                    if (!(t instanceof String type)) {
                        return false;
                    }
                    kind = deltaKind(type);
                    if (kind < 0) {
                        return false;
                    }
                }
                case "output_index" -> {
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        return false;
                    }
                    hasIndex = true;
                    index = p.getIntValue();
                }
                case "item_id" -> itemId = JsonStream.scalar(p);
                case "delta" -> delta = JsonStream.scalar(p);
                default -> JsonStream.skip(p);
                }
            }
        } catch (IOException | RuntimeException ex) {
            return false;
        }
        if (kind < 0) {
            return false;
        }
        String text;
        if (delta == null || delta == JsonStream.NULL) {
            text = ""; // path("delta").asText("")
        } else if (delta instanceof String d) {
            text = d;
        } else {
            return false;
        }
        delta(c, items, hasIndex ? index : itemIndex(items, JsonStream.str(itemId)), kind, text, e.timestampNanos());
        JsonStream.FAST_EVENTS.increment();
        return true;
    }

    /**
     * What a delta event adds to: 0 the item's text (output text and refusals), 1 its reasoning
     * (summary and raw reasoning text), 2 its arguments (function call arguments, custom tool
     * input); -1 for any other event.
     */
    private static int deltaKind(String type) {
        return switch (type) {
        case "response.output_text.delta", "response.refusal.delta" -> 0;
        case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> 1;
        case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" -> 2;
        default -> -1;
        };
    }

    /** One delta event's text (read from the tree or the token stream) appended to its item. */
    private static void delta(Ctx c, Map<Integer, Item> items, int idx, int kind, String text, long nanos) {
        Item it = items.computeIfAbsent(idx, k -> new Item());
        (kind == 0 ? it.text : kind == 1 ? it.reasoning : it.args).append(text);
        c.content(nanos);
    }

    private static int itemIndex(Map<Integer, Item> items, String itemId) {
        if (itemId != null) {
            for (Map.Entry<Integer, Item> en : items.entrySet()) {
                if (itemId.equals(en.getValue().id)) {
                    return en.getKey();
                }
            }
        }
        return items.isEmpty() ? 0 : ((TreeMap<Integer, Item>) items).lastKey();
    }

    /** An output item from output_item.done, or rebuilt from the deltas when done never came. */
    private static JsonNode itemNode(Item it) {
        if (it.done != null) {
            return it.done;
        }
        var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        String type = it.type != null ? it.type
                : it.args.length() > 0 ? "function_call" : it.reasoning.length() > 0 ? "reasoning" : "message";
        n.put("type", type);
        if (it.id != null) {
            n.put("id", it.id);
        }
        switch (type) {
        case "function_call" -> {
            n.put("call_id", it.callId);
            n.put("name", it.name);
            n.put("arguments", it.args.toString());
        }
        case "custom_tool_call" -> {
            n.put("call_id", it.callId);
            n.put("name", it.name);
            n.put("input", it.args.toString());
        }
        case "reasoning" -> n.putArray("summary").addObject().put("text", it.reasoning.toString());
        default -> n.putArray("content").addObject().put("type", "output_text").put("text", it.text.toString());
        }
        return n;
    }
}
