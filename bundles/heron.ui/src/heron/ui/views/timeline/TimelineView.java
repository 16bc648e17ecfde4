package heron.ui.views.timeline;

import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;

import heron.core.model.AgentTurn;
import heron.core.model.EntityRef;
import heron.store.HeronStore;
import heron.store.query.TimeAxis;
import heron.store.query.Timeline;
import heron.store.query.Timeline.BarKind;
import heron.store.query.Timeline.LaneMode;
import heron.store.query.TimelineQuery;
import heron.store.query.TimelineQuery.Scope;
import heron.ui.CaptureContext;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;

/**
 * A Gantt chart of the LLM calls of the selected session or turn (the whole capture until one is
 * selected): a lane per turn or per connection, a bar per call from request to response end with
 * the wait for the first content shaded, the tool runs between calls as their own bars, and
 * sub-agent calls one row below their parent. The model is built in a job by
 * {@link TimelineQuery} and {@link Timeline}; the canvas only paints what is on screen. Clicking a
 * bar selects the call in the other views.
 */
public class TimelineView extends CaptureView<TimelineView.Loaded> implements ISelectionListener {
    public static final String ID = "heron.ui.views.timeline";

    /** What a load produced: the scope and lane mode it was for, and the model. */
    public record Loaded(Scope scope, LaneMode mode, Timeline timeline, boolean truncated) {
    }

    /**
     * Most calls loaded at once: a whole capture of 100k+ calls would cost seconds per refresh
     * while it is imported; selecting a session or turn shows any part of it.
     */
    static final int MAX_CALLS = 50_000;

    private static final int UPDATE_DELAY_MS = 1000;
    private TimelineCanvas canvas;
    private boolean updatePending;
    private final SelectionBridge selection = new SelectionBridge();
    private volatile Scope scope = Scope.capture();
    private volatile LaneMode mode = LaneMode.TURN;
    private Loaded shown;
    private Set<Long> pendingSelection = Set.of();
    private IAction byTurn;
    private IAction byConnection;

    @Override
    public void createPartControl(Composite parent) {
        canvas = new TimelineCanvas(parent);
        canvas.onSelect(b -> selection.set(new StructuredSelection(
                EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.CALL, b.callId()))));
        selection.attach(getSite());
        getSite().getPage().addPostSelectionListener(this);
        contributeToolbar(getViewSite().getActionBars().getToolBarManager());
        listen();
    }

    private void contributeToolbar(IToolBarManager tb) {
        byTurn = new Action("By Turn", IAction.AS_RADIO_BUTTON) {
            @Override
            public void run() {
                if (isChecked()) {
                    setLaneMode(LaneMode.TURN);
                }
            }
        };
        byTurn.setToolTipText("One lane per agent turn");
        byTurn.setChecked(true);
        byConnection = new Action("By Connection", IAction.AS_RADIO_BUTTON) {
            @Override
            public void run() {
                if (isChecked()) {
                    setLaneMode(LaneMode.CONNECTION);
                }
            }
        };
        byConnection.setToolTipText("One lane per TCP connection");
        tb.add(byTurn);
        tb.add(byConnection);
        tb.add(new Separator());
        tb.add(action("Zoom In", "Zoom in (+, mouse wheel)", () -> canvas.zoom(2, width() / 2)));
        tb.add(action("Zoom Out", "Zoom out (-, mouse wheel)", () -> canvas.zoom(0.5, width() / 2)));
        tb.add(action("Zoom to Selection", "Zoom to the selected calls (Z, double-click)",
                () -> canvas.zoomToSelection()));
        tb.add(action("Fit", "Show everything (F)", () -> canvas.fit()));
        tb.add(action("Whole Capture", "Show every call of the capture", () -> setScope(Scope.capture())));
    }

    private int width() {
        return canvas.control().getClientArea().width - TimelinePainter.LABEL_WIDTH;
    }

    private static IAction action(String text, String tooltip, Runnable r) {
        Action a = new Action(text) {
            @Override
            public void run() {
                r.run();
            }
        };
        a.setToolTipText(tooltip);
        return a;
    }

    /** Shows the calls of {@code s} (reloads in a job). */
    public void setScope(Scope s) {
        scope = s;
        reload();
    }

    public Scope scope() {
        return scope;
    }

    /** Groups lanes by turn or by connection (rebuilds the model in a job). */
    public void setLaneMode(LaneMode m) {
        mode = m;
        if (byTurn != null) {
            byTurn.setChecked(m == LaneMode.TURN);
            byConnection.setChecked(m == LaneMode.CONNECTION);
        }
        reload();
    }

    @Override
    public void captureUpdated(long captureId) {
        // A growing capture notifies about twice a second; the model of a large scope takes longer
        // to read than that, so refresh at most once a second (the zoom is kept, see show).
        if (updatePending || canvas.control().isDisposed()) {
            return;
        }
        updatePending = true;
        canvas.control().getDisplay().timerExec(UPDATE_DELAY_MS, () -> {
            updatePending = false;
            if (!canvas.control().isDisposed()) {
                reload();
            }
        });
    }

    @Override
    public void captureChanged(long captureId) {
        scope = Scope.capture();
        super.captureChanged(captureId);
    }

    @Override
    protected Loaded load(HeronStore store, long captureId, IProgressMonitor monitor) {
        Scope s = scope;
        LaneMode m = mode;
        TimelineQuery.Data d = new TimelineQuery(store).load(captureId, s, MAX_CALLS);
        return new Loaded(s, m, Timeline.of(d, m), d.truncated());
    }

    @Override
    protected void show(Loaded data) {
        if (data == null) {
            shown = null;
            canvas.setTimeline(Timeline.empty(mode), true);
            setContentDescription("");
            return;
        }
        if (!data.scope().equals(scope) || data.mode() != mode) {
            return; // a load for a scope or mode since replaced, handed over before its cancel took effect
        }
        // Same scope and mode (a live capture grew): keep the user's zoom; otherwise fit.
        boolean fit = shown == null || !shown.scope().equals(data.scope()) || shown.mode() != data.mode();
        shown = data;
        canvas.setTimeline(data.timeline(), fit);
        if (!pendingSelection.isEmpty()) {
            canvas.setSelection(pendingSelection, false);
        }
        setContentDescription(describe(data));
    }

    private static String describe(Loaded d) {
        Timeline t = d.timeline();
        String what = switch (d.scope().kind()) {
        case CAPTURE -> "All calls";
        case SESSION -> "Session " + Format.preview(d.scope().sessionId(), 40);
        case TURN -> "Turn " + d.scope().turnId();
        };
        long calls = t.bars().stream().filter(b -> b.kind() == BarKind.CALL).count();
        long tools = t.bars().size() - calls;
        int lanes = t.lanes().size();
        String cut = d.truncated() ? " (the first " + Format.num(MAX_CALLS) + " only: select a session or turn)" : "";
        return what + cut + ": " + Format.num(calls) + " calls, " + Format.num(tools) + " tool runs in "
                + Format.num(lanes)
                + (d.mode() == LaneMode.TURN ? " turn" : " connection") + (lanes == 1 ? "" : "s")
                + (t.isEmpty() ? "" : ", " + TimeAxis.duration(t.endNanos() - t.startNanos()));
    }

    @Override
    public void selectionChanged(IWorkbenchPart part, ISelection sel) {
        if (part == this || !(sel instanceof IStructuredSelection ss) || ss.isEmpty()) {
            return;
        }
        Scope next = null;
        Set<Long> calls = new LinkedHashSet<>();
        for (Object o : ss.toList()) {
            if (o instanceof EntityRef r) {
                switch (r.kind()) {
                case SESSION -> next = next == null ? Scope.session(r.key()) : next;
                case TURN -> next = next == null ? Scope.turn(r.id()) : next;
                case CALL -> calls.add(r.id());
                default -> {
                }
                }
            } else if (o instanceof AgentTurn t && next == null) {
                next = Scope.turn(t.id());
            }
        }
        pendingSelection = calls;
        if (next != null && !next.equals(scope)) {
            setScope(next);
        } else if (!calls.isEmpty()) {
            // Calls selected elsewhere: outline them here, and bring them into view.
            canvas.setSelection(calls, true);
        }
    }

    /** The scope of the model shown, or null before the first load. */
    public Scope shownScope() {
        return shown == null ? null : shown.scope();
    }

    /** The model shown, or null before the first load. */
    public Timeline timeline() {
        return shown == null ? null : shown.timeline();
    }

    public TimelineCanvas canvas() {
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

    @Override
    public void dispose() {
        getSite().getPage().removePostSelectionListener(this);
        super.dispose();
    }
}
