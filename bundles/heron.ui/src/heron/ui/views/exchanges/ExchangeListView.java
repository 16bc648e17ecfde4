package heron.ui.views.exchanges;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

import heron.core.model.EntityRef;
import heron.core.model.HttpExchange;
import heron.store.HeronStore;
import heron.store.query.ExchangeQueries;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/**
 * Every HTTP exchange (LLM or not): method, host, path, status, sizes, timings. Right-click >
 * Follow HTTP Stream shows the whole conversation of the exchange's connection as text.
 */
public class ExchangeListView extends CaptureView<Long> {
    public static final String ID = "heron.ui.views.exchanges";
    private static final ExchangeQueries.Sort[] SORTS = { ExchangeQueries.Sort.ID, ExchangeQueries.Sort.REQUEST_TIME,
            null, null, ExchangeQueries.Sort.METHOD, ExchangeQueries.Sort.HOST, null, ExchangeQueries.Sort.STATUS,
            ExchangeQueries.Sort.REQUEST_SIZE, ExchangeQueries.Sort.RESPONSE_SIZE, null, null };
    private LazyTable<HttpExchange> table;
    private ExchangeQueries.Sort sort = ExchangeQueries.Sort.ID;
    private long count;
    private final SelectionBridge selection = new SelectionBridge();

    @Override
    public void createPartControl(Composite parent) {
        table = new LazyTable<>(parent, SWT.MULTI, List.of(
                Column.number("No.", 80, x -> Long.toString(x.id()), null),
                Column.text("Time", 110, x -> Format.time(x.request().firstByteNanos()), null),
                Column.text("Client", 150, x -> x.client().toString(), null),
                Column.text("Server", 150, x -> x.server().toString(), null),
                Column.text("Method", 60, x -> x.request().method(), null),
                Column.text("Host", 140, x -> x.request().host(), null),
                Column.text("Path", 260, x -> x.request().target(), null),
                Column.number("Status", 55, x -> x.response() == null ? "" : Integer.toString(x.response().status()),
                        null),
                Column.number("Req size", 75, x -> Format.bytes(x.request().body().decodedLength()), null),
                Column.number("Resp size", 75,
                        x -> x.response() == null ? "" : Format.bytes(x.response().body().decodedLength()), null),
                Column.number("Duration", 80, x -> x.response() == null ? ""
                        : Format.duration(x.response().lastByteNanos() - x.request().firstByteNanos()), null),
                Column.text("Label", 110, x -> x.label() == null ? "" : x.label(), null)));
        table.onSort(col -> {
            if (SORTS[col] != null) {
                sort = SORTS[col];
                page();
            }
        });
        table.table().addListener(SWT.Selection, e -> selection.set(new StructuredSelection(table.selection().stream()
                .map(x -> EntityRef.of(CaptureContext.get().captureId(), EntityRef.Kind.EXCHANGE, x.id())).toList())));
        Menu menu = new Menu(table.table());
        MenuItem follow = new MenuItem(menu, SWT.PUSH);
        follow.setText("Follow HTTP Stream");
        follow.addListener(SWT.Selection, e -> followSelected());
        MenuItem copy = new MenuItem(menu, SWT.PUSH);
        copy.setText("Copy\tCtrl+C");
        copy.addListener(SWT.Selection, e -> table.copySelection());
        table.table().setMenu(menu);
        selection.attach(getSite());
        listen();
    }

    private void followSelected() {
        List<HttpExchange> sel = table.selection();
        if (sel.isEmpty()) {
            return;
        }
        long captureId = CaptureContext.get().captureId();
        long connection = sel.get(0).connectionId();
        Job job = new Job("Following HTTP stream") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                String text = FollowStream.text(WorkspaceStore.get().exchanges().byConnection(captureId, connection));
                table.table().getDisplay().asyncExec(() -> new FollowStreamDialog(getSite().getShell(),
                        "Follow HTTP Stream (connection " + connection + ")", text).open());
                return Status.OK_STATUS;
            }
        };
        job.setUser(true);
        job.schedule();
    }

    @Override
    protected Long load(HeronStore store, long captureId, IProgressMonitor monitor) {
        return store.exchanges().count(captureId);
    }

    @Override
    protected void show(Long n) {
        count = n == null ? 0 : n;
        page();
        setContentDescription(Format.num(count) + " exchanges");
    }

    private void page() {
        long captureId = CaptureContext.get().captureId();
        ExchangeQueries.Sort s = sort;
        boolean asc = table.ascending();
        table.setPaged(count, (offset, limit) -> WorkspaceStore.get().exchanges().page(captureId, s, asc, offset, limit));
    }

    public LazyTable<HttpExchange> table() {
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
