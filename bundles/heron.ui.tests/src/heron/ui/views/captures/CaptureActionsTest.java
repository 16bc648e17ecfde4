package heron.ui.views.captures;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;

import heron.core.model.LlmCall;
import heron.store.HeronStore;
import heron.store.StoreException;
import heron.store.query.CallFilter;
import heron.store.query.CallQueries;
import heron.ui.CaptureContext;
import heron.ui.WorkspaceStore;

/** The Captures view's actions: locating a moved capture file, deleting a capture. */
class CaptureActionsTest {
    private static void join(Job job) {
        waitFor(job.getName(), () -> job.getResult() != null, 60_000);
    }

    @Test
    void aMovedCaptureIsLocatedAgainAndThenDeletedFromTheWorkspace() throws Exception {
        Path dir = Files.createTempDirectory("heron-locate");
        // no other UI test opens this capture, so its workspace row is this test's own
        Path first = Files.copy(testdata("edge-pcapng.pcapng"), dir.resolve("first.pcapng"));
        long id = open(first);
        HeronStore store = WorkspaceStore.get();
        LlmCall call = store.calls().page(id, CallFilter.ALL, CallQueries.Sort.ID, true, 0, 1).get(0);
        assertEquals(first.toString(), store.captures().get(id).orElseThrow().path());

        Path moved = Files.createDirectories(dir.resolve("moved")).resolve("renamed.pcapng");
        Files.move(first, moved);
        assertThrows(StoreException.class, () -> store.calls().get(id, call.id()), "the detail needs the file");

        Job wrong = CaptureActions.relocate(id, testdata("sdk-anthropic.pcap"));
        join(wrong);
        assertFalse(wrong.getResult().isOK(), "another capture's file is refused");
        assertTrue(wrong.getResult().getMessage().contains("is not the imported capture"), wrong.getResult().getMessage());

        Job locate = CaptureActions.relocate(id, moved);
        join(locate);
        assertTrue(locate.getResult().isOK(), locate.getResult().toString());
        assertEquals(moved.toString(), store.captures().get(id).orElseThrow().path());
        assertEquals(call.model(), store.calls().get(id, call.id()).orElseThrow().model(), "details read again");

        CaptureContext.get().show(id);
        Job delete = CaptureActions.delete(id);
        assertEquals(0, CaptureContext.get().captureId(), "the views leave the capture first");
        join(delete);
        assertTrue(delete.getResult().isOK(), delete.getResult().toString());
        assertTrue(store.captures().get(id).isEmpty(), "the capture is gone from the workspace");
        assertTrue(Files.exists(moved), "the capture file itself stays");
    }
}
