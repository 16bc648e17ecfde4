package heron.ui.jobs;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import heron.capture.live.LiveCapture;
import heron.pipeline.CaptureImporter;
import heron.pipeline.StoreImportSink;
import heron.ui.WorkspaceStore;

/**
 * Runs a live capture through the same pipeline as a file, into the workspace database, until
 * stopped (Capture > Stop, or Cancel in the progress view). The packets are kept in a pcapng
 * file in the workspace so the capture can be re-opened later.
 */
public class LiveCaptureJob extends Job {
    private static volatile LiveCaptureJob running;
    private final LiveCapture capture;
    private final Path file;
    private volatile long captureId;
    private volatile java.util.function.LongConsumer begun = id -> {
    };

    public LiveCaptureJob(LiveCapture capture, Path file, String interfaceName) {
        super("Live capture on " + interfaceName);
        this.capture = capture;
        this.file = file;
        setUser(true);
    }

    private volatile Runnable committed = () -> {
    };

    /**
     * Called (from the store's writer thread) after each commit of the captured rows, so the views
     * can follow the capture (see {@link heron.ui.CaptureFollower}).
     */
    public void onRowsCommitted(Runnable listener) {
        committed = listener;
    }

    /** The live capture running now, or null. */
    public static LiveCaptureJob running() {
        return running;
    }

    public void onCaptureBegun(java.util.function.LongConsumer listener) {
        begun = listener;
    }

    public long captureId() {
        return captureId;
    }

    /** Stops the capture; the job then finishes the import (the final grouping of the turns). */
    public void stopCapture() {
        capture.stop();
    }

    @Override
    protected void canceling() {
        capture.stop();
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        running = this;
        try (StoreImportSink sink = new StoreImportSink(WorkspaceStore.get(), id -> {
            captureId = id;
            begun.accept(id);
        }).onCommit(() -> committed.run()); capture) {
            // The stream ends when stop() is called; cancellation means "stop", not "discard".
            // One worker: with several, packets wait in per-worker batches of a thousand before
            // they are reassembled, so a quiet capture would show its calls only when stopped.
            // Live traffic rates are far below what one worker handles.
            // importStream regroups the turns so far every CaptureImporter.LIVE_GROUPING.
            CaptureImporter.fromPlatform(PipelineSettings.netOptions().withWorkers(1)).importStream(file.toString(),
                    capture, sink,
                    new org.eclipse.core.runtime.NullProgressMonitor());
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (IOException | RuntimeException e) {
            return Status.error("Live capture failed: " + e.getMessage(), e);
        } finally {
            running = null;
        }
    }
}
