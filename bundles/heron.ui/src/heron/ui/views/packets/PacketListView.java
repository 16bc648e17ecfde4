package heron.ui.views.packets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

import heron.core.HeronPreferences;
import heron.core.model.Capture;
import heron.core.model.PacketRecord;
import heron.net.dissect.PacketBytes;
import heron.net.dissect.PacketDissector;
import heron.store.HeronStore;
import heron.ui.WorkspaceStore;
import heron.ui.views.CaptureView;
import heron.ui.views.Format;
import heron.ui.views.SelectionBridge;
import heron.ui.widgets.LazyTable;
import heron.ui.widgets.LazyTable.Column;

/**
 * Packets like Wireshark's packet list: No., Time, Source, Destination, Protocol, Length, Info.
 * A virtual table over the capture's frame index; each page of rows is read back from the capture
 * file at the indexed offsets and dissected in a background job, so it scrolls through millions
 * of packets.
 */
public class PacketListView extends CaptureView<PacketListView.Source> {
    public static final String ID = "heron.ui.views.packets";

    /** What the view pages over. */
    public record Source(long captureId, Path file, long count, long firstNanos) {
    }

    /** Time column formats, switchable like Wireshark's View > Time Display Format. */
    public enum TimeFormat {
        RELATIVE("Seconds since capture start", HeronPreferences.TIME_RELATIVE),
        ABSOLUTE("Time of day", HeronPreferences.TIME_ABSOLUTE),
        DELTA("Seconds since previous packet", HeronPreferences.TIME_DELTA);

        final String label;
        final String preference;

        TimeFormat(String label, String preference) {
            this.label = label;
            this.preference = preference;
        }

        /** The format a preference value names; RELATIVE for anything else. */
        public static TimeFormat fromPreference(String value) {
            for (TimeFormat f : values()) {
                if (f.preference.equals(value)) {
                    return f;
                }
            }
            return RELATIVE;
        }
    }

    private Composite root;
    private LazyTable<PacketRow> table;
    private volatile TimeFormat timeFormat = TimeFormat.RELATIVE;
    private volatile Source source;
    private final SelectionBridge selection = new SelectionBridge();

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(2, false));
        Label l = new Label(root, SWT.NONE);
        l.setText("Time:");
        Combo time = new Combo(root, SWT.READ_ONLY);
        for (TimeFormat f : TimeFormat.values()) {
            time.add(f.label);
        }
        // The initial format comes from Window > Preferences > Heron; the combo switches it per view.
        timeFormat = TimeFormat.fromPreference(HeronPreferences.timeFormat());
        time.select(timeFormat.ordinal());
        time.addListener(SWT.Selection, e -> {
            timeFormat = TimeFormat.values()[time.getSelectionIndex()];
            table.table().clearAll();
        });
        table = new LazyTable<>(root, SWT.MULTI, List.of(
                Column.number("No.", 70, r -> Long.toString(r.record().frame()), null),
                Column.text("Time", 120, this::time, null),
                Column.text("Source", 170, r -> r.dissection().source(), null),
                Column.text("Destination", 170, r -> r.dissection().destination(), null),
                Column.text("Protocol", 70, r -> r.dissection().protocol(), null),
                Column.number("Length", 60, r -> Integer.toString(r.record().originalLength()), null),
                Column.text("Info", 600, r -> r.dissection().info(), null)));
        table.table().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        table.table().addListener(SWT.Selection, e -> selection.set(new StructuredSelection(table.selection())));
        selection.attach(getSite());
        listen();
    }

    /** The time column's current format. */
    public TimeFormat timeFormat() {
        return timeFormat;
    }

    /** The time column's text for a row, in the current format. */
    public String timeText(PacketRow r) {
        return time(r);
    }

    private String time(PacketRow r) {
        Source s = source;
        long ts = r.record().timestampNanos();
        return switch (timeFormat) {
            case ABSOLUTE -> Format.time(ts);
            case RELATIVE -> Format.relative(ts, s == null ? ts : s.firstNanos());
            case DELTA -> {
                PacketRow prev = r.record().frame() > 1 ? table.row((int) r.record().frame() - 2) : null;
                yield Format.relative(ts, prev == null ? ts : prev.record().timestampNanos());
            }
        };
    }

    @Override
    protected Source load(HeronStore store, long captureId, IProgressMonitor monitor) {
        Capture c = store.captures().get(captureId).orElse(null);
        if (c == null) {
            return null;
        }
        return new Source(captureId, Path.of(c.path()), store.packets().count(captureId), c.firstNanos());
    }

    @Override
    protected void show(Source s) {
        source = s;
        if (s == null) {
            table.setRows(List.of());
            setContentDescription("");
            return;
        }
        table.setPaged(s.count(), (offset, limit) -> page(s, offset, limit));
        setContentDescription(Format.num(s.count()) + " packets  —  " + s.file().getFileName());
    }

    /** Reads and dissects one page of packets (background thread). */
    static List<PacketRow> page(Source s, long offset, int limit) {
        List<PacketRecord> records = WorkspaceStore.get().packets().range(s.captureId(), offset + 1, limit);
        List<PacketRow> rows = new ArrayList<>(records.size());
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            for (PacketRecord r : records) {
                byte[] bytes = PacketBytes.read(ch, r.fileOffset(), r.capturedLength());
                rows.add(new PacketRow(s.captureId(), s.file(), r,
                        PacketDissector.dissect(bytes, r.linkType(), r.frame(), r.timestampNanos(), r.originalLength()),
                        bytes));
            }
        } catch (IOException e) {
            // The file moved or changed since the import: show the index without bytes.
            for (int i = rows.size(); i < records.size(); i++) {
                PacketRecord r = records.get(i);
                rows.add(new PacketRow(s.captureId(), s.file(), r, new PacketDissector.Dissection("", "", "?",
                        "[capture file not readable: " + e.getMessage() + "]", List.of()), new byte[0]));
            }
        }
        return rows;
    }

    public LazyTable<PacketRow> table() {
        return table;
    }

    @Override
    protected Control control() {
        return root;
    }

    @Override
    public void setFocus() {
        table.table().setFocus();
    }
}
