package heron.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

import heron.ui.views.calls.CallListView;

/** Ctrl+/ (like Wireshark's display filter): shows the LLM Calls view and focuses its filter bar. */
public class FocusFilterHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindowChecked(event);
        try {
            CallListView view = (CallListView) window.getActivePage().showView(CallListView.ID);
            view.focusFilter();
        } catch (PartInitException e) {
            throw new ExecutionException("Cannot show the LLM Calls view", e);
        }
        return null;
    }
}
