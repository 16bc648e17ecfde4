package heron.core.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A forward-only cursor over the packets of a capture. Accessors describe the current packet
 * after {@link #next()} returned true; the buffer returned by {@link #data()} is only valid until
 * the next call to {@code next()} (sources may reuse or remap it: no copies on the hot path).
 * <p>
 * Damage does not throw: a source that meets a corrupt record stops or resynchronises, and says
 * so through {@link #damage()}. Only a file that cannot be read at all throws from {@code open}.
 */
public interface PacketStream extends Closeable {

    boolean next() throws IOException;

    /** 1-based frame number. */
    long frame();

    long timestampNanos();

    /** Offset of the packet data in the file, or -1 for live sources. */
    long fileOffset();

    int capturedLength();

    int originalLength();

    /** LINKTYPE_* number of the interface the packet was captured on. */
    int linkType();

    /** The packet data: position..limit are the captured bytes. */
    ByteBuffer data();

    /** "pcap", "pcap-ns", "pcapng" or "live". */
    String format();

    /** Bytes read so far, for progress. */
    long position();

    /** What went wrong so far, never null. */
    CaptureDamage damage();
}
