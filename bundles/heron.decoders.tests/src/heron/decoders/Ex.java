package heron.decoders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import heron.core.model.Body;
import heron.core.model.Endpoint;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;

/** Builds HttpExchanges by hand for decoder tests. Times: request 1_000 ns, events from 10_000 ns. */
final class Ex {
    static final long REQUEST_END = 2_000;
    static final long HEADERS = 5_000;
    static final long FIRST_EVENT = 10_000;
    static final long EVENT_STEP = 1_000;

    private String method = "POST";
    private final String target;
    private final List<Header> reqHeaders = new ArrayList<>(List.of(new Header("Host", "llm.test")));
    private byte[] reqBody = new byte[0];
    private boolean reqTruncated;
    private long reqDecoded = -1;
    private int status = 200;
    private final List<Header> respHeaders = new ArrayList<>();
    private byte[] respBody = new byte[0];
    private boolean respTruncated;
    private long respDecoded = -1;
    private final List<SseEvent> events = new ArrayList<>();
    private boolean complete = true;
    private boolean noResponse;

    private Ex(String target) {
        this.target = target;
    }

    static Ex post(String target) {
        return new Ex(target);
    }

    static Ex get(String target) {
        Ex e = new Ex(target);
        e.method = "GET";
        return e;
    }

    Ex method(String m) {
        method = m;
        return this;
    }

    Ex reqHeader(String n, String v) {
        reqHeaders.add(new Header(n, v));
        return this;
    }

    Ex body(String json) {
        reqBody = json.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** The request body was cut by the body cap at {@code keep} bytes. */
    Ex bodyCapped(String json, int keep) {
        byte[] all = json.getBytes(StandardCharsets.UTF_8);
        reqBody = java.util.Arrays.copyOf(all, keep);
        reqTruncated = true;
        reqDecoded = all.length;
        return this;
    }

    Ex status(int s) {
        status = s;
        return this;
    }

    Ex respHeader(String n, String v) {
        respHeaders.add(new Header(n, v));
        return this;
    }

    Ex json(String json) {
        respHeaders.add(new Header("Content-Type", "application/json"));
        respBody = json.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    Ex respBytes(String contentType, byte[] bytes) {
        respHeaders.add(new Header("Content-Type", contentType));
        respBody = bytes;
        return this;
    }

    /** Response body cut by the cap at {@code keep} bytes. */
    Ex jsonCapped(String json, int keep) {
        byte[] all = json.getBytes(StandardCharsets.UTF_8);
        respHeaders.add(new Header("Content-Type", "application/json"));
        respBody = java.util.Arrays.copyOf(all, keep);
        respTruncated = true;
        respDecoded = all.length;
        return this;
    }

    /** SSE data-only events (OpenAI / Gemini style). */
    Ex sse(String... data) {
        respHeaders.add(new Header("Content-Type", "text/event-stream"));
        for (String d : data) {
            events.add(new SseEvent(null, d, null, FIRST_EVENT + events.size() * EVENT_STEP, 0));
        }
        return this;
    }

    /** SSE events with names: pairs of (event, data). */
    Ex sseNamed(String... pairs) {
        respHeaders.add(new Header("Content-Type", "text/event-stream"));
        for (int i = 0; i < pairs.length; i += 2) {
            events.add(new SseEvent(pairs[i], pairs[i + 1], null, FIRST_EVENT + events.size() * EVENT_STEP, 0));
        }
        return this;
    }

    /** The connection ended before the response did (client abort, capture end). */
    Ex incomplete() {
        complete = false;
        return this;
    }

    Ex noResponse() {
        noResponse = true;
        return this;
    }

    HttpExchange build() {
        Body rb = new Body(reqBody, reqBody.length, reqDecoded < 0 ? reqBody.length : reqDecoded, reqTruncated, null,
                null);
        HttpRequest req = new HttpRequest(method, target, "HTTP/1.1", new Headers(reqHeaders), rb, 1_000, REQUEST_END,
                1, 1);
        HttpResponse resp = null;
        if (!noResponse) {
            long last = events.isEmpty() ? 20_000 : events.get(events.size() - 1).timestampNanos() + 500;
            Body sb = new Body(respBody, respBody.length, respDecoded < 0 ? respBody.length : respDecoded,
                    respTruncated || !complete, null, null);
            resp = new HttpResponse(status, "OK", "HTTP/1.1", new Headers(respHeaders), sb, events, 4_000, HEADERS, last,
                    2, 3, complete);
        }
        return new HttpExchange(HttpExchange.idOf(1, 0), 1, 0, new Endpoint("10.0.0.1", 40000),
                new Endpoint("10.0.0.2", 443), req, resp, null);
    }

    /** JSON with single quotes for readability in tests: 'x' becomes "x". */
    static String j(String s) {
        return s.replace('\'', '"');
    }
}
