package heron.ui.views.topology;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;

import heron.store.HeronStore;
import heron.store.query.Topology;
import heron.store.query.TopologyQuery;
import heron.ui.views.CaptureView;
import heron.ui.views.SelectionBridge;
import heron.ui.views.calls.CallListView;
import heron.ui.views.topology.TopologyCanvas.Hit;
import heron.ui.views.topology.TopologyScene.WidthMode;
import heron.ui.views.topology.layout.ElkGraphLayout;
import heron.ui.views.topology.layout.GraphLayout;

/**
 * The services seen in the capture as a left-to-right graph: clients (by IP and agent kind) →
 * proxies / gateways → model servers, edges as wide as their call (or turn) count and labelled
 * with calls, turns, error rate and median latency. The graph is queried and laid out in the
 * view's refresh job; the canvas only paints. Clicking a node or edge filters the LLM Calls view
 * to its calls and publishes the {@link Topology.Node} or {@link Topology.Edge} as selection.
 */
public class TopologyView extends CaptureView<TopologyScene> {
    public static final String ID = "heron.ui.views.topology";

    private final GraphLayout layout = new ElkGraphLayout();
    private final SelectionBridge selection = new SelectionBridge();
    private TopologyCanvas canvas;
    private volatile TopologyScene.TextMetrics metrics;
    /** The last scene built, so a refresh that finds the same graph (live capture) skips the layout. */
    private volatile TopologyScene last = TopologyScene.EMPTY;
    private IAction widthByTurns;

    @Override
    public void createPartControl(Composite parent) {
        canvas = new TopologyCanvas(parent);
        metrics = canvas.metrics();
        canvas.setClickListener(this::clicked);
        selection.attach(getSite());
        IToolBarManager tb = getViewSite().getActionBars().getToolBarManager();
        widthByTurns = new Action("Width by turns", IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                canvas.setWidthMode(isChecked() ? WidthMode.TURNS : WidthMode.CALLS);
            }
        };
        widthByTurns.setToolTipText("Edge width by turn count (unchecked: by call count)");
        tb.add(widthByTurns);
        IAction fit = new Action("Fit") {
            @Override
            public void run() {
                canvas.fit();
            }
        };
        fit.setToolTipText("Fit the graph to the view (F)");
        tb.add(fit);
        listen();
    }

    @Override
    protected TopologyScene load(HeronStore store, long captureId, IProgressMonitor monitor) {
        Topology t = new TopologyQuery(store).topology(captureId);
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
        TopologyScene previous = last;
        if (previous.topology().equals(t)) {
            return previous;
        }
        TopologyScene scene = TopologyScene.build(t, metrics, layout);
        last = scene;
        return scene;
    }

    @Override
    protected void show(TopologyScene scene) {
        canvas.setScene(scene == null ? TopologyScene.EMPTY : scene);
        Topology t = canvas.scene().topology();
        setContentDescription(t.nodes().isEmpty() ? "" : t.nodes().size() + " services and clients, "
                + t.edges().size() + " links");
    }

    private void clicked(Hit hit) {
        String filter = hit.node() != null ? hit.node().filter() : hit.edge().filter();
        selection.set(new StructuredSelection(hit.node() != null ? hit.node() : hit.edge()));
        try {
            CallListView calls = (CallListView) getSite().getPage().showView(CallListView.ID, null,
                    IWorkbenchPage.VIEW_VISIBLE);
            calls.setFilter(filter);
        } catch (PartInitException e) {
            getSite().getShell().getDisplay().beep();
        }
    }

    /** Switches edge width between call count and turn count (the toolbar toggle). */
    public void setWidthMode(WidthMode mode) {
        widthByTurns.setChecked(mode == WidthMode.TURNS);
        canvas.setWidthMode(mode);
    }

    public TopologyCanvas canvas() {
        return canvas;
    }

    @Override
    protected Control control() {
        return canvas.control();
    }

    @Override
    public void setFocus() {
        canvas.control().setFocus();
    }
}
