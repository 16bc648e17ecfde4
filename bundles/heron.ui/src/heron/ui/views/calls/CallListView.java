package heron.ui.views.calls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.handlers.IHandlerService;

import heron.core.filter.CallFilter;
import heron.core.model.EntityRef;
import heron.core.model.LlmCall;
import heron.store.HeronStore;
import heron.store.query.CallQueries;
import heron.store.query.TopologyQuery;
import heron.ui.CaptureContext;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/**
 * The LLM calls of the shown capture, sortable, with a Wireshark-style filter bar
 * ({@code model contains "sonnet" and status >= 400}); syntax errors show inline. Selecting calls
 * publishes {@link EntityRef}s; selecting a turn elsewhere selects its calls here.
 */
public class CallListView extends CaptureView<CallListView.Loaded> implements ISelectionListener {
    public static final String ID = "heron.ui.views.calls";
    public static final String CONTEXT_ID = "heron.ui.contexts.calls";
    public static final String NEXT_CALL = "heron.ui.commands.nextCall";
    public static final String PREVIOUS_CALL = "heron.ui.commands.previousCall";
    private static final int LOAD_PAGE = 5000;
    /** Calls shown before the rest are read: a few screenfuls, read in a few milliseconds. */
    static final int FIRST_PAGE = 1000;
    /** {@link #FIRST_PAGE}; tests lower it to see the first page on small captures. */
    static volatile int firstPage = FIRST_PAGE;
    /** Tests only: runs in the load job after the first page was handed to the UI thread. */
    static volatile Runnable afterFirstPage;

    private Composite root;
    private Text filterText;
    private Label filterError;
    private LazyTable<LlmCall> table;
    private List<LlmCall> all = List.of();
    /** What the last complete (or importing) load produced, for the next load to append to. */
    private volatile Loaded last;
    /** Each call's client and server, for the filter's network fields (client, server ...). */
    private Map<Long, CallFilter.Route> routes = Map.of();
    private final SelectionBridge selection = new SelectionBridge();

    static List<Column<LlmCall>> columns() {
        return List.of(
                Column.number("No.", 60, c -> Long.toString(c.id()), Comparator.comparingLong(LlmCall::id)),
                Column.text("Time", 125, c -> Format.time(c.requestNanos()),
                        Comparator.comparingLong(LlmCall::requestNanos)),
                Column.text("Wire API", 110, LlmCall::wireApi, Comparator.comparing(LlmCall::wireApi)),
                Column.text("Model", 190, LlmCall::model, Comparator.comparing(c -> String.valueOf(c.model()))),
                Column.number("Status", 55, c -> c.status() == 0 ? "" : Integer.toString(c.status()),
                        Comparator.comparingInt(LlmCall::status)),
                Column.text("Stream", 55, c -> c.stream() ? "yes" : "no", Comparator.comparing(LlmCall::stream)),
                Column.number("TTFT ms", 75, c -> Format.ms(c.ttftMs()), nullsLast(LlmCall::ttftMs)),
                Column.number("E2E ms", 75, c -> Format.ms(c.e2eMs()), nullsLast(LlmCall::e2eMs)),
                Column.number("In", 70, c -> Format.num(c.usage().input()),
                        Comparator.comparingLong(c -> c.usage().inputOrZero())),
                Column.number("Out", 60, c -> Format.num(c.usage().output()),
                        Comparator.comparingLong(c -> c.usage().outputOrZero())),
                Column.number("Cache", 70, c -> Format.num(c.usage().cacheRead()),
                        Comparator.comparingLong(c -> c.usage().cacheReadOrZero())),
                Column.text("Finish", 80, c -> c.finish() == null ? String.valueOf(c.finishReason()) : c.finish().id(),
                        Comparator.comparing(c -> String.valueOf(c.finishReason()))),
                Column.text("Tools", 120, c -> String.join(",", c.toolCalls().stream().map(t -> t.name()).toList()),
                        null),
                Column.text("Agent", 90, c -> c.agent() == null ? "" : c.agent().agentKind(),
                        Comparator.comparing(c -> c.agent() == null ? "" : c.agent().agentKind())));
    }

    private static Comparator<LlmCall> nullsLast(java.util.function.Function<LlmCall, Double> f) {
        return Comparator.comparing(f, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(2, false));
        Label l = new Label(root, SWT.NONE);
        l.setText("Filter:");
        filterText = new Text(root, SWT.SEARCH | SWT.ICON_CANCEL | SWT.BORDER);
        filterText.setMessage("e.g.  model contains \"sonnet\" and status >= 400   (Enter to apply)");
        filterText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filterText.addListener(SWT.DefaultSelection, e -> applyFilter());
        filterError = new Label(root, SWT.NONE);
        // coloured by the theme's "Label.error" rule (a plain foreground would be reset by the theme)
        filterError.setData(heron.ui.Themes.CSS_CLASS_KEY, "error");
        filterError.setForeground(heron.ui.Themes.errorColor(root));
        GridData errData = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        errData.exclude = true;
        filterError.setLayoutData(errData);
        table = new LazyTable<>(root, SWT.MULTI, columns());
        table.table().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        table.table().addListener(SWT.Selection, e -> publishSelection());
        selection.attach(getSite());
        getSite().getPage().addPostSelectionListener(this);
        heron.ui.export.ExportActions.addTo(table.table(), () -> table.selection().stream()
                .map(c -> EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.CALL, c.id())).toList());
        // Ctrl+. / Ctrl+, step through the calls while this view is active (site-scoped handlers).
        getSite().getService(IContextService.class).activateContext(CONTEXT_ID);
        IHandlerService handlers = getSite().getService(IHandlerService.class);
        handlers.activateHandler(NEXT_CALL, new StepHandler(1));
        handlers.activateHandler(PREVIOUS_CALL, new StepHandler(-1));
        listen();
    }

    private final class StepHandler extends AbstractHandler {
        private final int delta;

        StepHandler(int delta) {
            this.delta = delta;
        }

        @Override
        public Object execute(ExecutionEvent event) {
            step(delta);
            return null;
        }
    }

    /** Selects the next (+1) or previous (-1) call, shows it and publishes the selection. */
    public void step(int delta) {
        int target = CallNavigation.target(table.table().getSelectionIndices(), table.table().getItemCount(), delta);
        if (target < 0) {
            return;
        }
        table.table().setSelection(target);
        table.table().showSelection();
        publishSelection();
    }

    /** Puts the cursor in the filter bar with its text selected (Ctrl+/). */
    public void focusFilter() {
        filterText.setFocus();
        filterText.selectAll();
    }

    /** True when the filter bar has the keyboard focus. */
    public boolean filterHasFocus() {
        return filterText.isFocusControl();
    }

    private void publishSelection() {
        long cap = CaptureContext.get().captureId();
        List<EntityRef> refs = table.selection().stream()
                .map(c -> EntityRef.of(cap, EntityRef.Kind.CALL, c.id())).toList();
        selection.set(new StructuredSelection(refs));
    }

    /** Applies the filter text; returns false and shows the error inline when it does not parse. */
    public boolean setFilter(String text) {
        filterText.setText(text);
        return applyFilter();
    }

    private boolean applyFilter() {
        CallFilter f;
        try {
            Map<Long, CallFilter.Route> r = routes;
            f = CallFilter.parse(filterText.getText(), c -> r.get(c.id()));
        } catch (CallFilter.ParseException e) {
            showError(e.getMessage());
            filterText.setSelection(e.position(), filterText.getText().length());
            return false;
        }
        showError(null);
        List<LlmCall> shown = new ArrayList<>();
        for (LlmCall c : all) {
            if (f.test(c)) {
                shown.add(c);
            }
        }
        table.setRows(shown);
        setContentDescription(shown.size() == all.size() ? Format.num(all.size()) + " calls"
                : Format.num(shown.size()) + " of " + Format.num(all.size()) + " calls");
        return true;
    }

    private void showError(String message) {
        GridData d = (GridData) filterError.getLayoutData();
        d.exclude = message == null;
        filterError.setVisible(message != null);
        filterError.setText(message == null ? "" : message);
        root.layout(true);
    }

    /**
     * What a refresh loads: the calls in id order and their network routes.
     *
     * @param captureId the capture they belong to
     * @param importing the capture was still being imported when they were read: the next load
     *                  may append the calls added since instead of reading them all again
     */
    protected record Loaded(long captureId, List<LlmCall> calls, Map<Long, CallFilter.Route> routes,
            boolean importing) {
    }

    @Override
    protected Loaded load(HeronStore store, long captureId, IProgressMonitor monitor) {
        // Row summaries, not full calls: the list and the filter need only the row's columns, and
        // every call's detail document (messages, prompts, tools) held in memory cost about nine
        // times as much heap on big captures (docs/performance.md, Workbench).
        // Call Detail and the exports read the full call by id.
        CallQueries q = store.calls();
        boolean importing = store.captures().get(captureId)
                .map(c -> c.status() == heron.core.model.Capture.ImportStatus.IMPORTING).orElse(false);
        Loaded prev = last;
        if (importing && prev != null && prev.captureId() == captureId && prev.importing()) {
            Loaded more = append(store, prev, monitor);
            if (more != null) {
                return more;
            }
        }
        List<LlmCall> out = new ArrayList<>();
        int first = firstPage;
        long after = readPages(q, captureId, Long.MIN_VALUE, out, first, monitor);
        if (out.size() == first) {
            // Show the first page now (id order is the default order): on a big capture reading every
            // summary takes seconds; the rest follows and replaces it (sorting applies to both).
            // (importing false: a next load must never append to this part, it has no routes)
            showEarly(new Loaded(captureId, List.copyOf(out), Map.of(), false));
            Runnable hook = afterFirstPage;
            if (hook != null) {
                hook.run();
            }
            readPages(q, captureId, after, out, Integer.MAX_VALUE, monitor);
        }
        return new Loaded(captureId, out, new TopologyQuery(store).routes(captureId), importing);
    }

    /**
     * While a capture is imported the view reloads every second: read only the calls added since
     * the previous load. Calls are not always written in id order (the pipeline may stage some), so
     * this holds only if the capture still has exactly the previous calls up to the last one read;
     * otherwise null (read everything). Agent tags set on calls already read show after the import
     * ends, when the view reads everything once more.
     */
    private Loaded append(HeronStore store, Loaded prev, IProgressMonitor monitor) {
        long captureId = prev.captureId();
        long lastId = prev.calls().isEmpty() ? Long.MIN_VALUE : prev.calls().get(prev.calls().size() - 1).id();
        if (!prev.calls().isEmpty() && store.calls().countUpTo(captureId, lastId) != prev.calls().size()) {
            return null;
        }
        List<LlmCall> added = new ArrayList<>();
        readPages(store.calls(), captureId, lastId, added, Integer.MAX_VALUE, monitor);
        if (added.isEmpty()) {
            return prev;
        }
        List<LlmCall> calls = new ArrayList<>(prev.calls().size() + added.size());
        calls.addAll(prev.calls());
        calls.addAll(added);
        Map<Long, CallFilter.Route> routes = new java.util.HashMap<>(prev.routes());
        new TopologyQuery(store).forEachRouteAfter(captureId, lastId,
                r -> routes.put(r.callId(), new CallFilter.Route(r.clientIp(), r.server())));
        return new Loaded(captureId, calls, routes, true);
    }

    /** Reads summaries after {@code after} in id order into {@code out}, up to {@code max} in all. */
    private static long readPages(CallQueries q, long captureId, long after, List<LlmCall> out, int max,
            IProgressMonitor monitor) {
        while (out.size() < max) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            int limit = Math.min(LOAD_PAGE, max - out.size());
            List<LlmCall> page = q.summariesAfter(captureId, after, limit);
            out.addAll(page);
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).id();
            if (page.size() < limit) {
                break;
            }
        }
        return after;
    }

    @Override
    protected void show(Loaded data) {
        last = data;
        all = data == null ? List.of() : data.calls();
        routes = data == null ? Map.of() : data.routes();
        applyFilter();
    }

    @Override
    protected Control control() {
        return root;
    }

    /** The rows currently shown (after the filter). */
    public int rowCount() {
        return table.rowCount();
    }

    public LazyTable<LlmCall> table() {
        return table;
    }

    @Override
    public void selectionChanged(IWorkbenchPart part, ISelection sel) {
        if (part == this || !(sel instanceof IStructuredSelection ss) || ss.isEmpty()) {
            return;
        }
        // A turn selected elsewhere: select its calls here.
        List<Long> ids = new ArrayList<>();
        for (Object o : ss.toList()) {
            if (o instanceof EntityRef r && r.kind() == EntityRef.Kind.CALL) {
                ids.add(r.id());
            } else if (o instanceof heron.core.model.AgentTurn t) {
                ids.addAll(t.callIds());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < table.table().getItemCount(); i++) {
            LlmCall c = table.row(i);
            if (c != null && ids.contains(c.id())) {
                idx.add(i);
            }
        }
        table.table().setSelection(idx.stream().mapToInt(Integer::intValue).toArray());
        table.table().showSelection();
    }

    @Override
    public void setFocus() {
        table.table().setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removePostSelectionListener(this);
        super.dispose();
    }
}
