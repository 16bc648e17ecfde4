package heron.net.internal;

import java.nio.ByteBuffer;

import heron.net.NetSink;

/** Reader-thread helpers of {@link heron.net.NetPipeline}. */
public final class ReaderSupport {
    private ReaderSupport() {
    }

    /** Whether the sink overrides {@link NetSink#packet}; if not, no records are built. */
    public static boolean wantsPackets(NetSink sink) {
        try {
            return sink.getClass().getMethod("packet", heron.core.model.PacketRecord.class)
                    .getDeclaringClass() != NetSink.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    /** How often (capture time) connections are swept for idleness. */
    public static long sweepEvery(long idleTimeoutNanos) {
        return Math.max(1_000_000_000L, Math.min(idleTimeoutNanos / 4, 30_000_000_000L));
    }

    /** How long a finished connection's entry stays for its last ACKs and retransmitted FINs. */
    public static long closedLinger(long idleTimeoutNanos) {
        return Math.min(idleTimeoutNanos, 10_000_000_000L);
    }

    /**
     * What the reader learns about connection e from one of its TCP packets: payload seen, and the
     * client side from the first payload that starts like a request or response.
     */
    public static void tcpPacket(FlowEntry e, int side, PacketDecoder d, ByteBuffer buf) {
        if (d.wirePayloadLen > 0) {
            e.payloadSeenMark();
            if (e.clientSideHint() < 0 && d.payloadLen > 0) {
                detectClient(e, side, buf, d.payloadOff, d.payloadLen);
            }
        }
    }

    /**
     * Without a handshake, the side that sends an HTTP request line is the client (or the other
     * side of one that sends a status line).
     */
    public static void detectClient(FlowEntry e, int side, ByteBuffer b, int off, int len) {
        if (len < 4) {
            return;
        }
        int end = off + Math.min(len, 16);
        if (HttpParser.isRequestStart(b, off, end)) {
            e.clientSide = side;
        } else if (HttpParser.isResponseStart(b, off, end)) {
            e.clientSide = 1 - side;
        }
    }
}
