package heron.decoders;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.decode.JsonShape;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.decoders.internal.DecoderBase;
import heron.decoders.internal.Errors;
import heron.decoders.internal.Json;
import heron.decoders.internal.StreamEvents;

/**
 * OpenAI's legacy text Completions ({@code /v1/completions}, Azure
 * {@code /openai/deployments/{d}/completions}), which the OpenAI SDKs and every compatible server
 * (vLLM, llama.cpp, LM Studio, LiteLLM ...) still serve. A model call without a conversation: the
 * prompt becomes one user message, {@code choices[0].text} the output. Routed by path only (its
 * body, {model, prompt}, says too little to claim other paths).
 */
public class OpenAiCompletionsDecoder extends DecoderBase {
    public static final String ID = "openai-completions";

    @Override
    protected String wireApi() {
        return ID;
    }

    @Override
    public Route classifyRoute(HttpExchange ex) {
        String path = ex.request().path();
        if (isPost(ex) && path.endsWith("/completions") && !path.endsWith("/chat/completions")
                && (path.endsWith("/v1/completions") || path.equals("/completions")
                        || path.contains("/openai/deployments/"))) {
            return Route.ACCEPT;
        }
        return Route.UNKNOWN;
    }

    @Override
    public boolean matchesShape(HttpExchange ex, JsonShape shape) {
        return false;
    }

    @Override
    public String nonCallLabel(HttpExchange ex) {
        return null;
    }

    @Override
    protected FinishKind finishKind(String raw) {
        // the same servers, the same finish values as their chat completions
        return OpenAiChatDecoder.openAiFinish(raw);
    }

    @Override
    protected void decodeRequest(Ctx c, JsonNode req) {
        c.b.requestModel = Json.str(req, "model");
        if (c.b.requestModel == null) {
            c.b.requestModel = OpenAiChatDecoder.azureDeployment(c.ex.request().path());
        }
        c.b.stream = Json.isTrue(req, "stream");
        String prompt = prompt(req == null ? null : req.get("prompt"));
        if (prompt != null) {
            c.b.messages.add(new Message("user", prompt, null, null, null, false));
        }
    }

    /** The prompt: a string, or an array of strings (several prompts, joined by blank lines); token-id arrays are not text. */
    private static String prompt(JsonNode p) {
        if (p == null) {
            return null;
        }
        if (p.isTextual()) {
            return p.textValue();
        }
        if (p.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode e : p) {
                if (e.isTextual()) {
                    sb.append(sb.length() > 0 ? "\n\n" : "").append(e.textValue());
                }
            }
            return sb.length() > 0 ? sb.toString() : null;
        }
        return null;
    }

    @Override
    protected void decodeBody(Ctx c, JsonNode body) {
        if (body == null) {
            return;
        }
        if (body.has("error") && !body.get("error").isNull()) {
            c.b.error = Errors.fromEvent(body.get("error"), c.ex.response().headers());
        }
        chunk(c, body, 0);
    }

    @Override
    protected void decodeStream(Ctx c, HttpResponse r) {
        for (SseEvent e : StreamEvents.of(r)) {
            String data = e.data().strip();
            if (data.equals("[DONE]")) {
                c.terminated = true;
                continue;
            }
            JsonNode o = Json.parse(data).node();
            if (o == null || !o.isObject()) {
                continue;
            }
            if (o.has("error") && !o.get("error").isNull()) {
                c.b.error = Errors.fromEvent(o.get("error"), r.headers());
                c.terminated = true;
                continue;
            }
            chunk(c, o, e.timestampNanos());
        }
    }

    /** One response object or stream chunk: id, model, the first choice's text and finish, usage. */
    private static void chunk(Ctx c, JsonNode o, long nanos) {
        if (c.b.responseId == null) {
            c.b.responseId = Json.str(o, "id");
        }
        String model = Json.str(o, "model");
        if (model != null && !model.isEmpty()) {
            c.b.responseModel = model;
        }
        JsonNode choices = o.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode ch : choices) {
                Long index = Json.num(ch, "index");
                if (index != null && index != 0) {
                    continue; // n > 1: the first choice stands for the call
                }
                String text = Json.str(ch, "text");
                if (text != null && !text.isEmpty()) {
                    c.b.outputText = append(c.b.outputText, text);
                    c.content(nanos);
                }
                String finish = Json.str(ch, "finish_reason");
                if (finish != null) {
                    c.b.finishReason = finish;
                    c.terminated = true;
                }
            }
        }
        OpenAiChatDecoder.readUsage(c, o.get("usage"));
    }
}
