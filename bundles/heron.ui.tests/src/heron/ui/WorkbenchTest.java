package heron.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.junit.jupiter.api.Test;

import heron.ui.perspectives.AnalysisPerspective;
import heron.ui.views.captures.CapturesView;

/** Runs inside the real workbench (UI harness, Xvfb in CI) on the UI thread. */
class WorkbenchTest {

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    @Test
    void testsRunOnTheUiThread() {
        assertNotNull(Display.getCurrent(), "not on the UI thread");
    }

    @Test
    void analysisPerspectiveIsTheDefault() {
        assertEquals(AnalysisPerspective.ID,
                PlatformUI.getWorkbench().getPerspectiveRegistry().getDefaultPerspective());
        page().setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(AnalysisPerspective.ID));
        assertEquals(AnalysisPerspective.ID, page().getPerspective().getId());
    }

    @Test
    void capturesViewShowsItsColumns() throws Exception {
        IViewPart part = page().showView(CapturesView.ID);
        CapturesView view = (CapturesView) part;
        List<String> headers = Arrays.stream(view.table().table().getColumns()).map(TableColumn::getText)
                .toList();
        assertEquals(List.of("File", "Format", "Packets", "Size", "Status", "sha256"), headers);
    }

    @Test
    void aboutDialogTextNamesTheRunningVersion() {
        var product = org.eclipse.core.runtime.Platform.getProduct();
        assertNotNull(product, "no product");
        var v = org.eclipse.core.runtime.Platform.getBundle("heron.ui").getVersion();
        String version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        assertTrue(product.getProperty("aboutText").contains("Version " + version), product.getProperty("aboutText"));
        assertEquals(heron.core.Heron.VERSION, version, "Heron.VERSION must follow the bundle version");
    }

    @Test
    void openCaptureCommandIsDefinedWithItsHandler() {
        ICommandService cs = PlatformUI.getWorkbench().getService(ICommandService.class);
        var cmd = cs.getCommand("heron.ui.commands.openCapture");
        assertTrue(cmd.isDefined());
        assertTrue(cmd.isHandled());
    }

    @Test
    void windowMenuShowViewListsTheHeronViews() {
        Menu bar = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().getMenuBar();
        Menu showView = submenu(submenu(bar, "Window"), "Show View");
        List<String> labels = labels(showView);
        assertTrue(labels.contains("Topology"), labels.toString());
        assertTrue(labels.contains("LLM Calls"), labels.toString());
        assertTrue(labels.stream().anyMatch(l -> l.startsWith("Other")), labels.toString());
    }

    /** Opens a menu the way SWT does before showing it, so menu managers fill in dynamic items. */
    private static Menu submenu(Menu menu, String label) {
        menu.notifyListeners(SWT.Show, new Event());
        for (MenuItem item : menu.getItems()) {
            if (clean(item.getText()).equals(label) && item.getMenu() != null) {
                item.getMenu().notifyListeners(SWT.Show, new Event());
                return item.getMenu();
            }
        }
        throw new AssertionError("no menu " + label + " in " + labels(menu));
    }

    private static List<String> labels(Menu menu) {
        return Arrays.stream(menu.getItems()).map(i -> clean(i.getText())).toList();
    }

    private static String clean(String text) {
        int tab = text.indexOf('\t');
        return (tab >= 0 ? text.substring(0, tab) : text).replace("&", "").trim();
    }
}
