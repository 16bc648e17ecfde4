package heron.ui.views.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

import heron.core.health.PipelineHealth;
import heron.store.HeronStore;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/** The pipeline-health counters of the shown capture, each with what it means: nothing is lost silently. */
public class HealthView extends CaptureView<List<Map.Entry<String, Long>>> {
    public static final String ID = "heron.ui.views.health";
    private LazyTable<Map.Entry<String, Long>> table;

    @Override
    public void createPartControl(Composite parent) {
        Comparator<Map.Entry<String, Long>> byName = Map.Entry.comparingByKey();
        Comparator<Map.Entry<String, Long>> byValue = Map.Entry.comparingByValue();
        List<Column<Map.Entry<String, Long>>> columns = List.of(
                Column.text("Counter", 230, Map.Entry::getKey, byName),
                Column.number("Value", 100, e -> Format.num(e.getValue()), byValue),
                Column.text("Meaning", 600, e -> PipelineHealth.describe(e.getKey()), null));
        table = new LazyTable<>(parent, SWT.MULTI, columns);
        listen();
    }

    @Override
    protected List<Map.Entry<String, Long>> load(HeronStore store, long captureId, IProgressMonitor monitor) {
        return new ArrayList<>(store.health().counters(captureId).entrySet());
    }

    @Override
    protected void show(List<Map.Entry<String, Long>> data) {
        table.setRows(data == null ? List.of() : data);
    }

    public LazyTable<Map.Entry<String, Long>> table() {
        return table;
    }

    @Override
    protected Control control() {
        return table.table();
    }

    @Override
    public void setFocus() {
        table.table().setFocus();
    }
}
