package heron.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.model.EntityRef;
import heron.export.ExportService;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.CaptureReassembler;
import heron.pipeline.CompressedCaptures;
import heron.pipeline.ExportSelection;
import heron.pipeline.ImportResult;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;

/**
 * Runs {@code heron analyze}: imports every capture through the pipeline into the store (the one
 * given with --db, or a temporary one deleted at exit) and prints the summary or the JSON
 * document; optionally exports the turns as SFT JSONL.
 */
final class Analyzer {
    private final AnalyzeOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final Interruption interruption;

    Analyzer(AnalyzeOptions options, PrintStream out, PrintStream err, Interruption interruption) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.interruption = interruption;
    }

    int run() {
        for (Path f : options.files()) {
            if (!Files.isReadable(f) || Files.isDirectory(f)) {
                err.println("heron analyze: cannot read " + f + (Files.exists(f) ? "" : " (no such file)"));
                return HeronCommand.INPUT_UNREADABLE;
            }
        }
        Path dbDir = options.db();
        boolean temporary = dbDir == null;
        try {
            if (temporary) {
                dbDir = Files.createTempDirectory("heron-analyze-");
                interruption.temporary(dbDir);
            }
        } catch (IOException e) {
            err.println("heron analyze: cannot create a temporary database: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        }
        try (HeronStore store = HeronStore.open(dbDir)) {
            int rc = analyze(store);
            if (temporary) {
                // deleted below: no compaction at close (seconds after a big import)
                store.closeDiscarding();
            }
            return rc;
        } catch (RuntimeException e) {
            if (interruption.requested()) {
                // H2 closes its database in its own shutdown hook: the import then fails rather
                // than ends cancelled, which is the interruption's doing, not a broken input.
                return interrupted();
            }
            err.println("heron analyze: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        } finally {
            if (temporary) {
                deleteTree(dbDir);
            }
        }
    }

    private int analyze(HeronStore store) {
        NetOptions defaults = NetOptions.defaults();
        NetOptions net = new NetOptions(options.workers(), defaults.bodyCap(), defaults.decompressLimit(),
                defaults.idleTimeoutNanos());
        // The SFT export reads bodies, which stay in the capture file (ADR 0006).
        CaptureReassembler.install(store, net);
        CaptureImporter importer = CaptureImporter.fromPlatform(net);
        long started = System.nanoTime();
        List<ImportResult> results = new ArrayList<>();
        List<Long> captureIds = new ArrayList<>();
        boolean damaged = false;
        Progress progress = Progress.forStderr(err);
        Map<String, Long> health = new TreeMap<>();
        ByteArrayOutputStream textReport = null;
        for (int k = 0; k < options.files().size(); k++) {
            Path given = options.files().get(k);
            if (interruption.requested()) {
                return interrupted(progress);
            }
            // Nobody views the capture while it is imported: its call rows are written once, tagged.
            try (StoreImportSink sink = new StoreImportSink(store, id -> {
            }, true)) {
                sink.endInBackground();
                // A .pcap.gz is inflated beside the database (deleted with a temporary one).
                Path f = CompressedCaptures.importable(given, store.directory().resolve("captures"),
                        interruption.watch(new NullProgressMonitor()));
                ImportResult r = importer.importFile(f, sink, interruption.watch(progress.monitor(given)));
                results.add(r);
                captureIds.add(sink.captureId());
                if (k == options.files().size() - 1) {
                    results.forEach(x -> x.health().forEach((n, v) -> health.merge(n, v, Long::sum)));
                    if (!options.json()) {
                        // made while the store writes the last capture's last rows; printed once
                        // they are written
                        textReport = new ByteArrayOutputStream();
                        try (PrintStream p = new PrintStream(textReport, false, StandardCharsets.UTF_8)) {
                            TextReport.write(results, health, p);
                        }
                    }
                }
                sink.awaitEnd();
                if (r.damaged()) {
                    damaged = true;
                    err.println("heron analyze: " + f + " is damaged; results are partial: " + r.damage());
                }
            } catch (OperationCanceledException e) {
                return interrupted(progress);
            } catch (IOException e) {
                progress.done();
                err.println("heron analyze: " + e.getMessage());
                return HeronCommand.INPUT_UNREADABLE;
            }
        }
        if (interruption.requested()) {
            return interrupted(progress);
        }
        progress.done();
        long elapsed = System.nanoTime() - started;
        try {
            if (options.json()) {
                JsonReport.write(results, health, out);
            } else {
                textReport.writeTo(out);
                TextReport.throughput(results, elapsed, out);
            }
        } catch (IOException e) {
            err.println("heron analyze: cannot write the report: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        }
        out.flush();
        if (options.exportSft() != null) {
            int rc = exportSft(store, captureIds);
            if (rc != HeronCommand.OK) {
                return rc;
            }
        }
        return damaged ? HeronCommand.PARTIAL : HeronCommand.OK;
    }

    private int interrupted(Progress progress) {
        progress.done();
        return interrupted();
    }

    /** Stopped by a signal: no report; the caller deletes a temporary database. */
    private int interrupted() {
        err.println("heron analyze: interrupted; " + (options.db() == null ? "the temporary database is deleted"
                : "captures imported before stay in " + options.db()
                        + "; the unfinished one is kept marked cancelled, or removed when the database is next opened"));
        return HeronCommand.INTERRUPTED;
    }

    private int exportSft(HeronStore store, List<Long> captureIds) {
        List<EntityRef> refs = new ArrayList<>();
        for (long id : captureIds) {
            refs.addAll(ExportSelection.all(store, id, options.scope()));
        }
        if (captureIds.size() > 1) {
            err.println("heron analyze: --export-sft with several captures exports the first one only; "
                    + "use `heron export --db` for the others");
        }
        try {
            long captureId = captureIds.get(0);
            List<EntityRef> mine = refs.stream().filter(r -> r.captureId() == captureId).toList();
            ExportResult r = ExportService.fromPlatform().export("sft-jsonl",
                    ExportSelection.load(store, captureId, mine), new ExportOptions(options.scope(), true, false),
                    options.exportSft(), new NullProgressMonitor());
            err.println("heron analyze: SFT export to " + options.exportSft() + ": " + r);
            return HeronCommand.OK;
        } catch (IOException | RuntimeException e) {
            err.println("heron analyze: SFT export failed: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
