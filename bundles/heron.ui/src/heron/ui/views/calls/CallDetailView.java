package heron.ui.views.calls;

import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;

import heron.core.model.EntityRef;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.ui.WorkspaceStore;

/**
 * The selected call, structured like an IDE editor rather than one text blob: a Conversation
 * tab (system prompt, messages, tool calls and results, response, usage, tools offered) and the
 * raw HTTP request and response (secrets masked as stored).
 */
public class CallDetailView extends ViewPart implements ISelectionListener {
    public static final String ID = "heron.ui.views.callDetail";
    private CTabFolder tabs;
    private Tree conversation;
    private StyledText request;
    private StyledText response;
    private Job job;
    private volatile long shownCallId;

    @Override
    public void createPartControl(Composite parent) {
        tabs = new CTabFolder(parent, SWT.BOTTOM | SWT.FLAT);
        conversation = new Tree(tabs, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        conversation.setHeaderVisible(true);
        TreeColumn what = new TreeColumn(conversation, SWT.LEFT);
        what.setText("Part");
        what.setWidth(200);
        TreeColumn value = new TreeColumn(conversation, SWT.LEFT);
        value.setText("Content");
        value.setWidth(900);
        tab("Conversation", conversation);
        Font mono = JFaceResources.getTextFont();
        request = text(mono);
        tab("Request", request);
        response = text(mono);
        tab("Response", response);
        tabs.setSelection(0);
        getSite().getPage().addPostSelectionListener(this);
        setContentDescription("Select a call to see it here.");
    }

    private StyledText text(Font font) {
        StyledText t = new StyledText(tabs, SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        t.setFont(font);
        return t;
    }

    private void tab(String title, org.eclipse.swt.widgets.Control c) {
        CTabItem item = new CTabItem(tabs, SWT.NONE);
        item.setText(title);
        item.setControl(c);
    }

    @Override
    public void selectionChanged(IWorkbenchPart part, ISelection selection) {
        if (part == this || !(selection instanceof IStructuredSelection ss)) {
            return;
        }
        for (Object o : ss.toList()) {
            if (o instanceof EntityRef r && r.kind() == EntityRef.Kind.CALL) {
                showCall(r.captureId(), r.id());
                return;
            }
        }
    }

    /** Loads and shows a call (in a job; the UI thread only fills widgets). */
    public void showCall(long captureId, long callId) {
        if (job != null) {
            job.cancel();
        }
        shownCallId = callId;
        job = new Job("Loading call " + callId) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                var store = WorkspaceStore.get();
                CallDocument doc;
                String problem = null;
                try {
                    Optional<LlmCall> call = store.calls().get(captureId, callId);
                    Optional<HttpExchange> ex = call.flatMap(c -> store.exchanges().get(captureId, c.exchangeId()));
                    doc = call.map(c -> CallDocument.of(c, ex.orElse(null))).orElse(null);
                } catch (heron.store.StoreException e) {
                    // Bodies are re-assembled from the capture file (ADR 0006): a moved or
                    // changed file is said in one line; the other views keep working.
                    doc = null;
                    problem = e.getMessage();
                }
                CallDocument shown = doc;
                String why = problem;
                if (!monitor.isCanceled() && !tabs.isDisposed()) {
                    tabs.getDisplay().asyncExec(() -> {
                        if (why != null) {
                            showProblem(callId, why);
                        } else {
                            show(callId, shown);
                        }
                    });
                }
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }

    private void showProblem(long callId, String problem) {
        if (tabs.isDisposed() || callId != shownCallId) {
            return;
        }
        conversation.removeAll();
        setContentDescription("Call " + callId + ": " + problem);
        request.setText("");
        response.setText("");
    }

    private void show(long callId, CallDocument doc) {
        if (tabs.isDisposed() || callId != shownCallId) {
            return;
        }
        conversation.removeAll();
        if (doc == null) {
            setContentDescription("Call " + callId + " is not in the workspace database.");
            request.setText("");
            response.setText("");
            return;
        }
        setContentDescription(doc.title());
        for (CallDocument.Node n : doc.nodes()) {
            add(null, n);
        }
        request.setText(doc.rawRequest());
        response.setText(doc.rawResponse());
    }

    private void add(TreeItem parent, CallDocument.Node n) {
        TreeItem item = parent == null ? new TreeItem(conversation, SWT.NONE) : new TreeItem(parent, SWT.NONE);
        item.setText(0, n.label());
        item.setText(1, n.value() == null ? "" : n.value().replace('\n', ' '));
        item.setData(n);
        for (CallDocument.Node c : n.children()) {
            add(item, c);
        }
        item.setExpanded(n.expanded());
    }

    public Tree conversationTree() {
        return conversation;
    }

    public String requestText() {
        return request.getText();
    }

    @Override
    public void setFocus() {
        tabs.setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removePostSelectionListener(this);
        super.dispose();
    }
}
