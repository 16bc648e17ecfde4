package heron.ui.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;

import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.model.EntityRef;
import heron.core.registry.Contribution;
import heron.export.ExportService;

/**
 * The right-click "Export Selection..." of the Calls, Turns and Sessions views: offers the
 * exporters that accept the selected kind, runs an {@link ExportJob}, and reports "written N,
 * skipped M (reasons)".
 */
public final class ExportActions {
    private ExportActions() {
    }

    /** Adds "Export Selection..." to a control's context menu (creating the menu if needed). */
    public static void addTo(Control control, java.util.function.Supplier<List<EntityRef>> selection) {
        Menu menu = control.getMenu() != null ? control.getMenu() : new Menu(control);
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        item.setText("Export Selection...");
        item.addListener(SWT.Selection, e -> export(control.getShell(), selection.get()));
        control.setMenu(menu);
    }

    public static void export(Shell shell, List<EntityRef> refs) {
        if (refs.isEmpty()) {
            MessageDialog.openInformation(shell, "Export", "Select turns, sessions or calls to export.");
            return;
        }
        EntityRef.Kind kind = refs.get(0).kind();
        List<Contribution<Exporter>> exporters = new ArrayList<>(ExportService.fromPlatform().exportersFor(kind));
        if (exporters.isEmpty()) {
            MessageDialog.openInformation(shell, "Export", "No installed exporter accepts " + kind.name().toLowerCase()
                    + "s.");
            return;
        }
        ExportDialog d = new ExportDialog(shell, exporters, refs.size() + " " + kind.name().toLowerCase()
                + (refs.size() == 1 ? "" : "s"));
        if (d.open() != Window.OK) {
            return;
        }
        ExportDialog.Choice c = d.choice();
        ExportJob job = new ExportJob(refs.get(0).captureId(), refs, c.exporterId(), Path.of(c.file()), c.options());
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                shell.getDisplay().asyncExec(() -> report(shell, job, event.getResult()));
            }
        });
        job.schedule();
    }

    private static void report(Shell shell, ExportJob job, IStatus status) {
        if (shell.isDisposed() || status.getSeverity() == IStatus.CANCEL) {
            return;
        }
        if (!status.isOK()) {
            ErrorDialog.openError(shell, "Export", "The export failed; no file was written.", status);
            return;
        }
        ExportResult r = job.result();
        MessageDialog.openInformation(shell, "Export", "Wrote " + job.file() + "\n\n" + describe(r));
    }

    /** "written N, skipped M" with the reasons, one per line. */
    public static String describe(ExportResult r) {
        StringBuilder b = new StringBuilder("Written: " + r.written() + "\nSkipped: " + r.skipped());
        r.skippedByReason().forEach((reason, n) -> b.append("\n  ").append(n).append(" × ").append(reason));
        return b.toString();
    }
}
