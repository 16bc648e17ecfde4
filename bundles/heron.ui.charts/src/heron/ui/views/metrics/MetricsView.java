package heron.ui.views.metrics;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.swt.ChartComposite;
import org.osgi.service.event.EventHandler;

import heron.core.model.TimeWindow;
import heron.store.HeronStore;
import heron.store.query.Metrics;
import heron.store.query.MetricsQuery;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;
import heron.ui.views.CaptureView;
import heron.ui.views.SelectionBridge;
import heron.ui.views.calls.CallListView;

/**
 * Metrics of the shown capture over its time span: call rate and calls in flight, token
 * throughput, error rate with 429 apart, cache hit ratio (over time), and per model / wire API
 * latency percentiles, call counts and cache hit ratios. The series are computed by
 * {@link MetricsQuery} in a job, with a bucket width fitted to the view's width.
 * <p>
 * Dragging across a time chart selects a time window: it is shaded on every time chart,
 * published as a {@link TimeWindow} selection, and set as the LLM Calls view's filter. A click
 * without dragging (or "Clear Time Window") clears it.
 */
public class MetricsView extends CaptureView<Metrics> {
    public static final String ID = "heron.ui.views.metrics";
    /** Sent by the CSS theme engine when the workbench theme changes. */
    static final String THEME_CHANGED_TOPIC = "org/eclipse/e4/ui/css/swt/theme/ThemeManager/themeChanged";

    static {
        // The charts render through AWT (Graphics2D on SWT, PNG export into BufferedImages) but never
        // open an AWT window; headless AWT avoids an X11 toolkit racing SWT's GTK one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Composite root;
    private Label summary;
    private CTabFolder tabs;
    private Composite timePage;
    private Composite breakdownPage;
    private final Map<String, ChartComposite> composites = new LinkedHashMap<>();
    private final SelectionBridge selection = new SelectionBridge();
    private volatile int pixelWidth = 1000;
    private MetricsCharts charts;
    private ChartTheme theme;
    private TimeWindow window;
    private long windowCapture;
    private boolean filterSetByUs;
    private int dragStartX = -1;
    private int dragX;
    private ChartComposite dragChart;
    private MetricsCharts windowCharts;
    private Job windowJob;
    private Listener settingsListener;
    private EventHandler themeHandler;

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = layout.marginHeight = 0;
        layout.verticalSpacing = 2;
        root.setLayout(layout);
        summary = new Label(root, SWT.NONE);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        tabs = new CTabFolder(root, SWT.BOTTOM | SWT.FLAT);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        timePage = page("Over Time", 2);
        breakdownPage = page("By Model and Wire API", 3);
        tabs.setSelection(0);
        selection.attach(getSite());
        fillToolBar(getViewSite().getActionBars().getToolBarManager());
        root.addListener(SWT.Resize, e -> resized());
        settingsListener = e -> retheme();
        root.getDisplay().addListener(SWT.Settings, settingsListener);
        IEventBroker broker = getSite().getService(IEventBroker.class);
        if (broker != null) {
            themeHandler = event -> root.getDisplay().asyncExec(this::retheme);
            broker.subscribe(THEME_CHANGED_TOPIC, themeHandler);
        }
        pixelWidth = Math.max(200, root.getDisplay().getClientArea().width / 2);
        showMessage("No capture shown.");
        listen();
    }

    private Composite page(String title, int columns) {
        CTabItem item = new CTabItem(tabs, SWT.NONE);
        item.setText(title);
        Composite page = new Composite(tabs, SWT.NONE);
        GridLayout gl = new GridLayout(columns, true);
        gl.marginWidth = gl.marginHeight = 0;
        gl.horizontalSpacing = gl.verticalSpacing = 0;
        page.setLayout(gl);
        item.setControl(page);
        return page;
    }

    private void fillToolBar(IToolBarManager tb) {
        tb.add(new Action("Export PNG...") {
            {
                setToolTipText("Save the charts of the shown tab as one PNG image");
            }

            @Override
            public void run() {
                exportWithDialog(null);
            }
        });
        tb.add(new Action("Clear Time Window") {
            {
                setToolTipText("Clear the time window selected by dragging across a time chart");
            }

            @Override
            public void run() {
                setWindow(null);
            }
        });
    }

    // ---- data

    @Override
    protected Metrics load(HeronStore store, long captureId, IProgressMonitor monitor) {
        try {
            return new MetricsQuery(store).compute(captureId, pixelWidth, monitor::isCanceled).orElse(null);
        } catch (CancellationException e) {
            throw new OperationCanceledException();
        }
    }

    @Override
    protected void show(Metrics data) {
        long cap = CaptureContext.get().captureId();
        if (cap != windowCapture) {
            window = null; // a window of another capture means nothing here
        }
        if (data == null) {
            charts = null;
            showMessage(cap == 0 ? "No capture shown." : "No LLM calls with a request time in this capture.");
            return;
        }
        charts = new MetricsCharts(data);
        theme = currentTheme();
        charts.applyTheme(theme);
        if (composites.isEmpty()) {
            for (String key : MetricsCharts.TIME_CHARTS) {
                composites.put(key, chartComposite(timePage, key, true));
            }
            for (String key : MetricsCharts.BREAKDOWN_CHARTS) {
                composites.put(key, chartComposite(breakdownPage, key, false));
            }
        } else {
            // Refreshes (e.g. twice a second during a live capture) swap the charts, not the widgets.
            composites.forEach((key, c) -> c.setChart(charts.chart(key)));
        }
        charts.showWindow(window == null ? null : new Metrics.TimeRange(window.fromNanos(), window.toNanos()), theme);
        windowCharts = null;
        computeWindowBreakdown();
        Metrics.Totals t = data.totals();
        summary.setText(String.format(
                " %,d calls over %.1f s  ·  input %,d  ·  output %,d  ·  cache read %,d tokens  ·  errors %,d  ·  429 %,d"
                        + "  ·  bucket %s%s",
                t.calls(), data.range().durationNanos() / 1e9, t.inputTokens(), t.outputTokens(), t.cacheReadTokens(),
                t.errors(), t.rateLimited(), MetricsCharts.bucketLabel(data.bucketNanos()), windowText()));
        timePage.layout(true, true);
        breakdownPage.layout(true, true);
        composites.values().forEach(ChartComposite::forceRedraw);
    }

    private String windowText() {
        if (window == null || charts == null) {
            return "";
        }
        return String.format("  ·  window %.3f – %.3f s", charts.toAxis(window.fromNanos()),
                charts.toAxis(window.toNanos()));
    }

    private ChartComposite chartComposite(Composite page, String key, boolean brushable) {
        JFreeChart chart = charts.chart(key);
        // No built-in popup: its Save As goes through ChartUtilities, which JFreeChart 1.5 renamed.
        ChartComposite c = new ChartComposite(page, SWT.NONE, chart, 200, 120, 100, 80, 4000, 3000, true, false, false,
                false, false, true);
        c.setDomainZoomable(false);
        c.setRangeZoomable(false);
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Control canvas = c.getChildren().length > 0 ? c.getChildren()[0] : c;
        Menu menu = new Menu(canvas);
        item(menu, "Save Chart as PNG...", () -> exportWithDialog(c.getChart()));
        item(menu, "Export All Charts as PNG...", () -> exportWithDialog(null));
        if (brushable) {
            item(menu, "Clear Time Window", () -> setWindow(null));
        }
        canvas.setMenu(menu);
        if (brushable) {
            canvas.addListener(SWT.MouseDown, e -> brushStart(c, e));
            canvas.addListener(SWT.MouseMove, e -> brushMove(c, e));
            canvas.addListener(SWT.MouseUp, e -> brushEnd(c, e));
        }
        return c;
    }

    private static void item(Menu menu, String text, Runnable r) {
        MenuItem mi = new MenuItem(menu, SWT.PUSH);
        mi.setText(text);
        mi.addListener(SWT.Selection, e -> r.run());
    }

    private void disposeCharts() {
        composites.values().forEach(Control::dispose);
        composites.clear();
        for (Control c : timePage.getChildren()) {
            c.dispose();
        }
        for (Control c : breakdownPage.getChildren()) {
            c.dispose();
        }
    }

    private void showMessage(String text) {
        disposeCharts();
        summary.setText(" " + text);
        root.layout(true, true);
    }

    private void resized() {
        int w = Math.max(200, (root.getClientArea().width) / 2);
        if (charts == null || MetricsQuery.bucketNanos(charts.metrics().range().durationNanos(), w) == charts.metrics()
                .bucketNanos()) {
            pixelWidth = w;
            return;
        }
        pixelWidth = w;
        // Wait for the drag to settle before recomputing for the new width.
        root.getDisplay().timerExec(300, () -> {
            if (!root.isDisposed() && pixelWidth == w) {
                reload();
            }
        });
    }

    // ---- brush

    private void brushStart(ChartComposite c, Event e) {
        if (e.button != 1 || charts == null) {
            return;
        }
        Rectangle area = c.getScreenDataArea();
        if (area.width <= 0 || e.x < area.x || e.x > area.x + area.width) {
            return;
        }
        dragChart = c;
        dragStartX = e.x;
        dragX = e.x;
    }

    private void brushMove(ChartComposite c, Event e) {
        if (dragChart != c || dragStartX < 0) {
            return;
        }
        dragX = e.x;
        if (Math.abs(dragX - dragStartX) > 2) {
            charts.showWindow(rangeOf(c, dragStartX, dragX), theme);
        }
    }

    private void brushEnd(ChartComposite c, Event e) {
        if (dragChart != c || dragStartX < 0) {
            return;
        }
        int start = dragStartX;
        dragStartX = -1;
        dragChart = null;
        if (Math.abs(e.x - start) <= 2) {
            setWindow(null); // a click clears the window
            return;
        }
        Metrics.TimeRange r = rangeOf(c, start, e.x);
        setWindow(new TimeWindow(CaptureContext.get().captureId(), r.fromNanos(), r.toNanos()));
    }

    /** The absolute time range under two x positions of a chart, clipped to the data area. */
    private Metrics.TimeRange rangeOf(ChartComposite c, int x1, int x2) {
        Rectangle area = c.getScreenDataArea();
        XYPlot plot = c.getChart().getXYPlot();
        Rectangle2D data = new Rectangle2D.Double(area.x, area.y, area.width, area.height);
        double a = plot.getDomainAxis().java2DToValue(clip(x1, area), data, plot.getDomainAxisEdge());
        double b = plot.getDomainAxis().java2DToValue(clip(x2, area), data, plot.getDomainAxisEdge());
        return new Metrics.TimeRange(charts.fromAxis(Math.min(a, b)), charts.fromAxis(Math.max(a, b)));
    }

    private static double clip(int x, Rectangle area) {
        return Math.max(area.x, Math.min(area.x + area.width, x));
    }

    /**
     * Selects a time window (null clears it): shades it on the time charts, publishes it as the
     * view's selection and filters the LLM Calls view to the calls requested in it.
     */
    public void setWindow(TimeWindow w) {
        window = w;
        windowCapture = w == null ? 0 : w.captureId();
        if (charts != null) {
            charts.showWindow(w == null ? null : new Metrics.TimeRange(w.fromNanos(), w.toNanos()), theme);
            String text = summary.getText();
            int cut = text.indexOf("  ·  window");
            summary.setText((cut < 0 ? text : text.substring(0, cut)) + windowText());
        }
        selection.set(w == null ? StructuredSelection.EMPTY : new StructuredSelection(w));
        filterCalls(w);
        computeWindowBreakdown();
    }

    /**
     * The "By Model and Wire API" charts follow the window: their metrics are recomputed for it
     * in a job (cancelling one still running); without a window they show the whole span.
     */
    private void computeWindowBreakdown() {
        if (windowJob != null) {
            windowJob.cancel();
        }
        TimeWindow w = window;
        if (w == null || charts == null) {
            if (charts != null && windowCharts != null) {
                showBreakdown(charts, false);
            }
            windowCharts = null;
            return;
        }
        int px = pixelWidth;
        windowJob = new Job("Metrics of the time window") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                Metrics m;
                try {
                    m = new MetricsQuery(WorkspaceStore.get()).compute(w.captureId(),
                            new Metrics.TimeRange(w.fromNanos(), w.toNanos()), px, monitor::isCanceled);
                } catch (CancellationException e) {
                    return Status.CANCEL_STATUS;
                } catch (RuntimeException e) {
                    return Status.error("Metrics of the time window failed: " + e.getMessage(), e);
                }
                if (!root.isDisposed()) {
                    root.getDisplay().asyncExec(() -> {
                        if (!root.isDisposed() && w.equals(window) && charts != null) {
                            windowCharts = new MetricsCharts(m);
                            showBreakdown(windowCharts, true);
                        }
                    });
                }
                return Status.OK_STATUS;
            }
        };
        windowJob.setSystem(true);
        windowJob.schedule();
    }

    private void showBreakdown(MetricsCharts source, boolean windowed) {
        source.applyTheme(theme);
        for (String key : MetricsCharts.BREAKDOWN_CHARTS) {
            JFreeChart chart = source.chart(key);
            if (windowed && chart.getTitle() != null) {
                chart.getTitle().setText(chart.getTitle().getText() + " (time window)");
            }
            ChartComposite c = composites.get(key);
            if (c != null) {
                c.setChart(chart);
                c.forceRedraw();
            }
        }
    }

    /**
     * The charts of the "By Model and Wire API" tab: of the time window once it is computed,
     * else of the whole span (null before data arrived).
     */
    public MetricsCharts breakdown() {
        return windowCharts != null ? windowCharts : charts;
    }

    /** The selected time window, or null. */
    public TimeWindow window() {
        return window;
    }

    private void filterCalls(TimeWindow w) {
        IWorkbenchPage page = getSite().getPage();
        IViewPart part = page.findView(CallListView.ID);
        if (!(part instanceof CallListView calls)) {
            return;
        }
        if (w != null) {
            calls.setFilter(w.callFilter());
            filterSetByUs = true;
        } else if (filterSetByUs) {
            // Only undo a filter this view set; never wipe one the user typed.
            calls.setFilter("");
            filterSetByUs = false;
        }
    }

    // ---- theme

    /** Re-derives the chart colors from the view's current widget colors and repaints. */
    public void retheme() {
        if (root == null || root.isDisposed()) {
            return;
        }
        theme = currentTheme();
        if (charts != null) {
            charts.applyTheme(theme);
            if (windowCharts != null) {
                windowCharts.applyTheme(theme);
            }
            charts.showWindow(window == null ? null : new Metrics.TimeRange(window.fromNanos(), window.toNanos()),
                    theme);
            composites.values().forEach(ChartComposite::forceRedraw);
        }
    }

    private ChartTheme currentTheme() {
        RGB bg = root.getBackground().getRGB();
        RGB fg = root.getForeground().getRGB();
        return ChartTheme.of(bg, fg);
    }

    public ChartTheme theme() {
        return theme;
    }

    // ---- export

    private void exportWithDialog(JFreeChart single) {
        if (charts == null) {
            return;
        }
        FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
        d.setFilterExtensions(new String[] { "*.png" });
        d.setFileName(single == null ? "metrics.png" : "chart.png");
        d.setOverwrite(true);
        String file = d.open();
        if (file == null) {
            return;
        }
        try {
            if (single != null) {
                Point size = composites.values().stream().filter(c -> c.getChart() == single).findFirst()
                        .map(Control::getSize).orElse(new Point(800, 500));
                ChartUtils.saveChartAsPNG(Path.of(file).toFile(), single, Math.max(200, size.x), Math.max(150, size.y));
            } else {
                exportPng(Path.of(file));
            }
        } catch (IOException | RuntimeException e) {
            MessageDialog.openError(root.getShell(), "Export PNG", "Could not write " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes the charts of the shown tab, laid out as on screen, into one PNG file. Rendered
     * with JFreeChart's own Java2D drawing, not from the screen, so it works in any theme and
     * under a virtual display.
     */
    public void exportPng(Path file) throws IOException {
        if (charts == null) {
            throw new IOException("no metrics to export");
        }
        Composite page = tabs.getSelectionIndex() == 1 ? breakdownPage : timePage;
        List<ChartComposite> shown = composites.values().stream().filter(c -> c.getParent() == page).toList();
        Point size = page.getSize();
        int w = Math.max(400, size.x);
        int h = Math.max(300, size.y);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(theme.background());
            g.fillRect(0, 0, w, h);
            for (ChartComposite c : shown) {
                Rectangle b = c.getBounds();
                if (b.width <= 0 || b.height <= 0) {
                    // Not laid out yet (view hidden): stack the charts.
                    int i = shown.indexOf(c);
                    b = new Rectangle(0, i * h / shown.size(), w, h / shown.size());
                }
                c.getChart().draw(g, new Rectangle2D.Double(b.x, b.y, b.width, b.height));
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(out, image);
        }
    }

    // ---- for tests and the lead

    /** The charts on screen, or null before data arrived. */
    public MetricsCharts charts() {
        return charts;
    }

    /** Shows tab 0 (over time) or 1 (by model and wire API). */
    public void showTab(int index) {
        tabs.setSelection(index);
    }

    /** The chart widgets by chart key. */
    public Map<String, ChartComposite> chartComposites() {
        return composites;
    }

    @Override
    protected Control control() {
        return root;
    }

    @Override
    public void setFocus() {
        tabs.setFocus();
        // Activation is a cheap moment to notice a theme change that sent no event.
        if (charts != null && !currentTheme().equals(theme)) {
            retheme();
        }
    }

    @Override
    public void dispose() {
        if (root != null && !root.isDisposed()) {
            root.getDisplay().removeListener(SWT.Settings, settingsListener);
        } else {
            Display d = Display.getCurrent();
            if (d != null && settingsListener != null) {
                d.removeListener(SWT.Settings, settingsListener);
            }
        }
        IEventBroker broker = getSite().getService(IEventBroker.class);
        if (broker != null && themeHandler != null) {
            broker.unsubscribe(themeHandler);
        }
        if (windowJob != null) {
            windowJob.cancel();
        }
        super.dispose();
    }
}
