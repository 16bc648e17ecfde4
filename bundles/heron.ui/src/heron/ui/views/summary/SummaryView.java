package heron.ui.views.summary;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

import heron.core.model.Capture;
import heron.store.HeronStore;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;

/** Statistics of the shown capture, like Wireshark's Capture File Properties and Statistics menu. */
public class SummaryView extends CaptureView<String> {
    public static final String ID = "heron.ui.views.summary";
    private StyledText text;

    @Override
    public void createPartControl(Composite parent) {
        text = new StyledText(parent, SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        text.setFont(JFaceResources.getTextFont());
        listen();
    }

    @Override
    protected String load(HeronStore store, long captureId, IProgressMonitor monitor) {
        Capture c = store.captures().get(captureId).orElse(null);
        if (c == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("File          ").append(c.path()).append('\n');
        b.append("Format        ").append(c.format()).append(", link types ").append(c.linkTypes()).append('\n');
        b.append("Size          ").append(Format.bytes(c.sizeBytes())).append('\n');
        b.append("SHA-256       ").append(c.sha256()).append('\n');
        b.append("Import        ").append(c.status().name().toLowerCase()).append('\n');
        b.append("First packet  ").append(Format.time(c.firstNanos())).append('\n');
        b.append("Last packet   ").append(Format.time(c.lastNanos())).append('\n');
        b.append("Elapsed       ").append(Format.duration(c.lastNanos() - c.firstNanos())).append("\n\n");
        b.append("Packets       ").append(Format.num(c.packetCount())).append('\n');
        b.append("Connections   ").append(Format.num(store.connections().count(captureId))).append('\n');
        b.append("Exchanges     ").append(Format.num(store.exchanges().count(captureId))).append('\n');
        b.append("LLM calls     ").append(Format.num(store.calls().count(captureId,
                heron.store.query.CallFilter.ALL))).append("\n\n");
        b.append("Calls by model\n");
        store.calls().models(captureId).forEach((m, n) -> b.append(String.format("  %-40s %,10d%n", m, n)));
        b.append("\nAgent turns / sessions by agent kind\n");
        // counted in the database: reading every turn to count them took seconds on big captures
        store.aggregations().turnsAndSessionsByAgent(captureId).forEach((k, n) -> {
            if (n[0] > 0) {
                b.append(String.format("  %-20s %,8d turns %,8d sessions%n", k, n[0], n[1]));
            }
        });
        return b.toString();
    }

    @Override
    protected void show(String data) {
        text.setText(data == null ? "No capture shown. Open one with File > Open Capture..." : data);
    }

    public String text() {
        return text.getText();
    }

    @Override
    protected Control control() {
        return text;
    }

    @Override
    public void setFocus() {
        text.setFocus();
    }
}
