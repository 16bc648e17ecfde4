package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import heron.core.capture.CaptureSource;
import heron.core.capture.PacketStream;

/**
 * pcapng files: several sections and interfaces, both byte orders, EPB/SPB/obsolete packet blocks.
 * Packet data is memory-mapped, never loaded as a whole. Stateless; every {@link #open} is independent.
 */
public final class PcapNgFileSource implements CaptureSource {

    @Override
    public boolean accepts(ByteBuffer head) {
        if (head.remaining() < 12) {
            return false;
        }
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = head.position();
        int m = b.getInt(p + 8);
        return b.getInt(p) == PcapNgStream.SHB
                && (m == PcapNgStream.BYTE_ORDER_MAGIC || Integer.reverseBytes(m) == PcapNgStream.BYTE_ORDER_MAGIC);
    }

    @Override
    public PacketStream open(Path file) throws IOException {
        return new PcapNgStream(file);
    }
}
