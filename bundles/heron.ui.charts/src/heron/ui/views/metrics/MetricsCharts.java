package heron.ui.views.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardPieSectionLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.xy.XYBarDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import heron.store.query.Metrics;
import heron.store.query.Metrics.Bucket;
import heron.store.query.Metrics.CacheUsage;
import heron.store.query.Metrics.ModelLatency;

/**
 * Builds the Metrics view's charts from a {@link Metrics} model; no widgets, so the datasets
 * can be checked without a display. Time charts plot seconds since the window's start at the
 * middle of each bucket.
 */
public final class MetricsCharts {
    /** Chart keys, in display order; {@link #TIME_CHARTS} share the time axis and the brush. */
    public static final String CALLS = "calls", TOKENS = "tokens", ERRORS = "errors", CACHE = "cache",
            TTFT = "ttft", E2E = "e2e", BY_WIRE_API = "byWireApi", BY_MODEL = "byModel", CACHE_BY_WIRE_API =
                    "cacheByWireApi";
    public static final List<String> TIME_CHARTS = List.of(CALLS, TOKENS, ERRORS, CACHE);
    public static final List<String> BREAKDOWN_CHARTS = List.of(TTFT, E2E, BY_WIRE_API, BY_MODEL, CACHE_BY_WIRE_API);

    /** Series names (keys in the datasets). */
    public static final String CALLS_PER_S = "calls/s", ACTIVE = "active calls", INPUT_PER_S = "input tokens/s",
            OUTPUT_PER_S = "output tokens/s", CACHE_READ_PER_S = "cache read tokens/s", ERROR_RATE =
                    "error rate (not 429)", RATE_LIMITED = "429 rate", CACHE_HIT = "cache hit ratio";

    private final Metrics metrics;
    private final Map<String, JFreeChart> charts = new LinkedHashMap<>();
    private final Map<String, XYSeries> series = new LinkedHashMap<>();

    public MetricsCharts(Metrics metrics) {
        this.metrics = metrics;
        double secs = metrics.bucketNanos() / 1e9;
        String unit = "seconds since the first call (bucket " + bucketLabel(metrics.bucketNanos()) + ")";
        JFreeChart calls = timeChart("Call rate and calls in flight", unit, "calls", false,
                series(CALLS_PER_S, b -> b.calls() / secs));
        // Call rate as bars one bucket wide (a histogram), calls in flight as a line over them.
        XYPlot callsPlot = calls.getXYPlot();
        callsPlot.setDataset(0, new XYBarDataset(callsPlot.getDataset(), secs));
        XYBarRenderer bars = new XYBarRenderer(0.1);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        callsPlot.setRenderer(0, bars);
        callsPlot.setDataset(1, new XYSeriesCollection(series(ACTIVE, Bucket::activeCalls)));
        callsPlot.setRenderer(1, new XYLineAndShapeRenderer(true, false));
        callsPlot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        charts.put(CALLS, register(CALLS, calls));
        charts.put(TOKENS, register(TOKENS, timeChart("Token throughput", unit, "tokens/s", false,
                series(INPUT_PER_S, b -> b.inputTokens() / secs), series(OUTPUT_PER_S, b -> b.outputTokens() / secs),
                series(CACHE_READ_PER_S, b -> b.cacheReadTokens() / secs))));
        // Rates exist only in buckets with calls: show the points, a lone bucket has no line.
        charts.put(ERRORS, register(ERRORS, timeChart("Error rate (429 separate)", unit, "share of calls", true,
                series(ERROR_RATE, Bucket::errorRate), series(RATE_LIMITED, Bucket::rateLimitedRate))));
        charts.put(CACHE, register(CACHE, timeChart("Prompt cache hit ratio", unit, "cached / prompt", true,
                series(CACHE_HIT, Bucket::cacheHitRatio))));
        // One time axis for all four charts, from the first bucket's start to the last one's end.
        List<Bucket> buckets = metrics.buckets();
        double lo = toAxis(buckets.get(0).startNanos());
        double hi = toAxis(buckets.get(buckets.size() - 1).startNanos() + metrics.bucketNanos());
        for (String key : TIME_CHARTS) {
            XYPlot plot = charts.get(key).getXYPlot();
            plot.getDomainAxis().setRange(lo, hi);
            // The same room for every value axis, so the time axes line up across the charts.
            AxisSpace space = new AxisSpace();
            space.setLeft(64);
            plot.setFixedRangeAxisSpace(space);
        }
        ((NumberAxis) charts.get(ERRORS).getXYPlot().getRangeAxis()).setRange(0, 1.05);
        ((NumberAxis) charts.get(CACHE).getXYPlot().getRangeAxis()).setRange(0, 1.05);

        DefaultCategoryDataset ttft = new DefaultCategoryDataset();
        DefaultCategoryDataset e2e = new DefaultCategoryDataset();
        for (ModelLatency l : metrics.latencyByModel()) {
            percentiles(ttft, l.model(), l.ttftMs());
            percentiles(e2e, l.model(), l.e2eMs());
        }
        charts.put(TTFT, bars("Time to first token per model", "ms", ttft));
        charts.put(E2E, bars("End-to-end latency per model", "ms", e2e));
        charts.put(BY_WIRE_API, pie("Calls by wire API", metrics.callsByWireApi()));
        DefaultCategoryDataset byModel = new DefaultCategoryDataset();
        metrics.callsByModel().forEach((model, n) -> byModel.addValue(n, "calls", model));
        charts.put(BY_MODEL, bars("Calls by model", "calls", byModel));
        DefaultCategoryDataset cache = new DefaultCategoryDataset();
        for (CacheUsage u : metrics.cacheByWireApi()) {
            if (!Double.isNaN(u.hitRatio())) {
                cache.addValue(u.hitRatio(), CACHE_HIT, u.wireApi());
            }
        }
        JFreeChart cacheBars = bars("Cache hit ratio by wire API", "cached / prompt tokens", cache);
        cacheBars.getCategoryPlot().getRangeAxis().setRange(0, 1.05);
        charts.put(CACHE_BY_WIRE_API, cacheBars);
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Every chart by key. */
    public Map<String, JFreeChart> charts() {
        return charts;
    }

    public JFreeChart chart(String key) {
        return charts.get(key);
    }

    /** The series {@code name} of a time chart. */
    public XYSeries series(String chart, String name) {
        return series.get(chart + "/" + name);
    }

    /** Seconds on the time axis for an absolute time. */
    public double toAxis(long nanos) {
        return (nanos - metrics.range().fromNanos()) / 1e9;
    }

    /** Absolute time for a value of the time axis. */
    public long fromAxis(double seconds) {
        return metrics.range().fromNanos() + Math.round(seconds * 1e9);
    }

    /** Shows {@code [fromNanos, toNanos]} as a shaded band on every time chart; null clears it. */
    public void showWindow(Metrics.TimeRange window, ChartTheme theme) {
        for (String key : TIME_CHARTS) {
            XYPlot p = charts.get(key).getXYPlot();
            p.clearDomainMarkers();
            if (window != null) {
                IntervalMarker m = new IntervalMarker(toAxis(window.fromNanos()), toAxis(window.toNanos()));
                m.setPaint(theme.brush());
                m.setOutlinePaint(null);
                p.addDomainMarker(m, Layer.BACKGROUND);
            }
        }
    }

    public void applyTheme(ChartTheme theme) {
        charts.values().forEach(theme::apply);
    }

    private interface Value {
        double of(Bucket b);
    }

    private XYSeries series(String name, Value v) {
        XYSeries s = new XYSeries(name, false, false);
        // Chart keys of the series built so far are resolved in timeChart(); see register().
        pending.add(s);
        double half = metrics.bucketNanos() / 2.0;
        for (Bucket b : metrics.buckets()) {
            double y = v.of(b);
            // No calls, no rate: a gap in the line rather than a misleading zero.
            s.add(toAxis(b.startNanos() + (long) half), Double.isNaN(y) ? null : y);
        }
        return s;
    }

    private final List<XYSeries> pending = new ArrayList<>();

    /** Files the series built for {@code chart} under "chart/series name". */
    private JFreeChart register(String key, JFreeChart chart) {
        pending.forEach(s -> series.put(key + "/" + s.getKey(), s));
        pending.clear();
        return chart;
    }

    private static JFreeChart timeChart(String title, String xLabel, String yLabel, boolean points,
            XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                true, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, points);
        if (points) {
            for (int i = 0; i < series.length; i++) {
                r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
            }
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    private static void percentiles(DefaultCategoryDataset d, String model, Metrics.Percentiles p) {
        if (p.count() == 0) {
            return;
        }
        d.addValue(p.p50(), "p50", model);
        d.addValue(p.p95(), "p95", model);
        d.addValue(p.p99(), "p99", model);
    }

    private static JFreeChart bars(String title, String valueLabel, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, data, PlotOrientation.HORIZONTAL,
                data.getRowCount() > 1, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.4f);
        if (plot.getRenderer() instanceof BarRenderer r) {
            r.setMaximumBarWidth(0.12);
            r.setItemMargin(0.04);
        }
        return chart;
    }

    private static JFreeChart pie(String title, Map<String, Long> counts) {
        DefaultPieDataset<String> data = new DefaultPieDataset<>();
        counts.forEach(data::setValue);
        JFreeChart chart = ChartFactory.createPieChart(title, data, true, true, false);
        ((PiePlot<?>) chart.getPlot()).setLabelGenerator(new StandardPieSectionLabelGenerator("{0}: {1} ({2})"));
        return chart;
    }

    /** A bucket width as people say it: "100 ms", "5 s", "2 min", "1 h". */
    public static String bucketLabel(long nanos) {
        if (nanos < 1_000_000_000L) {
            return nanos / 1_000_000 + " ms";
        }
        long s = nanos / 1_000_000_000L;
        if (s < 60) {
            return s + " s";
        }
        return s < 3600 ? s / 60 + " min" : s / 3600 + " h";
    }

    /** Labels of the charts, for menus. */
    public static List<String> keys() {
        List<String> all = new ArrayList<>(TIME_CHARTS);
        all.addAll(BREAKDOWN_CHARTS);
        return all;
    }
}
