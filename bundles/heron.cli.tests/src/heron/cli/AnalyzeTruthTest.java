package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.testing.Corpus;

/**
 * `heron analyze --json` (the application's command with the real pipeline and a real H2 store on
 * disk) over every capture with a truth file: the exchanges (method, path, status), the number of
 * LLM calls and their models, and for agent captures the number of turns must match what is known
 * to be in the capture. Runs the project's testdata always and the shared corpus when present.
 */
class AnalyzeTruthTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Captures where an exact match is impossible, and why (checked separately or in health). */
    static final Map<String, String> KNOWN = Map.of(
            "edge-snaplen200", "captured with -s 200: bodies are missing, so calls cannot be decoded; the loss "
                    + "must show in health (packets.truncated_snaplen) instead",
            "sdk-ollama", "Ollama's native API is decoded only by the example plug-in, not by the product",
            "edge-midconn-start", "the capture starts inside the 2nd exchange's response: exchanges 1-2 have no "
                    + "request in the capture; they are counted as orphan responses, checked below");

    record Outcome(JsonNode json, int rc, String err) {
    }

    static Outcome analyze(Path capture, String... extra) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("analyze", "--json"));
        args.addAll(List.of(extra));
        args.add(capture.toString());
        int rc = new HeronCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
        String text = out.toString(StandardCharsets.UTF_8);
        return new Outcome(text.isBlank() ? null : JSON.readTree(text), rc, err.toString(StandardCharsets.UTF_8));
    }

    /** Compares one capture with its truth; returns the differences (empty when it matches). */
    static List<String> compare(Path capture) throws IOException {
        JsonNode truth = JSON.readTree(Corpus.truthOf(capture).toFile());
        Outcome o = analyze(capture);
        List<String> diffs = new ArrayList<>();
        if (o.json == null || (o.rc != 0 && o.rc != 3)) {
            diffs.add("exit " + o.rc + ": " + o.err);
            return diffs;
        }
        List<String> want = new ArrayList<>();
        List<String> wantModels = new ArrayList<>();
        int wantCalls = 0;
        for (JsonNode e : truth.path("exchanges")) {
            String status = e.path("status").isNull() ? "" : e.path("status").asText();
            want.add(e.path("method").asText() + " " + e.path("path").asText() + " " + status);
            String api = e.path("wire_api").asText(null);
            if (api != null && !api.endsWith("count-tokens") && !api.startsWith("ollama")) {
                wantCalls++;
                wantModels.add(e.path("model").isNull() ? "*" : e.path("model").asText());
            }
        }
        List<String> got = new ArrayList<>();
        for (JsonNode x : o.json.path("exchanges")) {
            got.add(x.path("method").asText() + " " + x.path("path").asText() + " "
                    + (x.path("status").isNull() ? "" : x.path("status").asText()));
        }
        Collections.sort(want);
        Collections.sort(got);
        if (!want.equals(got)) {
            diffs.add("exchanges differ: want " + want + " got " + got);
        }
        JsonNode calls = o.json.path("calls");
        if (calls.size() != wantCalls) {
            diffs.add("calls: want " + wantCalls + " got " + calls.size());
        }
        // Each wanted model must be the requested or the answered model of a distinct call (Bedrock
        // puts its own model id in the path and answers with the Anthropic name); "*" is a call
        // whose body had no readable model in the truth (e.g. a truncated request).
        List<JsonNode> unmatched = new ArrayList<>();
        calls.forEach(unmatched::add);
        List<String> missing = new ArrayList<>();
        wantModels.sort(java.util.Comparator.comparing((String m) -> m.equals("*"))); // wildcards last
        for (String m : wantModels) {
            JsonNode hit = null;
            for (JsonNode c : unmatched) {
                if (m.equals("*") || m.equals(c.path("model").asText()) || m.equals(c.path("response_model").asText())) {
                    hit = c;
                    break;
                }
            }
            if (hit == null) {
                missing.add(m);
            } else {
                unmatched.remove(hit);
            }
        }
        if (calls.size() == wantCalls && !missing.isEmpty()) {
            diffs.add("models not found: " + missing);
        }
        if ("real-agent".equals(truth.path("source_kind").asText())) {
            int wantTurns = truth.path("summary").path("turns").asInt();
            if (o.json.path("turns").size() != wantTurns) {
                diffs.add("turns: want " + wantTurns + " got " + o.json.path("turns").size());
            }
        }
        return diffs;
    }

    @Test
    void everyBundledCaptureMatchesItsTruth() throws IOException {
        Path dir = Corpus.testdata();
        List<Path> all = Corpus.capturesWithTruth(dir);
        assertTrue(all.size() >= 8, "testdata captures missing in " + dir.toAbsolutePath());
        Map<String, List<String>> failures = new TreeMap<>();
        for (Path p : all) {
            if (KNOWN.containsKey(Corpus.baseName(p))) {
                continue;
            }
            List<String> d = compare(p);
            if (!d.isEmpty()) {
                failures.put(Corpus.baseName(p), d);
            }
        }
        assertTrue(failures.isEmpty(), "mismatches: " + failures);
    }

    @Test
    void everyCorpusCaptureMatchesItsTruth() throws IOException {
        Path dir = Corpus.shared();
        Map<String, List<String>> failures = new TreeMap<>();
        int checked = 0;
        for (Path p : Corpus.capturesWithTruth(dir)) {
            if (KNOWN.containsKey(Corpus.baseName(p))) {
                continue;
            }
            checked++;
            List<String> d = compare(p);
            if (!d.isEmpty()) {
                failures.put(Corpus.baseName(p), d);
            }
        }
        assertTrue(checked >= 20, "too few corpus captures: " + checked);
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " captures differ: " + failures);
    }

    @Test
    void snaplenTruncationIsCountedNotInvented() throws IOException {
        Outcome o = analyze(Corpus.testdata("edge-snaplen200.pcap"));
        assertTrue(o.json.path("health").path("packets.truncated_snaplen").asLong() > 0, o.json.path("health")
                .toString());
        for (JsonNode c : o.json.path("calls")) {
            assertTrue(c.path("decode_error").isTextual(), "a call from cut bodies must say so: " + c);
        }
    }

    @Test
    void captureStartingMidConnectionKeepsTheRestAndCountsTheOrphan() throws IOException {
        Outcome o = analyze(Corpus.testdata("edge-midconn-start.pcap"));
        assertEquals(3, o.json.path("exchanges").size(), "the 3 exchanges whose requests were captured");
        assertEquals(3, o.json.path("calls").size());
        // Both connections are picked up without handshake; the bytes before the first message
        // boundary (the tail of exchange 2's SSE response) are skipped and counted, not parsed.
        assertEquals(2, o.json.path("health").path("tcp.midstream_pickups").asLong(), o.json.path("health")
                .toString());
        assertTrue(o.json.path("health").path("bytes.not_http").asLong() > 0, o.json.path("health").toString());
    }

    @Test
    void withoutTheOllamaPluginItsExchangesStayPlainHttp() throws IOException {
        // The example plug-in (examples/heron.example.ollama) is not in the product; its own tests
        // and the product's dropins check show the calls appear once it is installed.
        Outcome o = analyze(Corpus.testdata("sdk-ollama.pcap"));
        assertEquals(6, o.json.path("exchanges").size());
        assertEquals(0, o.json.path("calls").size());
    }

    @Test
    void resultsDoNotDependOnTheWorkerCount() throws IOException {
        Path p = Corpus.testdata("cc-turn-2tools.pcap");
        JsonNode one = analyze(p, "--workers", "1").json;
        JsonNode two = analyze(p, "--workers", "2").json;
        assertEquals(one, two);
        assertEquals(3, one.path("calls").size());
    }

    @Test
    void jsonFollowsTheDocumentedContract() throws IOException {
        Path p = Corpus.testdata("cc-turn-2tools.pcap");
        JsonNode j = analyze(p).json;
        JsonNode cap = j.path("captures").get(0);
        assertEquals("96616f267022041e711580f26fcc25e3a8ca5299096668deffe18d7f3141d57a", cap.path("sha256").asText());
        assertEquals(109, cap.path("packets").asInt());
        assertTrue(cap.path("first_ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        JsonNode call = j.path("calls").get(0);
        for (String f : List.of("id", "exchange_id", "wire_api", "server_kind", "model", "response_model", "stream",
                "status", "finish_reason", "finish", "input_tokens", "output_tokens", "cache_read_tokens",
                "cache_write_tokens", "reasoning_tokens", "ttft_ms", "e2e_ms", "tpot_ms", "tools_offered",
                "tool_calls", "agent_kind", "session_id", "turn_id", "auxiliary", "subagent", "error")) {
            assertTrue(call.has(f), "call field " + f + " missing");
        }
        assertTrue(call.path("tool_calls").get(0).path("arguments").isObject(), "arguments are JSON, not strings");
        assertEquals("127.0.0.1:37672", j.path("exchanges").get(0).path("client").asText());
        JsonNode turn = j.path("turns").get(0);
        assertEquals(3, turn.path("call_ids").size());
        assertEquals(turn.path("session_id").asText(), j.path("sessions").get(0).path("id").asText());
    }
}
