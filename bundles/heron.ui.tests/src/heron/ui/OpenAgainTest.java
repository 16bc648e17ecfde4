package heron.ui;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.page;
import static heron.ui.UiTestSupport.settle;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import heron.ui.jobs.ImportCaptureJob;
import heron.ui.views.calls.CallListView;
import heron.ui.views.exchanges.ExchangeListView;

/**
 * Opening a capture again, views behind other tabs, and the database's page cache (issue 8: a
 * capture already in the workspace opens at once without re-import; the workbench's heap stays
 * small).
 */
class OpenAgainTest {

    @Test
    void reopeningAnImportedCaptureShowsItWithoutImportingItAgain() {
        long id = open(testdata("sdk-anthropic.pcap"));
        int captures = WorkspaceStore.get().captures().list().size();
        CaptureContext.get().show(0);
        ImportCaptureJob again = CaptureOpener.open(PlatformUI.getWorkbench().getActiveWorkbenchWindow(),
                List.of(testdata("sdk-anthropic.pcap").toString())).get(0);
        waitFor("re-open", () -> again.getResult() != null, 60_000);
        assertTrue(again.getResult().isOK(), again.getResult().toString());
        assertTrue(again.reused(), "the capture was imported again");
        assertEquals(id, again.captureId());
        assertEquals(id, CaptureContext.get().captureId(), "the re-opened capture is shown");
        assertEquals(captures, WorkspaceStore.get().captures().list().size());
    }

    @Test
    void aViewBehindAnotherTabLoadsOnlyWhenItIsShown() throws Exception {
        ExchangeListView exchanges = show(ExchangeListView.ID);
        CallListView calls = show(CallListView.ID); // same folder: Exchanges is now behind it
        assertFalse(page().isPartVisible(exchanges));
        CaptureContext.get().show(0);
        long id = open(testdata("sdk-openai-chat.pcap"));
        waitFor("calls loaded", calls::isLoaded, 30_000);
        settle(Display.getCurrent(), 300);
        assertFalse(exchanges.isLoaded(), "a hidden view loaded");
        assertEquals(0, exchanges.table().table().getItemCount(), "a hidden view shows no stale rows");

        show(ExchangeListView.ID);
        waitFor("exchanges loaded when shown", exchanges::isLoaded, 30_000);
        assertEquals(WorkspaceStore.get().exchanges().count(id), exchanges.table().table().getItemCount());
        assertTrue(exchanges.table().table().getItemCount() > 0);
    }

    @Test
    void theDatabasePageCacheIsSmallWhenNoImportRuns() {
        open(testdata("edge-gzip-json.pcap"));
        int kb = WorkspaceStore.cacheKb();
        assertTrue(kb > 0 && kb <= WorkspaceStore.VIEW_CACHE_KB, "page cache " + kb + " KB");
    }
}
