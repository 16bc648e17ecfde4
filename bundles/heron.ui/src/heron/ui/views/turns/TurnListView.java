package heron.ui.views.turns;

import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;

import heron.core.model.AgentTurn;
import heron.core.model.EntityRef;
import heron.store.HeronStore;
import heron.store.query.TurnQueries.TurnWithCalls;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;

/**
 * Agent turns with status, duration, calls, tools, tokens and previews. Expanding a turn loads
 * its calls and shows the agent's narrative (user prompt → call → tool call → tool result → ...
 * → final answer). Selecting a turn selects its calls in the LLM Calls view.
 */
public class TurnListView extends CaptureView<List<AgentTurn>> {
    public static final String ID = "heron.ui.views.turns";
    // The narrative's text goes in the second column so it is readable without scrolling.
    private static final String[] COLUMNS = { "Turn", "User input / step", "Status", "Start", "Duration", "Calls",
            "Tools", "In", "Out", "Cache", "Agent", "Models" };
    private static final int[] WIDTHS = { 120, 460, 80, 125, 80, 50, 50, 80, 70, 80, 90, 160 };
    private static final int STEP = 1;
    private Tree tree;
    private List<AgentTurn> shown;
    private final SelectionBridge selection = new SelectionBridge();

    @Override
    public void createPartControl(Composite parent) {
        tree = new Tree(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        tree.setHeaderVisible(true);
        tree.setLinesVisible(true);
        for (int i = 0; i < COLUMNS.length; i++) {
            TreeColumn c = new TreeColumn(tree, i >= 5 && i <= 9 ? SWT.RIGHT : SWT.LEFT);
            c.setText(COLUMNS[i]);
            c.setWidth(WIDTHS[i]);
        }
        tree.addListener(SWT.Expand, e -> expand((TreeItem) e.item));
        tree.addListener(SWT.Selection, e -> publish());
        heron.ui.export.ExportActions.addTo(tree, () -> java.util.Arrays.stream(tree.getSelection())
                .filter(i -> i.getData() instanceof AgentTurn)
                .map(i -> EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.TURN,
                        ((AgentTurn) i.getData()).id()))
                .toList());
        selection.attach(getSite());
        listen();
    }

    private void publish() {
        List<Object> sel = new java.util.ArrayList<>();
        for (TreeItem i : tree.getSelection()) {
            if (i.getData() instanceof AgentTurn t) {
                sel.add(t);
                sel.add(EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.TURN, t.id()));
            } else if (i.getData() instanceof TurnNarrative.Step s && s.callId() != 0) {
                sel.add(EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.CALL, s.callId()));
            }
        }
        selection.set(new StructuredSelection(sel));
    }

    @Override
    protected List<AgentTurn> load(HeronStore store, long captureId, IProgressMonitor monitor) {
        long n = store.turns().count(captureId);
        return store.turns().page(captureId, 0, (int) Math.min(n, Integer.MAX_VALUE));
    }

    /**
     * Shows the turns. During a live capture this runs about once a second with the interim
     * grouping: nothing happens when the turns did not change, and otherwise the selected and
     * expanded turns stay selected and expanded (by id) and the tree is redrawn once.
     */
    @Override
    protected void show(List<AgentTurn> turns) {
        if (turns != null && turns.equals(shown)) {
            return;
        }
        shown = turns;
        java.util.Set<Long> selected = new java.util.HashSet<>();
        java.util.Set<Long> expanded = new java.util.HashSet<>();
        for (TreeItem i : tree.getSelection()) {
            if (i.getData() instanceof AgentTurn t) {
                selected.add(t.id());
            }
        }
        for (TreeItem i : tree.getItems()) {
            if (i.getExpanded() && i.getData() instanceof AgentTurn t) {
                expanded.add(t.id());
            }
        }
        tree.setRedraw(false);
        try {
            fill(turns, selected, expanded);
        } finally {
            tree.setRedraw(true);
        }
    }

    private void fill(List<AgentTurn> turns, java.util.Set<Long> selected, java.util.Set<Long> expanded) {
        tree.removeAll();
        if (turns == null) {
            setContentDescription("");
            return;
        }
        List<TreeItem> reselect = new java.util.ArrayList<>();
        for (AgentTurn t : turns) {
            TreeItem item = new TreeItem(tree, SWT.NONE);
            item.setData(t);
            item.setText(new String[] { Long.toString(t.id()), Format.preview(t.userInputPreview(), 200),
                    t.status().name().toLowerCase(), Format.time(t.startNanos()), Format.duration(t.durationNanos()),
                    Integer.toString(t.callIds().size()), Integer.toString(t.toolCalls()), Format.num(t.inputTokens()),
                    Format.num(t.outputTokens()), Format.num(t.cacheReadTokens()), t.agentKind(),
                    String.join(", ", t.models()) });
            new TreeItem(item, SWT.NONE).setText(0, "loading…");
            if (selected.contains(t.id())) {
                reselect.add(item);
            }
            if (expanded.contains(t.id())) {
                expand(item);
            }
        }
        if (!reselect.isEmpty()) {
            tree.setSelection(reselect.toArray(TreeItem[]::new));
        }
        setContentDescription(Format.num(turns.size()) + " turns");
    }

    private void expand(TreeItem item) {
        if (!(item.getData() instanceof AgentTurn turn) || item.getItemCount() != 1
                || item.getItem(0).getData() != null) {
            return;
        }
        long captureId = CaptureContext.get().captureId();
        Job job = new Job("Loading turn " + turn.id()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                Optional<TurnWithCalls> twc = WorkspaceStore.get().turns().turnWithCalls(captureId, turn.id());
                List<TurnNarrative.Step> steps = twc.map(t -> TurnNarrative.of(t.turn(), t.calls())).orElse(List.of());
                tree.getDisplay().asyncExec(() -> fillSteps(item, steps));
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }

    private void fillSteps(TreeItem item, List<TurnNarrative.Step> steps) {
        if (item.isDisposed()) {
            return;
        }
        item.removeAll();
        for (TurnNarrative.Step s : steps) {
            TreeItem child = new TreeItem(item, SWT.NONE);
            child.setData(s);
            child.setText(0, s.kind());
            child.setText(STEP, s.text());
            if (s.error()) {
                child.setForeground(heron.ui.Themes.errorColor(tree));
            }
        }
        item.setExpanded(true);
    }

    public Tree tree() {
        return tree;
    }

    @Override
    protected Control control() {
        return tree;
    }

    @Override
    public void setFocus() {
        tree.setFocus();
    }
}
