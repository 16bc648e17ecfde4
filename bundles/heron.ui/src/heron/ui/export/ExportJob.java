package heron.ui.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.model.EntityRef;
import heron.export.ExportService;
import heron.pipeline.ExportSelection;
import heron.ui.WorkspaceStore;

/** Loads the selection from the workspace database and writes it with the chosen exporter. */
public class ExportJob extends Job {
    private final long captureId;
    private final List<EntityRef> refs;
    private final String exporterId;
    private final Path file;
    private final ExportOptions options;
    private volatile ExportResult result;

    public ExportJob(long captureId, List<EntityRef> refs, String exporterId, Path file, ExportOptions options) {
        super("Exporting to " + file.getFileName());
        this.captureId = captureId;
        this.refs = List.copyOf(refs);
        this.exporterId = exporterId;
        this.file = file;
        this.options = options;
        setUser(true);
    }

    public ExportResult result() {
        return result;
    }

    public Path file() {
        return file;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            ExportInput input = ExportSelection.load(WorkspaceStore.get(), captureId, refs);
            result = ExportService.fromPlatform().export(exporterId, input, options, file, monitor);
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (IOException | RuntimeException e) {
            return Status.error("Export to " + file + " failed: " + e.getMessage(), e);
        }
    }
}
