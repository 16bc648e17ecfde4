package heron.ui.views.turns;

import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

import heron.core.model.AgentSession;
import heron.core.model.EntityRef;
import heron.store.HeronStore;
import heron.ui.CaptureContext;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/** Agent sessions: all turns of one conversation, with time span and token totals. */
public class SessionListView extends CaptureView<List<AgentSession>> {
    public static final String ID = "heron.ui.views.sessions";
    private LazyTable<AgentSession> table;
    private List<AgentSession> shown;
    private final SelectionBridge selection = new SelectionBridge();

    @Override
    public void createPartControl(Composite parent) {
        table = new LazyTable<>(parent, SWT.MULTI, List.of(
                Column.text("Session", 260, AgentSession::id, Comparator.comparing(AgentSession::id)),
                Column.text("Agent", 100, AgentSession::agentKind, Comparator.comparing(AgentSession::agentKind)),
                Column.number("Turns", 60, s -> Integer.toString(s.turnIds().size()),
                        Comparator.comparingInt(s -> s.turnIds().size())),
                Column.text("Start", 110, s -> Format.time(s.startNanos()),
                        Comparator.comparingLong(AgentSession::startNanos)),
                Column.text("Duration", 80, s -> Format.duration(s.endNanos() - s.startNanos()),
                        Comparator.comparingLong(s -> s.endNanos() - s.startNanos())),
                Column.number("In", 90, s -> Format.num(s.inputTokens()),
                        Comparator.comparingLong(AgentSession::inputTokens)),
                Column.number("Out", 80, s -> Format.num(s.outputTokens()),
                        Comparator.comparingLong(AgentSession::outputTokens)),
                Column.number("Cache read", 90, s -> Format.num(s.cacheReadTokens()),
                        Comparator.comparingLong(AgentSession::cacheReadTokens))));
        table.table().addListener(SWT.Selection, e -> selection.set(new StructuredSelection(table.selection().stream()
                .map(s -> new EntityRef(CaptureContext.get().captureId(), EntityRef.Kind.SESSION, 0, s.id()))
                .toList())));
        selection.attach(getSite());
        heron.ui.export.ExportActions.addTo(table.table(), () -> table.selection().stream()
                .map(s -> new EntityRef(CaptureContext.get().captureId(), EntityRef.Kind.SESSION, 0, s.id()))
                .toList());
        listen();
    }

    @Override
    protected List<AgentSession> load(HeronStore store, long captureId, IProgressMonitor monitor) {
        return store.turns().sessions(captureId);
    }

    @Override
    protected void show(List<AgentSession> data) {
        // a live capture reloads about once a second: leave the table alone when nothing changed
        if (data != null && data.equals(shown)) {
            return;
        }
        shown = data;
        table.setRows(data == null ? List.of() : data);
        setContentDescription(data == null ? "" : Format.num(data.size()) + " sessions");
    }

    public LazyTable<AgentSession> table() {
        return table;
    }

    @Override
    protected Control control() {
        return table.table();
    }

    @Override
    public void setFocus() {
        table.table().setFocus();
    }
}
