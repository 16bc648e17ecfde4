package heron.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpRequestTest {
    private static HttpRequest post(String target) {
        return new HttpRequest("POST", target, "1.1", Headers.EMPTY, Body.EMPTY, 0, 0, 1, 1);
    }

    @Test
    void absoluteFormTargetThroughAPlainProxyGivesItsPath() {
        assertEquals("/v1/chat/completions", post("http://api.openai.com/v1/chat/completions").path());
        assertEquals("/model/anthropic.claude-v2/invoke", post("HTTP://10.0.0.2:8080/model/anthropic.claude-v2/invoke").path());
        assertEquals("/v1/messages", post("http://h:80/v1/messages?beta=true").path());
        assertEquals("/", post("http://h:80").path());
        assertEquals("/", post("http://h?x=1").path());
        assertEquals("true", post("http://h/v1/messages?beta=true").queryParam("beta"));
    }

    @Test
    void originAuthorityAndAsteriskFormsAreUnchanged() {
        assertEquals("/v1/messages", post("/v1/messages?beta=true").path());
        assertEquals("api.openai.com:443", post("api.openai.com:443").path());
        assertEquals("*", post("*").path());
    }
}
