package heron.core.model;

/**
 * A TCP connection. The id is the frame number of its first packet, so ids do not depend on
 * worker count or timing. Client is the side that sent the SYN or, without a handshake, the side
 * that sent an HTTP request.
 */
public record Connection(long id, Endpoint client, Endpoint server, long firstNanos, long lastNanos,
        long packetsToServer, long packetsToClient, long bytesToServer, long bytesToClient,
        long retransmissions, long outOfOrder, long gaps, long gapBytes, Protocol protocol) {

    /** What the connection's payload turned out to be. */
    public enum Protocol {
        HTTP, TLS, OTHER, EMPTY
    }
}
