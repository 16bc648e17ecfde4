package heron.decoders;

import java.util.Locale;

import heron.core.model.Header;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;

/**
 * The serving software behind a call, when the bytes reveal it ({@code LlmCall.serverKind}).
 * Only evidence in the exchange counts: response headers, id formats and body fingerprints that
 * the decoders collect into {@link Hints}. Host names are deliberately not used: they say who
 * the client meant to reach, not what answered (a gateway or mock can sit behind any name).
 * Rules are tried in order; gateways first, because they forward their upstream's headers.
 */
public final class ServerKinds {
    public static final String LITELLM = "LiteLLM";
    public static final String OLLAMA = "Ollama";
    public static final String LLAMA_CPP = "llama.cpp";
    public static final String SGLANG = "SGLang";
    public static final String VLLM = "vLLM";
    public static final String LM_STUDIO = "LM Studio";
    public static final String AZURE_OPENAI = "Azure OpenAI";
    public static final String AWS_BEDROCK = "AWS Bedrock";
    public static final String GOOGLE_VERTEX = "Google Vertex AI";
    public static final String OPENAI = "OpenAI";
    public static final String ANTHROPIC = "Anthropic";
    public static final String GOOGLE = "Google";

    private ServerKinds() {
    }

    /** Body fingerprints a decoder noticed while reading the response. */
    public static final class Hints {
        public String responseId;
        public String systemFingerprint;
        public String model;
        /** Ollama's native created_at timestamp field (also echoed by some of its /v1 answers). */
        public boolean ollamaCreatedAt;
        /** SGLang adds choices[].matched_stop. */
        public boolean sglangMatchedStop;
        /** vLLM: choices[].stop_reason key, "chatcmpl-tool-" tool ids, prompt_logprobs/kv_transfer_params keys. */
        public boolean vllmMarker;
        /** llama.cpp's server adds a "timings" object. */
        public boolean llamaCppTimings;
        /** LM Studio adds a "stats" object. */
        public boolean lmStudioStats;
    }

    public static String classify(HttpExchange ex, Hints h) {
        HttpResponse r = ex.response();
        String server = r == null ? null : lower(r.headers().get("Server"));
        boolean openaiHeaders = false;
        boolean anthropicHeaders = false;
        boolean googleHeaders = false;
        boolean azureHeaders = false;
        boolean bedrockHeaders = false;
        boolean vertexHeaders = false;
        if (r != null) {
            for (Header hd : r.headers().list()) {
                String n = hd.name().toLowerCase(Locale.ROOT);
                if (n.startsWith("x-litellm-")) {
                    return LITELLM;
                }
                if (n.startsWith("openai-")) {
                    openaiHeaders = true;
                } else if (n.startsWith("anthropic-") || (n.equals("request-id") && hd.value().startsWith("req_"))) {
                    anthropicHeaders = true;
                } else if (n.startsWith("x-vertex-ai-")) {
                    vertexHeaders = true;
                } else if (n.startsWith("x-goog-")) {
                    googleHeaders = true;
                } else if (n.equals("apim-request-id") || n.startsWith("x-ms-") || n.equals("azureml-model-session")) {
                    azureHeaders = true;
                } else if (n.startsWith("x-amzn-bedrock-")) {
                    bedrockHeaders = true;
                }
            }
        }
        if (server != null) {
            if (server.startsWith("litellm")) {
                return LITELLM;
            }
            if (server.contains("ollama")) {
                return OLLAMA;
            }
            if (server.contains("llama.cpp") || server.contains("llama-server")) {
                return LLAMA_CPP;
            }
        }
        String fp = h.systemFingerprint;
        if (h.ollamaCreatedAt || "fp_ollama".equals(fp)) {
            return OLLAMA;
        }
        if (h.llamaCppTimings || (fp != null && isLlamaCppFingerprint(fp))) {
            return LLAMA_CPP;
        }
        if (h.sglangMatchedStop) {
            return SGLANG;
        }
        if (h.vllmMarker) {
            return VLLM;
        }
        if (h.lmStudioStats) {
            return LM_STUDIO;
        }
        if (azureHeaders) {
            return AZURE_OPENAI;
        }
        String id = h.responseId;
        if (bedrockHeaders || (id != null && id.startsWith("msg_bdrk_"))
                || (r != null && r.headers().has("x-amzn-requestid") && ex.request().path().startsWith("/model/"))) {
            return AWS_BEDROCK;
        }
        if (vertexHeaders || (id != null && id.startsWith("msg_vrtx_"))
                || ex.request().path().contains("/publishers/google/")) {
            return GOOGLE_VERTEX;
        }
        if (openaiHeaders) {
            return OPENAI;
        }
        if (anthropicHeaders) {
            return ANTHROPIC;
        }
        if (googleHeaders || (server != null && (server.equals("esf") || server.contains("scaffolding on httpserver2")))) {
            return GOOGLE;
        }
        // Id formats, last because gateways and compatible servers imitate them loosely: only the
        // exact shapes of the vendors' own ids count.
        if (id != null) {
            if (idOf(id, "msg_01", 22, false)) {
                return ANTHROPIC;
            }
            if (idOf(id, "resp_", 48, true) || idOf(id, "chatcmpl-", 29, false)) {
                return OPENAI;
            }
        }
        if (server != null && (server.contains("uvicorn") || server.contains("hypercorn"))) {
            // Both vLLM and SGLang serve through uvicorn; the reference's model-name split is
            // the weakest rule, so it comes last.
            String m = h.model == null ? "" : h.model.toLowerCase(Locale.ROOT);
            return m.startsWith("glm") || m.startsWith("deepseek") ? SGLANG : VLLM;
        }
        return null;
    }

    // Hand-written matchers for the id rules (String.matches compiled a regex on every call).

    /** b&lt;digits&gt;-&lt;lowercase hex&gt;, llama.cpp's build fingerprint (regex b\\d+-[0-9a-f]+). */
    static boolean isLlamaCppFingerprint(String fp) {
        int n = fp.length();
        if (n < 4 || fp.charAt(0) != 'b') {
            return false;
        }
        int i = 1;
        while (i < n && fp.charAt(i) >= '0' && fp.charAt(i) <= '9') {
            i++;
        }
        if (i == 1 || i >= n || fp.charAt(i) != '-' || i == n - 1) {
            return false;
        }
        for (int k = i + 1; k < n; k++) {
            if (!isLowerHex(fp.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** prefix + exactly {@code count} ASCII letters/digits ({@code hex}: lowercase hex digits). */
    static boolean idOf(String id, String prefix, int count, boolean hex) {
        if (id.length() != prefix.length() + count || !id.startsWith(prefix)) {
            return false;
        }
        for (int k = prefix.length(); k < id.length(); k++) {
            char ch = id.charAt(k);
            boolean ok = hex ? isLowerHex(ch)
                    : (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerHex(char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
