package heron.ui.export;

import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import heron.core.export.ExportOptions;
import heron.core.export.Exporter;
import heron.core.registry.Contribution;

/**
 * Export as...: format (whatever the exporters extension point offers for the selection), target
 * file, and options. Secrets are masked unless the user turns it off for this export.
 */
public class ExportDialog extends TitleAreaDialog {
    /** What the user chose. */
    public record Choice(String exporterId, String file, ExportOptions options) {
    }

    private final List<Contribution<Exporter>> exporters;
    private final String what;
    private Combo format;
    private Text file;
    private Combo scope;
    private Button mask;
    private Button subagents;
    private Choice choice;

    public ExportDialog(Shell parent, List<Contribution<Exporter>> exporters, String what) {
        super(parent);
        this.exporters = exporters;
        this.what = what;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Export " + what);
        setMessage("Choose a format and a file. Secrets (API keys, tokens, cookies) are masked by default.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(c, SWT.NONE).setText("Format:");
        format = new Combo(c, SWT.READ_ONLY);
        exporters.forEach(e -> format.add(e.name() + " (*." + e.attribute("fileExtension") + ")"));
        format.select(0);
        format.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        new Label(c, SWT.NONE).setText("File:");
        file = new Text(c, SWT.BORDER);
        file.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        file.addListener(SWT.Modify, e -> validate());
        Button browse = new Button(c, SWT.PUSH);
        browse.setText("Browse...");
        browse.addListener(SWT.Selection, e -> browse());
        new Label(c, SWT.NONE).setText("One line per:");
        scope = new Combo(c, SWT.READ_ONLY);
        scope.setItems("turn", "session");
        scope.select(0);
        scope.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        mask = new Button(c, SWT.CHECK);
        mask.setText("Mask secrets (API keys, bearer tokens, cookies, key-shaped strings in messages)");
        mask.setSelection(true);
        mask.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        subagents = new Button(c, SWT.CHECK);
        subagents.setText("Also export sub-agent conversations as their own lines");
        subagents.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        return area;
    }

    private void browse() {
        FileDialog d = new FileDialog(getShell(), SWT.SAVE);
        d.setOverwrite(true);
        String ext = exporters.get(format.getSelectionIndex()).attribute("fileExtension");
        d.setFilterExtensions(new String[] { "*." + ext, "*.*" });
        d.setFileName("heron-export." + ext);
        String f = d.open();
        if (f != null) {
            file.setText(f);
        }
    }

    private void validate() {
        Button ok = getButton(IDialogConstants.OK_ID);
        boolean valid = !file.getText().isBlank();
        if (ok != null) {
            ok.setEnabled(valid);
        }
        setErrorMessage(valid ? null : "Choose the file to write.");
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("Export");
        validate();
    }

    @Override
    protected void okPressed() {
        choice = new Choice(exporters.get(format.getSelectionIndex()).id(), file.getText(),
                new ExportOptions(scope.getText(), mask.getSelection(), subagents.getSelection()));
        super.okPressed();
    }

    public Choice choice() {
        return choice;
    }
}
