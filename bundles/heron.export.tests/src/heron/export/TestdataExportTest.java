package heron.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import heron.core.export.ExportOptions;
import heron.export.csv.CsvExporter;
import heron.export.har.HarExporter;
import heron.export.sft.SftJsonlExporter;
import heron.export.support.Io;
import heron.export.support.Pipeline;
import heron.testing.Corpus;

/**
 * The real-agent captures copied into the checkout's testdata/ (never skipped): imported through
 * net, decoders and turn tracker, then exported in all three formats.
 */
class TestdataExportTest {
    private static final List<String> DUMMY_KEYS = List.of("sk-ant-api03-corpus-dummy-key",
            "sk-corpus-dummy-openai-key", "corpus-dummy-gemini-key");

    private static Path testdata(String name) {
        return Corpus.testdata(name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "cc-turn-2tools", "codex-turn-2tools" })
    void agentTurnExportsAsOneValidLineWithTheTruthToolCallsAndNoKeys(String name) throws IOException {
        Pipeline.Imported imp = Pipeline.importCapture(testdata(name + ".pcap"));
        JsonNode truth = Io.MAPPER.readTree(Files.readString(testdata(name + ".truth.json")));
        SimpleExportInput in = imp.allTurnsAndExchanges();

        Io.Output sft = Io.run(new SftJsonlExporter(), in, ExportOptions.DEFAULT);
        assertEquals(1, sft.result().written(), sft.result().toString());
        JsonNode line = sft.lines().get(0);
        assertEquals(List.of(), Io.sftSchema().validate(line));
        List<String> exported = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (JsonNode m : line.get("messages")) {
            m.path("tool_calls").forEach(tc -> exported.add(tc.get("id").asText()));
            if (m.has("tool_call_id")) {
                results.add(m.get("tool_call_id").asText());
            }
        }
        List<String> expected = new ArrayList<>();
        truth.get("exchanges").forEach(x -> x.path("response").path("tool_calls")
                .forEach(tc -> expected.add(tc.get("id").asText())));
        assertEquals(expected, exported, "tool calls in order");
        assertEquals(expected, results, "each result follows its call, in order");
        assertEquals(truth.get("turns").get(0).get("final_answer").asText(),
                line.get("messages").get(line.get("messages").size() - 1).get("content").asText());
        assertTrue(line.get("_meta").get("capture_file").asText().endsWith(name + ".pcap"));

        Io.Output har = Io.run(new HarExporter(), in, ExportOptions.DEFAULT);
        assertEquals(imp.exchanges().size(), har.json().get("log").get("entries").size());
        Io.Output csv = Io.run(new CsvExporter(), SimpleExportInput.builder().selectCalls(imp.calls())
                .knownExchanges(imp.exchanges()).build(), new ExportOptions("call", true, false));
        assertEquals(imp.calls().size(), csv.result().written());
        for (String k : DUMMY_KEYS) {
            assertFalse(sft.text().contains(k), "SFT leaks " + k);
            assertFalse(har.text().contains(k), "HAR leaks " + k);
            assertFalse(csv.text().contains(k), "CSV leaks " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "sdk-anthropic", "sdk-openai-chat" })
    void sdkCaptureHarMasksTheKeysOnlyWhenAsked(String name) throws IOException {
        Pipeline.Imported imp = Pipeline.importCapture(testdata(name + ".pcap"));
        SimpleExportInput in = imp.allTurnsAndExchanges();
        assertFalse(imp.exchanges().isEmpty());
        Io.Output masked = Io.run(new HarExporter(), in, ExportOptions.DEFAULT);
        Io.Output plain = Io.run(new HarExporter(), in, new ExportOptions("call", false, false));
        assertEquals(imp.exchanges().size(), masked.result().written());
        boolean anyKeyInPlain = false;
        for (String k : DUMMY_KEYS) {
            assertFalse(masked.text().contains(k), "HAR leaks " + k);
            anyKeyInPlain |= plain.text().contains(k);
        }
        assertTrue(anyKeyInPlain, "the capture's key is exported when masking is off");
    }
}
