package heron.ui.views.packets;

import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;

import heron.net.dissect.PacketDissector.Field;
import heron.ui.views.SelectionBridge;

/**
 * The protocol tree of the selected packet (frame, link, IP, TCP, HTTP). Selecting a field
 * highlights its bytes in Packet Bytes.
 */
public class PacketDetailView extends ViewPart implements ISelectionListener {
    public static final String ID = "heron.ui.views.packetDetails";
    private Tree tree;
    private PacketRow shown;
    private final SelectionBridge selection = new SelectionBridge();

    @Override
    public void createPartControl(Composite parent) {
        tree = new Tree(parent, SWT.SINGLE | SWT.FULL_SELECTION);
        tree.addListener(SWT.Selection, e -> {
            if (e.item instanceof TreeItem ti && ti.getData() instanceof Field f && shown != null) {
                selection.set(new StructuredSelection(new FieldSelection(shown, f)));
            }
        });
        selection.attach(getSite());
        getSite().getPage().addPostSelectionListener(this);
    }

    /** A field of a packet, for Packet Bytes to highlight. */
    public record FieldSelection(PacketRow packet, Field field) {
    }

    @Override
    public void selectionChanged(IWorkbenchPart part, ISelection sel) {
        if (part == this || !(sel instanceof IStructuredSelection ss) || !(ss.getFirstElement() instanceof PacketRow r)) {
            return;
        }
        shown = r;
        tree.removeAll();
        for (Field f : r.dissection().tree()) {
            add(null, f);
        }
    }

    private void add(TreeItem parent, Field f) {
        TreeItem item = parent == null ? new TreeItem(tree, SWT.NONE) : new TreeItem(parent, SWT.NONE);
        item.setText(f.toString());
        item.setData(f);
        for (Field c : f.children()) {
            add(item, c);
        }
    }

    public Tree tree() {
        return tree;
    }

    @Override
    public void setFocus() {
        tree.setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removePostSelectionListener(this);
        super.dispose();
    }
}
