package heron.export.sft;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.export.internal.Json;
import heron.export.internal.SkipCounter;
import heron.export.internal.Texts;

/**
 * Supervised-fine-tuning trajectories as JSON Lines in the OpenAI chat "messages" form, one line
 * per agent turn or per session ({@link ExportOptions#scope()}).
 *
 * <p>An agent resends the whole conversation with every call, so the <em>terminal</em> call of a
 * turn (its last main-agent call) holds the turn: its request messages plus its response are the
 * trajectory. A session's last exportable turn likewise holds the session, minus whatever the
 * client compacted away. The decoders normalise every wire API's messages to one chat-like form,
 * so this exporter reads all of them the same way.
 *
 * <p>Entities that cannot be exported are skipped with one of the {@code SKIP_*} reasons; the rest
 * go on. Every string that leaves (system prompt, message text, reasoning, tool arguments, tool
 * results, tool descriptions and schemas) goes through {@link heron.core.secrets.SecretMasker}
 * unless {@link ExportOptions#maskSecrets()} is false.
 */
public final class SftJsonlExporter implements Exporter {
    public static final String ID = "sft-jsonl";

    public static final String SKIP_NO_TERMINAL_CALL = "no-terminal-call";
    public static final String SKIP_TURN_INCOMPLETE = "turn-incomplete";
    public static final String SKIP_TERMINAL_CALL_FAILED = "terminal-call-failed";
    public static final String SKIP_REQUEST_TRUNCATED = "request-truncated";
    public static final String SKIP_RESPONSE_TRUNCATED = "response-truncated";
    public static final String SKIP_UNKNOWN_WIRE_API = "unknown-wire-api";
    public static final String SKIP_NO_MESSAGES = "no-messages";
    public static final String SKIP_SESSION_WITHOUT_TURNS = "session-without-turns";

    /** Wire APIs whose decoders fill {@link LlmCall#messages()} in the normalised form. */
    public static final Set<String> WIRE_APIS = Set.of("anthropic", "bedrock-converse", "openai-chat", "openai-responses",
            "gemini");

    @Override
    public ExportResult export(ExportInput input, ExportOptions options, OutputStream out, IProgressMonitor monitor)
            throws IOException {
        ExportOptions opts = options == null ? ExportOptions.DEFAULT : options;
        boolean sessionScope = "session".equals(opts.scope());
        if (!sessionScope && opts.scope() != null && !"turn".equals(opts.scope())) {
            throw new IllegalArgumentException("sft-jsonl exports scope 'turn' or 'session', not '" + opts.scope() + "'");
        }
        SkipCounter counter = new SkipCounter();
        Writer w = new Writer(input, opts, counter, Json.generator(out));
        if (sessionScope) {
            List<SessionUnit> sessions = sessionsOf(input);
            SubMonitor sub = SubMonitor.convert(monitor, "Exporting SFT sessions", sessions.size());
            for (SessionUnit s : sessions) {
                sub.split(1);
                w.session(s);
            }
        } else {
            List<AgentTurn> turns = turnsOf(input);
            SubMonitor sub = SubMonitor.convert(monitor, "Exporting SFT turns", turns.size());
            for (AgentTurn t : turns) {
                sub.split(1);
                w.turn(t);
            }
        }
        w.g.flush();
        return counter.result();
    }

    /** The selected turns; when only sessions are selected, their turns in order. */
    private static List<AgentTurn> turnsOf(ExportInput input) {
        if (!input.turns().isEmpty() || input.sessions().isEmpty()) {
            return input.turns();
        }
        List<AgentTurn> out = new ArrayList<>();
        for (AgentSession s : input.sessions()) {
            for (long id : s.turnIds()) {
                AgentTurn t = input.turn(id);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private record SessionUnit(String id, String agentKind, List<AgentTurn> turns) {
    }

    /** The selected sessions; when only turns are selected, their sessions (grouped by id, in order). */
    private static List<SessionUnit> sessionsOf(ExportInput input) {
        List<SessionUnit> out = new ArrayList<>();
        if (!input.sessions().isEmpty()) {
            for (AgentSession s : input.sessions()) {
                List<AgentTurn> ts = new ArrayList<>();
                for (long id : s.turnIds()) {
                    AgentTurn t = input.turn(id);
                    if (t != null) {
                        ts.add(t);
                    }
                }
                out.add(new SessionUnit(s.id(), s.agentKind(), ts));
            }
            return out;
        }
        Map<String, List<AgentTurn>> bySession = new LinkedHashMap<>();
        for (AgentTurn t : input.turns()) {
            bySession.computeIfAbsent(t.sessionId() == null ? "turn-" + t.id() : t.sessionId(), k -> new ArrayList<>())
                    .add(t);
        }
        bySession.forEach((k, ts) -> out.add(new SessionUnit(k, ts.get(0).agentKind(), ts)));
        return out;
    }

    /** A trajectory about to be written: the terminal call and the calls it sums up. */
    private record Line(String scope, String sessionId, long turnId, String agentKind, LlmCall terminal,
            List<LlmCall> calls, List<String> models, long startNanos, long endNanos, long[] tokens, boolean subagent,
            long parentTurnId, long parentCallId, int turnCount, int turnsAfter) {
    }

    private static boolean isMain(LlmCall c) {
        AgentTag t = c.agent();
        return t == null || (!t.subagent() && !t.auxiliary());
    }

    private static boolean isSubagent(LlmCall c) {
        return c.agent() != null && c.agent().subagent();
    }

    /** Why the terminal call cannot make a trajectory, or null when it can. */
    static String problemOf(LlmCall c) {
        if (c.wireApi() == null || !WIRE_APIS.contains(c.wireApi())) {
            return SKIP_UNKNOWN_WIRE_API;
        }
        String err = c.decodeError() == null ? "" : c.decodeError().toLowerCase(Locale.ROOT);
        if (err.contains("cap") || err.contains("truncat")) {
            // The decoders say "request body capped (...)" or "response body capped", "truncated stream".
            return err.contains("request") ? SKIP_REQUEST_TRUNCATED : SKIP_RESPONSE_TRUNCATED;
        }
        if (c.isError()) {
            return SKIP_TERMINAL_CALL_FAILED;
        }
        if (c.messages().isEmpty()) {
            return SKIP_NO_MESSAGES;
        }
        return null;
    }

    private static final class Writer {
        final ExportInput input;
        final ExportOptions opts;
        final SkipCounter counter;
        final JsonGenerator g;
        final boolean mask;

        Writer(ExportInput input, ExportOptions opts, SkipCounter counter, JsonGenerator g) {
            this.input = input;
            this.opts = opts;
            this.counter = counter;
            this.g = g;
            this.mask = opts.maskSecrets();
        }

        List<LlmCall> callsOf(AgentTurn t) {
            List<LlmCall> out = new ArrayList<>(t.callIds().size());
            for (long id : t.callIds()) {
                LlmCall c = input.call(id);
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        }

        /** The turn's own line, or the skip reason as a String. */
        Object turnLine(AgentTurn t, List<LlmCall> calls, String scope) {
            List<LlmCall> main = calls.stream().filter(SftJsonlExporter::isMain).toList();
            if (main.isEmpty()) {
                return SKIP_NO_TERMINAL_CALL;
            }
            if (t.status() == AgentTurn.Status.INCOMPLETE) {
                return SKIP_TURN_INCOMPLETE;
            }
            LlmCall terminal = main.get(main.size() - 1);
            String problem = problemOf(terminal);
            if (problem != null) {
                return problem;
            }
            long[] tokens = { t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens() };
            return new Line(scope, t.sessionId(), t.id(), t.agentKind(), terminal, main,
                    t.models().isEmpty() ? modelsOf(main) : t.models(), t.startNanos(), t.endNanos(), tokens, false, 0,
                    0, 1, 0);
        }

        void turn(AgentTurn t) throws IOException {
            List<LlmCall> calls = callsOf(t);
            Object line = turnLine(t, calls, "turn");
            emit(line);
            if (opts.includeSubagents()) {
                subagents(t, calls);
            }
        }

        void session(SessionUnit s) throws IOException {
            if (s.turns().isEmpty()) {
                counter.skip(SKIP_SESSION_WITHOUT_TURNS);
                return;
            }
            // The last exportable turn carries the session (its request resends the history); later
            // turns that cannot be exported (typically the one cut off by the end of the capture) are
            // counted in _meta.turns_after_terminal.
            Object chosen = null;
            int index = -1;
            for (int i = s.turns().size() - 1; i >= 0; i--) {
                Object l = turnLine(s.turns().get(i), callsOf(s.turns().get(i)), "session");
                if (chosen == null || l instanceof Line) {
                    chosen = l;
                    index = i;
                }
                if (l instanceof Line) {
                    break;
                }
            }
            if (chosen instanceof Line l) {
                long[] tokens = new long[4];
                List<LlmCall> main = new ArrayList<>();
                Set<String> models = new LinkedHashSet<>();
                for (int i = 0; i <= index; i++) {
                    AgentTurn t = s.turns().get(i);
                    tokens[0] += t.inputTokens();
                    tokens[1] += t.outputTokens();
                    tokens[2] += t.cacheReadTokens();
                    tokens[3] += t.cacheWriteTokens();
                    models.addAll(t.models());
                    callsOf(t).stream().filter(SftJsonlExporter::isMain).forEach(main::add);
                }
                chosen = new Line("session", s.id(), l.turnId(), s.agentKind() != null ? s.agentKind() : l.agentKind(),
                        l.terminal(), main, models.isEmpty() ? l.models() : List.copyOf(models),
                        s.turns().get(0).startNanos(), l.endNanos(), tokens, false, 0, 0, s.turns().size(),
                        s.turns().size() - 1 - index);
            }
            emit(chosen);
            if (opts.includeSubagents()) {
                for (AgentTurn t : s.turns()) {
                    subagents(t, callsOf(t));
                }
            }
        }

        /** One line per sub-agent run in the turn: its calls grouped by the parent call that started it. */
        void subagents(AgentTurn t, List<LlmCall> calls) throws IOException {
            Map<String, List<LlmCall>> runs = new LinkedHashMap<>();
            for (LlmCall c : calls) {
                if (isSubagent(c)) {
                    AgentTag tag = c.agent();
                    runs.computeIfAbsent(tag.parentCallId() + "/" + tag.sessionId(), k -> new ArrayList<>()).add(c);
                }
            }
            for (List<LlmCall> run : runs.values()) {
                LlmCall terminal = run.get(run.size() - 1);
                String problem = problemOf(terminal);
                if (problem != null) {
                    counter.skip(problem);
                    continue;
                }
                long[] tokens = new long[4];
                for (LlmCall c : run) {
                    tokens[0] += c.usage().inputOrZero();
                    tokens[1] += c.usage().outputOrZero();
                    tokens[2] += c.usage().cacheReadOrZero();
                    tokens[3] += c.usage().cacheWriteOrZero();
                }
                AgentTag tag = terminal.agent();
                // A sub-agent run is named like a turn: by the id of its first call.
                emit(new Line("turn", tag.sessionId() != null ? tag.sessionId() : t.sessionId(), run.get(0).id(),
                        tag.agentKind() != null ? tag.agentKind() : t.agentKind(), terminal, run, modelsOf(run),
                        run.get(0).requestNanos(), terminal.endNanos(), tokens, true, t.id(), tag.parentCallId(), 1,
                        0));
            }
        }

        void emit(Object lineOrReason) throws IOException {
            if (lineOrReason instanceof Line l) {
                write(l);
                counter.written();
            } else {
                counter.skip((String) lineOrReason);
            }
        }

        // ---- writing ----

        void write(Line l) throws IOException {
            LlmCall c = l.terminal();
            List<String> unparsed = new ArrayList<>();
            Set<String> seenCallIds = new HashSet<>();
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            List<Message> msgs = c.messages();
            boolean leadingSystem = !msgs.isEmpty() && isSystem(msgs.get(0).role());
            if (!leadingSystem && !Texts.isBlank(c.systemPrompt())) {
                g.writeStartObject();
                g.writeStringField("role", "system");
                g.writeStringField("content", Texts.mask(mask, c.systemPrompt()));
                g.writeEndObject();
            }
            for (Message m : msgs) {
                String role = isSystem(m.role()) ? "system" : m.role();
                writeMessage(role, m.text(), m.reasoning(), m.toolCalls(), "tool".equals(role) ? m.toolCallId() : null,
                        unparsed, seenCallIds);
            }
            // The terminal call's response: the final answer (and any tool calls it still asked for).
            if (!Texts.isBlank(c.outputText()) || !Texts.isBlank(c.reasoningText()) || !c.toolCalls().isEmpty()) {
                writeMessage("assistant", c.outputText(), c.reasoningText(), c.toolCalls(), null, unparsed,
                        seenCallIds);
            }
            g.writeEndArray();
            if (!c.toolsOffered().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (ToolDefinition d : c.toolsOffered()) {
                    g.writeStartObject();
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", d.name());
                    Json.stringField(g, "description", Texts.mask(mask, d.description()));
                    g.writeFieldName("parameters");
                    JsonNode p = Json.parseOrNull(Texts.mask(mask, d.parametersJson()));
                    if (p != null && p.isObject()) {
                        g.writeTree(p);
                    } else {
                        g.writeStartObject();
                        g.writeStringField("type", "object");
                        g.writeObjectFieldStart("properties");
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            writeMeta(l, unparsed, seenCallIds);
            g.writeEndObject();
            g.writeRaw('\n');
        }

        private static boolean isSystem(String role) {
            return "system".equals(role) || "developer".equals(role);
        }

        void writeMessage(String role, String text, String reasoning, List<ToolCall> calls, String toolCallId,
                List<String> unparsed, Set<String> seenCallIds) throws IOException {
            g.writeStartObject();
            g.writeStringField("role", role == null ? "user" : role);
            boolean tool = "tool".equals(role);
            if (text != null || tool || (reasoning == null && calls.isEmpty())) {
                // OpenAI chat wants content on every message but an assistant turn of only tool calls.
                g.writeStringField("content", text == null ? "" : Texts.mask(mask, text));
            }
            if (reasoning != null && !reasoning.isEmpty()) {
                g.writeStringField("reasoning_content", Texts.mask(mask, reasoning));
            }
            if (!calls.isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall tc : calls) {
                    String id = callId(tc);
                    seenCallIds.add(id);
                    g.writeStartObject();
                    g.writeStringField("id", id);
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", tc.name() == null ? "" : tc.name());
                    g.writeFieldName("arguments");
                    JsonNode a = Json.parseOrNull(Texts.mask(mask, tc.argumentsJson()));
                    if (a != null && a.isObject()) {
                        g.writeTree(a);
                    } else {
                        // Arguments must be an object for training; a cut-off or non-object value is
                        // replaced by {} and the call id listed in _meta.unparsed_argument_ids.
                        g.writeStartObject();
                        g.writeEndObject();
                        if (!Texts.isBlank(tc.argumentsJson())) {
                            unparsed.add(id);
                        }
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (tool) {
                g.writeStringField("tool_call_id", toolCallId == null ? "" : toolCallId);
            }
            g.writeEndObject();
        }

        void writeMeta(Line l, List<String> unparsed, Set<String> seenCallIds) throws IOException {
            LlmCall c = l.terminal();
            g.writeObjectFieldStart("_meta");
            g.writeStringField("source", "heron");
            g.writeStringField("scope", l.scope());
            g.writeBooleanField("subagent", l.subagent());
            Json.stringField(g, "session_id", l.sessionId());
            g.writeStringField("turn_id", Long.toString(l.turnId()));
            if (l.subagent()) {
                g.writeStringField("parent_turn_id", Long.toString(l.parentTurnId()));
                g.writeStringField("parent_call_id", Long.toString(l.parentCallId()));
            }
            g.writeStringField("terminal_call_id", Long.toString(c.id()));
            g.writeStringField("exchange_id", Long.toString(c.exchangeId()));
            g.writeArrayFieldStart("call_ids");
            for (LlmCall x : l.calls()) {
                g.writeString(Long.toString(x.id()));
            }
            g.writeEndArray();
            Json.stringField(g, "agent_kind", l.agentKind());
            g.writeStringField("wire_api", c.wireApi());
            Json.stringField(g, "model", c.model());
            g.writeArrayFieldStart("models");
            for (String m : l.models()) {
                g.writeString(m);
            }
            g.writeEndArray();
            Json.stringField(g, "finish_reason", c.finishReason());
            Json.stringField(g, "finish", c.finish() == null ? null : c.finish().id());
            g.writeNumberField("input_tokens", l.tokens()[0]);
            g.writeNumberField("output_tokens", l.tokens()[1]);
            g.writeNumberField("cache_read_tokens", l.tokens()[2]);
            g.writeNumberField("cache_write_tokens", l.tokens()[3]);
            Capture cap = input.captureOf(c);
            if (cap != null) {
                Json.stringField(g, "capture_file", cap.path());
                Json.stringField(g, "capture_sha256", cap.sha256());
            }
            Json.stringField(g, "start_time", Texts.iso(l.startNanos()));
            Json.stringField(g, "end_time", Texts.iso(l.endNanos()));
            if ("session".equals(l.scope())) {
                g.writeNumberField("turn_count", l.turnCount());
                g.writeNumberField("turns_after_terminal", l.turnsAfter());
            }
            g.writeBooleanField("masked", mask);
            // Tool calls made by earlier calls of the turn that the terminal request no longer
            // carries (client-side context compaction): the line is then not the whole story.
            List<String> missing = new ArrayList<>();
            for (LlmCall x : l.calls()) {
                if (x != c) {
                    for (ToolCall tc : x.toolCalls()) {
                        if (!seen(tc, seenCallIds)) {
                            missing.add(callId(tc));
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                writeStrings("missing_tool_call_ids", missing);
            }
            if (!unparsed.isEmpty()) {
                writeStrings("unparsed_argument_ids", unparsed);
            }
            g.writeEndObject();
        }

        void writeStrings(String field, List<String> values) throws IOException {
            g.writeArrayFieldStart(field);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    /**
     * The id written for a tool call. Gemini sends no ids and its decoder matches results to calls
     * by function name, so the name stands in for a missing id on both sides.
     */
    static String callId(ToolCall tc) {
        if (tc.id() != null && !tc.id().isEmpty()) {
            return tc.id();
        }
        return tc.name() == null ? "" : tc.name();
    }

    /**
     * Whether a tool call of an earlier call appears in the line. A call without id (Gemini) also
     * counts as seen under an id the client made from its name: Gemini CLI resends its history with
     * ids such as "list_directory_1795770600277_0".
     */
    static boolean seen(ToolCall tc, Set<String> seenIds) {
        String id = callId(tc);
        if (seenIds.contains(id)) {
            return true;
        }
        if (tc.id() == null || tc.id().isEmpty()) {
            for (String s : seenIds) {
                if (s.startsWith(id + "_")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> modelsOf(List<LlmCall> calls) {
        Set<String> out = new LinkedHashSet<>();
        for (LlmCall c : calls) {
            if (c.model() != null) {
                out.add(c.model());
            }
        }
        return List.copyOf(out);
    }
}
