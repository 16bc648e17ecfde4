package heron.ui.perspectives;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import heron.ui.views.captures.CapturesView;

/** The default perspective: captures on the left, the analysis views in the editor-less centre. */
public class AnalysisPerspective implements IPerspectiveFactory {
    public static final String ID = "heron.ui.perspectives.analysis";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        IFolderLayout left = layout.createFolder("heron.left", IPageLayout.LEFT, 0.25f, layout.getEditorArea());
        left.addView(CapturesView.ID);
        layout.getViewLayout(CapturesView.ID).setCloseable(true);
    }
}
