package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.secrets.SecretMasker;

class SecretMaskingTest {
    private static final String ANT_KEY = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab";
    private static final String OAI_KEY = "sk-proj-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE";
    private static final String GOOGLE_KEY = "AIzaSyA1234567890abcdefghijklmnopqrstuv";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    @TempDir
    Path dir;

    @Test
    void maskerKeepsARecognisablePrefixAndRemovesTheSecret() {
        assertEquals("sk-ant-api03-…[masked]", SecretMasker.maskToken(ANT_KEY));
        assertEquals("x " + "sk-proj-…[masked]" + " y", SecretMasker.maskText("x " + OAI_KEY + " y"));
        assertEquals("{\"k\":\"AIza…[masked]\"}", SecretMasker.maskText("{\"k\":\"" + GOOGLE_KEY + "\"}"));
        assertEquals("token eyJ…[masked].", SecretMasker.maskText("token " + JWT + "."));
        assertEquals("Authorization: Bearer sk-ant-api03-…[masked]",
                SecretMasker.maskText("Authorization: Bearer " + ANT_KEY));
        assertEquals("Bearer …[masked]", SecretMasker.maskHeaderValue("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz"));
        assertEquals("session=…[masked]; theme=…[masked]", SecretMasker.maskHeaderValue("Cookie", "session=abc123; theme=dark"));
        assertEquals("id=…[masked]; Path=/; HttpOnly", SecretMasker.maskHeaderValue("Set-Cookie", "id=abc; Path=/; HttpOnly"));
        assertEquals("/v1beta/models/x:generate?alt=sse&key=AIza…[masked]",
                SecretMasker.maskTarget("/v1beta/models/x:generate?alt=sse&key=" + GOOGLE_KEY));
        assertEquals("/p?access_token=…[masked]&a=1", SecretMasker.maskTarget("/p?access_token=abc&a=1"));
        String pem = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA1234567890abcdefABCDEF\\n-----END RSA PRIVATE KEY-----";
        assertEquals("-----BEGIN RSA PRIVATE KEY-----…[masked]-----END RSA PRIVATE KEY-----", SecretMasker.maskText(pem));
    }

    @Test
    void maskerLeavesOrdinaryTextAloneAndIsIdempotent() {
        String text = "use sk-learn and the task-abcdefghijklmnopqrstuvwxyz0123 ids; bearer of news";
        assertSame(text, SecretMasker.maskText(text));
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertSame(b, SecretMasker.maskBytes(b));
        String once = SecretMasker.maskText("k=" + ANT_KEY + " " + JWT);
        assertEquals(once, SecretMasker.maskText(once));
        Headers h = new Headers(List.of(new Header("Content-Type", "application/json")));
        assertSame(h, SecretMasker.maskHeaders(h));
    }

    private static HttpExchange secretExchange() {
        Headers h = new Headers(List.of(new Header("Host", "api.anthropic.com"), new Header("x-api-key", ANT_KEY),
                new Header("Authorization", "Bearer " + OAI_KEY), new Header("Cookie", "sid=secret-cookie-value")));
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"my key is " + OAI_KEY + "\"}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpExchange base = Fixtures.exchange(64, 1, false);
        return new HttpExchange(64, 1, 0, base.client(), base.server(),
                new HttpRequest("POST", "/v1/messages?key=" + GOOGLE_KEY, "HTTP/1.1", h,
                        new Body(body, body.length, body.length, false, null, null), T0, T0, 1, 1),
                base.response(), null);
    }

    private static LlmCall secretCall() {
        LlmCall c = Fixtures.call(64, "m", 200, T0, 5);
        return new LlmCall(c.id(), c.exchangeId(), c.wireApi(), c.host(), c.serverKind(), c.requestModel(),
                c.responseModel(), c.stream(), c.status(), c.finishReason(), c.finish(), c.usage(), c.requestNanos(),
                c.responseHeadersNanos(), c.firstContentNanos(), c.endNanos(), c.toolsOffered(), c.toolCalls(),
                c.toolResults(), "system with " + JWT, List.of(Message.text("user", "my key is " + OAI_KEY)),
                c.outputText(), c.reasoningText(), c.error(), c.responseId(), c.decodeError(), c.agent());
    }

    private long write(HeronStore store) {
        try (StoreWriter w = store.writer()) {
            long id = w.beginCapture(Fixtures.capture("/s.pcap", "s"));
            w.exchange(secretExchange());
            w.call(secretCall());
            w.finish(Capture.ImportStatus.COMPLETE);
            return id;
        }
    }

    @Test
    void secretsAreMaskedBeforeTheyReachTheDiskByDefault() throws Exception {
        assertTrue(StoreOptions.defaults().maskSecrets());
        // Uncompressed pages, so that a leaked key would be visible in the raw file.
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE.withCompress(false))) {
            long id = write(store);
            HttpExchange e = store.exchanges().get(id, 64).orElseThrow();
            assertEquals("sk-ant-api03-…[masked]", e.request().headers().get("x-api-key"));
            assertEquals("Bearer sk-proj-…[masked]", e.request().headers().get("Authorization"));
            assertEquals("sid=…[masked]", e.request().headers().get("Cookie"));
            assertEquals("/v1/messages?key=AIza…[masked]", e.request().target());
            assertTrue(e.request().body().text().contains("my key is sk-proj-…[masked]"));
            LlmCall c = store.calls().get(id, 64).orElseThrow();
            assertEquals("system with eyJ…[masked]", c.systemPrompt());
            assertEquals("my key is sk-proj-…[masked]", c.messages().get(0).text());
            assertTrue(store.captures().secretsMasked(id));
        }
        // Nothing of the keys is anywhere in the files.
        for (Path f : Files.walk(dir).filter(Files::isRegularFile).toList()) {
            String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(raw.contains("AbCdEfGhIjKlMnOp"), f.toString());
            assertFalse(raw.contains("Zx9yW8vU7tS6rQ5p"), f.toString());
        }
    }

    @Test
    void secretsAreKeptWhenTheStoreIsAskedToKeepThem() {
        try (HeronStore store = HeronStore.open(dir, Fixtures.ARCHIVE.withMaskSecrets(false))) {
            long id = write(store);
            HttpExchange e = store.exchanges().get(id, 64).orElseThrow();
            assertEquals(ANT_KEY, e.request().headers().get("x-api-key"));
            assertEquals("/v1/messages?key=" + GOOGLE_KEY, e.request().target());
            Fixtures.assertBodyEquals(secretExchange().request().body(), e.request().body());
            assertEquals(secretCall(), store.calls().get(id, 64).orElseThrow());
            assertFalse(store.captures().secretsMasked(id));
        }
    }
}
