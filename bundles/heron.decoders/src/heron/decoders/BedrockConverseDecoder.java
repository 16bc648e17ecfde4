package heron.decoders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.decode.JsonShape;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.decoders.internal.AwsEventStream;
import heron.decoders.internal.DecoderBase;
import heron.decoders.internal.Json;
import heron.decoders.internal.StreamEvents;

/**
 * AWS Bedrock's Converse API: {@code POST /model/{modelId}/converse} and
 * {@code /converse-stream}, the one request shape Bedrock offers for every vendor's models (the
 * AWS SDKs' {@code ConverseCommand}, boto3 {@code converse()}, Strands Agents, LangChain's
 * ChatBedrockConverse, LiteLLM's Bedrock route). Model id in the path; the body carries
 * {@code messages} of content blocks ({@code text}, {@code toolUse}, {@code toolResult},
 * {@code reasoningContent}, media), {@code system} blocks, {@code inferenceConfig} and
 * {@code toolConfig.tools[].toolSpec}. The response is {@code output.message} with
 * {@code stopReason} and {@code usage}; the stream is AWS's binary event-stream whose frames are
 * named by {@code :event-type} (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata)
 * and carry their JSON directly (InvokeModel's streams, decoded by {@code anthropic}, wrap base64
 * chunks instead). Exception frames become the call's error.
 */
public class BedrockConverseDecoder extends DecoderBase {
    public static final String ID = "bedrock-converse";

    @Override
    protected String wireApi() {
        return ID;
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        return isPost(ex) && modelOf(ex.request().path()) != null ? Route.ACCEPT : Route.UNKNOWN;
    }

    /**
     * Through a gateway with another path: Converse's keys (no {@code model} in the body; a
     * {@code messages} array with {@code inferenceConfig} or {@code toolConfig}, names no other API
     * uses).
     */
    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        return shape.arraySize("messages") >= 0 && !shape.has("model") && !shape.has("anthropic_version")
                && (shape.has("inferenceConfig") || shape.has("toolConfig"));
    }

    /** The model id of {@code .../model/{id}/converse[-stream]} (percent-decoded), or null. */
    static String modelOf(String path) {
        int m = path.startsWith("/model/") ? 0 : path.indexOf("/model/");
        if (m < 0) {
            return null;
        }
        int end;
        if (path.endsWith("/converse")) {
            end = path.length() - "/converse".length();
        } else if (path.endsWith("/converse-stream")) {
            end = path.length() - "/converse-stream".length();
        } else {
            return null;
        }
        int start = m + "/model/".length();
        return end > start ? urlDecode(path.substring(start, end)) : null;
    }

    @Override
    protected FinishKind finishKind(String raw) {
        return switch (raw) {
        case "guardrail_intervened", "content_filtered" -> FinishKind.CONTENT_FILTER;
        default -> AnthropicDecoder.anthropicFinish(raw);
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
        c.b.requestModel = modelOf(path);
        c.b.stream = path.endsWith("/converse-stream");
        if (req == null) {
            return;
        }
        JsonNode system = req.get("system");
        if (system != null && system.isArray()) {
            for (JsonNode s : system) {
                appendSystem(c, Json.str(s, "text"));
            }
        }
        JsonNode tools = Json.at(req, "toolConfig", "tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode t : tools) {
                JsonNode spec = t.get("toolSpec");
                if (spec != null) {
                    JsonNode schema = Json.at(spec, "inputSchema", "json");
                    c.b.toolsOffered.add(new ToolDefinition(Json.str(spec, "name"), Json.str(spec, "description"),
                            schema == null ? null : Json.write(schema)));
                }
            }
        }
        JsonNode msgs = req.get("messages");
        if (msgs != null && msgs.isArray()) {
            for (JsonNode m : msgs) {
                addMessage(c.b.messages, Json.str(m, "role"), m.get("content"));
            }
        }
    }

    /**
     * One Converse message as the neutral form: an assistant message's text, reasoning and
     * toolUse blocks become one assistant message with tool calls; a user message's toolResult
     * blocks become "tool" messages (in order, with the text around them as user messages).
     */
    private static void addMessage(List<Message> out, String role, JsonNode content) {
        if (role == null) {
            return;
        }
        if (content == null || !content.isArray()) {
            out.add(Message.text(role, content == null ? null : Json.contentText(content)));
            return;
        }
        if (role.equals("assistant")) {
            StringBuilder said = new StringBuilder();
            StringBuilder thinking = new StringBuilder();
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode b : content) {
                join(said, Json.str(b, "text"));
                join(thinking, Json.str(Json.at(b, "reasoningContent", "reasoningText"), "text"));
                JsonNode use = b.get("toolUse");
                if (use != null) {
                    calls.add(new ToolCall(Json.str(use, "toolUseId"), Json.str(use, "name"),
                            Json.arguments(use.get("input")).json()));
                }
            }
            out.add(new Message("assistant", said.length() == 0 ? null : said.toString(),
                    thinking.length() == 0 ? null : thinking.toString(), calls, null, false));
            return;
        }
        StringBuilder said = new StringBuilder();
        boolean results = false;
        for (JsonNode b : content) {
            JsonNode result = b.get("toolResult");
            if (result != null) {
                if (said.length() > 0) {
                    out.add(Message.text(role, said.toString()));
                    said.setLength(0);
                }
                out.add(Message.toolResult(Json.str(result, "toolUseId"), resultText(result.get("content")),
                        "error".equals(Json.str(result, "status"))));
                results = true;
            } else {
                join(said, blockText(b));
            }
        }
        if (said.length() > 0 || !results) {
            out.add(Message.text(role, said.toString()));
        }
    }

    /** A user content block's text; media and documents as a short placeholder. */
    private static String blockText(JsonNode b) {
        String text = Json.str(b, "text");
        if (text != null) {
            return text;
        }
        for (String media : new String[] { "image", "document", "video" }) {
            if (b.has(media)) {
                return "[" + media + "]";
            }
        }
        return null;
    }

    /** A toolResult's content blocks: {text} as text, {json} as its JSON text, joined by newlines. */
    private static String resultText(JsonNode content) {
        if (content == null || !content.isArray()) {
            return content == null ? null : Json.contentText(content);
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode json = part.get("json");
            join(sb, json != null ? Json.write(json) : blockText(part));
        }
        return sb.toString();
    }

    private static void join(StringBuilder sb, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(text);
    }

    // ---- response ----

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            return;
        }
        JsonNode content = Json.at(body, "output", "message", "content");
        if (content != null && content.isArray()) {
            for (JsonNode b : content) {
                c.b.outputText = appendText(c.b.outputText, Json.str(b, "text"));
                c.b.reasoningText = appendText(c.b.reasoningText,
                        Json.str(Json.at(b, "reasoningContent", "reasoningText"), "text"));
                JsonNode use = b.get("toolUse");
                if (use != null) {
                    c.b.toolCalls.add(new ToolCall(Json.str(use, "toolUseId"), Json.str(use, "name"),
                            Json.arguments(use.get("input")).json()));
                }
            }
        }
        c.b.finishReason = Json.str(body, "stopReason");
        readUsage(c, body.get("usage"));
        readResponseHeaders(c);
    }

    /** Blocks of one answer are separate paragraphs of its text. */
    private static String appendText(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a == null ? b : a + "\n" + b;
    }

    /**
     * Converse usage: inputTokens excludes what was read from or written to the prompt cache
     * (reported apart, as Anthropic does); totalTokens is their sum with the output.
     */
    private static void readUsage(Ctx c, JsonNode u) {
        if (u == null || !u.isObject()) {
            return;
        }
        c.b.inputTokens = Json.num(u, "inputTokens");
        c.b.outputTokens = Json.num(u, "outputTokens");
        Long read = Json.num(u, "cacheReadInputTokens");
        Long write = Json.num(u, "cacheWriteInputTokens");
        if (read != null) {
            c.b.cacheReadTokens = read;
        }
        if (write != null) {
            c.b.cacheWriteTokens = write;
        }
    }

    /** Bedrock names no response id in the body; its request id header identifies the answer. */
    private static void readResponseHeaders(Ctx c) {
        if (c.b.responseId == null) {
            c.b.responseId = c.ex.response().headers().get("x-amzn-requestid");
        }
    }

    /** A streamed content block: its text, reasoning, or tool use with input arriving in pieces. */
    private static final class Block {
        final StringBuilder text = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        String toolUseId;
        String toolName;
        StringBuilder input;
    }

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        readResponseHeaders(c);
        if (!StreamEvents.isAwsEventStream(r)) {
            // A gateway that re-frames Converse events as SSE: the same JSON objects per event.
            Map<Integer, Block> blocks = new TreeMap<>();
            for (var e : StreamEvents.of(r)) {
                JsonNode o = Json.parse(e.data()).node();
                if (o != null && o.isObject()) {
                    String type = e.event() != null ? e.event() : firstKey(o);
                    JsonNode payload = e.event() != null || type == null ? o : o.get(type);
                    event(c, blocks, type, payload, e.timestampNanos());
                }
            }
            finishBlocks(c, blocks);
            return;
        }
        AwsEventStream.Result res = AwsEventStream.decode(r.body().bytes());
        if (res.error() != null) {
            c.problems.add(res.error());
        }
        // The frames are cut from the reassembled body: the response's last byte is the time
        // every one of them is known to have arrived by.
        long t = r.lastByteNanos();
        Map<Integer, Block> blocks = new TreeMap<>();
        for (AwsEventStream.Frame f : res.frames()) {
            String payload = new String(f.payload(), StandardCharsets.UTF_8);
            if (awsException(c, f, payload)) {
                continue;
            }
            JsonNode o = Json.parse(payload).node();
            if (o == null || !o.isObject()) {
                c.problems.add("event-stream frame is not a JSON object");
                continue;
            }
            event(c, blocks, f.header(":event-type"), o, t);
        }
        finishBlocks(c, blocks);
    }

    private static String firstKey(JsonNode o) {
        var names = o.fieldNames();
        return names.hasNext() ? names.next() : null;
    }

    /** One Converse stream event by its type (the frame's {@code :event-type}). */
    private static void event(Ctx c, Map<Integer, Block> blocks, String type, JsonNode o, long nanos) {
        if (type == null || o == null) {
            return;
        }
        switch (type) {
        case "contentBlockStart" -> {
            JsonNode use = Json.at(o, "start", "toolUse");
            if (use != null) {
                Block b = blocks.computeIfAbsent(index(o, blocks), k -> new Block());
                b.toolUseId = Json.str(use, "toolUseId");
                b.toolName = Json.str(use, "name");
                b.input = new StringBuilder();
            }
        }
        case "contentBlockDelta" -> {
            JsonNode delta = o.get("delta");
            if (delta == null) {
                return;
            }
            Block b = blocks.computeIfAbsent(index(o, blocks), k -> new Block());
            String text = Json.str(delta, "text");
            if (text != null) {
                b.text.append(text);
                c.content(nanos);
            }
            String reasoning = Json.str(Json.at(delta, "reasoningContent"), "text");
            if (reasoning != null) {
                b.reasoning.append(reasoning);
                c.content(nanos);
            }
            String input = Json.str(Json.at(delta, "toolUse"), "input");
            if (input != null) {
                if (b.input == null) {
                    b.input = new StringBuilder();
                }
                b.input.append(input);
                c.content(nanos);
            }
        }
        case "messageStop" -> {
            c.b.finishReason = Json.str(o, "stopReason");
            c.terminated = true;
        }
        case "metadata" -> readUsage(c, o.get("usage"));
        default -> {
            // messageStart (role only), contentBlockStop: nothing to keep
        }
        }
    }

    private static int index(JsonNode o, Map<Integer, Block> blocks) {
        JsonNode i = o.get("contentBlockIndex");
        return i != null && i.canConvertToInt() ? i.intValue() : Math.max(0, blocks.size() - 1);
    }

    /** The streamed blocks in index order into the call's output, reasoning and tool calls. */
    private static void finishBlocks(Ctx c, Map<Integer, Block> blocks) {
        for (Block b : blocks.values()) {
            c.b.outputText = appendText(c.b.outputText, b.text.toString());
            c.b.reasoningText = appendText(c.b.reasoningText, b.reasoning.toString());
            if (b.toolUseId != null || b.toolName != null) {
                c.b.toolCalls.add(new ToolCall(b.toolUseId, b.toolName,
                        Json.arguments(b.input == null ? null : b.input.toString()).json()));
            }
        }
    }
}
