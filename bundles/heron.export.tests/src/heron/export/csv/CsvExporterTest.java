package heron.export.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.export.ExportOptions;
import heron.core.model.AgentTurn;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.export.SimpleExportInput;
import heron.export.support.Fixtures;
import heron.export.support.Io;
import heron.export.support.Secrets;

class CsvExporterTest {
    private final CsvExporter exporter = new CsvExporter();

    /** Splits RFC 4180 text into records of fields (quoted fields may hold commas, quotes, CRLF). */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                f.append(c);
            }
        }
        return rows;
    }

    /**
     * Asserts a record has one field per column and the given fields: pairs of column name and
     * expected value.
     */
    private static void assertFields(List<String> columns, List<String> row, String... nameAndValue) {
        assertEquals(columns.size(), row.size(), "fields of " + row);
        for (int i = 0; i < nameAndValue.length; i += 2) {
            int column = columns.indexOf(nameAndValue[i]);
            assertTrue(column >= 0, "no column " + nameAndValue[i]);
            assertEquals(nameAndValue[i + 1], row.get(column), nameAndValue[i]);
        }
    }

    @Test
    void quotingFollowsRfc4180() {
        assertEquals("plain", CsvExporter.quote("plain"));
        assertEquals("\"a,b\"", CsvExporter.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvExporter.quote("say \"hi\""));
        assertEquals("\"two\r\nlines\"", CsvExporter.quote("two\r\nlines"));
        assertEquals("\"lf\nonly\"", CsvExporter.quote("lf\nonly"));
    }

    @Test
    void callsTableHasTheColumnsAndOneRowPerCall() {
        List<LlmCall> calls = Fixtures.turnCalls("openai-chat", 64, "opencode", "s1", null);
        HttpExchange x = Fixtures.exchange(64, "POST", "/v1/chat/completions", List.of(), null, 200, List.of(), null);
        SimpleExportInput in = SimpleExportInput.builder().selectCalls(calls).knownExchanges(List.of(x)).build();
        Io.Output out = Io.run(exporter, in, new ExportOptions("call", true, false));
        assertEquals(3, out.result().written());
        assertTrue(out.text().endsWith("\r\n"));
        List<List<String>> rows = parse(out.text());
        assertEquals(4, rows.size());
        assertEquals(CsvExporter.CALL_COLUMNS, rows.get(0));
        assertFields(CsvExporter.CALL_COLUMNS, rows.get(1), "id", "64", "time", "2025-11-27T08:00:00Z",
                "client", "10.0.0.1:50000", "server", "10.0.0.2:8080", "wire_api", "openai-chat",
                "model", "model-x-2025", "status", "200", "stream", "true", "ttft_ms", "200.000",
                "e2e_ms", "500.000", "input_tokens", "100", "finish", "tool_use", "agent_kind", "opencode",
                "session_id", "s1", "turn_id", "64");
        assertEquals("127.0.0.1:8080", parse(out.text()).get(2).get(3), "without exchange: the call's host");
    }

    @Test
    void turnsTableQuotesPreviewsAndMasksThem() {
        List<LlmCall> calls = Fixtures.turnCalls("anthropic", 100, "claude-cli", "s1", null);
        AgentTurn t0 = Fixtures.turn(calls, "s1", "claude-cli", AgentTurn.Status.COMPLETE);
        String preview = "fix \"auth\", then\r\nrun with " + Secrets.OPENAI;
        AgentTurn t = new AgentTurn(t0.id(), t0.sessionId(), t0.agentKind(), t0.status(), t0.startNanos(),
                t0.endNanos(), t0.callIds(), t0.inputTokens(), t0.outputTokens(), t0.cacheReadTokens(),
                t0.cacheWriteTokens(), t0.toolCalls(), t0.toolErrors(), List.of("m1", "m2"), List.of(), preview,
                "done, ok");
        SimpleExportInput in = SimpleExportInput.builder().selectTurns(List.of(t)).build();
        Io.Output out = Io.run(exporter, in, ExportOptions.DEFAULT);
        List<List<String>> rows = parse(out.text());
        assertEquals(CsvExporter.TURN_COLUMNS, rows.get(0));
        List<String> r = rows.get(1);
        assertFields(CsvExporter.TURN_COLUMNS, r, "id", "100", "status", "complete", "duration_ms", "2500.000",
                "calls", "3", "tool_calls", "2", "models", "m1;m2", "final_answer_preview", "done, ok");
        assertTrue(r.get(14).startsWith("fix \"auth\", then\r\nrun with sk-proj-…[masked]"), r.get(14));
        assertFalse(out.text().contains(Secrets.OPENAI));
        Io.Output plain = Io.run(exporter, in, new ExportOptions("turn", false, false));
        assertTrue(plain.text().contains(Secrets.OPENAI));
    }

    @Test
    void turnScopeWithOnlyCallsSelectedWritesTheCallsTable() {
        List<LlmCall> calls = Fixtures.turnCalls("gemini", 1, "gemini-cli", "g", null);
        Io.Output out = Io.run(exporter, SimpleExportInput.builder().selectCalls(calls).build(), ExportOptions.DEFAULT);
        assertEquals(CsvExporter.CALL_COLUMNS, parse(out.text()).get(0));
        assertEquals(3, out.result().written());
    }
}
