package heron.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The parsed arguments of {@code heron analyze}; {@link #parse} throws {@link UsageException} on bad input. */
public record AnalyzeOptions(Path db, int workers, boolean json, Path exportSft, String scope, List<Path> files) {

    public static final String USAGE = """
            Usage: heron analyze [options] FILE...

            Reads pcap/pcapng captures and reconstructs every HTTP exchange, LLM call, agent turn
            and session in them, without a display (Heron's tshark).

            Options:
              --db PATH            use (and keep) this database; default: a temporary one, deleted at exit
              --workers N          reassembly workers (default: number of cores)
              --json               print one JSON document on stdout instead of the summary
              --export-sft FILE    also write the turns as SFT JSONL to FILE
              --scope turn|session one SFT line per turn (default) or per session
              -h, --help           show this help

            Exit codes: 0 success, 1 input could not be read, 2 usage error,
                        3 partial (input damaged: results printed, damage counted);
                        Ctrl-C/SIGTERM: 130/143, nothing printed, temporary database deleted.
            """;

    /** A usage error: message for stderr, exit code 2. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static AnalyzeOptions parse(List<String> args) throws UsageException {
        Path db = null;
        Path sft = null;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        boolean json = false;
        String scope = "turn";
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--db" -> db = Path.of(value(args, ++i, a));
                case "--workers" -> {
                    String v = value(args, ++i, a);
                    try {
                        workers = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--workers takes a whole number, not '" + v + "'");
                    }
                    if (workers < 1 || workers > 64) {
                        throw new UsageException("--workers must be between 1 and 64");
                    }
                }
                case "--json" -> json = true;
                case "--export-sft" -> sft = Path.of(value(args, ++i, a));
                case "--scope" -> {
                    scope = value(args, ++i, a);
                    if (!scope.equals("turn") && !scope.equals("session")) {
                        throw new UsageException("--scope is 'turn' or 'session', not '" + scope + "'");
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new UsageException("unknown option '" + a + "' (see heron analyze --help)");
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("no capture file given (see heron analyze --help)");
        }
        return new AnalyzeOptions(db, workers, json, sft, scope, List.copyOf(files));
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }
}
