package heron.ui.handlers;

import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

import heron.ui.CaptureOpener;
import heron.ui.Messages;

/** File > Open Capture... (Ctrl+O): a file dialog filtered to capture files. */
public class OpenCaptureHandler extends AbstractHandler {
    public static final String COMMAND_ID = "heron.ui.commands.openCapture";

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        FileDialog dialog = new FileDialog(window.getShell(), SWT.OPEN);
        dialog.setText(Messages.OpenCapture_Title);
        dialog.setFilterExtensions(new String[] { "*.pcap;*.pcapng;*.cap;*.pcap.gz;*.pcapng.gz", "*.*" });
        dialog.setFilterNames(new String[] { "Capture files (*.pcap, *.pcapng, *.cap)", "All files" });
        String file = dialog.open();
        if (file != null) {
            CaptureOpener.open(window, List.of(file));
        }
        return null;
    }
}
