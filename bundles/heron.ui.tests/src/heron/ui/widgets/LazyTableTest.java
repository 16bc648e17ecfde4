package heron.ui.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.Test;

import heron.ui.UiTestSupport;

/** The virtual table under every list view: emptying a big table and showing new rows in it. */
class LazyTableTest {
    private static List<String> rows(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void aBigTableEmptiedForAnotherCaptureShowsTheNewRowsAndKeepsWorking() {
        Shell shell = new Shell(Display.getCurrent());
        try {
            shell.setLayout(new FillLayout());
            shell.setSize(800, 600);
            LazyTable<String> t = new LazyTable<>(shell, SWT.MULTI,
                    List.of(LazyTable.Column.text("Row", 200, s -> s, String::compareTo)));
            shell.open();
            int big = 2 * TableEmptier.DETACH_FROM + 7;
            t.setRows(rows("a", big));
            Table table = t.table();
            UiTestSupport.waitFor("all rows", () -> table.getItemCount() == big, 30_000);
            table.setTopIndex(big / 2);
            table.select(big / 2);
            UiTestSupport.waitFor("scrolled", () -> table.getTopIndex() > 0, 10_000);

            // switching to a smaller capture empties the table (detached from its rows on GTK) and refills it
            t.setRows(rows("b", 5));
            assertEquals(5, table.getItemCount());
            assertEquals(0, table.getSelectionCount(), "no selection survives the old rows");
            for (int i = 0; i < 5; i++) {
                assertEquals("b" + i, table.getItem(i).getText(0), "row " + i + " is the new capture's");
            }
            // the table still grows and shrinks as before
            t.setRows(rows("c", 3));
            assertEquals(3, table.getItemCount());
            assertEquals("c2", table.getItem(2).getText(0));
            t.setRows(rows("d", big));
            UiTestSupport.waitFor("grown again", () -> table.getItemCount() == big, 30_000);
            assertEquals("d" + (big - 1), table.getItem(big - 1).getText(0));
            if ("gtk".equals(SWT.getPlatform())) {
                assertTrue(TableEmptier.detaches(),
                        "on GTK big tables are emptied detached from the view (SWT internals changed?)");
            }
        } finally {
            shell.dispose();
        }
    }
}
