package heron.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.ui.IWorkbenchWindow;

/** The one way the UI opens capture files: menu, command line and drag-and-drop all come here. */
public final class CaptureOpener {
    private CaptureOpener() {
    }

    public static void open(IWorkbenchWindow window, List<String> files) {
        for (String f : files) {
            Path p = Path.of(f);
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                MessageDialog.openError(window.getShell(), Messages.OpenCapture_Title,
                        NLS.bind(Messages.OpenCapture_NotFound, f));
                continue;
            }
            CaptureSessions.get().add(p.toAbsolutePath());
        }
    }
}
