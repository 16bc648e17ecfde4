package heron.export.har;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.export.ExportOptions;
import heron.core.model.Header;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.export.SimpleExportInput;
import heron.export.support.Fixtures;
import heron.export.support.Io;
import heron.export.support.Secrets;

class HarExporterTest {
    private final HarExporter exporter = new HarExporter();

    private static final String REQ_JSON = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}";
    private static final byte[] BINARY = { 0x00, (byte) 0xff, (byte) 0xfe, 0x10, (byte) 0x80, 0x7f, 0x0a, (byte) 0xc3 };

    private static HttpExchange jsonExchange(long id) {
        return Fixtures.exchange(id, "POST", "/v1beta/models/gemini:generateContent?alt=sse&key=" + Secrets.GOOGLE,
                List.of(new Header("Host", "127.0.0.1:8080"), new Header("Authorization", Secrets.BEARER),
                        new Header("x-api-key", Secrets.ANTHROPIC), new Header("Content-Type", "application/json"),
                        new Header("Cookie", "sid=abc123; theme=dark")),
                Fixtures.utf8(REQ_JSON), 200,
                List.of(new Header("Content-Type", "application/json"), new Header("Set-Cookie", "sid=xyz; Path=/")),
                Fixtures.utf8("{\"ok\":true}"));
    }

    private static HttpExchange binaryExchange(long id) {
        return Fixtures.exchange(id, "GET", "/blob", List.of(new Header("Host", "h.local")), null, 200,
                List.of(new Header("Content-Type", "application/octet-stream")), BINARY);
    }

    private static void assertRequired(JsonNode node, String path, String... fields) {
        for (String f : fields) {
            assertTrue(node.has(f), path + " lacks required '" + f + "'");
        }
    }

    @Test
    void harHasEveryRequiredField() {
        HttpExchange noResponse = Fixtures.exchange(900, "POST", "/v1/messages", List.of(new Header("Host", "a")),
                Fixtures.utf8("{}"), 0, List.of(), null);
        SimpleExportInput in = SimpleExportInput.builder()
                .selectExchanges(List.of(jsonExchange(64), binaryExchange(128), noResponse)).build();
        Io.Output out = Io.run(exporter, in, ExportOptions.DEFAULT);
        assertEquals(3, out.result().written());
        JsonNode log = out.json().get("log");
        assertEquals("1.2", log.get("version").asText());
        assertRequired(log.get("creator"), "creator", "name", "version");
        assertTrue(log.get("creator").get("name").asText().contains("Heron"));
        JsonNode entries = log.get("entries");
        assertEquals(3, entries.size());
        for (JsonNode e : entries) {
            assertRequired(e, "entry", "startedDateTime", "time", "request", "response", "cache", "timings");
            assertTrue(e.get("startedDateTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
                    e.get("startedDateTime").asText());
            assertRequired(e.get("request"), "request", "method", "url", "httpVersion", "cookies", "headers",
                    "queryString", "headersSize", "bodySize");
            assertRequired(e.get("response"), "response", "status", "statusText", "httpVersion", "cookies", "headers",
                    "content", "redirectURL", "headersSize", "bodySize");
            assertRequired(e.get("response").get("content"), "content", "size", "mimeType");
            assertRequired(e.get("timings"), "timings", "send", "wait", "receive");
            for (String t : List.of("send", "wait", "receive")) {
                assertTrue(e.get("timings").get(t).asDouble() >= 0, t);
            }
            double sum = e.get("timings").get("send").asDouble() + e.get("timings").get("wait").asDouble()
                    + e.get("timings").get("receive").asDouble();
            assertEquals(sum, e.get("time").asDouble(), 1e-9);
        }
        JsonNode first = entries.get(0);
        assertEquals("POST", first.get("request").get("method").asText());
        assertTrue(first.get("request").get("url").asText().startsWith("http://127.0.0.1:8080/v1beta/models/"));
        assertEquals("HTTP/1.1", first.get("request").get("httpVersion").asText());
        assertEquals(REQ_JSON, first.get("request").get("postData").get("text").asText());
        assertEquals("application/json", first.get("request").get("postData").get("mimeType").asText());
        assertEquals(2, first.get("request").get("queryString").size());
        assertEquals("alt", first.get("request").get("queryString").get(0).get("name").asText());
        assertEquals(2.0, first.get("timings").get("send").asDouble(), 1e-9);
        assertEquals(48.0, first.get("timings").get("wait").asDouble(), 1e-9);
        assertEquals(30.0, first.get("timings").get("receive").asDouble(), 1e-9);
        assertEquals("{\"ok\":true}", first.get("response").get("content").get("text").asText());
        assertFalse(first.get("response").get("content").has("encoding"));
        assertEquals(0, entries.get(2).get("response").get("status").asInt(), "no response: status 0");
    }

    @Test
    void binaryBodiesRoundTripThroughBase64AndTextBodiesStayText() {
        Io.Output out = Io.run(exporter,
                SimpleExportInput.builder().selectExchanges(List.of(binaryExchange(128))).build(),
                new ExportOptions("call", false, false));
        JsonNode content = out.json().get("log").get("entries").get(0).get("response").get("content");
        assertEquals("base64", content.get("encoding").asText());
        assertArrayEquals(BINARY, Base64.getDecoder().decode(content.get("text").asText()));
        assertEquals(BINARY.length, content.get("size").asInt());
    }

    @Test
    void secretHeadersQueryKeysAndBodyKeysAreMaskedByDefault() {
        HttpExchange x = jsonExchange(64);
        Io.Output out = Io.run(exporter, SimpleExportInput.builder().selectExchanges(List.of(x)).build(),
                ExportOptions.DEFAULT);
        assertEquals(List.of(), Secrets.findShapes(out.text()));
        for (String s : Secrets.ALL) {
            assertFalse(out.text().contains(s), s);
        }
        assertFalse(out.text().contains("abc123"), "cookie values are credentials");
        JsonNode req = out.json().get("log").get("entries").get(0).get("request");
        assertEquals("sid", req.get("cookies").get(0).get("name").asText(), "cookie names are kept");
        assertTrue(req.get("url").asText().contains("key=AIza…[masked]"), req.get("url").asText());
    }

    @Test
    void secretsAreKeptWhenMaskingIsOff() {
        Io.Output out = Io.run(exporter, SimpleExportInput.builder().selectExchanges(List.of(jsonExchange(64))).build(),
                new ExportOptions("call", false, false));
        for (String s : List.of(Secrets.GOOGLE, Secrets.BEARER, Secrets.ANTHROPIC, "abc123")) {
            assertTrue(out.text().contains(s), s);
        }
    }

    @Test
    void selectedCallsContributeTheirExchangesOnceAndMissingOnesAreSkipped() {
        List<LlmCall> calls = new ArrayList<>(Fixtures.turnCalls("anthropic", 64, "claude-cli", "s", null));
        HttpExchange x = jsonExchange(64);
        SimpleExportInput in = SimpleExportInput.builder().selectExchanges(List.of(x)).knownExchanges(List.of(x))
                .selectCalls(calls).build();
        Io.Output out = Io.run(exporter, in, ExportOptions.DEFAULT);
        assertEquals(1, out.result().written(), "call 64's exchange is the selected exchange: written once");
        assertEquals(Map.of(HarExporter.SKIP_EXCHANGE_MISSING, 2L), out.result().skippedByReason());
        assertEquals(1, out.json().get("log").get("entries").size());
        assertEquals("64", out.json().get("log").get("entries").get(0).get("_heron").get("exchangeId").asText());
    }
}
