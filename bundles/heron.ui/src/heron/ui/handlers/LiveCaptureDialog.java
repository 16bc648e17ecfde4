package heron.ui.handlers;

import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import heron.capture.live.LiveCapture;

/** Capture > Start...: the interface (from libpcap) and an optional BPF capture filter. */
public class LiveCaptureDialog extends TitleAreaDialog {
    private final List<LiveCapture.Interface> interfaces;
    private Combo iface;
    private Text filter;
    private String chosenInterface;
    private String chosenFilter;

    public LiveCaptureDialog(Shell parent, List<LiveCapture.Interface> interfaces) {
        super(parent);
        this.interfaces = interfaces;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Start Live Capture");
        setMessage("Capture LLM and agent traffic from a local interface. Only plain HTTP can be decoded; TLS is "
                + "counted, not read.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(c, SWT.NONE).setText("Interface:");
        iface = new Combo(c, SWT.READ_ONLY);
        for (LiveCapture.Interface i : interfaces) {
            iface.add(i.name() + (i.addresses().isEmpty() ? "" : "  " + String.join(", ", i.addresses()))
                    + (i.description() == null ? "" : "  (" + i.description() + ")"));
        }
        int lo = 0;
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).loopback()) {
                lo = i;
            }
        }
        iface.select(lo);
        iface.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(c, SWT.NONE).setText("Capture filter (BPF):");
        filter = new Text(c, SWT.BORDER);
        filter.setMessage("e.g. tcp port 8080");
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("Start");
    }

    @Override
    protected void okPressed() {
        chosenInterface = interfaces.get(iface.getSelectionIndex()).name();
        chosenFilter = filter.getText().trim();
        super.okPressed();
    }

    public String interfaceName() {
        return chosenInterface;
    }

    public String filter() {
        return chosenFilter;
    }
}
