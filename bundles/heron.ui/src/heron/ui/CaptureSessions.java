package heron.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The captures opened in this workbench session, with change listeners for the views. (The
 * workspace database takes this role once the store exists.)
 */
public final class CaptureSessions {
    private static final CaptureSessions INSTANCE = new CaptureSessions();
    private final List<Path> captures = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<Path>>> listeners = new CopyOnWriteArrayList<>();

    public static CaptureSessions get() {
        return INSTANCE;
    }

    public void add(Path p) {
        if (!captures.contains(p)) {
            captures.add(p);
            List<Path> now = new ArrayList<>(captures);
            listeners.forEach(l -> l.accept(now));
        }
    }

    public List<Path> captures() {
        return List.copyOf(captures);
    }

    public void addListener(Consumer<List<Path>> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<List<Path>> l) {
        listeners.remove(l);
    }
}
