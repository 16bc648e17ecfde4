package heron.ui;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;

/**
 * Keeps the views of a capture that is being written (an import, a live capture) up to date: told
 * by the store sink after each commit ({@code StoreImportSink.onCommit}, on the writer thread), it
 * has the UI thread announce {@link CaptureContext#updated} for that capture if it is the one
 * shown. The sink commits at most every quarter second at the start of an import and about once a
 * second after that, so views reload as soon as rows are readable, never per row; announcements
 * that pile up while the UI thread is busy are merged into one.
 */
public final class CaptureFollower implements Runnable {
    private final Display display;
    private final LongSupplier captureId;
    private final AtomicBoolean queued = new AtomicBoolean();

    /** @param captureId the capture being written (0 until the store has created it) */
    public CaptureFollower(Display display, LongSupplier captureId) {
        this.display = display;
        this.captureId = captureId;
    }

    /** A commit happened (any thread). */
    @Override
    public void run() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            display.asyncExec(() -> {
                queued.set(false);
                long id = captureId.getAsLong();
                if (id != 0 && id == CaptureContext.get().captureId()) {
                    CaptureContext.get().updated(id);
                }
            });
        } catch (SWTException e) {
            // the display is gone (the workbench is closing): nobody to update
        }
    }
}
