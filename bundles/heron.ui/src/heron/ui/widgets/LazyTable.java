package heron.ui.widgets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * A virtual SWT table over rows of type T, for tables that may hold millions of rows. Rows come
 * either from an in-memory list ({@link #setRows}) or page by page from a loader that runs in a
 * background job ({@link #setPaged}); the UI thread only fills visible items. SWT's VIRTUAL style
 * still creates an (empty) item per row, which is acceptable up to a few million rows.
 */
public final class LazyTable<T> {
    /** One column: title, width, text of a row, and an optional comparator for in-memory sorting. */
    public record Column<T>(String title, int width, int align, Function<T, String> text, Comparator<T> order) {
        public static <T> Column<T> text(String title, int width, Function<T, String> text,
                Comparator<T> order) {
            return new Column<>(title, width, SWT.LEFT, text, order);
        }

        public static <T> Column<T> number(String title, int width, Function<T, String> text,
                Comparator<T> order) {
            return new Column<>(title, width, SWT.RIGHT, text, order);
        }
    }

    /** Loads rows [offset, offset + limit) of a paged source; runs off the UI thread. */
    public interface PageLoader<T> {
        List<T> load(long offset, int limit);
    }

    private static final int PAGE = 1000;
    private final Table table;
    private final List<Column<T>> columns;
    private List<T> rows = List.of();
    private PageLoader<T> loader;
    private final Map<Integer, List<T>> pages = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> loading = new ConcurrentHashMap<>();
    private int generation;
    private Consumer<Integer> sortListener;

    public LazyTable(Composite parent, int style, List<Column<T>> columns) {
        this.columns = List.copyOf(columns);
        table = new Table(parent, SWT.VIRTUAL | SWT.FULL_SELECTION | SWT.BORDER | style);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            TableColumn tc = new TableColumn(table, c.align());
            tc.setText(c.title());
            tc.setWidth(c.width());
            tc.setMoveable(true);
            int index = i;
            tc.addListener(SWT.Selection, e -> sortBy(index));
        }
        table.addListener(SWT.SetData, e -> {
            TableItem item = (TableItem) e.item;
            T row = row(table.indexOf(item));
            if (row != null) {
                fill(item, row);
            }
        });
        table.addListener(SWT.KeyDown, e -> {
            if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
                copySelection();
            }
        });
    }

    public Table table() {
        return table;
    }

    /** Called with the column index when the user clicks a header of a paged table. */
    public void onSort(Consumer<Integer> listener) {
        this.sortListener = listener;
    }

    private void fill(TableItem item, T row) {
        for (int c = 0; c < columns.size(); c++) {
            String s = columns.get(c).text().apply(row);
            item.setText(c, s == null ? "" : s);
        }
        item.setData(row);
    }

    /**
     * Shows an in-memory list (sorting by header click happens in memory). The rows keep the
     * order of the header the user last sorted by, so a list that is refreshed (or completed after
     * a first page) does not jump back to the loading order under the sort indicator.
     */
    public void setRows(List<T> newRows) {
        loader = null;
        rows = sorted(newRows);
        pages.clear();
        generation++;
        table.clearAll();
        resize(rows.size());
    }

    /** True when big tables are emptied detached from the native view (GTK; see TableEmptier). */
    public static boolean emptiesDetached() {
        return TableEmptier.detaches();
    }

    /** Shows a paged source of {@code count} rows. */
    public void setPaged(long count, PageLoader<T> pageLoader) {
        loader = pageLoader;
        rows = List.of();
        pages.clear();
        loading.clear();
        generation++;
        table.clearAll();
        resize((int) Math.min(count, Integer.MAX_VALUE));
    }

    /**
     * Items added per step while the table grows: on GTK every item is a row of the native list
     * store, about 4 µs each (a million rows: 4 s of UI thread). Growing step by step, with the
     * event loop running in between, shows the first rows at once and never blocks the UI thread
     * for long.
     */
    static final int GROW_STEP = 50_000;
    /** The item count the table is growing to (UI thread only). */
    private int targetCount;

    private void resize(int count) {
        if (count < table.getItemCount()) {
            // SWT removes a range of items one by one, each shifting its item array: quadratic
            // (100,000 to 10,000 items took over a minute on GTK). Emptying the store is linear,
            // and ten times quicker again with the view detached from it (TableEmptier).
            TableEmptier.removeAll(table);
        }
        targetCount = count;
        grow(generation);
    }

    private void grow(int gen) {
        if (table.isDisposed() || gen != generation) {
            return;
        }
        int current = table.getItemCount();
        if (current >= targetCount) {
            return;
        }
        table.setItemCount((int) Math.min(targetCount, (long) current + GROW_STEP));
        if (table.getItemCount() < targetCount) {
            table.getDisplay().asyncExec(() -> grow(gen));
        }
    }

    /** The number of rows the table shows once it has grown to them (see {@link #GROW_STEP}). */
    public int rowCount() {
        return targetCount;
    }

    /** The row at an index, or null while its page is loading (a load is then scheduled). */
    public T row(int index) {
        if (index < 0) {
            return null;
        }
        if (loader == null) {
            return index < rows.size() ? rows.get(index) : null;
        }
        int page = index / PAGE;
        List<T> p = pages.get(page);
        if (p != null) {
            return index % PAGE < p.size() ? p.get(index % PAGE) : null;
        }
        requestPage(page);
        return null;
    }

    private void requestPage(int page) {
        if (loading.putIfAbsent(page, Boolean.TRUE) != null) {
            return;
        }
        PageLoader<T> l = loader;
        int gen = generation;
        Job job = new Job("Loading rows") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                List<T> loaded;
                try {
                    loaded = l.load((long) page * PAGE, PAGE);
                } catch (RuntimeException e) {
                    loading.remove(page);
                    return Status.error("Loading rows failed: " + e.getMessage(), e);
                }
                if (table.isDisposed()) {
                    return Status.OK_STATUS;
                }
                table.getDisplay().asyncExec(() -> {
                    if (table.isDisposed() || gen != generation) {
                        return;
                    }
                    pages.put(page, loaded);
                    loading.remove(page);
                    int from = page * PAGE;
                    int to = Math.min(table.getItemCount(), from + loaded.size()) - 1;
                    if (to >= from) {
                        table.clear(from, to);
                    }
                });
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }

    private void sortBy(int column) {
        TableColumn tc = table.getColumn(column);
        int dir = table.getSortColumn() == tc && table.getSortDirection() == SWT.UP ? SWT.DOWN : SWT.UP;
        table.setSortColumn(tc);
        table.setSortDirection(dir);
        if (loader != null) {
            if (sortListener != null) {
                sortListener.accept(column);
            }
            return;
        }
        if (columns.get(column).order() == null) {
            return;
        }
        rows = sorted(rows);
        table.clearAll();
    }

    /** The rows in the order of the current sort column and direction (a copy). */
    private List<T> sorted(List<T> in) {
        TableColumn tc = table.getSortColumn();
        Comparator<T> order = tc == null ? null : columns.get(table.indexOf(tc)).order();
        if (order == null) {
            return List.copyOf(in);
        }
        List<T> out = new ArrayList<>(in);
        out.sort(table.getSortDirection() == SWT.DOWN ? order.reversed() : order);
        return java.util.Collections.unmodifiableList(out);
    }

    /** True when the current sort is ascending (for paged sources that sort in the database). */
    public boolean ascending() {
        return table.getSortDirection() != SWT.DOWN;
    }

    /** The rows of the selected items that are loaded. */
    public List<T> selection() {
        List<T> out = new ArrayList<>();
        for (int i : table.getSelectionIndices()) {
            T r = row(i);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Selects the first row for which {@code match} is true (in-memory tables). */
    public boolean select(java.util.function.Predicate<T> match) {
        for (int i = 0; i < rows.size(); i++) {
            if (match.test(rows.get(i))) {
                table.setSelection(i);
                table.showSelection();
                return true;
            }
        }
        return false;
    }

    /** Copies the selected rows as tab-separated text (Ctrl+C), like Wireshark's copy. */
    public void copySelection() {
        StringBuilder b = new StringBuilder();
        for (T r : selection()) {
            for (int c = 0; c < columns.size(); c++) {
                String s = columns.get(c).text().apply(r);
                b.append(c == 0 ? "" : "\t").append(s == null ? "" : s);
            }
            b.append('\n');
        }
        if (b.length() > 0) {
            Clipboard cb = new Clipboard(table.getDisplay());
            cb.setContents(new Object[] { b.toString() }, new Transfer[] { TextTransfer.getInstance() });
            cb.dispose();
        }
    }
}
