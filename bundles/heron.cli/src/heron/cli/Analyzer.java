package heron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.PacketStream;

/** Runs {@code heron analyze}: reads every capture and prints the summary or the JSON document. */
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
        CaptureSourceRegistry sources = CaptureSourceRegistry.fromPlatform();
        boolean damaged = false;
        for (Path f : options.files()) {
            if (!Files.isReadable(f) || Files.isDirectory(f)) {
                err.println("heron analyze: cannot read " + f + (Files.exists(f) ? "" : " (no such file)"));
                return HeronCommand.INPUT_UNREADABLE;
            }
            try (PacketStream ps = sources.open(f)) {
                long n = 0;
                while (ps.next()) {
                    n++;
                }
                out.println(f + ": " + ps.format() + ", " + n + " packets");
                if (ps.damage().any()) {
                    damaged = true;
                    err.println("heron analyze: " + f + " is damaged: " + ps.damage());
                }
            } catch (IOException e) {
                err.println("heron analyze: " + e.getMessage());
                return HeronCommand.INPUT_UNREADABLE;
            }
        }
        return damaged ? HeronCommand.PARTIAL : HeronCommand.OK;
    }
}
