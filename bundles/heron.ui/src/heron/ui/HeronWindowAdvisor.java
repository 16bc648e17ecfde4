package heron.ui;

import java.util.List;

import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

import heron.core.Heron;

/** Window size, title, status line; opens the capture files given on the command line. */
public class HeronWindowAdvisor extends WorkbenchWindowAdvisor {
    private final List<String> filesToOpen;

    public HeronWindowAdvisor(IWorkbenchWindowConfigurer configurer, List<String> filesToOpen) {
        super(configurer);
        this.filesToOpen = filesToOpen;
    }

    @Override
    public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer configurer) {
        return new HeronActionBarAdvisor(configurer);
    }

    @Override
    public void preWindowOpen() {
        IWorkbenchWindowConfigurer c = getWindowConfigurer();
        c.setInitialSize(new Point(1440, 900));
        c.setShowCoolBar(false);
        c.setShowStatusLine(true);
        c.setShowProgressIndicator(true);
        c.setShowPerspectiveBar(true);
        c.setTitle(Heron.NAME);
    }

    @Override
    public void postWindowOpen() {
        if (!filesToOpen.isEmpty()) {
            getWindowConfigurer().getWindow().getShell().setText(Heron.NAME + " - " + filesToOpen.get(0));
            CaptureOpener.open(getWindowConfigurer().getWindow(), filesToOpen);
        } else {
            new heron.ui.jobs.WarmupJob().schedule();
        }
    }
}
