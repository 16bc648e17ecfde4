package heron.ui.views.topology.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

import heron.core.model.Endpoint;
import heron.store.query.Topology;
import heron.store.query.TopologyBuilder;
import heron.store.query.TopologyBuilder.CallRoute;
import heron.ui.views.topology.TopologyCanvas;
import heron.ui.views.topology.TopologyScene;
import heron.ui.views.topology.layout.ElkGraphLayout;

/**
 * Times the Topology view's two costs on a synthetic graph: the ELK layout (the view's job) and
 * one full paint into an offscreen image (the UI thread). CPU time of the calling thread, so the
 * numbers hold on a loaded machine. Run it from {@code TopologyViewTest#layoutAndDrawOf200Endpoints}
 * (it prints one line) or as a Java application with SWT, ELK and the Heron bundles on the
 * class path: {@code TopologyBenchmark [endpoints]}.
 */
public final class TopologyBenchmark {

    /** CPU milliseconds per step; {@code layoutMs} and {@code paintMs} are medians of {@code runs}. */
    public record Numbers(int nodes, int edges, long calls, double buildMs, double layoutMs, double paintMs,
            int runs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "topology of %d nodes, %d edges (%d calls): graph %.1f ms, layout %.1f ms, paint %.1f ms "
                            + "(CPU, median of %d)",
                    nodes, edges, calls, buildMs, layoutMs, paintMs, runs);
        }
    }

    private TopologyBenchmark() {
    }

    /**
     * A capture-shaped graph of {@code endpoints} nodes: 60% clients (each its own IP, one of five
     * agent kinds), 10% proxies, 30% model servers; each client calls one or two proxies and
     * sometimes a server directly; each server is called by one or two proxies. Seeded: always
     * the same graph.
     */
    public static Topology synthetic(int endpoints, long[] callCount) {
        Random r = new Random(42);
        int proxies = Math.max(1, endpoints / 10);
        int servers = Math.max(1, endpoints * 3 / 10);
        int clients = Math.max(1, endpoints - proxies - servers);
        String[] agents = { "claude-code", "codex", "opencode", null, "sdk:openai-node" };
        String[] kinds = { "vLLM", "SGLang", "Ollama", "llama.cpp", "OpenAI", "Anthropic" };
        TopologyBuilder b = new TopologyBuilder();
        long id = 0;
        for (int c = 0; c < clients; c++) {
            String ip = "10.1." + (c / 250) + "." + (c % 250 + 1);
            int links = 1 + r.nextInt(2);
            for (int l = 0; l < links; l++) {
                // The first link goes round-robin so that every proxy is used.
                Endpoint p = proxy(l == 0 ? c % proxies : r.nextInt(proxies));
                for (int k = 0, n = 1 + r.nextInt(40); k < n; k++) {
                    b.add(new CallRoute(++id, ip, p, agents[c % agents.length], (long) (c * 100 + k / 4),
                            r.nextInt(50) == 0, 50_000_000L + r.nextInt(2_000_000_000), "LiteLLM", "gpt-4o"));
                }
            }
            if (r.nextInt(5) == 0) {
                b.add(new CallRoute(++id, ip, server(r.nextInt(servers)), agents[c % agents.length], null, false,
                        30_000_000L, "vLLM", "llama-3.1-8b"));
            }
        }
        for (int s = 0; s < servers; s++) {
            // Every server behind one proxy round-robin, some behind a second one.
            int[] via = r.nextInt(3) == 0 ? new int[] { s % proxies, r.nextInt(proxies) } : new int[] { s % proxies };
            for (int p : via) {
                String ip = proxy(p).ip();
                for (int k = 0, m = 1 + r.nextInt(60); k < m; k++) {
                    b.add(new CallRoute(++id, ip, server(s), null, null, r.nextInt(20) == 0,
                            20_000_000L + r.nextInt(1_500_000_000), kinds[s % kinds.length], "model-" + (s % 7)));
                }
            }
        }
        callCount[0] = id;
        return b.build();
    }

    private static Endpoint proxy(int p) {
        return new Endpoint("10.2." + (p / 250) + "." + (p % 250 + 1), 4000);
    }

    private static Endpoint server(int s) {
        return new Endpoint("10.3." + (s / 250) + "." + (s % 250 + 1), 8000);
    }

    /** Runs the benchmark on the UI thread of {@code display}. */
    public static Numbers run(Display display, int endpoints, int runs) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        long[] calls = new long[1];
        Topology t = synthetic(endpoints, calls);
        double buildMs = (mx.getCurrentThreadCpuTime() - t0) / 1e6;

        Shell shell = new Shell(display);
        shell.setLayout(new FillLayout());
        shell.setSize(1600, 1000);
        try {
            TopologyCanvas canvas = new TopologyCanvas(shell);
            shell.layout(true);
            TopologyScene.TextMetrics metrics = canvas.metrics();
            ElkGraphLayout layout = new ElkGraphLayout();
            for (int i = 0; i < 3; i++) {
                TopologyScene.build(t, metrics, layout); // warm-up: class loading, JIT
            }
            double[] layoutMs = new double[runs];
            TopologyScene scene = null;
            for (int i = 0; i < runs; i++) {
                long s = mx.getCurrentThreadCpuTime();
                scene = TopologyScene.build(t, metrics, layout);
                layoutMs[i] = (mx.getCurrentThreadCpuTime() - s) / 1e6;
            }
            canvas.setScene(scene);
            canvas.fit();
            Rectangle area = new Rectangle(0, 0, 1600, 1000);
            Image image = new Image(display, area.width, area.height);
            double[] paintMs = new double[runs];
            try {
                for (int i = -3; i < runs; i++) {
                    GC gc = new GC(image);
                    long s = mx.getCurrentThreadCpuTime();
                    canvas.paint(gc, area);
                    double ms = (mx.getCurrentThreadCpuTime() - s) / 1e6;
                    gc.dispose();
                    if (i >= 0) {
                        paintMs[i] = ms;
                    }
                }
            } finally {
                image.dispose();
            }
            return new Numbers(t.nodes().size(), t.edges().size(), calls[0], buildMs, median(layoutMs),
                    median(paintMs), runs);
        } finally {
            shell.dispose();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) {
        int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Display display = new Display();
        try {
            System.out.println(run(display, endpoints, 5));
        } finally {
            display.dispose();
        }
    }

}
