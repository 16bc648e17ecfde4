package heron.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import heron.agents.TurnResult;
import heron.core.export.ExportOptions;
import heron.core.model.HttpExchange;
import heron.export.har.HarExporter;
import heron.export.sft.SftJsonlExporter;
import heron.export.support.Io;
import heron.export.support.MiniJsonSchema;
import heron.export.support.Pipeline;
import heron.testing.Corpus;

/**
 * The whole pipeline on every real-agent capture of the shared corpus, then the SFT and HAR
 * exports checked against the capture's truth.json. Skipped when the corpus is absent.
 */
class CorpusExportTest {
    private static final List<String> DUMMY_KEYS = List.of("sk-ant-api03-corpus-dummy-key",
            "sk-corpus-dummy-openai-key", "corpus-dummy-gemini-key");

    /** Truth tool calls in exchange order: id (Gemini: the function name) and whether a result was sent later. */
    private static List<String> truthToolCallIds(JsonNode truth) {
        List<String> ids = new ArrayList<>();
        for (JsonNode x : truth.get("exchanges")) {
            JsonNode calls = x.path("response").path("tool_calls");
            for (JsonNode c : calls) {
                JsonNode id = c.get("id");
                ids.add(id == null || id.isNull() ? c.get("name").asText() : id.asText());
            }
        }
        return ids;
    }

    private static List<String> truthResultIds(JsonNode truth) {
        List<String> ids = new ArrayList<>();
        for (JsonNode x : truth.get("exchanges")) {
            for (JsonNode r : x.path("request").path("tool_results_sent")) {
                for (String f : List.of("tool_use_id", "call_id", "tool_call_id", "name")) {
                    if (r.hasNonNull(f)) {
                        ids.add(r.get(f).asText());
                        break;
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void everyRealAgentCaptureExportsValidLinesWithTheTruthToolCallsInOrderAndNoKeys() throws IOException {
        Path dir = Corpus.shared();
        List<Path> truths = Corpus.truthFiles(dir);
        MiniJsonSchema schema = Io.sftSchema();
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (Path truthFile : truths) {
            JsonNode truth = Io.MAPPER.readTree(Files.readString(truthFile));
            if (!"real-agent".equals(truth.path("source_kind").asText())) {
                continue;
            }
            String base = truthFile.getFileName().toString().replace(".truth.json", "");
            Path cap = Files.exists(dir.resolve(base + ".pcap")) ? dir.resolve(base + ".pcap")
                    : dir.resolve(base + ".pcapng");
            Pipeline.Imported imported = Pipeline.importCapture(cap);
            List<HttpExchange> exchanges = imported.exchanges();
            TurnResult r = imported.agents();
            SimpleExportInput in = imported.allTurnsAndExchanges();
            Io.Output out = Io.run(new SftJsonlExporter(), in, new ExportOptions("turn", true, true));
            String report = base + ": " + r.turns().size() + " turns, " + out.result();
            // Kept for reading: target/corpus-export/<capture>.jsonl
            Path dump = Path.of(System.getProperty("heron.root", "."), "bundles", "heron.export.tests", "target",
                    "corpus-export");
            Files.createDirectories(dump);
            Files.writeString(dump.resolve(base + ".jsonl"), out.text());
            System.out.println(report);
            try {
                checkSft(base, truth, out, schema);
                Io.Output har = Io.run(new HarExporter(), in, ExportOptions.DEFAULT);
                assertEquals(exchanges.size(), har.json().get("log").get("entries").size(), base + " HAR entries");
                for (String k : DUMMY_KEYS) {
                    assertFalse(har.text().contains(k), base + ": HAR leaks " + k);
                }
                Io.Output session = Io.run(new SftJsonlExporter(), in, new ExportOptions("session", true, false));
                session.lines().forEach(l -> assertTrue(schema.validate(l).isEmpty(), base + " session line"));
                assertEquals(truth.path("summary").path("sessions").asLong(), session.result().written()
                        + session.result().skipped(), base + ": one line or skip per session");
            } catch (AssertionError e) {
                failures.add(report + " -> " + e.getMessage());
            }
            checked++;
        }
        assertTrue(checked > 0, "no real-agent captures in " + dir);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * The truth's name for an exported tool-call id. Gemini's API sends no ids (the truth lists
     * the function name); Gemini CLI numbers the calls in the history it resends
     * ("list_directory_1795770600277_0"), and those are the ids the export carries.
     */
    private static String canonical(String id, List<String> truthIds) {
        if (truthIds.contains(id)) {
            return id;
        }
        for (String t : truthIds) {
            if (id.startsWith(t + "_")) {
                return t;
            }
        }
        return id;
    }

    private static void checkSft(String base, JsonNode truth, Io.Output out, MiniJsonSchema schema) {
        assertTrue(out.result().written() > 0, base + ": nothing written");
        for (String k : DUMMY_KEYS) {
            assertFalse(out.text().contains(k), base + ": SFT leaks " + k);
        }
        // tool-call id -> position in the line where the call / its result appeared
        Map<String, Integer> seenCall = new LinkedHashMap<>();
        List<String> resultsAfterCall = new ArrayList<>();
        List<String> order = truthToolCallIds(truth);
        for (JsonNode line : out.lines()) {
            List<String> errors = schema.validate(line);
            assertTrue(errors.isEmpty(), base + ": " + errors);
            assertFalse(line.get("_meta").has("missing_tool_call_ids"), base + ": " + line.get("_meta"));
            List<String> lineCalls = new ArrayList<>();
            Map<String, Integer> callPos = new LinkedHashMap<>();
            JsonNode msgs = line.get("messages");
            for (int i = 0; i < msgs.size(); i++) {
                JsonNode m = msgs.get(i);
                for (JsonNode tc : m.path("tool_calls")) {
                    String id = tc.get("id").asText();
                    lineCalls.add(canonical(id, order));
                    callPos.putIfAbsent(id, i);
                    seenCall.putIfAbsent(canonical(id, order), i);
                    assertTrue(tc.get("function").get("arguments").isObject(), base + ": arguments of " + id);
                }
                if ("tool".equals(m.get("role").asText())) {
                    String id = m.get("tool_call_id").asText();
                    Integer at = callPos.get(id);
                    assertTrue(at != null && at < i, base + ": result " + id + " before or without its call");
                    resultsAfterCall.add(canonical(id, order));
                }
            }
            // The line's tool calls are in the truth's order (ids of one line are unique apart
            // from Gemini, whose id stands for the function name).
            int last = -1;
            for (String id : lineCalls) {
                int at = order.indexOf(id);
                assertTrue(at >= 0, base + ": tool call " + id + " not in the truth");
                if (!truth.path("agent_kind").asText().startsWith("gemini")) {
                    assertTrue(at > last, base + ": tool call " + id + " out of order in " + lineCalls);
                }
                last = at;
            }
        }
        if (out.result().skipped() == 0) {
            for (String id : order) {
                assertTrue(seenCall.containsKey(id), base + ": truth tool call " + id + " missing from the export");
            }
            for (String id : truthResultIds(truth)) {
                assertTrue(resultsAfterCall.contains(id), base + ": truth tool result " + id + " missing");
            }
        }
    }
}
