package heron.ui.views.packets;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;

import heron.net.dissect.PacketBytes;
import heron.net.dissect.PacketDissector.Field;

/** Hex + ASCII of the selected packet (read back from the capture file); the selected field is highlighted. */
public class PacketBytesView extends ViewPart implements ISelectionListener {
    public static final String ID = "heron.ui.views.packetBytes";
    private StyledText text;
    private PacketRow shown;

    @Override
    public void createPartControl(Composite parent) {
        text = new StyledText(parent, SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        text.setFont(JFaceResources.getTextFont());
        getSite().getPage().addPostSelectionListener(this);
    }

    @Override
    public void selectionChanged(IWorkbenchPart part, ISelection sel) {
        if (!(sel instanceof IStructuredSelection ss)) {
            return;
        }
        Object o = ss.getFirstElement();
        if (o instanceof PacketRow r) {
            shown = r;
            text.setText(PacketBytes.hexDump(r.bytes()));
        } else if (o instanceof PacketDetailView.FieldSelection fs && fs.packet() == shown) {
            highlight(fs.field());
        }
    }

    private void highlight(Field f) {
        text.setStyleRanges(new StyleRange[0]);
        int end = Math.min(f.offset() + f.length(), shown.bytes().length);
        var bg = text.getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION);
        var fg = text.getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT);
        for (int i = f.offset(); i < end; i++) {
            int pos = PacketBytes.hexPosition(i);
            if (pos + 2 <= text.getCharCount()) {
                text.setStyleRange(new StyleRange(pos, 2, fg, bg));
            }
        }
        if (f.offset() < shown.bytes().length) {
            text.setTopIndex(f.offset() / 16);
        }
    }

    public String text() {
        return text.getText();
    }

    @Override
    public void setFocus() {
        text.setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removePostSelectionListener(this);
        super.dispose();
    }
}
