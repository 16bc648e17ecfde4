package heron.net.pcap;

/** A packet stream read from a file of known size, so progress can be reported as a fraction. */
public interface SizedStream {
    /** Size of the underlying file in bytes; compare with {@code PacketStream.position()}. */
    long size();
}
