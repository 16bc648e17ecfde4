package heron.ui.views.captures;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;

import heron.core.model.Capture;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;

/**
 * The Captures view's right-click actions: <b>Locate Capture File...</b> (the file was moved or
 * renamed since the import; packet bytes and call details are read from it, ADR 0006) and
 * <b>Delete from Workspace</b> (Delete key too; the capture's rows go, the capture file stays).
 * The database work runs in jobs; results and refusals are said in a dialog.
 */
final class CaptureActions {
    private CaptureActions() {
    }

    static void addTo(Table table, Supplier<List<Capture>> selection, Runnable refresh) {
        Menu menu = new Menu(table);
        MenuItem locate = new MenuItem(menu, SWT.PUSH);
        locate.setText("&Locate Capture File...");
        locate.addListener(SWT.Selection, e -> selection.get().stream().findFirst()
                .ifPresent(c -> locate(table.getShell(), c, refresh)));
        MenuItem delete = new MenuItem(menu, SWT.PUSH);
        delete.setText("&Delete from Workspace\tDelete");
        delete.addListener(SWT.Selection, e -> selection.get().stream().findFirst()
                .ifPresent(c -> delete(table.getShell(), c, refresh)));
        menu.addListener(SWT.Show, e -> {
            boolean one = !selection.get().isEmpty();
            locate.setEnabled(one);
            delete.setEnabled(one);
        });
        table.setMenu(menu);
        table.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL && e.stateMask == 0) {
                selection.get().stream().findFirst().ifPresent(c -> delete(table.getShell(), c, refresh));
            }
        });
    }

    private static void locate(Shell shell, Capture capture, Runnable refresh) {
        FileDialog d = new FileDialog(shell, SWT.OPEN);
        d.setText("Locate " + Path.of(capture.path()).getFileName());
        d.setFilterExtensions(new String[] { "*.pcap;*.pcapng;*.cap", "*" });
        d.setFilterNames(new String[] { "Captures (*.pcap, *.pcapng)", "All files" });
        Path parent = Path.of(capture.path()).getParent();
        if (parent != null) {
            d.setFilterPath(parent.toString());
        }
        String chosen = d.open();
        if (chosen == null) {
            return;
        }
        Job job = relocate(capture.id(), Path.of(chosen));
        whenDone(shell, job, "Locate Capture File", refresh);
    }

    /**
     * Points the capture at {@code file} in a job (hashing a big file takes seconds); the views of
     * the capture reload when it is done.
     */
    static Job relocate(long captureId, Path file) {
        Job job = new Job("Checking " + file.getFileName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    WorkspaceStore.get().relocateCapture(captureId, file);
                    return Status.OK_STATUS;
                } catch (RuntimeException e) {
                    return Status.error(e.getMessage(), e);
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }

    private static void delete(Shell shell, Capture capture, Runnable refresh) {
        if (capture.status() == Capture.ImportStatus.IMPORTING) {
            MessageDialog.openInformation(shell, "Delete from Workspace", Path.of(capture.path()).getFileName()
                    + " is still being imported or captured: cancel or stop that first.");
            return;
        }
        if (!MessageDialog.openConfirm(shell, "Delete from Workspace", "Delete "
                + Path.of(capture.path()).getFileName() + " from this workspace?\n\nIts packets, exchanges, calls, "
                + "turns and sessions are removed from the workspace database. The capture file itself is not "
                + "touched and can be opened again.")) {
            return;
        }
        whenDone(shell, delete(capture.id()), "Delete from Workspace", refresh);
    }

    /**
     * Deletes the capture from the workspace database in a job; the views stop showing it first
     * (UI thread: call from it).
     */
    static Job delete(long captureId) {
        if (CaptureContext.get().captureId() == captureId) {
            CaptureContext.get().show(0);
        }
        Job job = new Job("Deleting capture " + captureId) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    WorkspaceStore.get().deleteCapture(captureId);
                    return Status.OK_STATUS;
                } catch (RuntimeException e) {
                    return Status.error("The capture could not be deleted: " + e.getMessage(), e);
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }

    private static void whenDone(Shell shell, Job job, String title, Runnable refresh) {
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                IStatus result = event.getResult();
                shell.getDisplay().asyncExec(() -> {
                    refresh.run();
                    if (!result.isOK() && !shell.isDisposed()) {
                        MessageDialog.openError(shell, title, result.getMessage());
                    }
                });
            }
        });
    }
}
