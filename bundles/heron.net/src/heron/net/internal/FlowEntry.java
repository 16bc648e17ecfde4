package heron.net.internal;

/**
 * Identity of one TCP connection, owned by the reading thread: it decides where a connection
 * starts (first packet, new SYN on a finished 4-tuple) and ends (FIN/RST, idle), so connection
 * ids depend only on packet order. {@link #session} is owned by the worker thread.
 */
public final class FlowEntry {
    // canonical key: side 0 is the lower endpoint
    final long aHi, aLo, bHi, bLo;
    final int aPort, bPort;
    final boolean ipv6;
    /** Frame number of the first packet: the connection id. */
    public final long id;
    final int worker;

    // reader-owned state
    long lastNanos;
    int clientSide = -1;
    boolean synSeen;
    int synSeq;
    boolean payloadSeen;
    boolean fin0, fin1, rst;
    boolean removed;
    /** Links of the reader's list of live entries in creation (= id) order. */
    FlowEntry older, newer;

    /** Worker-owned: the reassembly and HTTP state, dropped once the connection is finished. */
    Session session;
    /** Worker-owned: the connection was finished; later packets (final ACKs) are ignored. */
    boolean workerDone;

    FlowEntry(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, boolean ipv6, long id, int worker) {
        this.aHi = aHi;
        this.aLo = aLo;
        this.aPort = aPort;
        this.bHi = bHi;
        this.bLo = bLo;
        this.bPort = bPort;
        this.ipv6 = ipv6;
        this.id = id;
        this.worker = worker;
    }

    /** The client side (0 = lower endpoint) as known to the reader, or -1. */
    public int clientSideHint() {
        return clientSide;
    }

    public void payloadSeenMark() {
        payloadSeen = true;
    }

    boolean closed() {
        return rst || (fin0 && fin1);
    }

    static int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = aHi * 0x9E3779B97F4A7C15L;
        h = (h ^ aLo) * 0x9E3779B97F4A7C15L;
        h = (h ^ bHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ bLo) * 0x9E3779B97F4A7C15L;
        h = (h ^ (((long) aPort << 16) | bPort)) * 0x9E3779B97F4A7C15L;
        // murmur3 fmix64 finaliser: every input bit reaches the low bits used as table index
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }
}
