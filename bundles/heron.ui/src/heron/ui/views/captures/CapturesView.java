package heron.ui.views.captures;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

import heron.core.model.Capture;
import heron.ui.CaptureContext;
import heron.ui.CaptureOpener;
import heron.ui.Messages;
import heron.ui.WorkspaceStore;
import heron.ui.views.Format;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/**
 * The captures of this workspace (its database). Selecting one shows it in every view; files
 * dropped here are imported; right-click locates a moved capture file or deletes a capture from
 * the workspace ({@link CaptureActions}). An empty workspace shows how to open a capture.
 */
public class CapturesView extends ViewPart implements CaptureContext.Listener {
    public static final String ID = "heron.ui.views.captures";

    private Composite root;
    private Label hint;
    private LazyTable<Capture> table;

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(1, false));
        hint = new Label(root, SWT.WRAP);
        hint.setText(Messages.CapturesView_Empty);
        hint.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        table = new LazyTable<>(root, SWT.SINGLE, List.of(
                Column.text(Messages.CapturesView_File, 200, c -> Path.of(c.path()).getFileName().toString(),
                        Comparator.comparing(Capture::path)),
                Column.text(Messages.CapturesView_Format, 60, Capture::format, Comparator.comparing(Capture::format)),
                Column.number(Messages.CapturesView_Packets, 80, c -> Format.num(c.packetCount()),
                        Comparator.comparingLong(Capture::packetCount)),
                Column.number("Size", 70, c -> Format.bytes(c.sizeBytes()), Comparator.comparingLong(Capture::sizeBytes)),
                Column.text(Messages.CapturesView_Status, 80, c -> c.status().name().toLowerCase(),
                        Comparator.comparing(Capture::status)),
                Column.text("sha256", 140, c -> c.sha256() == null ? "" : c.sha256().substring(0, 16) + "…", null)));
        table.table().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.table().addListener(SWT.Selection, e -> {
            List<Capture> sel = table.selection();
            if (!sel.isEmpty() && sel.get(0).id() != CaptureContext.get().captureId()) {
                CaptureContext.get().show(sel.get(0).id());
            }
        });
        CaptureActions.addTo(table.table(), table::selection, this::refreshAll);
        DropTarget drop = new DropTarget(root, DND.DROP_COPY | DND.DROP_DEFAULT);
        drop.setTransfer(new Transfer[] { FileTransfer.getInstance() });
        drop.addDropListener(new DropTargetAdapter() {
            @Override
            public void drop(DropTargetEvent event) {
                if (event.data instanceof String[] files) {
                    CaptureOpener.open(getSite().getWorkbenchWindow(), List.of(files));
                }
            }
        });
        CaptureContext.get().addListener(this);
        refresh();
    }

    /** Reloads the list from the workspace database (in a job). */
    public void refresh() {
        Job job = new Job("Loading captures") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                List<Capture> captures;
                try {
                    captures = WorkspaceStore.get().captures().list();
                } catch (RuntimeException e) {
                    return Status.error("The workspace database cannot be read: " + e.getMessage(), e);
                }
                if (!root.isDisposed()) {
                    root.getDisplay().asyncExec(() -> show(captures));
                }
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }

    /** After a capture was relocated or deleted: this list and the views of the shown capture. */
    private void refreshAll() {
        refresh();
        long shown = CaptureContext.get().captureId();
        if (shown != 0) {
            CaptureContext.get().updated(shown);
        }
    }

    private void show(List<Capture> captures) {
        if (root.isDisposed()) {
            return;
        }
        table.setRows(captures);
        long current = CaptureContext.get().captureId();
        table.select(c -> c.id() == current);
        hint.setVisible(captures.isEmpty());
        ((GridData) hint.getLayoutData()).exclude = !captures.isEmpty();
        root.layout();
    }

    @Override
    public void captureChanged(long captureId) {
        refresh();
    }

    @Override
    public void captureUpdated(long captureId) {
        refresh();
    }

    public LazyTable<Capture> table() {
        return table;
    }

    @Override
    public void setFocus() {
        table.table().setFocus();
    }

    @Override
    public void dispose() {
        CaptureContext.get().removeListener(this);
        super.dispose();
    }
}
