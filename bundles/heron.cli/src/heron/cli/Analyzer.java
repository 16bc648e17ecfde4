package heron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.ImportResult;
import heron.pipeline.ImportSink;

/** Runs {@code heron analyze}: imports every capture and prints the summary or the JSON document. */
final class Analyzer {
    private final AnalyzeOptions options;
    private final PrintStream out;
    private final PrintStream err;

    Analyzer(AnalyzeOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run() {
        for (Path f : options.files()) {
            if (!Files.isReadable(f) || Files.isDirectory(f)) {
                err.println("heron analyze: cannot read " + f + (Files.exists(f) ? "" : " (no such file)"));
                return HeronCommand.INPUT_UNREADABLE;
            }
        }
        NetOptions defaults = NetOptions.defaults();
        NetOptions net = new NetOptions(options.workers(), defaults.bodyCap(), defaults.decompressLimit(),
                defaults.idleTimeoutNanos());
        CaptureImporter importer = CaptureImporter.fromPlatform(net);
        long started = System.nanoTime();
        List<ImportResult> results = new ArrayList<>();
        boolean damaged = false;
        for (Path f : options.files()) {
            try {
                ImportResult r = importer.importFile(f, new ImportSink() {
                }, new NullProgressMonitor());
                results.add(r);
                if (r.damaged()) {
                    damaged = true;
                    err.println("heron analyze: " + f + " is damaged; results are partial: " + r.damage());
                }
            } catch (IOException e) {
                err.println("heron analyze: " + e.getMessage());
                return HeronCommand.INPUT_UNREADABLE;
            }
        }
        long elapsed = System.nanoTime() - started;
        Map<String, Long> health = new TreeMap<>();
        results.forEach(r -> r.health().forEach((k, v) -> health.merge(k, v, Long::sum)));
        try {
            if (options.json()) {
                JsonReport.write(results, health, out);
            } else {
                TextReport.write(results, health, elapsed, out);
            }
        } catch (IOException e) {
            err.println("heron analyze: cannot write the report: " + e.getMessage());
            return HeronCommand.INPUT_UNREADABLE;
        }
        out.flush();
        return damaged ? HeronCommand.PARTIAL : HeronCommand.OK;
    }
}
