package heron.decoders.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import heron.core.decode.WireApiDecoder;
import heron.core.model.Body;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.core.model.ToolResult;
import heron.decoders.ServerKinds;

/**
 * The steps every built-in decoder shares: parse the request body leniently, read status and
 * timing, parse error bodies, detect cut streams, classify the server and derive the tool
 * results being sent. Subclasses fill in the API-specific request and response parts. No
 * exception leaves {@link #decode}: a failure inside becomes part of {@code decodeError}.
 */
public abstract class DecoderBase implements WireApiDecoder {

    /** Per-call state while decoding. */
    public static final class Ctx {
        public final HttpExchange ex;
        /** The request body a fast path reads (its parser's input), for {@link JsonStream#cached}. */
        public byte[] requestBytes;
        public final LlmCall.Builder b = LlmCall.builder();
        public final ServerKinds.Hints hints = new ServerKinds.Hints();
        public final List<String> problems = new ArrayList<>();
        /** The stream reached its terminator (or an error event ended it). */
        public boolean terminated;
        /** The response was decoded as a stream. */
        public boolean streamed;

        Ctx(HttpExchange ex) {
            this.ex = ex;
        }

        /**
         * A stream event as a typed JSON object: its "type" field, else the SSE event name. Null
         * when the event is no JSON object or has no type; a parse error is noted as a problem,
         * except for OpenAI's "[DONE]" terminator, which is not JSON by design.
         */
        public TypedEvent typed(SseEvent e) {
            Json.Parsed p = Json.parse(e.data());
            if (p.error() != null && !e.data().strip().equals("[DONE]")) {
                problems.add("stream event: " + p.error());
            }
            JsonNode o = p.node();
            if (o == null || !o.isObject()) {
                return null;
            }
            String type = Json.str(o, "type");
            if (type == null) {
                type = e.event();
            }
            return type == null ? null : new TypedEvent(o, type);
        }

        /** Records the time of the first content-bearing event (text, reasoning or tool delta). */
        public void content(long nanos) {
            if (b.firstContentNanos == 0 && nanos > 0) {
                b.firstContentNanos = nanos;
            }
        }
    }

    /** A stream event's JSON object and its type. */
    public record TypedEvent(JsonNode json, String type) {
    }

    /** The wire API id, as contributed in plugin.xml. */
    protected abstract String wireApi();

    /** Fills request fields from the (possibly partial, possibly null) request JSON. */
    protected abstract void decodeRequest(Ctx c, JsonNode request);

    /**
     * Fast path of {@link #decodeRequest}: the same fields from the request's token stream, the
     * parser on the root object's START_OBJECT. Returns false when this decoder has no fast path;
     * throws {@link JsonStream.Fallback} or an IOException when it cannot decode this body exactly
     * as the tree walk would (the request fields are then reset and the tree walk runs). The two
     * paths should differ only in how they read an entry's fields: the built-in decoders read each
     * message (content, input item) into one intermediate form from either path and build the
     * conversation from it with one builder, so its rules exist once.
     */
    protected boolean decodeRequestFast(Ctx c, JsonParser p) throws IOException {
        return false;
    }

    /**
     * Where {@link #decodeRequestFast} reads values through {@link JsonStream#cached} (see
     * {@link JsonStream.Sites}), so that values already in the cache need not be tokenised at all;
     * null when it has no such reads.
     */
    protected JsonStream.Sites cacheSites() {
        return null;
    }

    private boolean fastRequest(Ctx c, byte[] bytes) {
        JsonStream.Sites sites = cacheSites();
        byte[] doc = sites == null ? bytes : JsonStream.reduce(bytes, sites);
        c.requestBytes = doc;
        try (JsonParser p = JsonStream.parser(doc, JsonStream.reducedLength(doc))) {
            if (p.nextToken() == JsonToken.START_OBJECT && decodeRequestFast(c, p)) {
                JsonStream.FAST.increment();
                return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            JsonStream.FELL_BACK.increment();
            c.b.requestModel = null;
            c.b.stream = false;
            c.b.systemPrompt = null;
            c.b.toolsOffered.clear();
            c.b.messages.clear();
            return false;
        } finally {
            if (doc != bytes) {
                JsonStream.endReduce();
            }
        }
    }

    /** Fills response fields from a streamed response. */
    protected abstract void decodeStream(Ctx c, HttpResponse r);

    /** Fills response fields from a non-streamed JSON response (possibly partial, possibly null). */
    protected abstract void decodeBody(Ctx c, JsonNode body);

    /** The normalised finish for a raw finish reason of this API (null when unknown). */
    protected abstract FinishKind finishKind(String raw);

    /** Whether a successful response is a stream that this decoder reads from events. */
    protected boolean isStream(HttpResponse r) {
        return StreamEvents.isEventStream(r);
    }

    @Override
    public final LlmCall decode(HttpExchange ex) {
        Ctx c = new Ctx(ex);
        c.b.wireApi = wireApi();
        c.b.host = ex.request().host();
        try {
            decodeAll(c);
        } catch (RuntimeException e) {
            c.problems.add("decoder failure: " + e);
        }
        for (String p : c.problems) {
            c.b.decodeProblem(p);
        }
        return c.b.build();
    }

    private void decodeAll(Ctx c) {
        HttpExchange ex = c.ex;
        Body req = ex.request().body();
        if (req.truncated()) {
            c.problems.add(capNote("request", req));
        }
        // Fast path: the request straight from the token stream; anything it cannot decode
        // exactly (cut, invalid, duplicate keys, rare shapes) goes through the tree walk.
        if (JsonStream.enabled && !req.isEmpty() && !req.truncated() && fastRequest(c, req.bytes())) {
            deriveToolResults(c);
        } else {
            JsonNode reqJson = null;
            if (!req.isEmpty()) {
                Json.Parsed p = Json.parse(req.bytes());
                reqJson = p.node();
                if (p.error() != null && !req.truncated()) {
                    c.problems.add("request body: " + p.error());
                }
            }
            decodeRequest(c, reqJson);
            deriveToolResults(c);
        }
        if (!ex.hasResponse()) {
            c.problems.add("no response");
            return;
        }
        HttpResponse r = ex.response();
        c.b.status = r.status();
        c.b.responseHeadersNanos = r.headersNanos();
        c.b.endNanos = r.lastByteNanos();
        Body body = r.body();
        if (body.truncated()) {
            c.problems.add(capNote("response", body));
        }
        if (body.decodeError() != null) {
            c.problems.add("response body: " + body.decodeError());
        }
        if (r.status() >= 400) {
            decodeErrorResponse(c, r);
        } else if (isStream(r)) {
            c.streamed = true;
            c.b.stream = true;
            decodeStream(c, r);
            if (!c.terminated) {
                // Client abort, connection loss or end of capture before the API's terminator.
                c.problems.add("truncated stream");
                c.b.finish = FinishKind.CANCELLED;
            }
        } else if (!body.isEmpty()) {
            Json.Parsed p = Json.parse(body.bytes());
            if (p.error() != null && !body.truncated()) {
                c.problems.add("response body: " + p.error());
            }
            decodeBody(c, p.node());
        } else if (r.status() >= 200 && r.status() < 300) {
            c.problems.add("empty response body");
        }
        if (c.b.finish == null && c.b.finishReason != null) {
            c.b.finish = finishKind(c.b.finishReason);
        }
        if (c.b.error != null && c.b.finish == null) {
            c.b.finish = FinishKind.ERROR;
        }
        if (c.b.responseId != null && c.hints.responseId == null) {
            c.hints.responseId = c.b.responseId;
        }
        c.hints.model = c.b.responseModel != null ? c.b.responseModel : c.b.requestModel;
        c.b.serverKind = ServerKinds.classify(ex, c.hints);
    }

    /** 4xx/5xx: the error body (JSON, an SSE error event, or text) into CallError; finish = error. */
    protected void decodeErrorResponse(Ctx c, HttpResponse r) {
        JsonNode node = null;
        byte[] raw = r.body().bytes();
        if (!r.events().isEmpty()) {
            for (var e : r.events()) {
                Json.Parsed p = Json.parse(e.data());
                if (p.node() != null && p.node().has("error")) {
                    node = p.node();
                    break;
                }
            }
        } else if (raw.length > 0) {
            node = Json.parse(raw).node();
        }
        c.b.error = Errors.fromBody(r.status(), r.headers(), node, raw);
        c.b.finish = FinishKind.ERROR;
    }

    private static String capNote(String which, Body body) {
        if (body.decodedLength() > body.length()) {
            return which + " body capped (" + body.length() + " of " + body.decodedLength() + " bytes kept)";
        }
        return which + " body incomplete";
    }

    /**
     * Tool results sent by this request: the tool messages after the last assistant message,
     * i.e. the answers to the previous call's tool calls. Older results stay in {@code messages}.
     */
    private static void deriveToolResults(Ctx c) {
        if (!c.b.toolResults.isEmpty()) {
            return;
        }
        List<Message> msgs = c.b.messages;
        int i = msgs.size();
        while (i > 0 && !"assistant".equals(msgs.get(i - 1).role())) {
            i--;
        }
        for (int k = i; k < msgs.size(); k++) {
            Message m = msgs.get(k);
            if ("tool".equals(m.role())) {
                c.b.toolResults.add(new ToolResult(m.toolCallId(), m.text(), m.isError()));
            }
        }
    }

    // ---- helpers for subclasses ----

    /**
     * An AWS event-stream frame of message type "exception" or "error" (Bedrock's throttling,
     * model-stream and validation exceptions) becomes the call's error and ends the stream; false
     * for an ordinary event frame.
     */
    protected static boolean awsException(Ctx c, AwsEventStream.Frame f, String payload) {
        String messageType = f.header(":message-type");
        if (!"exception".equals(messageType) && !"error".equals(messageType)) {
            return false;
        }
        String type = f.header(":exception-type");
        if (type == null) {
            type = f.header(":error-code");
        }
        JsonNode body = Json.parse(payload).node();
        String msg = body == null ? payload : Json.str(body, "message");
        c.b.error = new heron.core.model.CallError(type == null ? "stream_error" : type, msg, null);
        c.b.finish = FinishKind.ERROR;
        c.terminated = true;
        return true;
    }

    /** Appends a system/developer text to the system prompt (blank line between parts). */
    protected static void appendSystem(Ctx c, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        c.b.systemPrompt = c.b.systemPrompt == null ? text : c.b.systemPrompt + "\n\n" + text;
    }

    protected static String lastPathSegment(String path) {
        int s = path.lastIndexOf('/');
        return s < 0 ? path : path.substring(s + 1);
    }

    /** Percent-decodes a path segment (model ids such as "anthropic.claude-...-v1%3A0"). */
    protected static String urlDecode(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    protected static boolean isPost(HttpExchange ex) {
        return "POST".equalsIgnoreCase(ex.request().method());
    }

    protected static String append(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a == null ? b : a + b;
    }
}
