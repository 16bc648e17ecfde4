package heron.ui.views;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.page;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.PlatformUI;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.swt.ChartComposite;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.filter.CallFilter;
import heron.core.model.LlmCall;
import heron.core.model.TimeWindow;
import heron.store.query.CallQueries;
import heron.store.query.Metrics;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;
import heron.ui.perspectives.AnalysisPerspective;
import heron.ui.views.calls.CallListView;
import heron.ui.views.metrics.MetricsCharts;
import heron.ui.views.metrics.MetricsView;

/**
 * The Metrics view on real captures: its chart datasets must hold the numbers of the capture's
 * truth file (token totals, call counts, cache hit ratio by the wire API's own counting rule).
 */
class MetricsViewTest {
    /** heron.ui.perspectives.performance.PerformancePerspective and the Topology view, by id. */
    static final String PERFORMANCE = "heron.ui.perspectives.performance";
    static final String TOPOLOGY = "heron.ui.views.topology";

    /** Token sums of a truth file's LLM calls, read the way each wire API reports them. */
    record Truth(long calls, long input, long output, long cacheRead, long cacheWrite) {
        static Truth of(Path truthFile) throws IOException {
            return of(truthFile, "");
        }

        /** Only the exchanges whose wire API starts with {@code apiPrefix} ("anthropic" covers "anthropic-messages"). */
        static Truth of(Path truthFile, String apiPrefix) throws IOException {
            JsonNode t = new ObjectMapper().readTree(truthFile.toFile());
            long calls = 0, in = 0, out = 0, read = 0, write = 0;
            for (JsonNode e : t.get("exchanges")) {
                String api = e.path("wire_api").asText("");
                if (api.isEmpty() || api.contains("count-tokens") || !api.startsWith(apiPrefix)) {
                    continue;
                }
                calls++;
                JsonNode u = e.path("response").path("usage");
                if (api.startsWith("anthropic")) {
                    in += u.path("input_tokens").asLong();
                    out += u.path("output_tokens").asLong();
                    read += u.path("cache_read_input_tokens").asLong();
                    write += u.path("cache_creation_input_tokens").asLong();
                } else if (api.equals("openai-chat")) {
                    in += u.path("prompt_tokens").asLong();
                    out += u.path("completion_tokens").asLong();
                    read += u.path("prompt_tokens_details").path("cached_tokens").asLong();
                } else if (api.equals("openai-responses")) {
                    in += u.path("input_tokens").asLong();
                    out += u.path("output_tokens").asLong();
                    read += u.path("input_tokens_details").path("cached_tokens").asLong();
                } else if (api.equals("gemini")) {
                    in += u.path("promptTokenCount").asLong();
                    out += u.path("candidatesTokenCount").asLong();
                    read += u.path("cachedContentTokenCount").asLong();
                }
            }
            return new Truth(calls, in, out, read, write);
        }
    }

    static Truth truth(String capture) throws IOException {
        return Truth.of(testdata(capture.replaceFirst("\\.pcap(ng)?$", ".truth.json")));
    }

    static MetricsView metricsOf(Path capture) throws Exception {
        long id = open(capture);
        MetricsView v = show(MetricsView.ID);
        v.reload();
        waitFor("metrics", () -> v.isLoaded() && v.charts() != null
                && CaptureContext.get().captureId() == id, 60_000);
        return v;
    }

    /** Sum over the buckets of a rate series times the bucket width: the total it came from. */
    static double total(MetricsCharts charts, String chart, String series) {
        XYSeries s = charts.series(chart, series);
        double sum = 0;
        for (int i = 0; i < s.getItemCount(); i++) {
            Number y = s.getY(i);
            sum += y == null ? 0 : y.doubleValue();
        }
        return sum * charts.metrics().bucketNanos() / 1e9;
    }

    static java.util.Set<Long> capturesBefore;

    @org.junit.jupiter.api.BeforeAll
    static void rememberCaptures() {
        capturesBefore = new java.util.HashSet<>();
        WorkspaceStore.get().captures().list().forEach(c -> capturesBefore.add(c.id()));
    }

    /** Removes the captures this class imported, so other tests (and their screenshots) see the workspace as before. */
    @org.junit.jupiter.api.AfterAll
    static void forgetCaptures() {
        List<Long> added = WorkspaceStore.get().captures().list().stream().map(c -> c.id())
                .filter(id -> !capturesBefore.contains(id)).toList();
        if (added.contains(CaptureContext.get().captureId())) {
            CaptureContext.get().show(capturesBefore.isEmpty() ? 0 : capturesBefore.iterator().next());
        }
        added.forEach(WorkspaceStore.get()::deleteCapture);
        CaptureContext.get().show(CaptureContext.get().captureId()); // refreshes the Captures view
    }

    /** Leaves the workbench as the other UI tests expect it: Analysis only, without the Metrics view. */
    @AfterEach
    void backToAnalysis() {
        var reg = PlatformUI.getWorkbench().getPerspectiveRegistry();
        if (!AnalysisPerspective.ID.equals(page().getPerspective().getId())) {
            page().setPerspective(reg.findPerspectiveWithId(AnalysisPerspective.ID));
        }
        var performance = reg.findPerspectiveWithId(PERFORMANCE);
        if (performance != null) {
            page().closePerspective(performance, false, false);
        }
        var metrics = page().findView(MetricsView.ID);
        if (metrics != null) {
            page().hideView(metrics);
        }
    }

    @Test
    void chartDatasetsHoldTheTruthFilesTokenTotalsAndCallCounts() throws Exception {
        MetricsView v = metricsOf(testdata("cc-turn-2tools.pcap"));
        Truth t = truth("cc-turn-2tools.pcap");
        MetricsCharts c = v.charts();
        assertEquals(3, t.calls());
        assertEquals(t.output(), total(c, MetricsCharts.TOKENS, MetricsCharts.OUTPUT_PER_S), 1e-6);
        assertEquals(t.input(), total(c, MetricsCharts.TOKENS, MetricsCharts.INPUT_PER_S), 1e-6);
        assertEquals(t.cacheRead(), total(c, MetricsCharts.TOKENS, MetricsCharts.CACHE_READ_PER_S), 1e-6);
        assertEquals(t.calls(), total(c, MetricsCharts.CALLS, MetricsCharts.CALLS_PER_S), 1e-6);
        assertEquals(new Metrics.Totals(3, t.input(), t.output(), t.cacheRead(), t.cacheWrite(),
                t.input() + t.cacheRead() + t.cacheWrite(), 0, 0), c.metrics().totals());
        @SuppressWarnings("unchecked")
        PiePlot<String> byApi = (PiePlot<String>) c.chart(MetricsCharts.BY_WIRE_API).getPlot();
        assertEquals(3, byApi.getDataset().getValue("anthropic").intValue());
        CategoryPlot byModel = c.chart(MetricsCharts.BY_MODEL).getCategoryPlot();
        assertEquals(3, byModel.getDataset().getValue("calls", "claude-opus-4-8").intValue());
        // Anthropic: input_tokens leaves the cached tokens out, so the prompt is input + read + write.
        double ratio = (double) t.cacheRead() / (t.input() + t.cacheRead() + t.cacheWrite());
        CategoryPlot cache = c.chart(MetricsCharts.CACHE_BY_WIRE_API).getCategoryPlot();
        assertEquals(ratio, cache.getDataset().getValue(MetricsCharts.CACHE_HIT, "anthropic").doubleValue(), 1e-12);
        var ttft = c.chart(MetricsCharts.TTFT).getCategoryPlot().getDataset();
        assertEquals(List.of("p50", "p95", "p99"), ttft.getRowKeys());
        assertTrue(ttft.getValue("p50", "claude-opus-4-8").doubleValue() > 0);
        assertTrue(v.chartComposites().size() == MetricsCharts.keys().size(), "one widget per chart");
    }

    @Test
    void openAiCacheHitRatioCountsCachedTokensInsideTheInput() throws Exception {
        MetricsView v = metricsOf(testdata("codex-turn-2tools.pcap"));
        Truth t = truth("codex-turn-2tools.pcap");
        MetricsCharts c = v.charts();
        assertEquals(t.output(), total(c, MetricsCharts.TOKENS, MetricsCharts.OUTPUT_PER_S), 1e-6);
        assertEquals(t.input(), total(c, MetricsCharts.TOKENS, MetricsCharts.INPUT_PER_S), 1e-6);
        CategoryPlot cache = c.chart(MetricsCharts.CACHE_BY_WIRE_API).getCategoryPlot();
        assertEquals((double) t.cacheRead() / t.input(),
                cache.getDataset().getValue(MetricsCharts.CACHE_HIT, "openai-responses").doubleValue(), 1e-12);
    }

    @Test
    void errorRateKeeps429ApartOnACorpusCaptureWithRetries() throws Exception {
        String corpus = System.getProperty("heron.corpus");
        Assumptions.assumeTrue(corpus != null && Files.isDirectory(Path.of(corpus)),
                "shared corpus absent (heron.corpus): skipping the 429 check on sdk-errors-retries");
        MetricsView v = metricsOf(Path.of(corpus, "sdk-errors-retries.pcap"));
        JsonNode truth = new ObjectMapper().readTree(Path.of(corpus, "sdk-errors-retries.truth.json").toFile());
        long limited = 0, failed = 0;
        for (JsonNode e : truth.get("exchanges")) {
            int status = e.path("status").asInt();
            limited += status == 429 ? 1 : 0;
            failed += status >= 400 && status != 429 ? 1 : 0;
        }
        Metrics.Totals totals = v.charts().metrics().totals();
        assertEquals(limited, totals.rateLimited());
        assertEquals(failed, totals.errors());
        double rateLimitedCalls = 0;
        XYSeries s = v.charts().series(MetricsCharts.ERRORS, MetricsCharts.RATE_LIMITED);
        for (int i = 0; i < s.getItemCount(); i++) {
            if (s.getY(i) != null) {
                rateLimitedCalls += s.getY(i).doubleValue() * v.charts().metrics().buckets().get(i).calls();
            }
        }
        assertEquals(limited, rateLimitedCalls, 1e-9);
    }

    /**
     * The headless provider on real captures of every wire API: per wire API call counts, token
     * sums and cache hit ratio (each by its own counting rule) equal the truth files'.
     */
    @Test
    void metricsQueryMatchesTheTruthOfEveryWireApi() throws Exception {
        List<Path> captures = new java.util.ArrayList<>(List.of(testdata("sdk-anthropic.pcap"),
                testdata("sdk-openai-chat.pcap"), testdata("codex-turn-2tools.pcap")));
        String corpus = System.getProperty("heron.corpus");
        if (corpus != null && Files.isDirectory(Path.of(corpus))) {
            for (String name : List.of("gemini-session-resume.pcap", "edge-concurrent-10conn.pcap")) {
                captures.add(Path.of(corpus, name));
            }
        }
        for (Path capture : captures) {
            long id = open(capture);
            Metrics m = new heron.store.query.MetricsQuery(WorkspaceStore.get()).compute(id, 1000, () -> false)
                    .orElseThrow();
            Path truthFile = capture.resolveSibling(capture.getFileName().toString().replaceFirst("\\.pcap$",
                    ".truth.json"));
            for (Metrics.CacheUsage u : m.cacheByWireApi()) {
                Truth t = Truth.of(truthFile, u.wireApi());
                String where = capture.getFileName() + " " + u.wireApi();
                assertEquals(t.calls(), u.calls(), where + " calls");
                assertEquals(t.input(), u.inputTokens(), where + " input");
                assertEquals(t.cacheRead(), u.cacheReadTokens(), where + " cache read");
                long prompt = u.wireApi().equals("anthropic") ? t.input() + t.cacheRead() + t.cacheWrite() : t.input();
                assertEquals(prompt, u.promptTokens(), where + " prompt");
            }
            Truth all = Truth.of(truthFile);
            assertEquals(all.calls(), m.totals().calls(), capture.getFileName() + " calls");
            assertEquals(all.output(), m.totals().outputTokens(), capture.getFileName() + " output");
        }
    }

    @Test
    void pngExportWritesAValidPngOfTheCharts() throws Exception {
        MetricsView v = metricsOf(testdata("cc-turn-2tools.pcap"));
        Path out = Files.createTempFile("heron-metrics", ".png");
        v.exportPng(out);
        byte[] head = Arrays.copyOf(Files.readAllBytes(out), 8);
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, head);
        BufferedImage img = ImageIO.read(out.toFile());
        assertNotNull(img, "readable PNG");
        assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, img.getWidth() + "x" + img.getHeight());
        Files.delete(out);
    }

    @Test
    void draggingAcrossATimeChartFiltersTheCallsViewToThatWindow() throws Exception {
        MetricsView v = metricsOf(testdata("cc-turn-2tools.pcap"));
        CallListView calls = show(CallListView.ID);
        calls.reload();
        waitFor("calls", calls::isLoaded, 30_000);
        page().activate(v);
        ChartComposite chart = v.chartComposites().get(MetricsCharts.CALLS);
        waitFor("chart laid out", () -> chart.getScreenDataArea().width > 50, 10_000);
        Rectangle area = chart.getScreenDataArea();
        Control canvas = chart.getChildren()[0];
        int y = area.y + area.height / 2;
        // The left fifth of the time axis: the first call, not the later ones.
        drag(canvas, area.x + 1, area.x + area.width / 5, y);
        TimeWindow w = v.window();
        assertNotNull(w, "a drag selects a window");
        assertEquals(CaptureContext.get().captureId(), w.captureId());
        assertTrue(((IStructuredSelection) v.getSite().getSelectionProvider().getSelection())
                .getFirstElement() instanceof TimeWindow, "published as the view's selection");
        List<LlmCall> all = WorkspaceStore.get().calls().page(w.captureId(),
                heron.store.query.CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1000);
        CallFilter f = CallFilter.parse(w.callFilter());
        long expected = all.stream().filter(f).count();
        assertTrue(expected >= 1 && expected < all.size(), "window holds some calls: " + expected);
        assertEquals(expected, calls.rowCount());
        // The By Model and Wire API tab follows the window.
        waitFor("window breakdown", () -> v.breakdown() != v.charts(), 30_000);
        assertEquals(expected, v.breakdown().metrics().totals().calls());
        long modelCalls = v.breakdown().metrics().callsByModel().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(expected, modelCalls);
        assertTrue(v.chartComposites().get(MetricsCharts.BY_MODEL).getChart() == v.breakdown().chart(
                MetricsCharts.BY_MODEL), "the widget shows the window's chart");
        // A click without dragging clears the window and the filter it set.
        drag(canvas, area.x + 10, area.x + 10, y);
        assertNull(v.window());
        assertEquals(all.size(), calls.rowCount());
        assertTrue(v.breakdown() == v.charts(), "whole span again");
        assertTrue(v.chartComposites().get(MetricsCharts.BY_MODEL).getChart() == v.charts().chart(
                MetricsCharts.BY_MODEL));
    }

    private static void drag(Control canvas, int x1, int x2, int y) {
        canvas.notifyListeners(SWT.MouseDown, mouse(x1, y));
        canvas.notifyListeners(SWT.MouseMove, mouse((x1 + x2) / 2, y));
        canvas.notifyListeners(SWT.MouseMove, mouse(x2, y));
        canvas.notifyListeners(SWT.MouseUp, mouse(x2, y));
        Display d = Display.getCurrent();
        while (d.readAndDispatch()) {
            // let the calls view apply its filter
        }
    }

    private static Event mouse(int x, int y) {
        Event e = new Event();
        e.button = 1;
        e.x = x;
        e.y = y;
        return e;
    }

    @Test
    void chartsFollowTheViewsBackgroundIntoDarkAndBack() throws Exception {
        MetricsView v = metricsOf(testdata("cc-turn-2tools.pcap"));
        Composite root = v.chartComposites().get(MetricsCharts.CALLS).getParent().getParent().getParent();
        Display d = root.getDisplay();
        var oldBg = root.getBackground();
        var oldFg = root.getForeground();
        try {
            root.setBackground(d.getSystemColor(SWT.COLOR_BLACK));
            root.setForeground(d.getSystemColor(SWT.COLOR_WHITE));
            v.retheme();
            assertTrue(v.theme().dark());
            assertEquals(Color.BLACK, v.charts().chart(MetricsCharts.TOKENS).getBackgroundPaint());
            assertEquals(Color.WHITE, v.charts().chart(MetricsCharts.TOKENS).getTitle().getPaint());
        } finally {
            root.setBackground(oldBg);
            root.setForeground(oldFg);
            v.retheme();
        }
        assertFalse(v.theme().dark(), "the default theme is light");
        assertEquals(v.theme().background(), v.charts().chart(MetricsCharts.TOKENS).getBackgroundPaint());
    }

    @Test
    void performancePerspectiveShowsMetricsBesideTopologyAndCallsBelow() throws Exception {
        open(testdata("cc-turn-2tools.pcap"));
        var reg = PlatformUI.getWorkbench().getPerspectiveRegistry();
        assertNotNull(reg.findPerspectiveWithId(PERFORMANCE), "perspective registered");
        page().setPerspective(reg.findPerspectiveWithId(PERFORMANCE));
        assertEquals(PERFORMANCE, page().getPerspective().getId());
        List<String> shown = Arrays.stream(page().getViewReferences()).map(IViewReference::getId).toList();
        assertTrue(shown.contains(MetricsView.ID), shown.toString());
        assertTrue(shown.contains(CallListView.ID), shown.toString());
        assertNotNull(page().findView(MetricsView.ID));
        assertNotNull(page().findView(CallListView.ID));
        // The Topology view may not be installed: its place is kept by id either way.
        assertTrue(Arrays.asList(page().getShowViewShortcuts()).contains(TOPOLOGY));
        assertTrue(Arrays.asList(page().getPerspectiveShortcuts()).contains(AnalysisPerspective.ID));
        // Window > Open Perspective lists both perspectives.
        org.eclipse.swt.widgets.Menu bar = page().getWorkbenchWindow().getShell().getMenuBar();
        org.eclipse.swt.widgets.MenuItem window = item(bar, "Window");
        assertNotNull(window, "Window menu");
        org.eclipse.swt.widgets.MenuItem openPerspective = item(window.getMenu(), "Open Perspective");
        assertNotNull(openPerspective, "Window > Open Perspective");
        assertNotNull(item(openPerspective.getMenu(), "Performance"));
        assertNotNull(item(openPerspective.getMenu(), "Analysis"));
    }

    /** The item of a menu whose text (without mnemonics) starts with {@code text}; shows the menu first. */
    private static org.eclipse.swt.widgets.MenuItem item(org.eclipse.swt.widgets.Menu menu, String text) {
        if (menu == null) {
            return null;
        }
        menu.notifyListeners(SWT.Show, new Event()); // the workbench fills menus when they are shown
        try {
            for (org.eclipse.swt.widgets.MenuItem i : menu.getItems()) {
                if (i.getText().replace("&", "").startsWith(text)) {
                    return i;
                }
            }
            return null;
        } finally {
            menu.notifyListeners(SWT.Hide, new Event());
        }
    }

    /**
     * Leaves a screenshot of the Metrics view on a real agent capture in
     * target/screenshots/metrics.png (docs/images/metrics.png is a copy): the long Claude Code
     * session of the shared corpus when present, else the small sample.
     */
    @Test
    void screenshotOfTheMetricsViewOnARealAgentCapture() throws Exception {
        String corpus = System.getProperty("heron.corpus");
        Path capture = corpus != null && Files.isReadable(Path.of(corpus, "cc-interactive-long-session.pcap"))
                ? Path.of(corpus, "cc-interactive-long-session.pcap")
                : testdata("cc-turn-2tools.pcap");
        var reg = PlatformUI.getWorkbench().getPerspectiveRegistry();
        page().setPerspective(reg.findPerspectiveWithId(PERFORMANCE));
        MetricsView v = metricsOf(capture);
        page().activate(v);
        var ref = page().getReference(v);
        page().setPartState(ref, org.eclipse.ui.IWorkbenchPage.STATE_MAXIMIZED);
        // Show a brushed window, as after a drag across the middle of the time axis.
        Metrics.TimeRange span = v.charts().metrics().range();
        long from = span.fromNanos() + span.durationNanos() * 3 / 10;
        v.setWindow(new TimeWindow(CaptureContext.get().captureId(), from, from + span.durationNanos() / 4));
        waitFor("window breakdown", () -> v.breakdown() != v.charts(), 30_000);
        Control root = v.chartComposites().get(MetricsCharts.CALLS).getParent().getParent().getParent();
        heron.ui.UiTestSupport.settle(root.getDisplay(), 1500);
        Rectangle b = root.getBounds();
        Path png = heron.ui.UiTestSupport.screenshot(root, "metrics");
        v.exportPng(png.resolveSibling("metrics-export.png"));
        v.showTab(1);
        heron.ui.UiTestSupport.settle(root.getDisplay(), 800);
        heron.ui.UiTestSupport.screenshot(root, "metrics-breakdown");
        v.showTab(0);
        v.setWindow(null);
        page().setPartState(ref, org.eclipse.ui.IWorkbenchPage.STATE_RESTORED);
        assertTrue(b.height > 400, "view maximized for the screenshot: " + b);
        assertTrue(Files.size(png) > 10_000, "screenshot written");
    }
}
