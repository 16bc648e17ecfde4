package heron.export.har;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import com.fasterxml.jackson.core.JsonGenerator;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.model.Body;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.secrets.SecretMasker;
import heron.export.internal.Json;
import heron.export.internal.SkipCounter;
import heron.export.internal.Texts;

/**
 * HTTP Archive 1.2 of the selected exchanges (and of the exchanges of the selected calls), for
 * browser developer tools and HAR viewers. Bodies are the decoded bytes Heron kept (after
 * de-chunking and decompression, up to the body cap): text when they are valid UTF-8, else
 * base64 with {@code "encoding":"base64"}. Secret headers, secret query parameters and key
 * shapes in bodies are masked unless {@link ExportOptions#maskSecrets()} is false.
 */
public final class HarExporter implements Exporter {
    public static final String ID = "har";
    public static final String SKIP_EXCHANGE_MISSING = "exchange-missing";

    @Override
    public ExportResult export(ExportInput input, ExportOptions options, OutputStream out, IProgressMonitor monitor)
            throws IOException {
        boolean mask = options == null || options.maskSecrets();
        SkipCounter counter = new SkipCounter();
        // Selected exchanges first, then those of selected calls; each once, in order.
        Set<Long> ids = new LinkedHashSet<>();
        for (HttpExchange x : input.exchanges()) {
            ids.add(x.id());
        }
        List<Long> missing = new ArrayList<>();
        for (LlmCall c : input.calls()) {
            if (input.exchange(c.exchangeId()) == null) {
                missing.add(c.id());
            } else {
                ids.add(c.exchangeId());
            }
        }
        missing.forEach(m -> counter.skip(SKIP_EXCHANGE_MISSING));
        SubMonitor sub = SubMonitor.convert(monitor, "Exporting HAR", ids.size());
        JsonGenerator g = Json.generator(out);
        g.writeStartObject();
        g.writeObjectFieldStart("log");
        g.writeStringField("version", "1.2");
        g.writeObjectFieldStart("creator");
        g.writeStringField("name", "Heron Workbench");
        g.writeStringField("version", "0.1.0");
        g.writeEndObject();
        g.writeArrayFieldStart("entries");
        for (long id : ids) {
            sub.split(1);
            HttpExchange x = input.exchange(id);
            if (x == null) {
                counter.skip(SKIP_EXCHANGE_MISSING);
                continue;
            }
            entry(g, x, mask);
            counter.written();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
        return counter.result();
    }

    private static void entry(JsonGenerator g, HttpExchange x, boolean mask) throws IOException {
        HttpRequest rq = x.request();
        HttpResponse rs = x.response();
        g.writeStartObject();
        String started = Texts.iso(rq.firstByteNanos());
        g.writeStringField("startedDateTime", started != null ? started : "1970-01-01T00:00:00Z");
        double send = nonNeg(Texts.millisBetween(rq.firstByteNanos(), rq.lastByteNanos()));
        double wait = rs == null ? 0 : nonNeg(Texts.millisBetween(rq.lastByteNanos(), rs.firstByteNanos()));
        double receive = rs == null ? 0 : nonNeg(Texts.millisBetween(rs.firstByteNanos(), rs.lastByteNanos()));
        g.writeNumberField("time", send + wait + receive);
        request(g, x, mask);
        response(g, rs, mask);
        g.writeObjectFieldStart("cache");
        g.writeEndObject();
        g.writeObjectFieldStart("timings");
        g.writeNumberField("blocked", -1);
        g.writeNumberField("dns", -1);
        g.writeNumberField("connect", -1);
        g.writeNumberField("send", send);
        g.writeNumberField("wait", wait);
        g.writeNumberField("receive", receive);
        g.writeNumberField("ssl", -1);
        g.writeEndObject();
        if (x.server() != null) {
            g.writeStringField("serverIPAddress", x.server().ip());
        }
        g.writeStringField("connection", Long.toString(x.connectionId()));
        // Custom fields start with an underscore (HAR 1.2 rule): trace the entry to Heron's evidence.
        g.writeObjectFieldStart("_heron");
        g.writeStringField("exchangeId", Long.toString(x.id()));
        g.writeNumberField("sequence", x.sequence());
        Json.stringField(g, "client", x.client() == null ? null : x.client().toString());
        Json.stringField(g, "server", x.server() == null ? null : x.server().toString());
        Json.stringField(g, "label", x.label());
        g.writeNumberField("requestFirstFrame", rq.firstFrame());
        if (rs != null) {
            g.writeBooleanField("responseComplete", rs.complete());
        }
        g.writeBooleanField("masked", mask);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static double nonNeg(double ms) {
        return ms < 0 ? 0 : ms;
    }

    private static void request(JsonGenerator g, HttpExchange x, boolean mask) throws IOException {
        HttpRequest rq = x.request();
        String target = mask ? SecretMasker.maskTarget(rq.target()) : rq.target();
        String host = rq.host();
        if (host == null) {
            host = x.server() == null ? "unknown" : x.server().toString();
        }
        g.writeObjectFieldStart("request");
        g.writeStringField("method", rq.method());
        g.writeStringField("url", "http://" + host + (target.startsWith("/") ? target : "/" + target));
        g.writeStringField("httpVersion", httpVersion(rq.version()));
        Headers headers = mask ? SecretMasker.maskHeaders(rq.headers()) : rq.headers();
        cookies(g, headers.getAll("Cookie"), false);
        headers(g, headers);
        g.writeArrayFieldStart("queryString");
        int q = target.indexOf('?');
        if (q >= 0) {
            for (String kv : target.substring(q + 1).split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                g.writeStartObject();
                g.writeStringField("name", eq < 0 ? kv : kv.substring(0, eq));
                g.writeStringField("value", eq < 0 ? "" : kv.substring(eq + 1));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        Body b = rq.body();
        if (b != null && !b.isEmpty()) {
            g.writeObjectFieldStart("postData");
            String ct = rq.headers().get("Content-Type");
            g.writeStringField("mimeType", ct == null ? "" : ct);
            writeBody(g, b, mask);
            g.writeEndObject();
        }
        g.writeNumberField("headersSize", -1);
        g.writeNumberField("bodySize", b == null ? 0 : b.wireLength());
        g.writeEndObject();
    }

    private static void response(JsonGenerator g, HttpResponse rs, boolean mask) throws IOException {
        g.writeObjectFieldStart("response");
        if (rs == null) {
            // HAR convention for a request that got no response: status 0, empty content.
            g.writeNumberField("status", 0);
            g.writeStringField("statusText", "");
            g.writeStringField("httpVersion", "");
            g.writeArrayFieldStart("cookies");
            g.writeEndArray();
            g.writeArrayFieldStart("headers");
            g.writeEndArray();
            g.writeObjectFieldStart("content");
            g.writeNumberField("size", 0);
            g.writeStringField("mimeType", "");
            g.writeStringField("comment", "no response in the capture");
            g.writeEndObject();
            g.writeStringField("redirectURL", "");
            g.writeNumberField("headersSize", -1);
            g.writeNumberField("bodySize", -1);
            g.writeEndObject();
            return;
        }
        g.writeNumberField("status", rs.status());
        g.writeStringField("statusText", rs.reason() == null ? "" : rs.reason());
        g.writeStringField("httpVersion", httpVersion(rs.version()));
        Headers headers = mask ? SecretMasker.maskHeaders(rs.headers()) : rs.headers();
        cookies(g, headers.getAll("Set-Cookie"), true);
        headers(g, headers);
        Body b = rs.body() == null ? Body.EMPTY : rs.body();
        g.writeObjectFieldStart("content");
        g.writeNumberField("size", b.decodedLength() > 0 ? b.decodedLength() : b.length());
        if (b.encoding() != null && b.decodedLength() > b.wireLength()) {
            g.writeNumberField("compression", b.decodedLength() - b.wireLength());
        }
        String ct = rs.headers().get("Content-Type");
        g.writeStringField("mimeType", ct == null ? "" : ct);
        writeBody(g, b, mask);
        g.writeEndObject();
        String location = rs.headers().get("Location");
        g.writeStringField("redirectURL", location == null ? "" : location);
        g.writeNumberField("headersSize", -1);
        g.writeNumberField("bodySize", b.wireLength());
        g.writeEndObject();
    }

    /** Writes text (UTF-8) or base64 text with encoding, plus a comment when the body was capped. */
    private static void writeBody(JsonGenerator g, Body b, boolean mask) throws IOException {
        byte[] bytes = mask ? SecretMasker.maskBytes(b.bytes()) : b.bytes();
        String text = utf8OrNull(bytes);
        if (text != null) {
            g.writeStringField("text", text);
        } else {
            g.writeStringField("text", Base64.getEncoder().encodeToString(bytes));
            g.writeStringField("encoding", "base64");
        }
        if (b.truncated()) {
            g.writeStringField("comment",
                    "body cut: " + b.length() + " of " + b.decodedLength() + " decoded bytes kept by the capture");
        } else if (b.decodeError() != null) {
            g.writeStringField("comment", "body not decoded: " + b.decodeError());
        }
    }

    static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String httpVersion(String v) {
        if (v == null || v.isEmpty()) {
            return "HTTP/1.1";
        }
        return v.startsWith("HTTP/") ? v : "HTTP/" + v;
    }

    private static void headers(JsonGenerator g, Headers headers) throws IOException {
        g.writeArrayFieldStart("headers");
        for (Header h : headers.list()) {
            g.writeStartObject();
            g.writeStringField("name", h.name());
            g.writeStringField("value", h.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Cookies from (already masked) Cookie / Set-Cookie header values. */
    private static void cookies(JsonGenerator g, List<String> values, boolean setCookie) throws IOException {
        g.writeArrayFieldStart("cookies");
        for (String v : values) {
            String[] parts = v.split(";");
            int n = setCookie ? Math.min(1, parts.length) : parts.length;
            for (int i = 0; i < n; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("name", p.substring(0, eq));
                g.writeStringField("value", p.substring(eq + 1));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }
}
