package heron.export.csv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.export.internal.SkipCounter;
import heron.export.internal.Texts;

/**
 * A CSV table (RFC 4180: comma separated, CRLF line ends, fields holding a comma, quote or line
 * break are quoted and quotes doubled) of calls ({@code scope "call"}) or turns ({@code scope
 * "turn"}). With scope "turn" but only calls selected, the calls table is written. Times are
 * ISO-8601 UTC, durations milliseconds, unknown values empty. Previews are masked unless
 * {@link ExportOptions#maskSecrets()} is false.
 */
public final class CsvExporter implements Exporter {
    public static final String ID = "csv";

    public static final List<String> CALL_COLUMNS = List.of("id", "time", "client", "server", "wire_api", "model",
            "status", "stream", "ttft_ms", "e2e_ms", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "finish", "finish_reason", "agent_kind", "session_id", "turn_id");
    public static final List<String> TURN_COLUMNS = List.of("id", "session", "agent", "status", "start",
            "duration_ms", "calls", "tool_calls", "tool_errors", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "models", "user_input_preview", "final_answer_preview");

    @Override
    public ExportResult export(ExportInput input, ExportOptions options, OutputStream out, IProgressMonitor monitor)
            throws IOException {
        ExportOptions opts = options == null ? ExportOptions.DEFAULT : options;
        boolean turns = !"call".equals(opts.scope()) && !(input.turns().isEmpty() && !input.calls().isEmpty());
        SkipCounter counter = new SkipCounter();
        // Not closed: the caller owns the stream; flushed at the end.
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        if (turns) {
            row(w, TURN_COLUMNS.toArray());
            SubMonitor sub = SubMonitor.convert(monitor, "Exporting turns as CSV", input.turns().size());
            for (AgentTurn t : input.turns()) {
                sub.split(1);
                row(w, turnRow(t, opts.maskSecrets()));
                counter.written();
            }
        } else {
            row(w, CALL_COLUMNS.toArray());
            SubMonitor sub = SubMonitor.convert(monitor, "Exporting calls as CSV", input.calls().size());
            for (LlmCall c : input.calls()) {
                sub.split(1);
                row(w, callRow(c, input.exchange(c.exchangeId())));
                counter.written();
            }
        }
        w.flush();
        return counter.result();
    }

    private static Object[] callRow(LlmCall c, HttpExchange x) {
        AgentTag a = c.agent();
        return new Object[] { c.id(), Texts.iso(c.requestNanos()), x == null ? null : x.client(),
                x == null ? c.host() : x.server(), c.wireApi(), c.model(), c.status(), c.stream(), ms(c.ttftMs()),
                ms(c.e2eMs()), c.usage().input(), c.usage().output(), c.usage().cacheRead(), c.usage().cacheWrite(),
                c.finish() == null ? null : c.finish().id(), c.finishReason(), a == null ? null : a.agentKind(),
                a == null ? null : a.sessionId(), a == null || a.turnId() == 0 ? null : a.turnId() };
    }

    private static Object[] turnRow(AgentTurn t, boolean mask) {
        return new Object[] { t.id(), t.sessionId(), t.agentKind(), t.status().name().toLowerCase(Locale.ROOT),
                Texts.iso(t.startNanos()), ms(Texts.millisBetween(t.startNanos(), t.endNanos())), t.callIds().size(),
                t.toolCalls(), t.toolErrors(), t.inputTokens(), t.outputTokens(), t.cacheReadTokens(),
                t.cacheWriteTokens(), String.join(";", t.models()), Texts.mask(mask, t.userInputPreview()),
                Texts.mask(mask, t.finalAnswerPreview()) };
    }

    private static String ms(Double v) {
        return v == null || v < 0 ? null : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ms(double v) {
        return v < 0 ? null : String.format(Locale.ROOT, "%.3f", v);
    }

    static void row(Writer w, Object[] fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            Object f = fields[i];
            if (f != null) {
                w.write(quote(f.toString()));
            }
        }
        w.write("\r\n");
    }

    /** RFC 4180 quoting: only when needed, with inner quotes doubled. */
    public static String quote(String s) {
        boolean needs = false;
        for (int i = 0; i < s.length() && !needs; i++) {
            char ch = s.charAt(i);
            needs = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
        }
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
