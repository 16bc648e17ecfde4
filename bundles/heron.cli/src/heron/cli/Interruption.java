package heron.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.ProgressMonitorWrapper;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command runs. The JVM then runs its shutdown hooks and halts
 * when they return, whatever the main thread is doing; without a hook a temporary database of
 * hundreds of MB stayed behind in the temp folder. The hook ({@link #signal}) asks the running
 * command to stop (the import's progress monitor turns cancelled, {@link #watch}), waits a bounded
 * time for it to clean up and return ({@link #close}), and deletes the temporary folders it was
 * given ({@link #temporary}) itself if the command did not get there in time.
 */
class Interruption implements AutoCloseable {
    /** How long the hook waits for the command to stop and clean up before it deletes by itself. */
    static final long WAIT_MS = 10_000;

    private volatile boolean requested;
    /** Something can stop early or clean up: a watched monitor or a temporary folder. */
    private volatile boolean stoppable;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final List<Path> temporaries = new CopyOnWriteArrayList<>();
    private final Consumer<Path> delete;
    private Thread hook;

    Interruption(Consumer<Path> delete) {
        this.delete = delete;
    }

    /** An interruption wired to the JVM's shutdown (the headless application's). */
    static Interruption onShutdown(Consumer<Path> delete) {
        Interruption i = new Interruption(delete);
        i.hook = new Thread(() -> i.signal(WAIT_MS), "heron-interrupted");
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** What the shutdown hook does: ask the command to stop, wait for it, then remove leftovers. */
    void signal(long waitMs) {
        requested = true;
        if (!stoppable) {
            // nothing would notice (e.g. heron export): exit at once, as without the hook
            return;
        }
        try {
            if (settled.await(waitMs, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        temporaries.forEach(delete);
    }

    /** Whether the command was asked to stop. */
    boolean requested() {
        return requested;
    }

    /** A folder deleted on interruption if the command cannot delete it itself in time. */
    void temporary(Path dir) {
        temporaries.add(dir);
        stoppable = true;
    }

    /** {@code monitor}, reporting cancelled once the command was asked to stop. */
    IProgressMonitor watch(IProgressMonitor monitor) {
        stoppable = true;
        return new ProgressMonitorWrapper(monitor) {
            @Override
            public boolean isCanceled() {
                return requested || super.isCanceled();
            }

            @Override
            public void worked(int work) {
                super.worked(work);
                progressed();
            }

            @Override
            public void internalWorked(double work) {
                super.internalWorked(work);
                progressed();
            }
        };
    }

    /** Called on each step of work of a watched monitor (tests interrupt mid-import here). */
    void progressed() {
    }

    /**
     * The command has returned (and cleaned up): the hook need not wait; outside a shutdown the
     * hook is removed.
     */
    @Override
    public void close() {
        settled.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running or has run
            }
        }
    }
}
