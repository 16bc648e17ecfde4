package heron.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.export.ExporterRegistry;
import heron.core.model.EntityRef;
import heron.core.registry.Contribution;

/**
 * The one way the CLI and the UI write an export file: picks the exporter contributed under an
 * id to {@code heron.core.exporters}, writes into a temporary file beside the target and moves it
 * into place only when the exporter finished, so a cancelled or failed export leaves no
 * half-written file (and does not touch an existing target).
 */
public final class ExportService {
    private final ExporterRegistry registry;

    public ExportService(ExporterRegistry registry) {
        this.registry = registry;
    }

    /** A service over the running platform's contributions. */
    public static ExportService fromPlatform() {
        return new ExportService(ExporterRegistry.fromPlatform());
    }

    public ExporterRegistry registry() {
        return registry;
    }

    /** The working exporters accepting the entity kind, in menu order (priority, then id). */
    public List<Contribution<Exporter>> exportersFor(EntityRef.Kind kind) {
        return registry.accepting(kind).stream().filter(c -> c.get() != null).toList();
    }

    /** The file extension (without dot) the exporter declares, or "out". */
    public String fileExtension(String exporterId) {
        return registry.byId(exporterId).map(c -> c.attribute("fileExtension")).filter(e -> e != null && !e.isBlank())
                .orElse("out");
    }

    /**
     * Exports to {@code target}.
     *
     * @throws IllegalArgumentException when no working exporter has that id
     * @throws org.eclipse.core.runtime.OperationCanceledException when the monitor was cancelled;
     *         nothing is left at {@code target} (an existing file there is kept unchanged)
     * @throws IOException on write failure, likewise leaving no partial file
     */
    public ExportResult export(String exporterId, ExportInput input, ExportOptions options, Path target,
            IProgressMonitor monitor) throws IOException {
        Contribution<Exporter> c = registry.byId(exporterId)
                .orElseThrow(() -> new IllegalArgumentException("no exporter with id '" + exporterId + "'"));
        Exporter exporter = c.get();
        if (exporter == null) {
            throw new IllegalArgumentException("exporter '" + exporterId + "' from bundle '" + c.contributor()
                    + "' could not be created (see the log)");
        }
        return export(exporter, input, options, target, monitor);
    }

    /** Same with an exporter instance (tests, callers outside OSGi). */
    public static ExportResult export(Exporter exporter, ExportInput input, ExportOptions options, Path target,
            IProgressMonitor monitor) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Same directory so the final move is a rename on one file system.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
        boolean done = false;
        try {
            ExportResult result;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                result = exporter.export(input, options == null ? ExportOptions.DEFAULT : options, out, monitor);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
