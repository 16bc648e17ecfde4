package heron.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.net.NetOptions;

/**
 * Runs a tiny bundled capture through the whole import once, into no store. In a fresh JVM the
 * first import spends its first half second or more loading and first running the reader, the
 * decoders, Jackson and the turn tracker before its first call is decoded (docs/performance.md,
 * Workbench); the workbench does this while the analyst is still choosing a file, so that the
 * first capture opened shows its rows sooner. The sample ({@link #SAMPLE}: ten synthetic calls,
 * every built-in wire API streamed and not streamed, 75 KB) is made by {@code make-big-pcap}.
 */
public final class Warmup {
    /** The sample capture, a resource of this bundle. */
    public static final String SAMPLE = "/warmup/sample.pcap";

    private Warmup() {
    }

    /**
     * Imports the sample with {@code options} (the worker count matters: each worker thread warms
     * its own caches) into a sink that keeps nothing, and returns the result.
     */
    public static ImportResult run(NetOptions options) throws IOException {
        Path tmp = Files.createTempFile("heron-warmup", ".pcap");
        try {
            try (InputStream in = Warmup.class.getResourceAsStream(SAMPLE)) {
                if (in == null) {
                    throw new IOException("the warm-up sample " + SAMPLE + " is missing from heron.pipeline");
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return CaptureImporter.fromPlatform(options).importFile(tmp, new ImportSink() {
            }, new NullProgressMonitor());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
