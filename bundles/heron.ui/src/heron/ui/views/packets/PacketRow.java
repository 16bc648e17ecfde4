package heron.ui.views.packets;

import java.nio.file.Path;

import heron.core.model.PacketRecord;
import heron.net.dissect.PacketDissector.Dissection;

/** One row of the Packets view: the frame index entry, its dissection, and where its bytes are. */
public record PacketRow(long captureId, Path file, PacketRecord record, Dissection dissection, byte[] bytes) {
}
