package heron.ui.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;

import heron.core.model.Capture;
import heron.pipeline.CaptureImporter;
import heron.pipeline.CompressedCaptures;
import heron.pipeline.ImportResult;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;

/**
 * Imports a capture file into the workspace database with progress and cancel. A file whose
 * sha256 is already in the database is not imported again: the existing capture is shown. No
 * dialogs from inside the job: the result is a status (and {@link #captureId()}).
 */
public class ImportCaptureJob extends Job {
    public static final Object FAMILY = ImportCaptureJob.class;
    private final Path file;
    private volatile long captureId;
    private volatile boolean reused;
    private volatile java.util.function.LongConsumer begun = id -> {
    };

    public ImportCaptureJob(Path file) {
        super("Importing " + file.getFileName());
        this.file = file;
        setUser(true);
        setRule(new FileRule(file.toAbsolutePath().normalize()));
    }

    /** Same file, same rule: a file is never imported twice at once. */
    private record FileRule(Path path) implements ISchedulingRule {
        @Override
        public boolean contains(ISchedulingRule rule) {
            return rule == this;
        }

        @Override
        public boolean isConflicting(ISchedulingRule rule) {
            return rule instanceof FileRule f && f.path.equals(path);
        }
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY || family.equals(file);
    }

    private volatile Runnable committed = () -> {
    };

    /**
     * Called (from the store's writer thread) after each commit of the import's rows, so the views
     * can follow the import (see {@link heron.ui.CaptureFollower}).
     */
    public void onRowsCommitted(Runnable listener) {
        committed = listener;
    }

    /** Called (from the job's thread) with the capture id as soon as the import has created it. */
    public void onCaptureBegun(java.util.function.LongConsumer listener) {
        begun = listener;
    }

    public long captureId() {
        return captureId;
    }

    /** True when the file was already in the workspace and was not imported again. */
    public boolean reused() {
        return reused;
    }

    public Path file() {
        return file;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        HeronStore store;
        try {
            store = heron.ui.WorkspaceStore.get();
        } catch (RuntimeException e) {
            return Status.error("The workspace database cannot be opened: " + e.getMessage(), e);
        }
        Path file;
        try {
            // A .pcap.gz is inflated once into the workspace's captures/ folder and imported from there.
            file = CompressedCaptures.importable(this.file, heron.ui.WorkspaceStore.capturesFolder(), monitor);
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (IOException e) {
            return Status.error(ImportReport.failed(this.file.getFileName().toString(), e.getMessage(),
                    new ImportReport.Recovered(0, 0, 0)), e);
        }
        try {
            if (reuseImported(store, file, monitor)) {
                return Status.OK_STATUS;
            }
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        }
        // The store's full page cache for the import's index builds; the views' smaller one after.
        heron.ui.WorkspaceStore.importStarted();
        try (StoreImportSink sink = new StoreImportSink(store, id -> {
            captureId = id;
            begun.accept(id);
        }).onCommit(() -> committed.run())) {
            CaptureImporter importer = CaptureImporter.fromPlatform(PipelineSettings.netOptions());
            // Not kept in a field: the result holds every call in full (hundreds of MB on big
            // captures) and the views read everything from the store anyway.
            ImportResult result = importer.importFile(file, sink, monitor);
            captureId = sink.captureId();
            if (result.damaged()) {
                return new Status(IStatus.WARNING, "heron.ui",
                        ImportReport.damaged(file.getFileName().toString(), result));
            }
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (IOException e) {
            // Also thrown by a read error part-way through the file: say what got in before it.
            return Status.error(ImportReport.failed(file.getFileName().toString(), "cannot read " + file + ": "
                    + e.getMessage(), recoveredSoFar(store)), e);
        } catch (RuntimeException e) {
            // The sink is closed by now: count what reached the database before the failure.
            return Status.error(ImportReport.failed(file.getFileName().toString(), String.valueOf(e.getMessage()),
                    recoveredSoFar(store)), e);
        } finally {
            heron.ui.WorkspaceStore.importEnded();
        }
    }

    /**
     * Shows the capture already in the workspace with the same content (SHA-256), if any, and
     * returns true. Same content means same size, so the file is hashed up front only when a
     * capture of its size exists; otherwise the import starts at once (it hashes the file beside
     * reading it) and the views fill in within a second. A capture with the same path and size is
     * shown before the hash is known (re-opening is then immediate), and the file is hashed only
     * once the views have their rows, so that the hash (seconds of CPU and disk on a big capture)
     * does not compete with them; if the hash then differs, the file has changed and is imported.
     */
    private boolean reuseImported(HeronStore store, Path file, IProgressMonitor monitor) {
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            return false; // the import reports the unreadable file
        }
        java.util.List<Capture> sameSize = store.captures().list().stream()
                .filter(c -> c.sizeBytes() == size && c.status() != Capture.ImportStatus.CANCELLED
                        && c.status() != Capture.ImportStatus.IMPORTING)
                .toList();
        if (sameSize.isEmpty()) {
            return false;
        }
        String path = file.toAbsolutePath().toString();
        Optional<Capture> samePath = sameSize.stream().filter(c -> path.equals(c.path()) && c.sha256() != null)
                .findFirst();
        if (samePath.isPresent()) {
            begun.accept(samePath.get().id());
            waitForViews(samePath.get().id(), monitor);
        }
        setName("Verifying " + file.getFileName());
        String sha = CaptureImporter.sha256Of(file);
        setName("Importing " + file.getFileName());
        if (sha == null) {
            return false;
        }
        Optional<Capture> existing = sameSize.stream().filter(c -> sha.equalsIgnoreCase(c.sha256())).findFirst();
        if (existing.isEmpty()) {
            return false;
        }
        captureId = existing.get().id();
        reused = true;
        if (samePath.isEmpty() || samePath.get().id() != captureId) {
            begun.accept(captureId);
        }
        return true;
    }

    /** Longest wait for the views before the re-opened file is hashed anyway. */
    static final long VIEWS_WAIT_MS = 30_000;

    /**
     * Waits until the capture is shown and the views' loads have ended (or {@link #VIEWS_WAIT_MS}),
     * so that the hash confirming a re-opened file runs after the views have their first rows.
     */
    private static void waitForViews(long id, IProgressMonitor monitor) {
        long end = System.currentTimeMillis() + VIEWS_WAIT_MS;
        try {
            // shown first (the show is queued to the UI thread), then no view load scheduled or running
            while (System.currentTimeMillis() < end && !monitor.isCanceled()
                    && (heron.ui.CaptureContext.get().captureId() != id
                            || heron.ui.views.CaptureView.loadsRunning() > 0)) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    private ImportReport.Recovered recoveredSoFar(HeronStore store) {
        long id = captureId;
        if (id == 0) {
            return new ImportReport.Recovered(0, 0, 0);
        }
        try {
            return new ImportReport.Recovered(store.packets().count(id), store.exchanges().count(id),
                    store.calls().count(id, heron.store.query.CallFilter.ALL));
        } catch (RuntimeException e) {
            return new ImportReport.Recovered(0, 0, 0);
        }
    }
}
