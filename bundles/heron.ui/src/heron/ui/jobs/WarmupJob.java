package heron.ui.jobs;

import java.io.IOException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import heron.pipeline.Warmup;

/**
 * Warms the import pipeline once at workbench start ({@link Warmup}: a tiny bundled capture
 * through reader, decoders and turn tracker, into no store), at the lowest priority, so that the
 * first capture the analyst opens does not pay for the JVM's first run of that code. Not started
 * when a capture is opened from the command line: that import warms the pipeline itself.
 */
public final class WarmupJob extends Job {
    public static final Object FAMILY = WarmupJob.class;

    public WarmupJob() {
        super("Warming up the capture pipeline");
        setSystem(true);
        setPriority(DECORATE);
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            Warmup.run(PipelineSettings.netOptions());
            return Status.OK_STATUS;
        } catch (IOException | RuntimeException e) {
            // Nothing is lost but the head start: log it, do not bother the analyst with a dialog.
            return Status.warning("The capture pipeline could not be warmed up: " + e.getMessage(), e);
        }
    }
}
