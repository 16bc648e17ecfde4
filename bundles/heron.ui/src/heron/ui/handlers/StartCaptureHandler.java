package heron.ui.handlers;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.HandlerUtil;

import heron.capture.live.LiveCapture;
import heron.capture.live.LiveCaptureException;
import heron.ui.CaptureContext;
import heron.ui.CaptureFollower;
import heron.ui.WorkspaceStore;
import heron.ui.jobs.LiveCaptureJob;

/** Capture > Start... (Ctrl+E): choose an interface and filter, then capture into the workspace. */
public class StartCaptureHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        if (LiveCaptureJob.running() != null) {
            MessageDialog.openInformation(shell, "Live Capture", "A live capture is already running. Stop it first "
                    + "(Capture > Stop).");
            return null;
        }
        List<LiveCapture.Interface> interfaces;
        try {
            interfaces = offUiThread(LiveCapture::interfaces);
        } catch (LiveCaptureException e) {
            MessageDialog.openError(shell, "Live Capture", e.getMessage());
            return null;
        }
        if (interfaces.isEmpty()) {
            MessageDialog.openError(shell, "Live Capture", "libpcap found no interface to capture on. Capturing "
                    + "usually needs root, or the capabilities cap_net_raw and cap_net_admin for the Java runtime.");
            return null;
        }
        LiveCaptureDialog d = new LiveCaptureDialog(shell, interfaces);
        if (d.open() != Window.OK) {
            return null;
        }
        try {
            Path dir = WorkspaceStore.capturesFolder();
            Files.createDirectories(dir);
            Path file = dir.resolve("live-" + d.interfaceName() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".pcapng");
            LiveCapture capture = offUiThread(() -> LiveCapture.start(d.interfaceName(), d.filter(), file));
            LiveCaptureJob job = new LiveCaptureJob(capture, file, d.interfaceName());
            Display display = shell.getDisplay();
            job.onCaptureBegun(id -> display.asyncExec(() -> CaptureContext.get().show(id)));
            job.onRowsCommitted(new CaptureFollower(display, job::captureId));
            job.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
                @Override
                public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                    // the final grouping is committed with the capture's end, after the last follow commit
                    new CaptureFollower(display, job::captureId).run();
                }
            });
            job.schedule();
        } catch (LiveCaptureException e) {
            MessageDialog.openError(shell, "Live Capture", e.getMessage());
        } catch (java.io.IOException e) {
            MessageDialog.openError(shell, "Live Capture", "Cannot create the capture file: " + e.getMessage());
        }
        return null;
    }

    private interface LibpcapCall<T> {
        T call() throws LiveCaptureException;
    }

    /**
     * Runs a libpcap call (listing interfaces, opening a handle) outside the UI thread: usually
     * instant, but a slow or hung interface must not freeze the window. Busy cursor first, a
     * progress dialog if it takes longer.
     */
    private static <T> T offUiThread(LibpcapCall<T> call) throws LiveCaptureException {
        Object[] result = new Object[1];
        LiveCaptureException[] failure = new LiveCaptureException[1];
        try {
            PlatformUI.getWorkbench().getProgressService().busyCursorWhile(monitor -> {
                monitor.beginTask("Asking libpcap...", IProgressMonitor.UNKNOWN);
                try {
                    result[0] = call.call();
                } catch (LiveCaptureException e) {
                    failure[0] = e;
                }
            });
        } catch (InvocationTargetException e) {
            throw new LiveCaptureException("libpcap failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveCaptureException("interrupted while waiting for libpcap", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }
}
