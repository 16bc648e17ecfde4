package heron.ui.views;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.progress.IWorkbenchSiteProgressService;

import heron.store.HeronStore;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;

/**
 * Base of the views that show one capture: reloads in a background job when the shown capture
 * changes or grows, cancelling a refresh still running so stale work never overwrites fresh
 * results, and hands the result to the UI thread. Subclasses never query on the UI thread.
 *
 * <p>A view that is not visible (a tab behind another) does not load: it only notes that it is
 * stale (and empties itself when the capture changed) and loads when it is shown. Opening a
 * capture thus loads only what the user sees, instead of every open view competing for the two
 * cores and the database at once (docs/performance.md, Workbench).
 *
 * @param <D> what {@link #load} produces for {@link #show}
 */
public abstract class CaptureView<D> extends ViewPart implements CaptureContext.Listener {
    private Job refresh;
    private long refreshCaptureId;
    /** A reload was asked for while one of the same capture was running (UI thread only). */
    private boolean reloadPending;
    private volatile boolean loaded;
    /** A reload was skipped because the view was hidden (UI thread only). */
    private boolean stale;
    /** The capture whose data {@link #show} last got (UI thread only). */
    private long shownCaptureId;
    private IPartListener2 visibility;
    /** Loads running in all capture views, for work that should wait until the views have rows. */
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();

    /** Queries the store (background thread). */
    protected abstract D load(HeronStore store, long captureId, IProgressMonitor monitor);

    /** Shows what {@link #load} produced (UI thread). */
    protected abstract void show(D data);

    /** The control whose disposal ends refreshes. */
    protected abstract Control control();

    protected final void listen() {
        CaptureContext.get().addListener(this);
        visibility = new IPartListener2() {
            @Override
            public void partVisible(IWorkbenchPartReference ref) {
                if (ref.getPart(false) == CaptureView.this && stale) {
                    reload();
                }
            }
        };
        IWorkbenchPage page = getSite().getPage();
        if (page != null) {
            page.addPartListener(visibility);
        }
        reload();
    }

    /** True while the view is on screen (not a hidden tab, not minimised). */
    protected boolean isVisible() {
        IWorkbenchPage page = getSite().getPage();
        return page == null || page.isPartVisible(this);
    }

    /** Number of capture view loads scheduled or running now (any view). */
    public static int loadsRunning() {
        return RUNNING.get();
    }

    @Override
    public void captureChanged(long captureId) {
        reload();
    }

    @Override
    public void captureUpdated(long captureId) {
        reload();
    }

    public boolean isLoaded() {
        return loaded;
    }

    /**
     * Schedules a reload of the current capture. While a reload of the same capture is still
     * running, this only asks for one more when it ends: during a big import "capture updated"
     * comes every second while a load can take longer, and cancelled loads only stop between
     * queries, so restarting each time would pile up loads that compete with the import.
     * A reload for another capture cancels the running one.
     */
    public void reload() {
        long captureId = CaptureContext.get().captureId();
        loaded = false;
        if (!isVisible()) {
            stale = true;
            if (refresh != null && refresh.getState() != Job.NONE && captureId != refreshCaptureId) {
                refresh.cancel();
                refresh = null;
            }
            if (captureId != shownCaptureId) {
                // Never show another capture's rows when the tab comes up: empty until reloaded.
                shownCaptureId = captureId;
                show(null);
            }
            return;
        }
        stale = false;
        if (refresh != null && refresh.getState() != Job.NONE) {
            if (captureId == refreshCaptureId) {
                reloadPending = true;
                return;
            }
            refresh.cancel();
        }
        reloadPending = false;
        refreshCaptureId = captureId;
        refresh = new Job("Loading " + getPartName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                D data;
                try {
                    data = captureId == 0 ? null : load(WorkspaceStore.get(), captureId, monitor);
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (RuntimeException e) {
                    return Status.error(getPartName() + ": loading failed: " + e.getMessage(), e);
                }
                if (monitor.isCanceled()) {
                    return Status.CANCEL_STATUS;
                }
                Control c = control();
                if (c == null || c.isDisposed()) {
                    return Status.OK_STATUS;
                }
                Job self = this;
                c.getDisplay().asyncExec(() -> {
                    // Only the latest refresh shows its result: an older one whose hand-over was already
                    // queued when it was cancelled would otherwise mark the view loaded with stale rows,
                    // and the latest would then replace them under a caller that trusted isLoaded().
                    if (!c.isDisposed() && captureId == CaptureContext.get().captureId() && refresh == self) {
                        shownCaptureId = captureId;
                        show(data);
                        // "loaded" means the newest data asked for is shown
                        loaded = !reloadPending;
                    }
                });
                return Status.OK_STATUS;
            }
        };
        refresh.setSystem(true);
        refresh.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
            @Override
            public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                RUNNING.decrementAndGet();
                Control c = control();
                if (c == null || c.isDisposed()) {
                    return;
                }
                // after the show() queued above, since asyncExec runs in order
                c.getDisplay().asyncExec(() -> {
                    if (!c.isDisposed() && reloadPending) {
                        reload();
                    }
                });
            }
        });
        RUNNING.incrementAndGet(); // from scheduling, so that a waiter never sees 0 before the job starts
        IWorkbenchSiteProgressService progress = getSite().getService(IWorkbenchSiteProgressService.class);
        if (progress != null) {
            progress.schedule(refresh);
        } else {
            refresh.schedule();
        }
    }

    /**
     * Called from {@link #load} to show a first part of the data before the load ends (e.g. the
     * first page of a long list): handed to {@link #show} on the UI thread if this load is still
     * the current one. The view stays not {@link #isLoaded() loaded} until the load returns.
     */
    protected final void showEarly(D data) {
        Job self = Job.getJobManager().currentJob();
        Control c = control();
        if (self == null || c == null || c.isDisposed()) {
            return;
        }
        c.getDisplay().asyncExec(() -> {
            // refresh == self: this load is still the view's current one, for refreshCaptureId
            if (!c.isDisposed() && refresh == self && self.getState() != Job.NONE
                    && refreshCaptureId == CaptureContext.get().captureId()) {
                shownCaptureId = refreshCaptureId;
                show(data);
            }
        });
    }

    @Override
    public void dispose() {
        CaptureContext.get().removeListener(this);
        if (visibility != null && getSite().getPage() != null) {
            getSite().getPage().removePartListener(visibility);
        }
        if (refresh != null) {
            refresh.cancel();
        }
        super.dispose();
    }
}
