package heron.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * A one-line progress display on stderr for long imports, only when stderr is a terminal (as
 * tshark and curl do); otherwise silent so scripts get clean output.
 */
final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private boolean drawn;

    private Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static Progress forStderr(PrintStream err) {
        return new Progress(err, err == System.err && System.console() != null);
    }

    IProgressMonitor monitor(Path file) {
        if (!enabled) {
            return new NullProgressMonitor();
        }
        return new NullProgressMonitor() {
            private int total = 1;
            private double worked;
            private long lastDraw;

            @Override
            public void beginTask(String name, int totalWork) {
                total = Math.max(1, totalWork);
            }

            @Override
            public void internalWorked(double work) {
                worked += work;
                long now = System.nanoTime();
                if (now - lastDraw > 200_000_000L) {
                    lastDraw = now;
                    drawn = true;
                    err.printf("\r%s: %3.0f%%", file.getFileName(), Math.min(100, 100 * worked / total));
                    err.flush();
                }
            }

            @Override
            public void worked(int work) {
                internalWorked(work);
            }
        };
    }

    void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
