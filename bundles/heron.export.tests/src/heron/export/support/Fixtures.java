package heron.export.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;

/**
 * Entities as the decoders and the turn tracker produce them, built by hand: a three-call agent
 * turn (Bash, then Read, then the answer) in each wire API's normalised message form.
 */
public final class Fixtures {
    public static final List<String> WIRE_APIS = List.of("anthropic", "openai-chat", "openai-responses", "gemini");
    public static final long T0 = 1_764_230_400_000_000_000L; // 2025-11-27T08:00:00Z
    public static final String SYSTEM = "You are a coding agent.";
    public static final String PROMPT = "list the directory, then read notes.txt, then answer";
    public static final String LS_OUT = "total 8\nnotes.txt\ndata.csv";
    public static final String NOTES = "line one\nline two\nline three";
    public static final String ANSWER = "notes.txt has three lines.";
    public static final Capture CAPTURE = new Capture(1, "/captures/cc.pcap", "pcap", 1234,
            "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", List.of(1), 100, T0, T0 + 5_000_000_000L,
            Capture.ImportStatus.COMPLETE);

    private Fixtures() {
    }

    /** The tool-call ids the wire API uses; Gemini sends none, so the decoder leaves them null. */
    public static String toolId(String wire, int n) {
        return switch (wire) {
        case "anthropic" -> "toolu_0" + n;
        case "bedrock-converse" -> "tooluse_0" + n;
        case "openai-chat" -> "call_0" + n;
        case "openai-responses" -> "call_resp_0" + n;
        default -> null;
        };
    }

    /** The id a tool result carries: Gemini results are matched by function name. */
    public static String resultId(String wire, int n, String name) {
        String id = toolId(wire, n);
        return id != null ? id : name;
    }

    public static ToolCall bash(String wire) {
        return new ToolCall(toolId(wire, 1), "Bash", "{\"command\":\"ls -la\"}");
    }

    public static ToolCall read(String wire) {
        return new ToolCall(toolId(wire, 2), "Read", "{\"path\":\"notes.txt\"}");
    }

    public static List<ToolDefinition> tools() {
        return List.of(
                new ToolDefinition("Bash", "run a shell command",
                        "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}"),
                new ToolDefinition("Read", "read a file",
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
    }

    /**
     * The three calls of one turn; ids base, base+1, base+2. OpenAI chat keeps a leading system
     * message in the messages here (the exporter must not add the prompt twice); the others carry
     * it only as the call's system prompt.
     */
    public static List<LlmCall> turnCalls(String wire, long base, String agentKind, String session, AgentTag tagOrNull) {
        String reasoning = wire.equals("openai-chat") ? null : "need the listing first";
        List<Message> m1 = new ArrayList<>();
        if (wire.equals("openai-chat")) {
            m1.add(Message.text("system", SYSTEM));
        }
        m1.add(Message.text("user", PROMPT));
        List<Message> m2 = new ArrayList<>(m1);
        m2.add(new Message("assistant", null, reasoning, List.of(bash(wire)), null, false));
        m2.add(Message.toolResult(resultId(wire, 1, "Bash"), LS_OUT, false));
        List<Message> m3 = new ArrayList<>(m2);
        m3.add(new Message("assistant", "Reading notes.", null, List.of(read(wire)), null, false));
        m3.add(Message.toolResult(resultId(wire, 2, "Read"), NOTES, false));
        AgentTag tag = tagOrNull != null ? tagOrNull : new AgentTag(agentKind, session, base, false, false, 0);
        List<LlmCall> out = new ArrayList<>();
        out.add(call(wire, base, m1, List.of(bash(wire)), null, reasoning, "tool_use", FinishKind.TOOL_USE, tag, 0));
        out.add(call(wire, base + 1, m2, List.of(read(wire)), "Reading notes.", null, "tool_use", FinishKind.TOOL_USE,
                tag, 1));
        out.add(call(wire, base + 2, m3, List.of(), ANSWER, null, "end_turn", FinishKind.COMPLETE, tag, 2));
        return out;
    }

    public static LlmCall call(String wire, long id, List<Message> messages, List<ToolCall> toolCalls, String output,
            String reasoning, String finishReason, FinishKind finish, AgentTag tag, int seq) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = id;
        b.exchangeId = id;
        b.wireApi = wire;
        b.host = "127.0.0.1:8080";
        b.requestModel = "model-x";
        b.responseModel = "model-x-2025";
        b.stream = true;
        b.status = 200;
        b.finishReason = finishReason;
        b.finish = finish;
        b.inputTokens = 100L + seq;
        b.outputTokens = 10L + seq;
        b.cacheReadTokens = 50L;
        b.cacheWriteTokens = 5L;
        b.requestNanos = T0 + seq * 1_000_000_000L;
        b.responseHeadersNanos = b.requestNanos + 100_000_000L;
        b.firstContentNanos = b.requestNanos + 200_000_000L;
        b.endNanos = b.requestNanos + 500_000_000L;
        b.toolsOffered = new ArrayList<>(tools());
        b.toolCalls = new ArrayList<>(toolCalls);
        b.systemPrompt = wire.equals("openai-chat") ? null : SYSTEM;
        b.messages = new ArrayList<>(messages);
        b.outputText = output;
        b.reasoningText = reasoning;
        b.agent = tag;
        return b.build();
    }

    public static AgentTurn turn(List<LlmCall> calls, String session, String agentKind, AgentTurn.Status status) {
        long tin = 0;
        long tout = 0;
        int tools = 0;
        List<Long> ids = new ArrayList<>();
        for (LlmCall c : calls) {
            ids.add(c.id());
            tin += c.usage().inputOrZero();
            tout += c.usage().outputOrZero();
            tools += c.toolCalls().size();
        }
        return new AgentTurn(calls.get(0).id(), session, agentKind, status, calls.get(0).requestNanos(),
                calls.get(calls.size() - 1).endNanos(), ids, tin, tout, 150, 15, tools, 0, List.of("model-x-2025"),
                List.of(), PROMPT, ANSWER);
    }

    /** An HTTP exchange with the given bodies; the response is null when {@code status} is 0. */
    public static HttpExchange exchange(long id, String method, String target, List<Header> reqHeaders, byte[] reqBody,
            int status, List<Header> respHeaders, byte[] respBody) {
        long t = T0 + id * 1_000_000L;
        HttpRequest rq = new HttpRequest(method, target, "HTTP/1.1", new Headers(reqHeaders), body(reqBody), t,
                t + 2_000_000L, id, id + 1);
        HttpResponse rs = status == 0 ? null
                : new HttpResponse(status, "OK", "HTTP/1.1", new Headers(respHeaders), body(respBody), List.of(),
                        t + 50_000_000L, t + 51_000_000L, t + 80_000_000L, id + 2, id + 3, true);
        return new HttpExchange(id, 7, 0, new Endpoint("10.0.0.1", 50000), new Endpoint("10.0.0.2", 8080), rq, rs,
                null);
    }

    public static Body body(byte[] b) {
        return b == null ? Body.EMPTY : new Body(b, b.length, b.length, false, null, null);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
