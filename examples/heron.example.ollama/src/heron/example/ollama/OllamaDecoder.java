package heron.example.ollama;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.decode.WireApiDecoder;
import heron.core.model.CallError;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.core.model.ToolResult;

/**
 * Decodes Ollama's native API: {@code POST /api/chat} and {@code POST /api/generate}. Ollama
 * streams by default ({@code "stream": false} turns it off) as NDJSON: one JSON object per line,
 * each carrying a piece of the answer, the last one with {@code "done": true}, the done reason and
 * the token counts ({@code prompt_eval_count}, {@code eval_count}). Model management and listing
 * endpoints get labels instead of calls.
 * <p>
 * This class is the example of docs/plugin-guide.md: it uses only heron.core and Jackson, like any
 * third-party decoder. Stateless, so one instance serves all worker threads.
 */
public class OllamaDecoder implements WireApiDecoder {
    /** The wire API id, as contributed in plugin.xml. Stored with every call: never rename it. */
    public static final String ID = "ollama";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String nonCallLabel(HttpExchange ex) {
        return switch (ex.request().path()) {
        case "/api/tags", "/api/ps" -> "models";
        case "/api/show" -> "model-info";
        case "/api/version" -> "version";
        case "/api/embed", "/api/embeddings" -> "embeddings";
        case "/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete" -> "model-admin";
        default -> null;
        };
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        if (!"POST".equalsIgnoreCase(ex.request().method())) {
            return Route.REJECT;
        }
        String path = ex.request().path();
        return path.equals("/api/chat") || path.equals("/api/generate") ? Route.ACCEPT : Route.REJECT;
    }

    @Override
    public LlmCall decode(HttpExchange ex) {
        LlmCall.Builder b = LlmCall.builder();
        b.wireApi = ID;
        b.serverKind = "Ollama"; // the native API is only served by Ollama
        try {
            decodeRequest(ex, b);
            if (ex.hasResponse()) {
                decodeResponse(ex, b);
            } else {
                b.decodeProblem("no response");
            }
        } catch (RuntimeException e) {
            // Never let an exception escape: the registry would drop the call.
            b.decodeProblem("decoder failure: " + e);
        }
        return b.build();
    }

    private static JsonNode parse(byte[] bytes, int off, int len) {
        try {
            return JSON.readTree(bytes, off, len);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static void decodeRequest(HttpExchange ex, LlmCall.Builder b) {
        byte[] body = ex.request().body().bytes();
        JsonNode req = body.length == 0 ? null : parse(body, 0, body.length);
        if (req == null) {
            if (body.length > 0) {
                b.decodeProblem("request body: invalid JSON");
            }
            return;
        }
        b.requestModel = text(req, "model");
        // Ollama streams unless told not to.
        b.stream = !(req.has("stream") && req.get("stream").isBoolean() && !req.get("stream").booleanValue());
        b.systemPrompt = text(req, "system");
        for (JsonNode t : req.path("tools")) {
            JsonNode f = t.path("function");
            b.toolsOffered.add(new ToolDefinition(text(f, "name"), text(f, "description"),
                    f.has("parameters") ? f.get("parameters").toString() : null));
        }
        if (req.has("prompt")) { // /api/generate
            b.messages.add(Message.text("user", text(req, "prompt")));
        }
        for (JsonNode m : req.path("messages")) {
            String role = text(m, "role");
            String content = text(m, "content");
            if ("system".equals(role) && b.messages.isEmpty()) {
                b.systemPrompt = b.systemPrompt == null ? content : b.systemPrompt + "\n\n" + content;
            } else if ("assistant".equals(role)) {
                b.messages.add(new Message("assistant", content, text(m, "thinking"), toolCalls(m.path("tool_calls")),
                        null, false));
            } else if ("tool".equals(role)) {
                String id = text(m, "tool_call_id") != null ? text(m, "tool_call_id") : text(m, "tool_name");
                b.messages.add(Message.toolResult(id, content, false));
            } else if (role != null) {
                b.messages.add(Message.text(role, content));
            }
        }
        // The results this request sends back: tool messages after the last assistant message.
        for (int i = b.messages.size() - 1; i >= 0 && "tool".equals(b.messages.get(i).role()); i--) {
            Message m = b.messages.get(i);
            b.toolResults.add(0, new ToolResult(m.toolCallId(), m.text(), false));
        }
    }

    /** Ollama sends arguments as a JSON object (not a string as OpenAI does). */
    private static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : calls) {
            JsonNode f = c.path("function");
            JsonNode args = f.get("arguments");
            String json = args == null || args.isNull() ? "{}" : args.isTextual() ? args.textValue() : args.toString();
            out.add(new ToolCall(text(c, "id"), text(f, "name"), json));
        }
        return out;
    }

    private static void decodeResponse(HttpExchange ex, LlmCall.Builder b) {
        HttpResponse r = ex.response();
        b.status = r.status();
        b.responseHeadersNanos = r.headersNanos();
        b.endNanos = r.lastByteNanos();
        byte[] body = r.body().bytes();
        if (r.body().truncated()) {
            b.decodeProblem("response body incomplete or capped");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        boolean done = false;
        int lines = 0;
        // Non-streamed answers are one JSON object; streamed ones one object per line. Both are
        // read line by line, directly from the body bytes.
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '\n') {
                continue;
            }
            int len = i - start;
            if (len > 0 && !isBlank(body, start, len)) {
                JsonNode line = parse(body, start, len);
                if (line == null) {
                    b.decodeProblem("response line " + (lines + 1) + " is not valid JSON");
                } else {
                    done |= readLine(line, b, text, thinking);
                }
                lines++;
            }
            start = i + 1;
        }
        if (text.length() > 0) {
            b.outputText = text.toString();
        }
        if (thinking.length() > 0) {
            b.reasoningText = thinking.toString();
        }
        if (r.status() >= 400) {
            if (b.error == null) {
                b.error = new CallError(r.status() == 429 ? "rate_limit" : "http_" + r.status(),
                        new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8), r.headers().get("Retry-After"));
            }
            b.finish = FinishKind.ERROR;
        } else if (!done && b.error == null) {
            b.decodeProblem("truncated stream");
            b.finish = FinishKind.CANCELLED;
        } else if (b.finish == null && b.finishReason != null) {
            b.finish = switch (b.finishReason) {
            case "stop" -> b.toolCalls.isEmpty() ? FinishKind.COMPLETE : FinishKind.TOOL_USE;
            case "length" -> FinishKind.LENGTH;
            default -> null;
            };
        }
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != ' ' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** One NDJSON line (or the whole non-streamed answer); true when it is the final "done" line. */
    private static boolean readLine(JsonNode line, LlmCall.Builder b, StringBuilder text, StringBuilder thinking) {
        if (line.has("error")) {
            b.error = new CallError(b.status == 429 ? "rate_limit" : "error", line.get("error").asText(), null);
            b.finish = FinishKind.ERROR;
            return true;
        }
        if (text(line, "model") != null) {
            b.responseModel = text(line, "model");
        }
        JsonNode msg = line.get("message");
        String piece = msg != null ? text(msg, "content") : text(line, "response");
        String thought = msg != null ? text(msg, "thinking") : text(line, "thinking");
        if (piece != null) {
            text.append(piece);
        }
        if (thought != null) {
            thinking.append(thought);
        }
        if (msg != null && msg.has("tool_calls")) {
            b.toolCalls.addAll(toolCalls(msg.get("tool_calls")));
        }
        if (line.path("done").asBoolean(false)) {
            b.finishReason = text(line, "done_reason");
            if (line.has("prompt_eval_count")) {
                b.inputTokens = line.get("prompt_eval_count").asLong();
            }
            if (line.has("eval_count")) {
                b.outputTokens = line.get("eval_count").asLong();
            }
            return true;
        }
        return false;
    }
}
