package heron.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/**
 * The Eclipse application {@code heron.cli.app}: runs {@link HeronCommand} on the application
 * arguments and returns its exit code to the launcher (which passes it to the shell).
 */
public class HeadlessApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        // Ctrl-C and SIGTERM stop an analysis cleanly (Interruption): no temporary database stays.
        try (Interruption interruption = Interruption.onShutdown(Analyzer::deleteTree)) {
            return new HeronCommand(System.out, System.err, interruption).run(args == null ? new String[0] : args);
        }
    }

    @Override
    public void stop() {
        // Signals reach the command through its shutdown hook (Interruption), not through here.
    }
}
