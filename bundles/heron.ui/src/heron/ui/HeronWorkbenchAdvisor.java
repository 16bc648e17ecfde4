package heron.ui;

import java.util.List;

import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

import heron.ui.perspectives.AnalysisPerspective;

/** Opens the Analysis perspective by default and remembers the window layout between runs. */
public class HeronWorkbenchAdvisor extends WorkbenchAdvisor {
    private final List<String> filesToOpen;

    public HeronWorkbenchAdvisor(List<String> filesToOpen) {
        this.filesToOpen = List.copyOf(filesToOpen);
    }

    @Override
    public void initialize(IWorkbenchConfigurer configurer) {
        super.initialize(configurer);
        configurer.setSaveAndRestore(true);
    }

    @Override
    public String getInitialWindowPerspectiveId() {
        return AnalysisPerspective.ID;
    }

    @Override
    public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
        return new HeronWindowAdvisor(configurer, filesToOpen);
    }
}
