package heron.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoder;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Body;
import heron.core.model.Endpoint;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;

class WireApiDecoderRegistryTest {

    static HttpExchange post(String target, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest req = new HttpRequest("POST", target, "HTTP/1.1",
                new Headers(List.of(new Header("Host", "localhost"))),
                new Body(b, b.length, b.length, false, null, null), 1_000, 2_000, 1, 1);
        HttpResponse resp = new HttpResponse(200, "OK", "HTTP/1.1", Headers.EMPTY, Body.EMPTY, List.of(), 3_000, 3_000,
                5_000, 2, 2, true);
        return new HttpExchange(HttpExchange.idOf(1, 0), 1, 0, new Endpoint("127.0.0.1", 5000),
                new Endpoint("127.0.0.1", 80), req, resp, null);
    }

    @Test
    void platformRegistryReadsFragmentContributionsInPriorityOrder() {
        WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();
        List<String> ids = reg.contributions().stream().map(Contribution::id)
                .filter(id -> id.startsWith("test-")).toList();
        assertEquals(List.of("test-missing", "test-wrong-type", "test-echo"), ids);
        // A fragment's contributions are attributed to its host bundle by the extension registry.
        assertEquals("heron.core", reg.byId("test-echo").orElseThrow().contributor());
    }

    @Test
    void brokenContributionsAreReportedAndSkippedNotFatal() {
        WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();
        List<String> working = reg.working().stream().map(Contribution::id).toList();
        assertTrue(working.contains("test-echo"), working::toString);
        assertTrue(!working.contains("test-missing") && !working.contains("test-wrong-type"), working::toString);
        String problems = String.join("\n", reg.problems().messages());
        assertTrue(problems.contains("'test-missing' from bundle 'heron.core'"), problems);
        assertTrue(problems.contains("does not implement heron.core.decode.WireApiDecoder"), problems);
    }

    @Test
    void contributionObjectIsCreatedLazilyAndOnce() {
        int[] created = { 0 };
        Contribution<WireApiDecoder> c = new Contribution<>("x", "X", 0, "b", Map.of(), () -> {
            created[0]++;
            return new EchoTestDecoder();
        }, new RegistryProblems());
        assertEquals(0, created[0]);
        assertNotNull(c.get());
        assertNotNull(c.get());
        assertEquals(1, created[0]);
    }

    @Test
    void routeAcceptThenShapeFallbackDecideTheWireApi() {
        WireApiDecoderRegistry reg = WireApiDecoderRegistry.fromPlatform();
        PipelineHealth h = new PipelineHealth();
        DecodeResult byRoute = reg.decode(post("/echo", "{}"), h);
        assertEquals("test-echo", byRoute.call().wireApi());
        DecodeResult byShape = reg.decode(post("/other", "{\"echo\":1,\"model\":\"m1\"}"), h);
        assertEquals("m1", byShape.call().requestModel());
        assertEquals(200, byShape.call().status());
        assertNull(reg.decode(post("/other", "{\"x\":1}"), h).call());
        assertEquals(2, h.get(PipelineHealth.CALLS));
    }

    @Test
    void nonCallExchangesAreLabelledNotDecoded() {
        PipelineHealth h = new PipelineHealth();
        DecodeResult r = WireApiDecoderRegistry.fromPlatform().decode(post("/echo/count", "{\"echo\":1}"), h);
        assertNull(r.call());
        assertEquals("count", r.exchange().label());
        assertEquals(1, h.get(PipelineHealth.EXCHANGES_LABELLED));
    }

    @Test
    void exceptionInDecoderBecomesCountedErrorNotCrash() {
        PipelineHealth h = new PipelineHealth();
        DecodeResult r = WireApiDecoderRegistry.fromPlatform().decode(post("/boom", "{\"echo\":1}"), h);
        assertNull(r.call());
        assertEquals(1, h.get(PipelineHealth.CONTRIBUTION_ERRORS));
        assertEquals(0, h.get(PipelineHealth.CALLS));
    }
}
