package heron.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchWindow;

import heron.ui.jobs.ImportCaptureJob;

/**
 * The one way the UI opens capture files: menu, command line, drag-and-drop and Open Recent all
 * come here. Each file is imported by an {@link ImportCaptureJob} (or found already imported);
 * views follow the import while it runs (a refresh after each commit of its rows,
 * {@link CaptureFollower}) and show the capture when it ends. Errors and damage are
 * reported in a dialog that says what was still recovered.
 */
public final class CaptureOpener {
    private CaptureOpener() {
    }

    /** Schedules the imports and returns the jobs (tests join them). */
    public static List<ImportCaptureJob> open(IWorkbenchWindow window, List<String> files) {
        List<ImportCaptureJob> jobs = new java.util.ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f).toAbsolutePath();
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                MessageDialog.openError(window.getShell(), Messages.OpenCapture_Title,
                        NLS.bind(Messages.OpenCapture_NotFound, f));
                continue;
            }
            RecentCaptures.add(p.toString());
            ImportCaptureJob job = new ImportCaptureJob(p);
            Display display = window.getShell().getDisplay();
            job.onCaptureBegun(id -> display.asyncExec(() -> CaptureContext.get().show(id)));
            job.addJobChangeListener(new JobChangeAdapter() {
                @Override
                public void done(IJobChangeEvent event) {
                    display.asyncExec(() -> finished(window, job, event.getResult()));
                }
            });
            job.onRowsCommitted(new CaptureFollower(display, job::captureId));
            job.schedule();
            jobs.add(job);
        }
        return jobs;
    }

    private static void finished(IWorkbenchWindow window, ImportCaptureJob job, IStatus status) {
        if (job.captureId() != 0 && status.getSeverity() != IStatus.CANCEL) {
            if (job.captureId() == CaptureContext.get().captureId()) {
                if (!job.reused()) {
                    // a re-opened capture did not change: reloading every view would redo their loads
                    CaptureContext.get().updated(job.captureId());
                }
            } else {
                CaptureContext.get().show(job.captureId());
            }
        }
        if (window.getShell() == null || window.getShell().isDisposed()) {
            return;
        }
        if (status.getSeverity() == IStatus.ERROR || status.getSeverity() == IStatus.WARNING) {
            ErrorDialog.openError(window.getShell(), Messages.OpenCapture_Title,
                    status.getSeverity() == IStatus.ERROR
                            ? "The capture could not be imported completely."
                            : "The capture is damaged; everything that could be read was imported.",
                    status);
        }
    }
}
