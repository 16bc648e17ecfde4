package heron.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Body;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.Endpoint;
import heron.core.model.FinishKind;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.PacketRecord;
import heron.core.model.SseEvent;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.core.model.ToolLink;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;

/**
 * Write benchmark of the store (not run by the build). Writes N calls, each with its exchange
 * (~5 KB request body, ~2 KB response body), its connection every 10 calls and, optionally,
 * packets and SSE events; prints calls/s, rows/s and the database size, then times a few reads.
 *
 * <pre>
 * java -cp ... heron.store.StoreBenchmark [dir] [calls=135000] [compress=true] [mask=true]
 *      [packetsPerCall=0] [sseEventsPerCall=0] [deferIndexes=false] [tail=none|serial|concurrent]
 * </pre>
 *
 * <p>With {@code tail} the calls are written as {@code heron analyze} writes them: each call's
 * payload is staged with its exchange, and its row waits for the end, where the call rows (tagged)
 * are written together with one turn and one session per call and a tool link per tool call
 * (the shape of the big capture); the benchmark then times this tail on its own. {@code serial}
 * writes those rows one table after another on the writer's connection, {@code concurrent} the
 * turns, sessions and links on connections of their own ({@link StoreWriter#agentRowsConcurrently})
 * while the calling thread writes the calls.
 *
 * With {@code deferIndexes} the import leaves the views' indexes unbuilt (as {@code heron
 * analyze} does) and the benchmark then times building them ({@link HeronStore#ensureRows})
 * on its own.
 */
public final class StoreBenchmark {
    private static final String[] WORDS = ("the a of to and in is that for it with as was on be by this are or from at "
            + "file function return error value test build class import string list map config user agent tool call "
            + "model token stream request response server client json path line code run check update add remove "
            + "bash read write edit grep search result output input data").split(" ");

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/heron-store-bench");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 135_000;
        boolean compress = args.length > 2 ? Boolean.parseBoolean(args[2]) : true;
        boolean mask = args.length > 3 ? Boolean.parseBoolean(args[3]) : true;
        int packetsPerCall = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int ssePerCall = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        boolean deferIndexes = args.length > 6 && Boolean.parseBoolean(args[6]);
        String tail = args.length > 7 ? args[7] : "none";
        deleteTree(dir);
        System.out.printf("machine check: a plain byte-scan loop runs at %.2f ns/byte (~0.3 on an idle core)%n",
                calibrate());

        Random rnd = new Random(42);
        int pool = 512;
        List<String> prompts = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < pool; i++) {
            prompts.add(text(rnd, 4300));
            answers.add(text(rnd, 1500));
        }
        Headers reqHeaders = new Headers(List.of(new Header("Host", "api.anthropic.com"),
                new Header("Content-Type", "application/json"), new Header("x-api-key",
                        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
                new Header("anthropic-version", "2023-06-01"), new Header("User-Agent", "claude-cli/1.0.0")));
        Headers respHeaders = new Headers(List.of(new Header("Content-Type", "application/json"),
                new Header("request-id", "req_011CUxyz"), new Header("Date", "Thu, 27 Nov 2026 10:00:00 GMT")));
        List<ToolDefinition> tools = List.of(new ToolDefinition("Bash", "Run a shell command", "{\"type\":\"object\"}"),
                new ToolDefinition("Read", "Read a file", "{\"type\":\"object\"}"));

        // Build the entities before timing, so only the store is measured.
        long t0 = 1_764_000_000_000_000_000L;
        System.out.printf("building %d calls ...%n", calls);
        List<HttpExchange> exchanges = new ArrayList<>(calls);
        List<LlmCall> llm = new ArrayList<>(calls);
        long bodyBytes = 0;
        for (int i = 0; i < calls; i++) {
            long id = (long) (i * 30 + 1) * 64;
            long conn = (i / 10) * 300L + 1;
            long ts = t0 + i * 10_000_000L;
            String prompt = prompts.get(rnd.nextInt(pool));
            String answer = answers.get(rnd.nextInt(pool));
            String reqJson = "{\"model\":\"claude-sonnet-4\",\"max_tokens\":8192,\"stream\":false,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"" + i + " " + prompt + "\"}],\"tools\":[{\"name\":\"Bash\"},{\"name\":\"Read\"}]}";
            String respJson = "{\"id\":\"msg_" + i + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
                    + "\"text\",\"text\":\"" + answer + "\"}],\"usage\":{\"input_tokens\":1200,\"output_tokens\":400}}";
            byte[] rq = reqJson.getBytes(StandardCharsets.UTF_8);
            byte[] rs = respJson.getBytes(StandardCharsets.UTF_8);
            bodyBytes += rq.length + rs.length;
            List<SseEvent> events = new ArrayList<>();
            for (int k = 0; k < ssePerCall; k++) {
                events.add(new SseEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"delta\":{\"text\":\""
                        + answer.substring(k * 40 % 1400, k * 40 % 1400 + 40) + "\"}}", null, ts + k * 1000, id / 64 + k));
            }
            Endpoint client = new Endpoint("10.0.0." + (i % 7 + 2), 40000 + i % 20000);
            Endpoint server = new Endpoint("160.79.104.10", 443);
            exchanges.add(new HttpExchange(id, conn, i % 10, client, server,
                    new HttpRequest("POST", "/v1/messages", "HTTP/1.1", reqHeaders,
                            new Body(rq, rq.length, rq.length, false, null, null), ts, ts + 100_000, id / 64, id / 64 + 3),
                    new HttpResponse(200, "OK", "HTTP/1.1", respHeaders,
                            new Body(rs, rs.length, rs.length, false, null, null), events, ts + 300_000_000,
                            ts + 300_000_000, ts + 900_000_000, id / 64 + 5, id / 64 + 9, true),
                    null));
            LlmCall.Builder b = LlmCall.builder();
            b.id = id;
            b.exchangeId = id;
            b.wireApi = "anthropic";
            b.host = "api.anthropic.com";
            b.requestModel = "claude-sonnet-4";
            b.responseModel = "claude-sonnet-4-20250514";
            b.status = i % 50 == 0 ? 429 : 200;
            b.finishReason = "end_turn";
            b.finish = FinishKind.COMPLETE;
            b.inputTokens = 1200L;
            b.outputTokens = 400L;
            b.cacheReadTokens = 800L;
            b.requestNanos = ts;
            b.responseHeadersNanos = ts + 300_000_000;
            b.firstContentNanos = ts + 300_000_000;
            b.endNanos = ts + 300_000_000 + rnd.nextInt(900_000_000);
            b.toolsOffered = tools;
            b.toolCalls = i % 3 == 0 ? List.of(new ToolCall("toolu_" + i, "Bash", "{\"command\":\"ls -la\"}"))
                    : List.of();
            b.systemPrompt = "You are Claude Code.";
            b.messages = List.of(Message.text("user", i + " " + prompt));
            b.outputText = answer;
            b.agent = tail.equals("none") ? new AgentTag("claude-code", "session-" + (i / 500),
                    (long) (i / 20 * 20 * 30 + 1) * 64, false, false, 0) : null;
            llm.add(b.build());
        }
        // The tail's rows: one turn and one session per call, a link per tool call (the big capture).
        List<AgentTurn> turns = new ArrayList<>();
        List<AgentSession> sessions = new ArrayList<>();
        List<ToolLink> links = new ArrayList<>();
        List<AgentTag> tags = new ArrayList<>();
        if (!tail.equals("none")) {
            for (int i = 0; i < calls; i++) {
                LlmCall c = llm.get(i);
                String sid = "ses_" + Long.toHexString(c.id() * 2654435761L);
                tags.add(new AgentTag("claude-code", sid, c.id(), false, false, 0));
                turns.add(new AgentTurn(c.id(), sid, "claude-code", AgentTurn.Status.COMPLETE, c.requestNanos(),
                        c.endNanos(), List.of(c.id()), 1200, 400, 800, 0, c.toolCalls().size(), 0,
                        List.of("claude-sonnet-4-20250514"), List.of(), prompts.get(i % pool).substring(0, 200),
                        answers.get(i % pool).substring(0, 200)));
                sessions.add(new AgentSession(sid, "claude-code", List.of(c.id()), c.requestNanos(), c.endNanos(), 1200,
                        400, 800, 0));
                for (ToolCall tc : c.toolCalls()) {
                    links.add(new ToolLink(tc.id(), tc.name(), c.id(), c.id() + 64, 1_000_000, false));
                }
            }
        }

        try (HeronStore store = HeronStore.open(dir,
                StoreOptions.defaults().withCompress(compress).withMaskSecrets(mask))) {
            long start = System.nanoTime();
            long cpu0 = processCpuNanos();
            long main0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long rows = 0;
            try (StoreWriter w = store.writer()) {
                if (deferIndexes) {
                    w.deferRows();
                }
                long id = w.beginCapture(new Capture(0, "/bench.pcapng", "pcapng", 1L << 30, "bench", List.of(1), 0, 0,
                        0, Capture.ImportStatus.IMPORTING));
                long frame = 1;
                List<StoreWriter.Payload> staged = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    HttpExchange e = exchanges.get(i);
                    if (i % 10 == 0) {
                        w.connection(new Connection(e.connectionId(), e.client(), e.server(), t0, t0 + 1, 100, 100,
                                50_000, 20_000, 0, 0, 0, 0, Connection.Protocol.HTTP));
                    }
                    for (int k = 0; k < packetsPerCall; k++) {
                        w.packet(new PacketRecord(frame, t0 + frame, frame * 1000, 1514, 1514, 1, e.connectionId(),
                                null, null));
                        frame++;
                    }
                    w.exchange(e);
                    if (tail.equals("none")) {
                        w.call(llm.get(i));
                    } else {
                        StoreWriter.Payload p = w.encodeCall(llm.get(i));
                        w.stage(p);
                        staged.add(p);
                    }
                }
                if (!tail.equals("none")) {
                    w.flush();
                    long tail0 = System.nanoTime();
                    long tailCpu0 = processCpuNanos();
                    if (tail.equals("concurrent")) {
                        w.agentRowsConcurrently(turns, sessions, links);
                    }
                    for (int i = 0; i < calls; i++) {
                        w.call(llm.get(i).withAgent(tags.get(i)), staged.get(i));
                    }
                    if (tail.equals("serial")) {
                        w.turns(turns);
                        w.sessions(sessions);
                        w.toolLinks(links);
                    }
                    rows = w.rowsWritten();
                    w.finish(Capture.ImportStatus.COMPLETE);
                    System.out.printf("tail (%s, epoch ms %d-%d): %,d calls, %,d turns, %,d sessions, %,d links in %.2f "
                            + "s wall, process CPU %.2f s%n", tail, System.currentTimeMillis() - (System.nanoTime() - tail0)
                                    / 1_000_000, System.currentTimeMillis(), calls, turns.size(), sessions.size(), links.size(),
                            (System.nanoTime() - tail0) / 1e9, (processCpuNanos() - tailCpu0) / 1e9);
                } else {
                    rows = w.rowsWritten();
                    w.finish(Capture.ImportStatus.COMPLETE);
                }
                double s = (System.nanoTime() - start) / 1e9;
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                double mainCpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                        - main0) / 1e9;
                System.out.printf("writer thread CPU %.2f s (%.0f calls per CPU-second)%n", mainCpu, calls / mainCpu);
                long size = store.sizeBytes();
                System.out.printf("wrote %d calls (%d rows, %d packets, %.0f MB bodies) in %.2f s: %.0f calls/s, "
                        + "%.0f rows/s, %.1f MB/s of bodies%n", calls, rows, frame - 1, bodyBytes / 1e6, s, calls / s,
                        rows / s, bodyBytes / 1e6 / s);
                System.out.printf("process CPU time %.2f s (%.0f calls per CPU-second; the wall-clock rate depends on "
                        + "what else the machine runs)%n", cpu, calls / cpu);
                System.out.printf("compress=%s mask=%s: store size %.1f MB (%.0f bytes per call)%n", compress, mask,
                        size / 1e6, (double) size / calls);
                if (deferIndexes) {
                    long ix0 = System.nanoTime();
                    long ixCpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    store.ensureRows(id);
                    System.out.printf("views' indexes built on demand in %.2f s (thread CPU %.2f s)%n",
                            (System.nanoTime() - ix0) / 1e9,
                            (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                                    - ixCpu0) / 1e9);
                }
                timeReads(store, id);
            }
        }
        long closed = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            closed = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("size after close: %.1f MB%n", closed / 1e6);
    }

    private static void timeReads(HeronStore store, long id) {
        CallQueries q = store.calls();
        for (int round = 0; round < 2; round++) {
            long a = System.nanoTime();
            long n = q.count(id, CallFilter.ALL);
            long b = System.nanoTime();
            List<LlmCall> first = q.page(id, CallFilter.ALL, CallQueries.Sort.REQUEST_TIME, true, 0, 100);
            long c = System.nanoTime();
            List<LlmCall> byE2e = q.page(id, CallFilter.ALL, CallQueries.Sort.E2E, false, 0, 100);
            long d = System.nanoTime();
            List<LlmCall> deep = q.page(id, CallFilter.ALL.withModel("sonnet"), CallQueries.Sort.REQUEST_TIME, true,
                    100_000, 100);
            long e = System.nanoTime();
            var topo = store.aggregations().topology(id);
            long f = System.nanoTime();
            var buckets = store.aggregations().callsOverTime(id, 60_000_000_000L);
            long g = System.nanoTime();
            System.out.printf("reads (round %d): count %d in %.0f ms; page by time %d in %.0f ms; page by e2e %d in "
                    + "%.0f ms; filtered page at offset 100k %d in %.0f ms; topology %d edges in %.0f ms; "
                    + "%d minute buckets in %.0f ms%n", round, n, (b - a) / 1e6, first.size(), (c - b) / 1e6,
                    byE2e.size(), (d - c) / 1e6, deep.size(), (e - d) / 1e6, topo.size(), (f - e) / 1e6,
                    buckets.size(), (g - f) / 1e6);
        }
    }

    /** Speed of a trivial loop, to read the numbers against how busy the machine was. */
    private static double calibrate() {
        byte[] b = new byte[1 << 16];
        new Random(1).nextBytes(b);
        long hits = 0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long t = System.nanoTime();
            for (int k = 0; k < 16; k++) {
                for (byte x : b) {
                    if (x == 'J' || x == '-' || x == 'z') {
                        hits++;
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - t) / (16.0 * b.length));
        }
        return hits < 0 ? -1 : best;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static String text(Random rnd, int len) {
        StringBuilder sb = new StringBuilder(len + 16);
        while (sb.length() < len) {
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
            sb.append(rnd.nextInt(12) == 0 ? ". " : " ");
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
