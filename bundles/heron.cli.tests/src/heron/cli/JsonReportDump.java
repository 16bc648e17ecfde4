package heron.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.agents.BuiltinProfiles;
import heron.core.model.Body;
import heron.core.model.HttpExchange;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.cli.bench.PipelineBenchmark;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.ImportResult;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;
import heron.store.query.ExchangeQueries;
import heron.testing.Corpus;
import heron.testing.Folders;

/**
 * Not a test: writes what {@code heron analyze --json} (and the text summary, with the elapsed time
 * left out) prints for every capture of the given folders, one file per capture, on a plain class
 * path, the way the analyzer runs (store sink with deferred call rows, 2 workers). Run it before and
 * after a change to the pipeline and diff the two output folders:
 * {@code java -cp CP heron.cli.JsonReportDump OUT_DIR CAPTURE_DIR...}; with
 * {@code -Dheron.dump.nostore=true} the captures are imported without a store (for big captures).
 */
public final class JsonReportDump {
    private JsonReportDump() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        List<Path> captures = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]);
            if (Files.isDirectory(p)) {
                captures.addAll(Corpus.captures(p));
            } else {
                captures.add(p);
            }
        }
        NetOptions net = NetOptions.defaults().withWorkers(2);
        for (Path f : captures) {
            CaptureImporter imp = new CaptureImporter(PipelineBenchmark.sources(), PipelineBenchmark.decoders(),
                    BuiltinProfiles.registry(), net);
            String name = f.getFileName().toString();
            if (Boolean.getBoolean("heron.dump.nostore")) {
                // Big captures: the reports only, without the store (same ImportResult).
                ImportResult r = imp.importFile(f, new heron.pipeline.ImportSink() {
                }, new NullProgressMonitor());
                writeReports(out, name, r);
                continue;
            }
            Path dir = Files.createTempDirectory("heron-json-dump");
            try (HeronStore store = HeronStore.open(dir)) {
                ImportResult r;
                long id;
                try (StoreImportSink sink = new StoreImportSink(store, x -> {
                }, true)) {
                    r = imp.importFile(f, sink, new NullProgressMonitor());
                    id = sink.captureId();
                }
                writeReports(out, name, r);
                // The rows as the views read them back (call rows are written from staged row fields).
                try (PrintStream p = new PrintStream(Files.newOutputStream(out.resolve(name + ".store.txt")), true,
                        "UTF-8")) {
                    for (var c : store.calls().page(id, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1_000_000)) {
                        p.println(c);
                    }
                    p.println(store.turns().count(id));
                    // The exchange rows as the exchange list reads them (row columns only).
                    for (HttpExchange x : store.exchanges().page(id, ExchangeQueries.Sort.ID, true, 0, 1_000_000)) {
                        p.println(exchangeRow(x));
                    }
                }
            } finally {
                Folders.deleteTree(dir);
            }
        }
    }

    /** What analyze prints for one capture: {@code <name>.json}, {@code <name>.txt} (elapsed time fixed at 1 s). */
    private static void writeReports(Path out, String name, ImportResult r) throws IOException {
        Map<String, Long> health = new TreeMap<>(r.health());
        try (OutputStream o = Files.newOutputStream(out.resolve(name + ".json"))) {
            JsonReport.write(List.of(r), health, o);
        }
        try (PrintStream p = new PrintStream(Files.newOutputStream(out.resolve(name + ".txt")), true, "UTF-8")) {
            TextReport.write(List.of(r), health, p);
            TextReport.throughput(List.of(r), 1_000_000_000L, p);
        }
        System.out.println(name + ": " + r.calls().size() + " calls, " + r.turns().size() + " turns");
    }

    /** An exchange's row columns as one line (bodies by their lengths: a body's array has no stable text). */
    private static String exchangeRow(HttpExchange x) {
        HttpRequest rq = x.request();
        HttpResponse rs = x.response();
        return "exchange " + x.id() + " " + x.connectionId() + " " + x.sequence() + " " + x.client() + " "
                + x.server() + " " + x.label() + " | "
                + (rq == null ? "-" : rq.method() + " " + rq.target() + " " + rq.version() + " " + rq.host() + " "
                        + body(rq.body()) + " " + rq.firstByteNanos() + " " + rq.lastByteNanos() + " "
                        + rq.firstFrame() + " " + rq.lastFrame())
                + " | " + (rs == null ? "-" : rs.status() + " " + rs.reason() + " " + rs.version() + " "
                        + body(rs.body()) + " " + rs.events().size() + " " + rs.firstByteNanos() + " "
                        + rs.headersNanos() + " " + rs.lastByteNanos() + " " + rs.firstFrame() + " " + rs.lastFrame()
                        + " " + rs.complete());
    }

    private static String body(Body b) {
        return b == null ? "-" : b.length() + "/" + b.wireLength() + "/" + b.decodedLength() + "/" + b.truncated()
                + "/" + b.encoding() + "/" + b.decodeError();
    }
}
