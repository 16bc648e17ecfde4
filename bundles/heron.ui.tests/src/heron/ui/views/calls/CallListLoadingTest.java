package heron.ui.views.calls;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TableColumn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM Calls view shows the first page of calls as soon as it is read, before the rest
 * (on a big capture reading every call takes seconds), and a sort chosen meanwhile holds for the
 * whole list. testdata/cc-turn-2tools.pcap has 3 calls; the first page is lowered to 1.
 */
class CallListLoadingTest {
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void restore() {
        release.countDown();
        CallListView.firstPage = CallListView.FIRST_PAGE;
        CallListView.afterFirstPage = null;
    }

    @Test
    void firstPageIsShownBeforeTheWholeListIsReadAndItsSortHoldsForTheRest() throws Exception {
        CallListView v = show(CallListView.ID);
        open(testdata("cc-turn-2tools.pcap"));
        waitFor("calls loaded", () -> v.isLoaded() && v.rowCount() == 3, 30_000);

        CallListView.firstPage = 1;
        CallListView.afterFirstPage = () -> {
            try {
                release.await(30, TimeUnit.SECONDS); // the rest of the load waits for the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        v.reload();
        waitFor("first page", () -> v.rowCount() == 1, 30_000);
        assertFalse(v.isLoaded(), "the load is still reading the rest");
        long firstId = v.table().row(0).id();

        // No. descending (two clicks) while only the first page is there
        TableColumn no = v.table().table().getColumn(0);
        no.notifyListeners(SWT.Selection, new Event());
        no.notifyListeners(SWT.Selection, new Event());
        assertEquals(SWT.DOWN, v.table().table().getSortDirection());

        release.countDown();
        waitFor("whole list", () -> v.isLoaded() && v.rowCount() == 3, 30_000);
        // the first page held the lowest id; sorted descending it is now last
        assertTrue(v.table().row(0).id() > v.table().row(1).id(), "the whole list keeps the sort chosen on the first page");
        assertTrue(v.table().row(1).id() > v.table().row(2).id(), "the whole list keeps the sort chosen on the first page");
        assertEquals(firstId, v.table().row(2).id());
    }
}
