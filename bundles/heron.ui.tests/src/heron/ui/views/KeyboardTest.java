package heron.ui.views;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.page;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import heron.core.model.EntityRef;
import heron.ui.views.calls.CallListView;
import heron.ui.views.calls.CallNavigation;

/** Keyboard commands: Ctrl+/ focuses the calls filter, Ctrl+. / Ctrl+, step through the calls. */
class KeyboardTest {

    @BeforeAll
    static void openSample() {
        open(testdata("cc-turn-2tools.pcap"));
    }

    private static CallListView callsViewActive() throws Exception {
        CallListView v = (CallListView) page().showView(CallListView.ID);
        v.reload();
        waitFor("calls loaded", v::isLoaded, 30_000);
        assertTrue(v.setFilter(""));
        page().activate(v);
        return v;
    }

    private static void run(String commandId) throws Exception {
        PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand(commandId, null);
    }

    @Test
    void nextAndPreviousCallStepThroughTheCallsAndPublishTheSelection() throws Exception {
        CallListView v = callsViewActive();
        assertEquals(3, v.rowCount());
        v.table().table().deselectAll();
        run(CallListView.NEXT_CALL);
        assertArrayEquals(new int[] { 0 }, v.table().table().getSelectionIndices());
        run(CallListView.NEXT_CALL);
        run(CallListView.NEXT_CALL);
        assertArrayEquals(new int[] { 2 }, v.table().table().getSelectionIndices());
        run(CallListView.NEXT_CALL);
        assertArrayEquals(new int[] { 2 }, v.table().table().getSelectionIndices(), "stops at the last call");
        run(CallListView.PREVIOUS_CALL);
        assertArrayEquals(new int[] { 1 }, v.table().table().getSelectionIndices());
        // The other views follow: the selection provider publishes the call.
        IStructuredSelection sel = (IStructuredSelection) v.getSite().getSelectionProvider().getSelection();
        EntityRef ref = (EntityRef) sel.getFirstElement();
        assertEquals(v.table().row(1).id(), ref.id());
        assertEquals(EntityRef.Kind.CALL, ref.kind());
    }

    @Test
    void nextAndPreviousAreBoundToCtrlPeriodAndCtrlCommaInTheCallsView() throws Exception {
        callsViewActive();
        IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
        assertEquals("Ctrl+.", bindings.getBestActiveBindingFormattedFor(CallListView.NEXT_CALL));
        assertEquals("Ctrl+,", bindings.getBestActiveBindingFormattedFor(CallListView.PREVIOUS_CALL));
        assertEquals("Ctrl+/", bindings.getBestActiveBindingFormattedFor("heron.ui.commands.focusFilter"));
    }

    @Test
    void focusFilterShowsTheCallsViewAndFocusesItsFilterBar() throws Exception {
        page().showView(heron.ui.views.health.HealthView.ID);
        run("heron.ui.commands.focusFilter");
        CallListView v = (CallListView) page().findView(CallListView.ID);
        assertSame(v, page().getActivePart());
        waitFor("filter focused", v::filterHasFocus, 5_000);
    }

    @Test
    void navigationTargetStopsAtTheEndsAndStartsFromTheSelection() {
        assertEquals(0, CallNavigation.target(new int[0], 3, 1));
        assertEquals(2, CallNavigation.target(new int[0], 3, -1));
        assertEquals(2, CallNavigation.target(new int[] { 0, 1 }, 3, 1));
        assertEquals(0, CallNavigation.target(new int[] { 1, 2 }, 3, -1));
        assertEquals(2, CallNavigation.target(new int[] { 2 }, 3, 1));
        assertEquals(0, CallNavigation.target(new int[] { 0 }, 3, -1));
        assertEquals(-1, CallNavigation.target(new int[0], 0, 1));
    }

}
