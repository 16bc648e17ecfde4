package heron.ui.widgets;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.eclipse.swt.widgets.Table;

/**
 * Empties a table with many rows quickly. On GTK, {@link Table#removeAll()} clears the native list
 * store while the tree view is attached to it, and the view handles a "row deleted" signal per
 * row: about 10 µs a row, so a million-row Packets table blocked the window for 4–5 s when the
 * analyst switched to another capture. With the view detached from its store while the store is
 * cleared, the same takes a tenth of that (200,000 rows: 1.7–2.5 s against 0.15–0.21 s, measured
 * with SWT 3.132 under Xvfb; docs/performance.md, Workbench).
 *
 * <p>Detaching is not SWT API: the GTK call and the table's store handle are reached by
 * reflection, once. Where they are not there (another windowing system, another SWT version) or
 * fail, the table is emptied the plain way; nothing else changes.
 */
final class TableEmptier {
    /** Below this many rows the plain way is quick enough. */
    static final int DETACH_FROM = 10_000;

    private static final Method SET_MODEL;
    private static final Field MODEL;
    private static final Field HANDLE;

    static {
        Method setModel = null;
        Field model = null;
        Field handle = null;
        try {
            Class<?> gtk = Class.forName("org.eclipse.swt.internal.gtk.GTK", false, Table.class.getClassLoader());
            setModel = gtk.getMethod("gtk_tree_view_set_model", long.class, long.class);
            model = Table.class.getDeclaredField("modelHandle");
            model.setAccessible(true);
            handle = org.eclipse.swt.widgets.Widget.class.getField("handle");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            setModel = null; // not GTK, or SWT changed: empty tables the plain way
        }
        SET_MODEL = setModel;
        MODEL = model;
        HANDLE = handle;
    }

    private TableEmptier() {
    }

    /** True when big tables are emptied with the view detached (GTK with a known SWT). */
    static boolean detaches() {
        return SET_MODEL != null;
    }

    /** Removes every item of {@code table} (UI thread). */
    static void removeAll(Table table) {
        if (SET_MODEL == null || table.getItemCount() < DETACH_FROM) {
            table.removeAll();
            return;
        }
        long view;
        long store;
        try {
            view = HANDLE.getLong(table);
            store = MODEL.getLong(table);
        } catch (ReflectiveOperationException | RuntimeException e) {
            table.removeAll();
            return;
        }
        if (view == 0 || store == 0) {
            table.removeAll();
            return;
        }
        try {
            SET_MODEL.invoke(null, view, 0L);
        } catch (ReflectiveOperationException | RuntimeException e) {
            table.removeAll();
            return;
        }
        try {
            table.removeAll();
        } finally {
            try {
                SET_MODEL.invoke(null, view, store);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot re-attach the table's rows", e);
            }
        }
    }
}
