package heron.ui.handlers;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.CompoundContributionItem;

import heron.ui.CaptureOpener;
import heron.ui.RecentCaptures;

/** File > Open Recent: the last captures opened, most recent first. */
public class RecentCapturesMenu extends CompoundContributionItem {
    @Override
    protected IContributionItem[] getContributionItems() {
        List<String> recent = RecentCaptures.list();
        IContributionItem[] items = new IContributionItem[recent.size()];
        for (int i = 0; i < recent.size(); i++) {
            String path = recent.get(i);
            Action a = new Action((i < 9 ? "&" + (i + 1) + " " : "") + Path.of(path).getFileName() + "  [" + path + "]") {
                @Override
                public void run() {
                    CaptureOpener.open(PlatformUI.getWorkbench().getActiveWorkbenchWindow(), List.of(path));
                }
            };
            items[i] = new ActionContributionItem(a);
        }
        return items;
    }
}
