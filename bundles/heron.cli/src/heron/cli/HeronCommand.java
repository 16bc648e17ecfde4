package heron.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import heron.core.Heron;

/**
 * The command line of the headless application: {@code heron --version}, {@code heron analyze ...}.
 * Plain Java over the core, so tests run it in-process with the real pipeline and store.
 */
public final class HeronCommand {
    public static final int OK = 0;
    public static final int INPUT_UNREADABLE = 1;
    public static final int USAGE = 2;
    public static final int PARTIAL = 3;
    /** Stopped by Ctrl-C or SIGTERM (the shell then reports 128 + the signal's number). */
    public static final int INTERRUPTED = 130;

    private static final String TOP_USAGE = """
            Usage: heron [FILE]              open the workbench (on a capture file)
                   heron analyze [options] FILE...   analyse captures without a display
                   heron export --db PATH --out FILE [options]   export from a database
                   heron --version           print the version
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Interruption interruption;

    /** A command that nothing interrupts (tests, embedding). */
    public HeronCommand(PrintStream out, PrintStream err) {
        this(out, err, new Interruption(Analyzer::deleteTree));
    }

    HeronCommand(PrintStream out, PrintStream err, Interruption interruption) {
        this.out = out;
        this.err = err;
        this.interruption = interruption;
    }

    public int run(String[] argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.print(TOP_USAGE);
            return args.isEmpty() ? USAGE : OK;
        }
        switch (args.get(0)) {
            case "--version", "-v", "version":
                out.println(Heron.NAME + " " + Heron.version());
                return OK;
            case "analyze":
                return analyze(args.subList(1, args.size()));
            case "export":
                return new ExportCommand(out, err).run(args.subList(1, args.size()));
            default:
                err.println("heron: unknown command '" + args.get(0) + "'");
                err.print(TOP_USAGE);
                return USAGE;
        }
    }

    private int analyze(List<String> args) {
        if (args.contains("-h") || args.contains("--help")) {
            out.print(AnalyzeOptions.USAGE);
            return OK;
        }
        AnalyzeOptions options;
        try {
            options = AnalyzeOptions.parse(args);
        } catch (AnalyzeOptions.UsageException e) {
            err.println("heron analyze: " + e.getMessage());
            return USAGE;
        }
        return new Analyzer(options, out, err, interruption).run();
    }
}
