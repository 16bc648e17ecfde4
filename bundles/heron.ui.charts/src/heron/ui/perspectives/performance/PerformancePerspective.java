package heron.ui.perspectives.performance;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import heron.ui.perspectives.AnalysisPerspective;
import heron.ui.views.calls.CallDetailView;
import heron.ui.views.calls.CallListView;
import heron.ui.views.captures.CapturesView;
import heron.ui.views.metrics.MetricsView;

/**
 * Performance: the Metrics charts on top with the Topology graph beside them, the LLM Calls
 * below (filtered by the Metrics view's time window), captures on the left.
 */
public class PerformancePerspective implements IPerspectiveFactory {
    public static final String ID = "heron.ui.perspectives.performance";
    /** Contributed by heron.ui.topology; named by id so this perspective works without it. */
    public static final String TOPOLOGY_VIEW_ID = "heron.ui.views.topology";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.setEditorAreaVisible(false);
        IFolderLayout metrics = layout.createFolder("heron.performance.metrics", IPageLayout.TOP, 0.62f, editors);
        metrics.addView(MetricsView.ID);
        IFolderLayout topology = layout.createFolder("heron.performance.topology", IPageLayout.RIGHT, 0.62f,
                "heron.performance.metrics");
        topology.addPlaceholder(TOPOLOGY_VIEW_ID + ":*");
        topology.addView(TOPOLOGY_VIEW_ID);
        IFolderLayout calls = layout.createFolder("heron.performance.calls", IPageLayout.BOTTOM, 0.38f,
                "heron.performance.metrics");
        calls.addView(CallListView.ID);
        calls.addView(CallDetailView.ID);
        IFolderLayout left = layout.createFolder("heron.performance.left", IPageLayout.LEFT, 0.16f,
                "heron.performance.metrics");
        left.addView(CapturesView.ID);
        for (String id : new String[] { MetricsView.ID, TOPOLOGY_VIEW_ID, CallListView.ID, CallDetailView.ID,
                CapturesView.ID }) {
            layout.addShowViewShortcut(id);
        }
        layout.addPerspectiveShortcut(AnalysisPerspective.ID);
        layout.addPerspectiveShortcut(ID);
    }
}
