package heron.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;

import heron.ui.jobs.LiveCaptureJob;

/** Capture > Stop (Ctrl+Shift+E): ends the running live capture; its import then completes. */
public class StopCaptureHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        LiveCaptureJob job = LiveCaptureJob.running();
        if (job != null) {
            job.stopCapture();
        }
        return null;
    }

    @Override
    public boolean isEnabled() {
        return LiveCaptureJob.running() != null;
    }
}
