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

/**
 * Google Gemini generateContent: AI Studio {@code /v1beta/models/{m}:generateContent} and
 * {@code :streamGenerateContent} (with {@code alt=sse} an SSE stream, without it one JSON array
 * of chunks), and Vertex AI {@code .../publishers/google/models/{m}:...}. The model comes from
 * the path. Every streamed chunk is a partial GenerateContentResponse; usageMetadata snapshots
 * are cumulative, so the last one wins.
 */
public class GeminiDecoder extends DecoderBase {
    public static final String ID = "gemini";

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
        if (path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent")) {
            // AI Studio and Vertex name the model in the path; Gemini Code Assist
            // (/v1internal:generateContent, used by Gemini CLI with Google login) wraps the
            // request as {model, project, request:{contents ...}} and the answer as {response}.
            if (path.contains("/models/") || path.contains("/tunedModels/") || path.contains("v1internal:")) {
                return Route.ACCEPT;
            }
        }
        return Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        return shape.arraySize("contents") > 0 && !shape.has("messages") && !shape.has("input")
                && !shape.has("request");
    }

    @Override
    public String nonCallLabel(HttpExchange ex) {
        String path = ex.request().path();
        if (path.endsWith(":countTokens")) {
            return "count-tokens";
        }
        if (path.endsWith(":embedContent") || path.endsWith(":batchEmbedContents")) {
            return "embeddings";
        }
        String m = ex.request().method().toUpperCase(Locale.ROOT);
        if ((m.equals("GET") || m.equals("HEAD")) && (path.endsWith("/v1beta/models") || path.startsWith("/v1beta/models/")
                || path.contains("/publishers/google/models"))) {
            return "models";
        }
        if (path.endsWith(":loadCodeAssist") || path.endsWith(":retrieveUserQuota") || path.endsWith(":onboardUser")) {
            return "quota";
        }
        return null;
    }

    @Override
    protected FinishKind finishKind(String raw) {
        return switch (raw) {
        case "STOP" -> FinishKind.COMPLETE;
        case "MAX_TOKENS" -> FinishKind.LENGTH;
        case "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" ->
            FinishKind.CONTENT_FILTER;
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" -> FinishKind.ERROR;
        default -> null;
        };
    }

    /** models/{m}:verb → m (AI Studio and Vertex, tuned models too). */
    static String pathModel(String path) {
        int colon = path.lastIndexOf(':');
        String p = colon < 0 ? path : path.substring(0, colon);
        int i = p.lastIndexOf("/models/");
        if (i < 0) {
            i = p.lastIndexOf("/tunedModels/");
            return i < 0 ? null : urlDecode(p.substring(i + "/tunedModels/".length()));
        }
        return urlDecode(p.substring(i + "/models/".length()));
    }

    // ---- request ----

    @Override
    protected void decodeRequest(Ctx c, JsonNode req) {
        String path = c.ex.request().path();
        c.b.requestModel = pathModel(path);
        if (c.b.requestModel == null) {
            String m = Json.str(req, "model");
            c.b.requestModel = m != null && m.startsWith("models/") ? m.substring(7) : m;
        }
        c.b.stream = path.endsWith(":streamGenerateContent");
        if (req == null) {
            return;
        }
        if (req.has("request") && req.get("request").isObject() && !req.has("contents")) {
            req = req.get("request"); // Code Assist wrapper; the model was read from the outer body
        }
        JsonNode si = req.has("systemInstruction") ? req.get("systemInstruction") : req.get("system_instruction");
        if (si != null) {
            appendSystem(c, treeParts(si.isObject() ? si.get("parts") : si).text(false));
        }
        JsonNode tools = req.get("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode t : tools) {
                JsonNode decls = t.has("functionDeclarations") ? t.get("functionDeclarations") : t.get("function_declarations");
                if (decls != null && decls.isArray()) {
                    for (JsonNode d : decls) {
                        c.b.toolsOffered.add(Json.tool(d, false, "parametersJsonSchema", "parameters"));
                    }
                } else {
                    // Built-in tools (googleSearch, codeExecution ...): named by their key.
                    t.fieldNames().forEachRemaining(k -> c.b.toolsOffered.add(new ToolDefinition(k, null, null)));
                }
            }
        }
        JsonNode contents = req.get("contents");
        if (contents == null || !contents.isArray()) {
            return;
        }
        for (JsonNode content : contents) {
            JsonNode parts = content.get("parts");
            addContent(c, new Content(Json.str(content, "role"), parts != null && parts.isArray() ? treeParts(parts) : null));
        }
    }

    /** Parts from the tree, as {@link Parts#read} gets them from the token stream. */
    private static Parts treeParts(JsonNode parts) {
        if (parts == null || !parts.isArray()) {
            return Parts.NONE;
        }
        List<Part> list = new ArrayList<>(parts.size());
        for (JsonNode p : parts) {
            Part pt = new Part();
            list.add(pt);
            JsonNode text = p.get("text");
            if (text != null) {
                pt.hasText = true;
                pt.text = text.asText();
            }
            pt.thought = Json.isTrue(p, "thought");
            JsonNode fc = p.get("functionCall");
            if (fc != null) {
                pt.call = new ToolCall(Json.str(fc, "id"), Json.str(fc, "name"), Json.arguments(fc.get("args")).json());
            }
            JsonNode fr = p.get("functionResponse");
            if (fr != null) {
                // Gemini links a response to its call by id when the call had one, else by name.
                String id = Json.str(fr, "id");
                JsonNode resp = fr.get("response");
                pt.response = Message.toolResult(id != null ? id : Json.str(fr, "name"), resp == null ? null : Json.write(resp),
                        resp != null && resp.has("error"));
            }
            pt.file = p.has("inlineData") || p.has("fileData");
        }
        return new Parts(list);
    }

    @Override
    protected boolean decodeRequestFast(Ctx c, JsonParser p) throws IOException {
        String path = c.ex.request().path();
        String model = null;
        Parts si = null;
        Parts siSnake = null;
        boolean siSeen = false;
        boolean siSnakeSeen = false;
        String name;
        while ((name = JsonStream.nextField(p)) != null) {
            switch (name) {
            case "model" -> model = JsonStream.str(JsonStream.scalar(p));
            // Code Assist's {model, project, request:{...}} wrapper: left to the tree walk.
            case "request" -> throw new JsonStream.Fallback();
            case "systemInstruction" -> {
                si = JsonStream.cached(p, c.requestBytes, CACHE_SYSTEM, GeminiDecoder::instruction);
                siSeen = true;
            }
            case "system_instruction" -> {
                siSnake = JsonStream.cached(p, c.requestBytes, CACHE_SYSTEM, GeminiDecoder::instruction);
                siSnakeSeen = true;
            }
            case "tools" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    while (JsonStream.nextElement(p)) {
                        c.b.toolsOffered.addAll(JsonStream.cached(p, c.requestBytes, CACHE_TOOL, q -> {
                            List<ToolDefinition> l = new ArrayList<>();
                            fastTool(l, q);
                            return List.copyOf(l);
                        }));
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            case "contents" -> {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    while (JsonStream.nextElement(p)) {
                        addContent(c, JsonStream.cached(p, c.requestBytes, CACHE_CONTENT, GeminiDecoder::readContent));
                    }
                } else {
                    JsonStream.skip(p);
                }
            }
            default -> JsonStream.skip(p);
            }
        }
        c.b.requestModel = pathModel(path);
        if (c.b.requestModel == null) {
            c.b.requestModel = model != null && model.startsWith("models/") ? model.substring(7) : model;
        }
        c.b.stream = path.endsWith(":streamGenerateContent");
        Parts instruction = siSeen ? si : siSnakeSeen ? siSnake : null;
        if (instruction != null) {
            appendSystem(c, instruction.text(false));
        }
        return true;
    }

    /** A system instruction: {parts:[...]} or the parts array itself; other shapes carry no text. */
    private static Parts instruction(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Parts parts = Parts.NONE;
            String field;
            while ((field = JsonStream.nextField(p)) != null) {
                if (field.equals("parts")) {
                    parts = Parts.read(p);
                } else {
                    JsonStream.skip(p);
                }
            }
            return parts;
        }
        return Parts.read(p);
    }

    private static final int CACHE_SYSTEM = 31;
    private static final int CACHE_TOOL = 32;
    private static final int CACHE_CONTENT = 33;
    private static final JsonStream.Sites SITES = new JsonStream.Sites().value("systemInstruction", CACHE_SYSTEM)
            .value("system_instruction", CACHE_SYSTEM).elements("tools", CACHE_TOOL).elements("contents", CACHE_CONTENT);

    @Override
    protected JsonStream.Sites cacheSites() {
        return SITES;
    }

    private static void fastTool(List<ToolDefinition> out, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p); // no field names, no declarations
            return;
        }
        List<ToolDefinition> decls = null;
        List<ToolDefinition> snake = null;
        boolean declsSeen = false;
        List<String> keys = new ArrayList<>();
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            keys.add(field);
            switch (field) {
            case "functionDeclarations" -> {
                decls = declarations(p);
                declsSeen = true;
            }
            case "function_declarations" -> snake = declarations(p);
            default -> JsonStream.skip(p);
            }
        }
        List<ToolDefinition> chosen = declsSeen ? decls : snake;
        if (chosen != null) {
            out.addAll(chosen);
        } else {
            for (String k : keys) {
                out.add(new ToolDefinition(k, null, null));
            }
        }
    }

    /** A declarations array, or null when the value is no array. */
    private static List<ToolDefinition> declarations(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            JsonStream.skip(p);
            return null;
        }
        List<ToolDefinition> out = new ArrayList<>();
        while (JsonStream.nextElement(p)) {
            out.add(JsonStream.tool(p, false, "parametersJsonSchema", "parameters"));
        }
        return out;
    }

    /**
     * A contents[] entry as {@link #addContent} uses it, read from the tree or the token stream
     * ({@link #readContent}): its role and parts (null when it has no parts array: ignored).
     */
    private record Content(String role, Parts parts) {
    }

    private static final Content NO_PARTS = new Content(null, null);

    private static Content readContent(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p); // no parts
            return NO_PARTS;
        }
        String role = null;
        Parts parts = null;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "role" -> role = JsonStream.str(JsonStream.scalar(p));
            case "parts" -> parts = p.currentToken() == JsonToken.START_ARRAY ? Parts.read(p) : skippedParts(p);
            default -> JsonStream.skip(p);
            }
        }
        return new Content(role, parts);
    }

    /**
     * One contents[] entry into the conversation: a "model" entry is one assistant message (its
     * text, its thought summaries as reasoning, its functionCall parts as tool calls); any other
     * role's functionResponse parts are tool results, in part order, with the text and file
     * placeholders between them kept as user messages.
     */
    private static void addContent(Ctx c, Content content) {
        String role = content.role();
        Parts parts = content.parts();
        if (parts == null) {
            return;
        }
        if ("model".equals(role)) {
            List<ToolCall> calls = new ArrayList<>();
            for (Part pt : parts.list) {
                if (pt.call != null) {
                    calls.add(pt.call);
                }
            }
            c.b.messages.add(new Message("assistant", nullIfEmpty(parts.text(false)), nullIfEmpty(parts.text(true)),
                    calls, null, false));
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Part pt : parts.list) {
            if (pt.response != null) {
                flushUser(c, text);
                c.b.messages.add(pt.response);
            } else if (pt.hasText) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(JsonStream.asText(pt.text));
            } else if (pt.file) {
                text.append(text.length() > 0 ? "\n" : "").append("[file]");
            }
        }
        flushUser(c, text);
    }

    private static Parts skippedParts(JsonParser p) throws IOException {
        JsonStream.skip(p);
        return null;
    }

    /**
     * One part as the request needs it; from the token stream {@code text} is the raw scalar
     * ({@link JsonStream#asText} falls back on anything but a string), from the tree its asText().
     */
    private static final class Part {
        boolean hasText;
        Object text;
        boolean thought;
        ToolCall call;
        Message response;
        boolean file;
    }

    /** Parts of a content (or instruction), read once for text, thoughts, calls and responses. */
    private static final class Parts {
        static final Parts NONE = new Parts(null);
        final List<Part> list;

        Parts(List<Part> list) {
            this.list = list;
        }

        /** An array of parts; any other value holds none (its text is null). */
        static Parts read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                JsonStream.skip(p);
                return NONE;
            }
            List<Part> list = new ArrayList<>();
            while (JsonStream.nextElement(p)) {
                Part pt = new Part();
                list.add(pt);
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    JsonStream.skip(p);
                    continue;
                }
                String field;
                while ((field = JsonStream.nextField(p)) != null) {
                    switch (field) {
                    case "text" -> {
                        pt.hasText = true;
                        pt.text = JsonStream.scalar(p);
                    }
                    case "thought" -> pt.thought = JsonStream.scalar(p) == Boolean.TRUE;
                    case "functionCall" -> pt.call = functionCall(p);
                    case "functionResponse" -> pt.response = functionResponse(p);
                    case "inlineData", "fileData" -> {
                        pt.file = true;
                        JsonStream.skip(p);
                    }
                    default -> JsonStream.skip(p);
                    }
                }
            }
            return new Parts(list);
        }

        /**
         * The text of the parts whose thought flag equals {@code thoughts} (the thought summaries
         * when true); null without an array.
         */
        String text(boolean thoughts) {
            if (list == null) {
                return null;
            }
            // Remembered: a cached system instruction or history entry is asked again with every
            // call that resends it, and its text would be copied anew each time. Immutable parts,
            // so a race only computes the same text twice.
            String known = thoughts ? thoughtText : plainText;
            if (known == null) {
                known = joinText(thoughts);
                if (thoughts) {
                    thoughtText = known;
                } else {
                    plainText = known;
                }
            }
            return known;
        }

        private String plainText;
        private String thoughtText;

        private String joinText(boolean thoughts) {
            StringBuilder sb = new StringBuilder();
            for (Part pt : list) {
                if (pt.hasText && pt.thought == thoughts) {
                    sb.append(JsonStream.asText(pt.text));
                }
            }
            return sb.toString();
        }
    }

    private static ToolCall functionCall(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonStream.skip(p); // a null or odd functionCall still counts as a call, with nothing in it
            return new ToolCall(null, null, "{}");
        }
        String id = null;
        String name = null;
        String args = "{}";
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "id" -> id = JsonStream.str(JsonStream.scalar(p));
            case "name" -> name = JsonStream.str(JsonStream.scalar(p));
            case "args" -> args = JsonStream.arguments(p);
            default -> JsonStream.skip(p);
            }
        }
        return new ToolCall(id, name, args);
    }

    private static Message functionResponse(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonStream.Fallback();
        }
        String id = null;
        String name = null;
        String response = null;
        boolean error = false;
        String field;
        while ((field = JsonStream.nextField(p)) != null) {
            switch (field) {
            case "id" -> id = JsonStream.str(JsonStream.scalar(p));
            case "name" -> name = JsonStream.str(JsonStream.scalar(p));
            case "response" -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new JsonStream.Fallback();
                }
                response = JsonStream.copy(p);
                // has("error") of the response object: its own top-level key.
                error = topLevelKey(response, "error");
            }
            default -> JsonStream.skip(p);
            }
        }
        return Message.toolResult(id != null ? id : name, response, error);
    }

    private static boolean topLevelKey(String json, String key) throws IOException {
        try (JsonParser q = JsonStream.parser(json)) {
            q.nextToken();
            String field;
            while ((field = JsonStream.nextField(q)) != null) {
                if (field.equals(key)) {
                    return true;
                }
                JsonStream.skip(q);
            }
            return false;
        }
    }

    private static void flushUser(Ctx c, StringBuilder text) {
        if (text.length() > 0) {
            c.b.messages.add(Message.text("user", text.toString()));
            text.setLength(0);
        }
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // ---- response ----

    /** Accumulates chunks (one for a non-streamed answer). */
    private static final class Acc {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thoughts = new StringBuilder();
        final List<ToolCall> calls = new ArrayList<>();
        boolean sawText;
        boolean sawThoughts;
    }

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            return;
        }
        Acc acc = new Acc();
        if (body.isArray()) {
            // streamGenerateContent without alt=sse: one JSON array of chunks. A cut array still
            // yields its complete leading chunks; only a closed array counts as terminated.
            c.b.stream = true;
            boolean last = false;
            for (JsonNode chunk : body) {
                last = chunk(c, acc, chunk, 0) || last;
            }
            c.terminated = last;
            if (!last) {
                c.problems.add("truncated stream");
                c.b.finish = FinishKind.CANCELLED;
            }
        } else {
            chunk(c, acc, body, 0);
        }
        finishAcc(c, acc);
    }

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        Acc acc = new Acc();
        for (SseEvent e : StreamEvents.of(r)) {
            Json.Parsed p = Json.parse(e.data());
            if (p.error() != null) {
                c.problems.add("stream event: " + p.error());
            }
            JsonNode o = p.node();
            if (o == null) {
                continue;
            }
            if (o.isArray()) {
                for (JsonNode ch : o) {
                    c.terminated |= chunk(c, acc, ch, e.timestampNanos());
                }
            } else {
                c.terminated |= chunk(c, acc, o, e.timestampNanos());
            }
        }
        finishAcc(c, acc);
    }

    /** Reads one GenerateContentResponse chunk; true when it carries a finishReason or an error. */
    private boolean chunk(Ctx c, Acc acc, JsonNode o, long nanos) {
        if (o == null || !o.isObject()) {
            return false;
        }
        // Gemini Code Assist wraps the response: {"response": {...}}.
        if (o.has("response") && o.get("response").isObject() && !o.has("candidates")) {
            o = o.get("response");
        }
        if (o.has("error")) {
            c.b.error = Errors.fromEvent(o.get("error"), c.ex.response().headers());
            c.b.finish = FinishKind.ERROR;
            return true;
        }
        String rid = Json.str(o, "responseId");
        if (rid != null) {
            c.b.responseId = rid;
        }
        String mv = Json.str(o, "modelVersion");
        if (mv != null) {
            c.b.responseModel = mv;
        }
        JsonNode u = o.get("usageMetadata");
        if (u != null && u.isObject()) {
            c.b.inputTokens = Json.num(u, "promptTokenCount");
            Long cand = Json.num(u, "candidatesTokenCount");
            Long thoughts = Json.num(u, "thoughtsTokenCount");
            // Gemini counts thinking apart from candidates; output here includes it, as
            // OpenAI's completion_tokens and Anthropic's output_tokens do.
            c.b.outputTokens = cand == null && thoughts == null ? null
                    : (cand == null ? 0 : cand) + (thoughts == null ? 0 : thoughts);
            c.b.reasoningTokens = thoughts;
            c.b.cacheReadTokens = Json.num(u, "cachedContentTokenCount");
        }
        boolean finished = false;
        JsonNode pf = o.get("promptFeedback");
        String block = Json.str(pf, "blockReason");
        if (block != null) {
            c.b.finishReason = block;
            c.b.finish = FinishKind.CONTENT_FILTER;
            finished = true;
        }
        JsonNode cands = o.get("candidates");
        if (cands != null && cands.isArray()) {
            for (JsonNode cand : cands) {
                if (cand.has("index") && cand.get("index").asInt() != 0) {
                    continue; // only candidate 0 is the call's answer
                }
                JsonNode parts = Json.at(cand, "content", "parts");
                if (parts != null && parts.isArray()) {
                    for (JsonNode p : parts) {
                        JsonNode fc = p.get("functionCall");
                        if (fc != null) {
                            acc.calls.add(new ToolCall(Json.str(fc, "id"), Json.str(fc, "name"),
                                    Json.arguments(fc.get("args")).json()));
                            c.content(nanos);
                        } else if (p.has("text")) {
                            String t = p.get("text").asText();
                            if (Json.isTrue(p, "thought")) {
                                acc.thoughts.append(t);
                                acc.sawThoughts = true;
                            } else {
                                acc.text.append(t);
                                acc.sawText = true;
                            }
                            if (!t.isEmpty()) {
                                c.content(nanos);
                            }
                        }
                    }
                }
                String fr = Json.str(cand, "finishReason");
                if (fr != null) {
                    c.b.finishReason = fr;
                    finished = true;
                }
                break;
            }
        }
        return finished;
    }

    private void finishAcc(Ctx c, Acc acc) {
        if (acc.sawText) {
            c.b.outputText = acc.text.toString();
        }
        if (acc.sawThoughts) {
            c.b.reasoningText = acc.thoughts.toString();
        }
        c.b.toolCalls.addAll(acc.calls);
        if (c.b.finish == null && c.b.finishReason != null) {
            FinishKind k = finishKind(c.b.finishReason);
            // Gemini says STOP also when it asks for tools: the functionCall parts tell.
            c.b.finish = k == FinishKind.COMPLETE && !acc.calls.isEmpty() ? FinishKind.TOOL_USE : k;
        }
    }
}
