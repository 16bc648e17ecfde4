package heron.agents.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import heron.agents.BuiltinProfiles;
import heron.agents.PlacedCall;
import heron.agents.TurnResult;
import heron.agents.TurnTracker;
import heron.core.health.PipelineHealth;
import heron.core.model.Body;
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
 * Turn tracker micro benchmark (not run by the build): synthetic calls shaped like
 * {@code make-big-pcap}'s (four wire APIs and clients, each call its own conversation, ~5 KB of
 * system prompt, tools and messages, half of them asking for a tool), added from 1 or more threads.
 * Calls are generated on the fly and not kept, so the heap after {@code add} is what the tracker holds.
 * <p>
 * Usage: {@code TrackerBenchmark [calls=135000] [threads=1] [rounds=3]}
 */
public final class TrackerBenchmark {
    private static final String SYSTEM = "You are a coding agent. Follow the repository conventions. ".repeat(40).strip();
    private static final String[] TOOLS = { "Bash", "Read", "Edit", "Write", "Grep", "Glob" };

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory
            .getThreadMXBean();

    private TrackerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 135_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 1; round <= rounds; round++) {
            System.gc();
            long heap0 = used();
            TurnTracker tracker = new TurnTracker(BuiltinProfiles.registry(), new PipelineHealth());
            AtomicLong next = new AtomicLong();
            AtomicLong addNanos = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            long wall0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    long spent = 0;
                    for (long i; (i = next.getAndIncrement()) < calls;) {
                        Object[] p = make(i + 1);
                        long a = CPU.getCurrentThreadCpuTime();
                        tracker.add((LlmCall) p[0], (HttpExchange) p[1]);
                        spent += CPU.getCurrentThreadCpuTime() - a;
                    }
                    addNanos.addAndGet(spent);
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            long wall = System.nanoTime() - wall0;
            System.gc();
            long heldMb = (used() - heap0) >> 20;
            long f0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            TurnResult r = tracker.finish();
            long finCpu = CPU.getCurrentThreadCpuTime() - c0;
            long fin = System.nanoTime() - f0;
            System.out.printf("round %d: %d calls, %d thread(s): add %.2f µs/call (thread CPU), wall %.2f s (incl."
                    + " generating calls); held after add %d MB; finish %.2f s wall, %.2f µs/call thread CPU;"
                    + " %d turns, %d sessions, %d links%n", round, calls, threads, addNanos.get() / 1e3 / calls,
                    wall / 1e9, heldMb, fin / 1e9, finCpu / 1e3 / calls, r.turns().size(), r.sessions().size(),
                    r.toolLinks().size());
            System.out.printf("  result digest %08x (compare before/after a change)%n", digest(r));
        }
    }

    /** A hash of everything the result says, stable across runs (enum hash codes are not, their names are). */
    static int digest(TurnResult r) {
        int h = r.turns().toString().hashCode();
        h = 31 * h + r.sessions().toString().hashCode();
        h = 31 * h + r.toolLinks().toString().hashCode();
        for (PlacedCall c : r.calls()) {
            h = 31 * h + Long.hashCode(c.id()) + (c.agent() == null ? 0 : c.agent().toString().hashCode());
        }
        return h;
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** One call and its exchange; strings are fresh copies, as a decoder would produce them. */
    static Object[] make(long id) {
        int kind = (int) (id % 4);
        LlmCall.Builder b = LlmCall.builder();
        b.id = id;
        b.exchangeId = id;
        b.host = "10.0.0." + (kind + 1) + ":443";
        b.status = 200;
        b.requestNanos = 1_795_770_000_000_000_000L + id * 3_000_000L;
        b.responseHeadersNanos = b.requestNanos + 1_000_000;
        b.firstContentNanos = b.responseHeadersNanos;
        b.endNanos = b.requestNanos + 2_000_000_000L;
        b.inputTokens = 100_000L + id;
        b.outputTokens = 4_000L;
        b.cacheReadTokens = 50_000L;
        String user = "Request " + Long.toString(id * 7919, 36) + ": please look at file_" + (id % 9999)
                + ".py and fix the bug on line " + (id % 500) + ".";
        String system = new String(SYSTEM.toCharArray());
        b.systemPrompt = system;
        String ua;
        List<Header> headers = new ArrayList<>();
        switch (kind) {
        case 0 -> {
            b.wireApi = "anthropic";
            b.requestModel = "claude-sonnet-4-5-20250929";
            ua = "claude-cli/2.1.197 (external, cli)";
            headers.add(new Header("anthropic-version", "2023-06-01"));
        }
        case 1 -> {
            b.wireApi = "openai-chat";
            b.requestModel = "gpt-4o-mini";
            ua = "OpenAI/JS 6.49.0";
            b.messages.add(Message.text("system", system));
        }
        case 2 -> {
            b.wireApi = "openai-responses";
            b.requestModel = "gpt-5-codex";
            ua = "codex_exec/0.171.0";
            headers.add(new Header("originator", "codex_exec"));
        }
        default -> {
            b.wireApi = "gemini";
            b.requestModel = "gemini-2.5-pro";
            ua = "google-genai-sdk/2.32.0 gl-node/v20.20.2";
        }
        }
        headers.add(new Header("user-agent", ua));
        b.messages.add(Message.text("user", user));
        for (String t : TOOLS) {
            b.toolsOffered.add(new ToolDefinition(t, "Tool " + t + ": " + "does things carefully. ".repeat(12),
                    "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"}},"
                            + "\"required\":[\"command\"]}"));
        }
        if (id % 2 == 0) {
            b.toolCalls.add(new ToolCall("toolu_" + Long.toString(id * 104729, 36), "Bash", "{\"command\":\"ls -la\"}"));
            b.finish = FinishKind.TOOL_USE;
            b.finishReason = "tool_use";
        } else {
            b.outputText = "I looked at the file and fixed the bug. ".repeat(5);
            b.finish = FinishKind.COMPLETE;
            b.finishReason = "end_turn";
        }
        LlmCall call = b.build();
        StringBuilder body = new StringBuilder(6000).append("{\"model\":\"").append(b.requestModel)
                .append("\",\"system\":\"").append(system).append("\",\"tools\":[");
        for (ToolDefinition d : call.toolsOffered()) {
            body.append("{\"name\":\"").append(d.name()).append("\",\"description\":\"").append(d.description())
                    .append("\",\"input_schema\":").append(d.parametersJson()).append("},");
        }
        body.append("],\"messages\":[{\"role\":\"user\",\"content\":\"").append(user).append("\"}]}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest req = new HttpRequest("POST", "/v1/x", "HTTP/1.1", new Headers(headers),
                new Body(bytes, bytes.length, bytes.length, false, null, null), call.requestNanos(), call.requestNanos(),
                1, 1);
        HttpResponse resp = new HttpResponse(200, "OK", "HTTP/1.1", Headers.EMPTY, Body.EMPTY, List.of(),
                call.responseHeadersNanos(), call.responseHeadersNanos(), call.endNanos(), 2, 2, true);
        HttpExchange ex = new HttpExchange(id, id, 0, new Endpoint("10.1.0.1", 50000), new Endpoint("10.0.0.1", 443),
                req, resp, null);
        return new Object[] { call, ex };
    }
}
