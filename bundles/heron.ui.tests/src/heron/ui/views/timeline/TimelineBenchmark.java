package heron.ui.views.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Display;

import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.Endpoint;
import heron.core.model.Headers;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.LlmCall;
import heron.core.model.ToolCall;
import heron.core.model.ToolLink;
import heron.store.HeronStore;
import heron.store.StoreWriter;
import heron.store.query.Timeline;
import heron.store.query.TimelineQuery;
import heron.store.query.TimelineQuery.CallSpan;
import heron.store.query.TimelineQuery.Data;
import heron.store.query.TimelineQuery.Scope;
import heron.store.query.TimelineQuery.ToolRun;

/**
 * Benchmark of the Timeline (not run by the build): a synthetic session of N calls (turns of 10
 * calls, every 5th turn with a 3-call sub-agent, tool runs between calls, a keep-alive connection
 * per 50 calls) and one turn of 500 calls. Times, as CPU time of the measuring thread and wall
 * time: the store read ({@link TimelineQuery}, on a temporary store), the model build
 * ({@link Timeline#of}) and painting ({@link TimelinePainter}) into an offscreen 1600x900 image,
 * fitted and zoomed. Needs a display (run under xvfb-run).
 *
 * <pre>
 * xvfb-run -a java -cp ... heron.ui.views.timeline.TimelineBenchmark [calls=5000] [frames=50]
 * </pre>
 */
public final class TimelineBenchmark {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_790_000_000_000_000_000L;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TimelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        System.out.printf("load average %.2f, %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        Data session = session(n, 10);
        Data turn = session(500, 500);
        Path dir = Files.createTempDirectory("heron-timeline-bench");
        try {
            long[] capture = new long[1];
            try (HeronStore store = HeronStore.open(dir)) {
                write(store, session, capture);
                TimelineQuery q = new TimelineQuery(store);
                for (int i = 0; i < 3; i++) {
                    q.load(capture[0], Scope.session("bench")); // warm-up
                }
                measure("store read of the session (" + n + " calls)", 10,
                        () -> q.load(capture[0], Scope.session("bench")).calls().size());
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (int i = 0; i < 20; i++) {
            Timeline.of(session, Timeline.LaneMode.TURN); // warm-up
        }
        measure("model build, " + n + " calls by turn", 20,
                () -> Timeline.of(session, Timeline.LaneMode.TURN).bars().size());
        measure("model build, " + n + " calls by connection", 20,
                () -> Timeline.of(session, Timeline.LaneMode.CONNECTION).bars().size());
        measure("model build, turn of 500 calls", 20, () -> Timeline.of(turn, Timeline.LaneMode.TURN).bars().size());

        Display display = new Display();
        TimelinePainter painter = new TimelinePainter(display);
        Image image = new Image(display, 1600, 900);
        GC gc = new GC(image);
        try {
            Timeline st = Timeline.of(session, Timeline.LaneMode.TURN);
            Timeline tt = Timeline.of(turn, Timeline.LaneMode.TURN);
            Timeline ct = Timeline.of(session, Timeline.LaneMode.CONNECTION);
            long span = st.endNanos() - st.startNanos();
            TimelinePainter.Viewport fit = new TimelinePainter.Viewport(st.startNanos(), st.endNanos(), 0);
            Set<Long> sel = Set.of(st.calls().get(0).callId());
            for (int i = 0; i < 10; i++) {
                painter.paint(gc, st, fit, 1600, 900, sel); // warm-up
            }
            measure("paint " + n + " calls by turn, fitted, 1600x900", frames,
                    () -> painter.paint(gc, st, fit, 1600, 900, sel));
            measure("paint " + n + " calls by connection, fitted, 1600x900", frames, () -> painter.paint(gc, ct,
                    new TimelinePainter.Viewport(ct.startNanos(), ct.endNanos(), 0), 1600, 900, sel));
            // Lanes run down like a staircase: start at the middle call's lane and time, pan right.
            Timeline.Bar middle = st.calls().get(st.calls().size() / 2);
            int top = Math.max(0, st.row(middle) - 5);
            long[] step = { 0 };
            measure("paint " + n + " calls zoomed to 1/100, panning, 1600x900", frames, () -> {
                long from = middle.startNanos() + step[0]++ * span / 5000;
                return painter.paint(gc, st, new TimelinePainter.Viewport(from, from + span / 100, top), 1600, 900,
                        sel);
            });
            measure("paint turn of 500 calls, fitted, 1600x900", frames, () -> painter.paint(gc, tt,
                    new TimelinePainter.Viewport(tt.startNanos(), tt.endNanos(), 0), 1600, 900, sel));
            measure("model build + first paint, " + n + " calls", frames, () -> {
                Timeline t = Timeline.of(session, Timeline.LaneMode.TURN);
                return painter.paint(gc, t, new TimelinePainter.Viewport(t.startNanos(), t.endNanos(), 0), 1600, 900,
                        sel);
            });
        } finally {
            gc.dispose();
            image.dispose();
            painter.dispose();
            display.dispose();
        }
    }

    private static void measure(String what, int runs, LongSupplier work) {
        long result = 0;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            result += work.getAsLong();
        }
        double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6 / runs;
        double wall = (System.nanoTime() - wall0) / 1e6 / runs;
        System.out.printf("%-62s cpu %8.2f ms  wall %8.2f ms  (x%d, %d items)%n", what, cpu, wall, runs,
                result / runs);
    }

    /**
     * {@code n} calls in turns of {@code perTurn}: 0.3-1.5 s to first content, 1-6 s long, tool
     * runs of 50 ms-4 s between them; every 5th turn starts a 3-call sub-agent from its first call.
     */
    static Data session(int n, int perTurn) {
        Random r = new Random(42);
        List<CallSpan> calls = new ArrayList<>(n);
        List<ToolRun> runs = new ArrayList<>();
        long t = T0;
        long id = 1;
        String[] tools = { "Bash", "Read", "Edit", "Grep", "Write", "WebFetch" };
        while (calls.size() < n) {
            long turnId = id;
            CallSpan prev = null;
            int inTurn = Math.min(perTurn, n - calls.size());
            boolean sub = turnId % 5 == 1 && inTurn >= 5;
            for (int i = 0; i < inTurn; i++) {
                long start = t;
                long ttft = 300 * MS + r.nextInt(1200) * MS;
                long end = start + ttft + 1000 * MS + r.nextInt(5000) * MS;
                String tool = tools[r.nextInt(tools.length)];
                CallSpan c = new CallSpan(id, turnId, "bench", 1 + calls.size() / 50, "api.anthropic.com", start,
                        start + ttft, end, "claude-sonnet-4", 200, r.nextInt(100) == 0, false, false, 0,
                        List.of(tool));
                calls.add(c);
                if (prev != null) {
                    runs.add(new ToolRun(prev.callId(), c.callId(), prev.toolNames(), false));
                }
                prev = c;
                id++;
                t = end + 50 * MS + r.nextInt(4000) * MS;
                if (sub && i == 0) {
                    // The sub-agent runs inside its parent's tool run, before the next main call.
                    long ps = c.endNanos() + 20 * MS;
                    CallSpan sp = null;
                    for (int k = 0; k < 3 && calls.size() < n - (inTurn - i - 1); k++) {
                        CallSpan s = new CallSpan(id, turnId, "bench", 1 + calls.size() / 50, "api.anthropic.com", ps,
                                ps + 400 * MS, ps + 2000 * MS, "claude-haiku-4", 200, false, true, false, c.callId(),
                                List.of("Read"));
                        calls.add(s);
                        if (sp != null) {
                            runs.add(new ToolRun(sp.callId(), s.callId(), List.of("Read"), false));
                        }
                        sp = s;
                        id++;
                        ps += 2300 * MS;
                    }
                    t = Math.max(t, ps + 100 * MS);
                }
            }
            t += 20_000 * MS; // the user reads the answer and types the next prompt
        }
        calls.sort(Comparator.comparingLong(CallSpan::requestNanos).thenComparingLong(CallSpan::callId));
        return new Data(calls, runs);
    }

    /** Writes the session into the store as calls, exchanges, turns, one session and tool links. */
    private static void write(HeronStore store, Data d, long[] captureId) {
        try (StoreWriter w = store.writer()) {
            captureId[0] = w.beginCapture(new Capture(0, "/bench", "pcap", 1, "bench-" + System.nanoTime(),
                    List.of(1), 0, 0, 0, Capture.ImportStatus.IMPORTING));
            Endpoint client = new Endpoint("10.0.0.2", 40000);
            Endpoint server = new Endpoint("10.0.0.1", 443);
            java.util.Map<Long, List<Long>> turns = new java.util.LinkedHashMap<>();
            for (CallSpan c : d.calls()) {
                w.exchange(new HttpExchange(c.callId(), c.connectionId(), 0, client, server,
                        new HttpRequest("POST", "/v1/messages", "HTTP/1.1", new Headers(List.of()), null,
                                c.requestNanos(), c.requestNanos(), 0, 0),
                        null, null));
                LlmCall.Builder b = LlmCall.builder();
                b.id = c.callId();
                b.exchangeId = c.callId();
                b.wireApi = "anthropic";
                b.host = c.server();
                b.requestModel = c.model();
                b.stream = true;
                b.status = c.status();
                b.requestNanos = c.requestNanos();
                b.firstContentNanos = c.firstContentNanos();
                b.endNanos = c.endNanos();
                b.toolCalls = List.of(new ToolCall("t" + c.callId(), c.toolNames().get(0), "{}"));
                b.agent = new AgentTag("claude-code", "bench", c.turnId(), false, c.subagent(), c.parentCallId());
                w.call(b.build());
                turns.computeIfAbsent(c.turnId(), k -> new ArrayList<>()).add(c.callId());
            }
            turns.forEach((tid, ids) -> w.turn(new AgentTurn(tid, "bench", "claude-code", AgentTurn.Status.COMPLETE,
                    0, 0, ids, 0, 0, 0, 0, 0, 0, List.of(), List.of(), "", "")));
            w.session(new AgentSession("bench", "claude-code", List.copyOf(turns.keySet()), 0, 0, 0, 0, 0, 0));
            List<ToolLink> links = new ArrayList<>();
            for (ToolRun r : d.toolRuns()) {
                links.add(new ToolLink("t" + r.askedByCallId(), r.toolNames().get(0), r.askedByCallId(),
                        r.resultCallId(), 0, false));
            }
            w.toolLinks(links);
            w.finish(Capture.ImportStatus.COMPLETE);
        }
    }
}
