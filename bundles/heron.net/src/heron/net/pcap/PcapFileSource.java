package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import heron.core.capture.CaptureSource;
import heron.core.capture.PacketStream;

/**
 * Classic libpcap files (.pcap): both byte orders, microsecond and nanosecond timestamps. Packet
 * data is memory-mapped, never loaded as a whole. Stateless; every {@link #open} is independent.
 */
public final class PcapFileSource implements CaptureSource {

    @Override
    public boolean accepts(ByteBuffer head) {
        if (head.remaining() < 4) {
            return false;
        }
        int m = head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(head.position());
        int r = Integer.reverseBytes(m);
        return m == PcapStream.MAGIC_US || m == PcapStream.MAGIC_NS || r == PcapStream.MAGIC_US
                || r == PcapStream.MAGIC_NS;
    }

    @Override
    public PacketStream open(Path file) throws IOException {
        return new PcapStream(file);
    }
}
