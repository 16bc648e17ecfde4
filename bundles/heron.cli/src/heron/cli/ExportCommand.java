package heron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.EntityRef;
import heron.core.model.LlmCall;
import heron.export.ExportService;
import heron.net.NetOptions;
import heron.pipeline.CaptureReassembler;
import heron.pipeline.ExportSelection;
import heron.store.HeronStore;
import heron.store.query.CallQueries;
import heron.store.query.TurnQueries.TurnWithCalls;

/**
 * {@code heron export}: exports from an existing database (one written by {@code heron analyze
 * --db} or a workbench workspace) with a filter.
 */
final class ExportCommand {
    static final String USAGE = """
            Usage: heron export --db PATH --out FILE [options]

            Exports turns, sessions or calls of an existing Heron database.

            Options:
              --format ID          exporter: sft-jsonl (default), har, csv, or a plug-in's id
              --scope S            turn (default), session, call or exchange
              --capture N          only this capture id (default: every capture in the database)
              --agent-kind K       only turns/sessions/calls of this agent kind
              --wire-api W         only those with a call of this wire API
              --model M            only those with a call whose model contains M
              --from T, --to T     only those starting in [from, to); ISO-8601 UTC, e.g. 2026-11-27T10:00:00Z
              --keep-secrets       do not mask API keys, tokens and cookies (masked by default)
              --subagents          also export sub-agent conversations as their own lines
            """;

    private final PrintStream out;
    private final PrintStream err;

    ExportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private record Filter(String agentKind, String wireApi, String model, Long from, Long to) {
        boolean call(LlmCall c) {
            return (agentKind == null || c.agent() != null && agentKind.equals(c.agent().agentKind()))
                    && (wireApi == null || wireApi.equals(c.wireApi()))
                    && (model == null || c.model() != null
                            && c.model().toLowerCase(Locale.ROOT).contains(model.toLowerCase(Locale.ROOT)))
                    && time(c.requestNanos());
        }

        boolean time(long ns) {
            return (from == null || ns >= from) && (to == null || ns < to);
        }

        boolean turn(AgentTurn t, List<LlmCall> calls) {
            return (agentKind == null || agentKind.equals(t.agentKind())) && time(t.startNanos())
                    && (wireApi == null && model == null || calls.stream().anyMatch(
                            c -> new Filter(null, wireApi, model, null, null).call(c)));
        }
    }

    int run(List<String> args) {
        if (args.contains("-h") || args.contains("--help")) {
            out.print(USAGE);
            return HeronCommand.OK;
        }
        Path db = null;
        Path target = null;
        String format = "sft-jsonl";
        String scope = "turn";
        Long capture = null;
        String agent = null;
        String wire = null;
        String model = null;
        Long from = null;
        Long to = null;
        boolean mask = true;
        boolean sub = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--db" -> db = Path.of(value(args, ++i, a));
                    case "--out" -> target = Path.of(value(args, ++i, a));
                    case "--format" -> format = value(args, ++i, a);
                    case "--scope" -> scope = value(args, ++i, a);
                    case "--capture" -> capture = Long.parseLong(value(args, ++i, a));
                    case "--agent-kind" -> agent = value(args, ++i, a);
                    case "--wire-api" -> wire = value(args, ++i, a);
                    case "--model" -> model = value(args, ++i, a);
                    case "--from" -> from = nanos(value(args, ++i, a));
                    case "--to" -> to = nanos(value(args, ++i, a));
                    case "--keep-secrets" -> mask = false;
                    case "--subagents" -> sub = true;
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see heron export --help)");
                }
            }
            if (db == null || target == null) {
                throw new IllegalArgumentException("--db and --out are required (see heron export --help)");
            }
            if (!List.of("turn", "session", "call", "exchange").contains(scope)) {
                throw new IllegalArgumentException("--scope is turn, session, call or exchange");
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("heron export: " + e.getMessage());
            return HeronCommand.USAGE;
        }
        if (!Files.isDirectory(db)) {
            err.println("heron export: no database at " + db);
            return HeronCommand.INPUT_UNREADABLE;
        }
        Filter filter = new Filter(agent, wire, model, from, to);
        try (HeronStore store = HeronStore.open(db)) {
            // Bodies kept by reference are re-assembled from the capture files (ADR 0006).
            CaptureReassembler.install(store, NetOptions.defaults());
            ExportService service = ExportService.fromPlatform();
            if (service.registry().byId(format).isEmpty()) {
                err.println("heron export: no exporter '" + format + "'; installed: " + String.join(", ",
                        service.registry().contributions().stream().map(c -> c.id()).toList()));
                return HeronCommand.USAGE;
            }
            long written = 0;
            long skipped = 0;
            List<Capture> captures = store.captures().list();
            int files = 0;
            for (Capture c : captures) {
                if (capture != null && c.id() != capture) {
                    continue;
                }
                List<EntityRef> refs = select(store, c.id(), scope, filter);
                if (refs.isEmpty()) {
                    continue;
                }
                Path file = captures.size() == 1 || capture != null || files == 0 ? target
                        : target.resolveSibling(c.id() + "-" + target.getFileName());
                files++;
                ExportResult r = service.export(format, ExportSelection.load(store, c.id(), refs),
                        new ExportOptions(scope, mask, sub), file, new NullProgressMonitor());
                err.println("heron export: capture " + c.id() + " → " + file + ": " + r);
                written += r.written();
                skipped += r.skipped();
            }
            if (files == 0) {
                err.println("heron export: nothing matches the filter; no file written");
            }
            out.println("written " + written + ", skipped " + skipped);
            return HeronCommand.OK;
        } catch (IOException | RuntimeException e) {
            err.println("heron export: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        }
    }

    private static List<EntityRef> select(HeronStore store, long captureId, String scope, Filter f) {
        List<EntityRef> refs = new ArrayList<>();
        switch (scope) {
            case "session" -> {
                for (AgentSession s : store.turns().sessions(captureId)) {
                    boolean any = s.turnIds().stream().anyMatch(id -> store.turns().turnWithCalls(captureId, id)
                            .map(t -> f.turn(t.turn(), t.calls())).orElse(false));
                    if (any) {
                        refs.add(new EntityRef(captureId, EntityRef.Kind.SESSION, 0, s.id()));
                    }
                }
            }
            case "call", "exchange" -> {
                for (LlmCall c : store.calls().page(captureId, heron.store.query.CallFilter.ALL, CallQueries.Sort.ID,
                        true, 0, Integer.MAX_VALUE)) {
                    if (f.call(c)) {
                        refs.add(scope.equals("call") ? EntityRef.of(captureId, EntityRef.Kind.CALL, c.id())
                                : EntityRef.of(captureId, EntityRef.Kind.EXCHANGE, c.exchangeId()));
                    }
                }
            }
            default -> {
                for (AgentTurn t : store.turns().page(captureId, 0, Integer.MAX_VALUE)) {
                    List<LlmCall> calls = store.turns().turnWithCalls(captureId, t.id()).map(TurnWithCalls::calls)
                            .orElse(List.of());
                    if (f.turn(t, calls)) {
                        refs.add(EntityRef.of(captureId, EntityRef.Kind.TURN, t.id()));
                    }
                }
            }
        }
        return refs;
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
