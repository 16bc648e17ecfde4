package heron.core.registry;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;

/** Collects and logs problems with contributions (broken plug-ins), for logs and pipeline health. */
public final class RegistryProblems {
    private final List<String> messages = new ArrayList<>();

    public synchronized void report(Contribution<?> c, Throwable e) {
        report("Contribution '" + c.id() + "' from bundle '" + c.contributor() + "' could not be loaded and is skipped: "
                + e, e);
    }

    public synchronized void report(String message, Throwable e) {
        messages.add(message);
        log(message, e);
    }

    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    static void log(String message, Throwable e) {
        if (Platform.isRunning()) {
            ILog.of(RegistryProblems.class).log(new Status(IStatus.ERROR, "heron.core", message, e));
        } else {
            System.err.println("heron: " + message);
        }
    }
}
