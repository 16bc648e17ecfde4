package heron.core.export;

import java.io.IOException;
import java.io.OutputStream;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Writes a selection of entities to a file format (SFT JSONL, HAR, CSV ...). Contributed through
 * the extension point {@code heron.core.exporters}, which also names the file extension and the
 * entity kinds the exporter accepts. An entity that cannot be exported is skipped and reported in
 * the result; the export of the others goes on.
 */
public interface Exporter {

    ExportResult export(ExportInput input, ExportOptions options, OutputStream out, IProgressMonitor monitor)
            throws IOException;
}
