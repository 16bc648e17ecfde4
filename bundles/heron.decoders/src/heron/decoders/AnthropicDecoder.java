package heron.decoders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import heron.core.decode.JsonShape;
import heron.core.model.FinishKind;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.core.model.ToolCall;
import heron.decoders.internal.AwsEventStream;
import heron.decoders.internal.DecoderBase;
import heron.decoders.internal.Errors;
import heron.decoders.internal.Json;
import heron.decoders.internal.JsonStream;
import heron.decoders.internal.StreamEvents;

/**
 * Anthropic Messages: {@code /v1/messages} (also {@code ?beta=true}), AWS Bedrock
 * {@code /model/{id}/invoke} and {@code /invoke-with-response-stream} (binary
 * application/vnd.amazon.eventstream whose chunk payloads carry base64 Anthropic events), and
 * Google Vertex AI {@code .../publishers/anthropic/models/{m}:rawPredict|streamRawPredict}
 * (model in the path, {@code anthropic_version} in the body). Token counting is labelled
 * "count-tokens", not decoded.
 */
public class AnthropicDecoder extends DecoderBase {
    public static final String ID = "anthropic";

    @Override
    protected String wireApi() {
        return ID;
    }

    @Override
    public String nonCallLabel(HttpExchange ex) {
        String path = ex.request().path();
        if (path.endsWith("/v1/messages/count_tokens") || path.endsWith("/count-tokens:rawPredict")
                || (path.startsWith("/model/") && path.endsWith("/count-tokens"))) {
            return "count-tokens";
        }
        if (path.contains("/v1/messages/batches")) {
            return "batches";
        }
        String m = ex.request().method().toUpperCase(Locale.ROOT);
        if ((m.equals("GET") || m.equals("HEAD")) && ex.request().headers().has("anthropic-version")
                && (path.endsWith("/v1/models") || path.contains("/v1/models/"))) {
            return "models";
        }
        // Claude Code's telemetry and account endpoints on the same host.
        if (path.startsWith("/api/event_logging/") || path.startsWith("/api/claude_code/metrics")) {
            return "telemetry";
        }
        if (path.startsWith("/api/oauth/usage") || path.startsWith("/api/claude_cli_profile")) {
            return "quota";
        }
        return null;
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        if (!isPost(ex)) {
            return Route.REJECT;
        }
        String path = ex.request().path();
        if (path.endsWith("/v1/messages")) {
            return Route.ACCEPT;
        }
        if (path.contains("/publishers/anthropic/models/")
                && (path.endsWith(":rawPredict") || path.endsWith(":streamRawPredict"))) {
            return Route.ACCEPT;
        }
        String bedrock = bedrockModel(path);
        if (bedrock != null) {
            // Bedrock's invoke serves every vendor's models; only Anthropic's speak this format.
            String lower = bedrock.toLowerCase(Locale.ROOT);
            return lower.contains("anthropic") || lower.contains("claude") ? Route.ACCEPT : Route.UNKNOWN;
        }
        return Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        if (shape.arraySize("messages") < 0 || shape.has("input") || shape.has("contents")) {
            return false;
        }
        if (shape.has("anthropic_version")) {
            return true;
        }
        if (shape.kind("model") != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            return false;
        }
        Headers h = ex.request().headers();
        String auth = h.get("Authorization");
        String key = h.get("x-api-key");
        return h.has("anthropic-version") || (key != null && key.startsWith("sk-ant-"))
                || (auth != null && auth.startsWith("Bearer sk-ant-")) || shape.has("system")
                || shape.has("stop_sequences");
    }

    /** The model id of a Bedrock invoke path /model/{id}/invoke[-with-response-stream], or null. */
    static String bedrockModel(String path) {
        if (!path.startsWith("/model/")) {
            return null;
        }
        int end;
        if (path.endsWith("/invoke")) {
            end = path.length() - "/invoke".length();
        } else if (path.endsWith("/invoke-with-response-stream")) {
            end = path.length() - "/invoke-with-response-stream".length();
        } else {
            return null;
        }
        return end > 7 ? urlDecode(path.substring(7, end)) : null;
    }

    /** Vertex: .../publishers/anthropic/models/{m}:rawPredict. */
    static String vertexModel(String path) {
        int i = path.indexOf("/publishers/anthropic/models/");
        if (i < 0) {
            return null;
        }
        String rest = path.substring(i + "/publishers/anthropic/models/".length());
        int colon = rest.lastIndexOf(':');
        return urlDecode(colon < 0 ? rest : rest.substring(0, colon));
    }

    @Override
    protected FinishKind finishKind(String raw) {
        return anthropicFinish(raw);
    }

    /** Anthropic's stop reasons, which Bedrock Converse uses too (it adds guardrail values). */
    static FinishKind anthropicFinish(String raw) {
        return switch (raw) {
        case "end_turn", "stop_sequence" -> FinishKind.COMPLETE;
        case "max_tokens", "model_context_window_exceeded" -> FinishKind.LENGTH;
        case "tool_use" -> FinishKind.TOOL_USE;
        case "refusal" -> FinishKind.CONTENT_FILTER;
        // pause_turn: a server-tool loop paused and the client must resume; no kind fits.
        default -> null;
        };
    }

    @Override
    protected boolean isStream(HttpResponse r) {
        return StreamEvents.isAwsEventStream(r) || super.isStream(r);
    }

    // ---- request ----

    @Override
    protected void decodeRequest(Ctx c, JsonNode req) {
        String path = c.ex.request().path();
        c.b.requestModel = Json.str(req, "model");
        if (c.b.requestModel == null) {
            String m = bedrockModel(path);
            c.b.requestModel = m != null ? m : vertexModel(path);
        }
        c.b.stream = Json.isTrue(req, "stream") || path.endsWith(":streamRawPredict")
                || path.endsWith("/invoke-with-response-stream");
        if (req == null) {
            return;
        }
        JsonNode system = req.get("system");
        if (system != null) {
            appendSystem(c, Json.contentText(system));
        }
        JsonNode tools = req.get("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode t : tools) {
                c.b.toolsOffered.add(Json.tool(t, true, "input_schema"));
            }
        }
        JsonNode msgs = req.get("messages");
        if (msgs != null && msgs.isArray()) {
            for (JsonNode m : msgs) {
                treeMessage(c.b.messages, m);
            }
        }
    }

    /** One message from the tree into {@link #addMessage}'s fields, as {@link #fastMessage} reads them. */
    private static void treeMessage(List<Message> out, JsonNode m) {
        String role = Json.str(m, "role");
        JsonNode content = m.get("content");
        if (content == null || !content.isArray()) {
            addMessage(out, role, Json.contentText(content), null);
        } else if (role != null) {
            addMessage(out, role, null, treeBlocks(content, role.equals("assistant")));
        }
    }

    /** A content array's blocks from the tree, as {@link #fastBlock} reads them for that role. */
    private static List<RequestBlock> treeBlocks(JsonNode content, boolean assistant) {
        List<RequestBlock> blocks = new ArrayList<>(content.size());
        for (JsonNode blk : content) {
            blocks.add(assistant
                    ? new RequestBlock(Json.str(blk, "type"), Json.str(blk, "text"), Json.str(blk, "thinking"),
                            Json.str(blk, "id"), Json.str(blk, "name"), Json.arguments(blk.get("input")).json(), null, null,
                            false, null)
                    : new RequestBlock(Json.str(blk, "type"), null, null, null, null, null, Json.str(blk, "tool_use_id"),
                            Json.contentText(blk.get("content")), Json.isTrue(blk, "is_error"), Json.contentText(blk)));
        }
        return blocks;
    }

    @Override
    protected boolean decodeRequestFast(Ctx c, JsonParser p) throws IOException {
        String path = c.ex.request().path();
        String model = null;
        boolean stream = false;
        String system = null;
        String name;
        while ((name = JsonStream.nextField(p)) != null) {
            switch (name) {
            case "model" -> model = JsonStream.str(JsonStream.scalar(p));
            case "stream" -> stream = JsonStream.scalar(p) == Boolean.TRUE;
            case "system" -> system = JsonStream.cached(p, c.requestBytes, CACHE_SYSTEM, JsonStream::contentText);
            case "tools" -> c.b.toolsOffered.addAll(JsonStream.cached(p, c.requestBytes, CACHE_TOOLS,
                    q -> JsonStream.list(q, t -> JsonStream.tool(t, true, "input_schema"))));
            case "messages" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    while (JsonStream.nextElement(p)) {
                        // The built messages are remembered: a message's result depends on its bytes alone.
                        c.b.messages.addAll(JsonStream.cached(p, c.requestBytes, CACHE_MESSAGE, q -> {
                            List<Message> l = new ArrayList<>(2);
                            fastMessage(l, q);
                            return List.copyOf(l);
                        }));
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        if (model == null) {
            String m = bedrockModel(path);
            model = m != null ? m : vertexModel(path);
        }
        c.b.requestModel = model;
        c.b.stream = stream || path.endsWith(":streamRawPredict") || path.endsWith("/invoke-with-response-stream");
        appendSystem(c, system);
        return true;
    }

    private static final int CACHE_SYSTEM = 11;
    private static final int CACHE_TOOLS = 12;
    private static final int CACHE_MESSAGE = 13;
    private static final JsonStream.Sites SITES = new JsonStream.Sites().value("system", CACHE_SYSTEM)
            .value("tools", CACHE_TOOLS).elements("messages", CACHE_MESSAGE);

    @Override
    protected JsonStream.Sites cacheSites() {
        return SITES;
    }

    /** One message from the token stream into {@link #addMessage}'s fields. */
    private static void fastMessage(List<Message> out, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p);
            return;
        }
        String role = null;
        String contentText = null;
        List<RequestBlock> blocks = null;
        // Non-object blocks are read by the role (text of a user message, ignored in an
        // assistant's), which may come after the content: then the tree walk decides.
        boolean roleKnown = false;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "role" -> {
                role = JsonStream.str(JsonStream.scalar(p));
                roleKnown = true;
            }
            case "content" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    if (!roleKnown) {
                        throw new JsonStream.Fallback();
                    }
                    blocks = new ArrayList<>();
                    if (role == null) {
                        JsonStream.skip(p); // no message: its blocks are never used
                    } else {
                        boolean assistant = role.equals("assistant");
                        while (JsonStream.nextElement(p)) {
                            blocks.add(fastBlock(p, assistant));
                        }
                    }
                } else {
                    contentText = JsonStream.contentText(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        addMessage(out, role, contentText, blocks);
    }

    /**
     * One content block from the token stream, with the fields {@link #addMessage} uses for the
     * message's role (as {@link #treeBlocks} reads them): an object's fields, or a user message's
     * text element (string, null, nested array); the non-object blocks of an assistant message are
     * ignored, so only skipped.
     */
    private static RequestBlock fastBlock(JsonParser p, boolean assistant) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            if (assistant) {
                JsonStream.skip(p);
                return NO_REQUEST_BLOCK;
            }
            String text;
            if (t == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (t == JsonToken.VALUE_NULL) {
                text = null;
            } else if (t == JsonToken.START_ARRAY) {
                text = JsonStream.contentText(p);
            } else {
                throw new JsonStream.Fallback(); // a number or boolean block: asText(), not worth a fast path
            }
            return new RequestBlock(null, null, null, null, null, null, null, null, false, text);
        }
        Object rawType = null;
        String text = null;
        String refusal = null;
        String thinking = null;
        String id = null;
        String name = null;
        String input = "{}";
        String toolUseId = null;
        String content = null;
        boolean isError = false;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "type" -> rawType = JsonStream.scalar(p);
            case "text" -> text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
            case "refusal" -> refusal = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
            case "thinking" -> thinking = JsonStream.str(JsonStream.scalar(p));
            case "id" -> id = JsonStream.str(JsonStream.scalar(p));
            case "name" -> name = JsonStream.str(JsonStream.scalar(p));
            case "input" -> input = assistant ? JsonStream.arguments(p) : skipped(p);
            case "tool_use_id" -> toolUseId = JsonStream.str(JsonStream.scalar(p));
            case "content" -> content = assistant ? skipped(p) : JsonStream.contentText(p);
            case "is_error" -> isError = JsonStream.scalar(p) == Boolean.TRUE;
            default -> JsonStream.skip(p);
            }
        }
        if (assistant) {
            return new RequestBlock(JsonStream.str(rawType), JsonStream.str(text), thinking, id, name, input, null, null,
                    false, null);
        }
        // contentText of a lone block object: "" when it has no text (never null).
        String part = JsonStream.partText(text, refusal, rawType);
        return new RequestBlock(JsonStream.str(rawType), null, null, null, null, null, toolUseId, content, isError,
                part == null ? "" : part);
    }

    private static String skipped(JsonParser p) throws IOException {
        JsonStream.skip(p);
        return null;
    }

    /**
     * A content block's fields as both readers keep them: its type; in an assistant message the
     * non-empty text and thinking strings, and a tool use's id, name and arguments JSON (the rest
     * null); in any other message a tool result's tool_use_id, content text and is_error, and the
     * block's text as {@link Json#contentText} gives it ({@code partText}; the rest null).
     */
    private record RequestBlock(String type, String text, String thinking, String id, String name, String input,
            String toolUseId, String content, boolean isError, String partText) {
    }

    private static final RequestBlock NO_REQUEST_BLOCK = new RequestBlock(null, null, null, null, null, null, null, null,
            false, null);

    /**
     * One Anthropic message into normalised messages: a user message's tool_result blocks each
     * become a "tool" message (in block order, text between them kept as user messages); an
     * assistant message's tool_use blocks become its toolCalls and thinking its reasoning. A
     * message without role is dropped; {@code blocks} is null when the content is no array,
     * {@code text} is then the content's text.
     */
    private static void addMessage(List<Message> out, String role, String text, List<RequestBlock> blocks) {
        if (role == null) {
            return;
        }
        if (blocks == null) {
            out.add(Message.text(role, text));
            return;
        }
        if (role.equals("assistant")) {
            StringBuilder said = new StringBuilder();
            StringBuilder thinking = new StringBuilder();
            List<ToolCall> calls = new ArrayList<>();
            for (RequestBlock b : blocks) {
                if (b.type() == null) {
                    continue;
                }
                switch (b.type()) {
                case "text" -> join(said, b.text());
                case "thinking" -> join(thinking, b.thinking());
                case "tool_use", "server_tool_use" -> calls.add(new ToolCall(b.id(), b.name(), b.input()));
                default -> {
                }
                }
            }
            out.add(new Message("assistant", said.length() == 0 ? null : said.toString(),
                    thinking.length() == 0 ? null : thinking.toString(), calls, null, false));
            return;
        }
        StringBuilder said = new StringBuilder();
        boolean hasText = false;
        for (RequestBlock b : blocks) {
            if ("tool_result".equals(b.type())) {
                if (hasText) {
                    out.add(Message.text(role, said.toString()));
                    said.setLength(0);
                    hasText = false;
                }
                out.add(Message.toolResult(b.toolUseId(), b.content(), b.isError()));
            } else if (b.partText() != null) {
                join(said, b.partText());
                hasText = true;
            }
        }
        if (hasText) {
            out.add(Message.text(role, said.toString()));
        }
    }

    private static void join(StringBuilder sb, String s) {
        if (s == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(s);
    }

    // ---- non-streamed response ----

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            bedrockHeaderUsage(c);
            return;
        }
        if ("error".equals(Json.str(body, "type")) || (body.has("error") && !body.has("content"))) {
            c.b.error = Errors.fromBody(c.b.status, c.ex.response().headers(), body, null);
            return;
        }
        c.b.responseId = Json.str(body, "id");
        c.b.responseModel = Json.str(body, "model");
        c.b.finishReason = Json.str(body, "stop_reason");
        JsonNode content = body.get("content");
        if (content != null && content.isArray()) {
            // The answer's blocks, read as an assistant message of a request is.
            List<Message> answer = new ArrayList<>(1);
            addMessage(answer, "assistant", null, treeBlocks(content, true));
            Message m = answer.get(0);
            c.b.outputText = m.text();
            c.b.reasoningText = m.reasoning();
            c.b.toolCalls.addAll(m.toolCalls());
        }
        readUsage(c, body.get("usage"), false);
        if (c.b.inputTokens == null && c.b.outputTokens == null) {
            bedrockHeaderUsage(c);
        }
    }

    /** Anthropic usage; in a stream message_delta's counts override message_start's when > 0. */
    private static void readUsage(Ctx c, JsonNode u, boolean override) {
        if (u == null || !u.isObject()) {
            return;
        }
        c.b.inputTokens = pick(c.b.inputTokens, Json.num(u, "input_tokens"), override);
        c.b.outputTokens = pick(c.b.outputTokens, Json.num(u, "output_tokens"), override);
        c.b.cacheReadTokens = pick(c.b.cacheReadTokens, Json.num(u, "cache_read_input_tokens"), override);
        c.b.cacheWriteTokens = pick(c.b.cacheWriteTokens, Json.num(u, "cache_creation_input_tokens"), override);
    }

    private static Long pick(Long old, Long now, boolean override) {
        if (now == null) {
            return old;
        }
        if (!override || old == null || now > 0) {
            return now;
        }
        return old;
    }

    /** Bedrock repeats the counts in x-amzn-bedrock-*-token-count headers (non-streamed invoke). */
    private static void bedrockHeaderUsage(Ctx c) {
        Headers h = c.ex.response().headers();
        c.b.inputTokens = c.b.inputTokens != null ? c.b.inputTokens : header(h, "x-amzn-bedrock-input-token-count");
        c.b.outputTokens = c.b.outputTokens != null ? c.b.outputTokens : header(h, "x-amzn-bedrock-output-token-count");
        if (c.b.cacheReadTokens == null) {
            c.b.cacheReadTokens = header(h, "x-amzn-bedrock-cache-read-input-token-count");
        }
        if (c.b.cacheWriteTokens == null) {
            c.b.cacheWriteTokens = header(h, "x-amzn-bedrock-cache-write-input-token-count");
        }
    }

    private static Long header(Headers h, String name) {
        String v = h.get(name);
        try {
            return v == null ? null : Long.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- streamed response ----

    private static final class Block {
        String type;
        final StringBuilder text = new StringBuilder();
        final StringBuilder json = new StringBuilder();
        String id;
        String name;
        JsonNode startInput;
    }

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        List<SseEvent> events;
        if (StreamEvents.isAwsEventStream(r)) {
            events = bedrockEvents(c, r);
        } else {
            events = StreamEvents.of(r);
        }
        Map<Integer, Block> blocks = new TreeMap<>();
        for (SseEvent e : events) {
            if (JsonStream.enabled && (fastDelta(c, blocks, e) || ignored(c, e))) {
                continue;
            }
            DecoderBase.TypedEvent t = c.typed(e);
            if (t == null) {
                continue;
            }
            JsonNode o = t.json();
            String type = t.type();
            switch (type) {
            case "message_start" -> {
                JsonNode msg = o.get("message");
                c.b.responseId = Json.str(msg, "id");
                c.b.responseModel = Json.str(msg, "model");
                readUsage(c, Json.at(msg, "usage"), false);
            }
            case "content_block_start" -> {
                int idx = o.path("index").asInt(blocks.size());
                Block blk = blocks.computeIfAbsent(idx, k -> new Block());
                JsonNode cb = o.get("content_block");
                blk.type = Json.str(cb, "type");
                blk.id = Json.str(cb, "id");
                blk.name = Json.str(cb, "name");
                blk.startInput = cb == null ? null : cb.get("input");
                String initial = Json.str(cb, "text");
                if (initial == null) {
                    initial = Json.str(cb, "thinking");
                }
                if (initial != null) {
                    blk.text.append(initial);
                    c.content(e.timestampNanos());
                }
            }
            case "content_block_delta" -> {
                // Keyed by the event's index: parallel tool_use blocks may interleave.
                JsonNode d = o.get("delta");
                String dt = Json.str(d, "type");
                delta(c, blocks.computeIfAbsent(o.path("index").asInt(0), k -> new Block()), dt, Json.str(d, "text"),
                        Json.str(d, "thinking"), "input_json_delta".equals(dt) ? d.path("partial_json").asText("") : null,
                        e.timestampNanos());
            }
            case "message_delta" -> {
                String sr = Json.str(Json.at(o, "delta"), "stop_reason");
                if (sr != null) {
                    c.b.finishReason = sr;
                    c.terminated = true;
                }
                readUsage(c, o.get("usage"), true);
            }
            case "message_stop" -> {
                c.terminated = true;
                // Bedrock appends its own counts here; used only if the events carried none.
                JsonNode metrics = o.get("amazon-bedrock-invocationMetrics");
                if (metrics != null) {
                    if (c.b.inputTokens == null) {
                        c.b.inputTokens = Json.num(metrics, "inputTokenCount");
                    }
                    if (c.b.outputTokens == null) {
                        c.b.outputTokens = Json.num(metrics, "outputTokenCount");
                    }
                }
            }
            case "error" -> {
                c.b.error = Errors.fromEvent(o.get("error"), r.headers());
                c.b.finish = FinishKind.ERROR;
                c.terminated = true;
            }
            default -> {
            }
            }
        }
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        for (Block blk : blocks.values()) {
            String type = blk.type == null ? "" : blk.type;
            switch (type) {
            case "text" -> join(text, blk.text.toString());
            case "thinking" -> join(thinking, blk.text.toString());
            case "tool_use", "server_tool_use" -> {
                Json.Args a = blk.json.length() > 0 ? Json.arguments(blk.json.toString())
                        : Json.arguments(blk.startInput);
                if (!a.valid()) {
                    c.problems.add("tool call " + blk.name + " arguments are not valid JSON");
                }
                c.b.toolCalls.add(new ToolCall(blk.id, blk.name, a.json()));
            }
            default -> {
            }
            }
        }
        if (text.length() > 0) {
            c.b.outputText = text.toString();
        }
        if (thinking.length() > 0) {
            c.b.reasoningText = thinking.toString();
        }
    }

    /**
     * Whether the event is one the tree walk below reads and then ignores (ping,
     * content_block_stop, ...: a type without a case), checked without building its tree; a plain
     * message_stop is taken here too (it only ends the stream).
     */
    private static boolean ignored(Ctx c, SseEvent e) {
        String type = JsonStream.leadingType(e.data());
        if (type == null) {
            return false;
        }
        if (type.equals("message_stop")) {
            // All the tree walk does with it, unless Bedrock appended its own counts.
            if (JsonStream.isObjectOfType(e.data(), type, "amazon-bedrock-invocationMetrics")) {
                c.terminated = true;
                return true;
            }
            return false;
        }
        return !HANDLED_EVENTS.contains(type) && JsonStream.isObjectOfType(e.data(), type);
    }

    /** The event types the tree walk has a case for. */
    private static final java.util.Set<String> HANDLED_EVENTS = java.util.Set.of("message_start", "content_block_start",
            "content_block_delta", "message_delta", "message_stop", "error");

    /**
     * Fast path for the most frequent event, content_block_delta (as the API writes it, "type"
     * first): read from the token stream with exactly the effect of the tree walk's case below.
     * Returns false, having changed nothing, for anything else or any doubt (the tree walk then
     * reads the event, reporting errors as before).
     */
    private static boolean fastDelta(Ctx c, Map<Integer, Block> blocks, SseEvent e) {
        String data = e.data();
        if (!JsonStream.startsWithType(data, "content_block_delta\"")) {
            return false;
        }
        int index = 0;
        String deltaType = null;
        Object text = null;
        Object thinking = null;
        Object partial = null;
        boolean deltaSeen = false;
        try (JsonParser p = JsonStream.parser(data)) {
            p.nextToken();
            String name;
            while ((name = JsonStream.nextField(p)) != null) {
                switch (name) {
                case "type" -> {
                    if (!"content_block_delta".equals(JsonStream.scalar(p))) {
                        return false;
                    }
                }
                case "index" -> {
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        return false; // path("index").asInt(0) has its own rules for other values
                    }
                    index = p.getIntValue();
                }
                case "delta" -> {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        return false;
                    }
                    deltaSeen = true;
                    String f;
                    while ((f = JsonStream.nextField(p)) != null) {
                        switch (f) {
                        case "type" -> deltaType = JsonStream.str(JsonStream.scalar(p));
                        case "text" -> text = JsonStream.scalar(p);
                        case "thinking" -> thinking = JsonStream.scalar(p);
                        case "partial_json" -> partial = JsonStream.scalar(p);
                        default -> JsonStream.skip(p);
                        }
                    }
                }
                default -> JsonStream.skip(p);
                }
            }
        } catch (IOException | RuntimeException ex) {
            return false;
        }
        if (!deltaSeen) {
            return false;
        }
        String pj = null;
        if ("input_json_delta".equals(deltaType)) {
            // d.path("partial_json").asText(""): absent or null is "", other non-strings have their own text
            if (partial == null || partial == JsonStream.NULL) {
                pj = "";
            } else if (partial instanceof String ps) {
                pj = ps;
            } else {
                return false;
            }
        }
        delta(c, blocks.computeIfAbsent(index, k -> new Block()), deltaType, JsonStream.str(text), JsonStream.str(thinking),
                pj, e.timestampNanos());
        JsonStream.FAST_EVENTS.increment();
        return true;
    }

    /**
     * One content_block_delta into its block (read from the tree or the token stream): text and
     * thinking deltas (non-empty strings, else null) append to the block's text, input_json_delta's
     * partial JSON ({@code partialJson}, given for that type only) to its arguments; a block
     * without content_block_start takes its type from its first delta. Other deltas (signatures,
     * citations) carry no content.
     */
    private static void delta(Ctx c, Block blk, String deltaType, String text, String thinking, String partialJson,
            long nanos) {
        if ("text_delta".equals(deltaType)) {
            blk.text.append(text == null ? "" : text);
            if (blk.type == null) {
                blk.type = "text";
            }
            c.content(nanos);
        } else if ("thinking_delta".equals(deltaType)) {
            blk.text.append(thinking == null ? "" : thinking);
            if (blk.type == null) {
                blk.type = "thinking";
            }
            c.content(nanos);
        } else if ("input_json_delta".equals(deltaType)) {
            blk.json.append(partialJson);
            if (blk.type == null) {
                blk.type = "tool_use";
            }
            c.content(nanos);
        }
    }

    /**
     * Bedrock's event stream into Anthropic events: each "chunk" frame's JSON payload holds the
     * event as base64 in "bytes"; exception frames become an error event. Frames carry no packet
     * time of their own, so every event gets the response's last-byte time.
     */
    private List<SseEvent> bedrockEvents(Ctx c, HttpResponse r) {
        AwsEventStream.Result res = AwsEventStream.decode(r.body().bytes());
        if (res.error() != null) {
            c.problems.add(res.error());
        }
        List<SseEvent> out = new ArrayList<>();
        long t = r.lastByteNanos();
        for (AwsEventStream.Frame f : res.frames()) {
            String payload = new String(f.payload(), StandardCharsets.UTF_8);
            if (awsException(c, f, payload)) {
                continue;
            }
            JsonNode env = Json.parse(payload).node();
            String b64 = Json.str(env, "bytes");
            if (b64 == null) {
                continue;
            }
            try {
                String event = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
                out.add(new SseEvent(f.header(":event-type"), event, null, t, 0));
            } catch (IllegalArgumentException e) {
                c.problems.add("event-stream chunk is not base64");
            }
        }
        return out;
    }
}
