package heron.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which capture the views show, and notifications when it changes or grows (during an import or
 * live capture, at most a few times a second — never per row). Listeners are called on the UI
 * thread.
 */
public final class CaptureContext {
    /** Receives capture changes; called on the UI thread. */
    public interface Listener {
        /** The views should show another capture (0: none). */
        void captureChanged(long captureId);

        /** More rows arrived for the shown capture, or its status changed. */
        default void captureUpdated(long captureId) {
        }
    }

    private static final CaptureContext INSTANCE = new CaptureContext();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile long captureId;

    public static CaptureContext get() {
        return INSTANCE;
    }

    public long captureId() {
        return captureId;
    }

    /** Must be called on the UI thread. */
    public void show(long id) {
        captureId = id;
        listeners.forEach(l -> l.captureChanged(id));
    }

    /** Must be called on the UI thread. */
    public void updated(long id) {
        listeners.forEach(l -> l.captureUpdated(id));
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }
}
