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
        return new HeronCommand(System.out, System.err).run(args == null ? new String[0] : args);
    }

    @Override
    public void stop() {
        // The command runs to completion on the main thread; nothing to interrupt here.
    }
}
