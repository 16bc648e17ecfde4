package heron.net.pcap;

import java.nio.ByteBuffer;

/**
 * A packet stream whose packet bytes stay valid after {@code next()}: they live in a read-only
 * mapping of the capture file that is never reused for other bytes, so consumers may keep slices
 * of it (message bodies) instead of copying. Packet bytes that are not "stable" are only valid
 * until the next packet (the {@code PacketStream} contract).
 */
public interface StableBuffers {
    /**
     * The buffer holding the current packet at the same indexes as {@code data()}
     * ({@code data().position()} .. {@code data().limit()}); big-endian, read-only, and its
     * position and limit are never changed by the stream, so it may be read from any thread with
     * absolute gets.
     */
    ByteBuffer stableData();

    /** Index of the current packet's first byte in {@link #stableData()}. */
    int stableIndex();
}
