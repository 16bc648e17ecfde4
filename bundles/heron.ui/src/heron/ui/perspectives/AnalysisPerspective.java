package heron.ui.perspectives;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

import heron.ui.views.calls.CallDetailView;
import heron.ui.views.calls.CallListView;
import heron.ui.views.captures.CapturesView;
import heron.ui.views.exchanges.ExchangeListView;
import heron.ui.views.health.HealthView;
import heron.ui.views.packets.PacketBytesView;
import heron.ui.views.packets.PacketDetailView;
import heron.ui.views.packets.PacketListView;
import heron.ui.views.summary.SummaryView;
import heron.ui.views.timeline.TimelineView;
import heron.ui.views.turns.SessionListView;
import heron.ui.views.turns.TurnListView;

/**
 * The default perspective: captures and statistics on the left, the lists (calls, turns,
 * exchanges, packets) in the middle, details of the selection below.
 */
public class AnalysisPerspective implements IPerspectiveFactory {
    public static final String ID = "heron.ui.perspectives.analysis";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.setEditorAreaVisible(false);
        IFolderLayout main = layout.createFolder("heron.main", IPageLayout.TOP, 0.55f, editors);
        main.addView(CallListView.ID);
        main.addView(TurnListView.ID);
        main.addView(ExchangeListView.ID);
        main.addView(PacketListView.ID);
        IFolderLayout bottom = layout.createFolder("heron.bottom", IPageLayout.BOTTOM, 0.45f, "heron.main");
        bottom.addView(CallDetailView.ID);
        bottom.addView(TimelineView.ID);
        bottom.addView(PacketDetailView.ID);
        bottom.addView(PacketBytesView.ID);
        IFolderLayout left = layout.createFolder("heron.left", IPageLayout.LEFT, 0.22f, "heron.main");
        left.addView(CapturesView.ID);
        left.addView(SessionListView.ID);
        IFolderLayout leftBottom = layout.createFolder("heron.leftBottom", IPageLayout.BOTTOM, 0.5f, "heron.left");
        leftBottom.addView(SummaryView.ID);
        leftBottom.addView(HealthView.ID);
        for (String id : new String[] { CapturesView.ID, CallListView.ID, TurnListView.ID, SessionListView.ID,
                ExchangeListView.ID, PacketListView.ID, CallDetailView.ID, PacketDetailView.ID, PacketBytesView.ID,
                SummaryView.ID, HealthView.ID, TimelineView.ID }) {
            layout.addShowViewShortcut(id);
        }
    }
}
