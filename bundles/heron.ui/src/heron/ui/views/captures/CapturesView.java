package heron.ui.views.captures;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

import heron.ui.CaptureSessions;
import heron.ui.Messages;

/** The captures of this workspace. An empty workspace shows how to open one. */
public class CapturesView extends ViewPart {
    public static final String ID = "heron.ui.views.captures";

    private TableViewer viewer;
    private Label hint;
    private final Consumer<List<Path>> listener = captures -> {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(() -> show(captures));
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        hint = new Label(parent, SWT.WRAP);
        hint.setText(Messages.CapturesView_Empty);
        hint.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        column(Messages.CapturesView_File, 220, p -> ((Path) p).getFileName().toString());
        column(Messages.CapturesView_Format, 70, p -> formatOf((Path) p));
        column(Messages.CapturesView_Packets, 80, p -> "");
        column(Messages.CapturesView_Calls, 60, p -> "");
        column(Messages.CapturesView_Status, 80, p -> "");
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        getSite().setSelectionProvider(viewer);
        CaptureSessions.get().addListener(listener);
        show(CaptureSessions.get().captures());
    }

    private static String formatOf(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".pcapng") ? "pcapng" : "pcap";
    }

    private void column(String title, int width, java.util.function.Function<Object, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply(element);
            }
        });
    }

    private void show(List<Path> captures) {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        viewer.setInput(captures);
        hint.setVisible(captures.isEmpty());
        ((GridData) hint.getLayoutData()).exclude = !captures.isEmpty();
        hint.getParent().layout();
    }

    /** For tests and linked views: the table widget. */
    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        CaptureSessions.get().removeListener(listener);
        super.dispose();
    }
}
